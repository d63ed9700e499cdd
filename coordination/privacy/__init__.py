"""Personal data (个人信息) under China's PIPL: a person downloads everything the platform holds
about them, and deletes their account leaving anonymous records behind.

This package sits above the domains (like the ``/me`` page): it reads and anonymises rows of
accounts, needs, projects and evaluation alike.
"""
