"""Mainland China phone numbers (手机号码、固定电话), checked with Google's libphonenumber
metadata (the ``phonenumbers`` package) for region CN.

Accepted: a mobile number (11 digits starting 1[3-9], optionally with +86 or 86 in front),
or a landline (area code 0xx or 0xxx and a 7- or 8-digit number), with spaces or dashes
anywhere and optionally an extension (``-123``, ``转123``, ``ext 123``)."""

from __future__ import annotations

import re

import phonenumbers

ACCEPTED_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
                  phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
EXTENSION = re.compile(r"^(?P<base>.+?)\s*(?:-|转|分机|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)


def _number(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number_for_region(number, "CN"):
        return None
    return number if phonenumbers.number_type(number) in ACCEPTED_TYPES else None


def is_mainland_phone(text: str) -> bool:
    """Whether ``text`` is a mainland mobile or landline number (see the module docstring)."""
    text = (text or "").strip()
    if not text or len(text) > 30:
        return False
    if _number(text) is not None:
        return True
    match = EXTENSION.match(text)  # only a landline takes an extension
    if match is None:
        return False
    base = _number(match.group("base"))
    return base is not None and phonenumbers.number_type(base) != phonenumbers.PhoneNumberType.MOBILE
