"""Pages that gather several domains (the home page, ``/me``, the public statistics): the layer
above the domains, which may import any of them and which none of them imports."""
