"""Password hashing (argon2id) and the minimum strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

_hashers: dict[tuple, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    """argon2id with the library's defaults, or ``ARGON2_PARAMS`` (cheaper ones in tests)."""
    params = current_app.config.get("ARGON2_PARAMS") or {}
    key = tuple(sorted(params.items()))
    if key not in _hashers:
        _hashers[key] = PasswordHasher(**params)
    return _hashers[key]

# A few of the passwords most often tried first against Chinese-language sites.
COMMON_PASSWORDS = frozenset(
    {
        "12345678", "123456789", "1234567890", "11111111", "88888888", "00000000",
        "66666666", "password", "password1", "qwertyui", "qwerty123", "abc12345",
        "a1234567", "iloveyou", "woaini1314", "5201314520", "abcd1234", "1qaz2wsx",
        "aa123456", "admin123", "admin888", "12341234", "147258369", "123123123",
    }
)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[int, str] = {}


def burn_verification_time(password: str) -> None:
    """Spend the time of one verification, so unknown usernames cannot be timed apart."""
    hasher = _hasher()
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("not-a-real-password")
    verify_password(_dummy_hashes[id(hasher)], password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problems(password: str, username: str | None = None) -> list[str]:
    """What makes ``password`` too weak, in the user's language (empty if it is fine)."""
    problems = []
    min_length = current_app.config.get("PASSWORD_MIN_LENGTH", 8)
    if len(password) < min_length:
        problems.append(_("Use at least %(n)d characters.", n=min_length))
    if len(password) > 128:
        problems.append(_("Use at most 128 characters."))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append(_("This password is too easy to guess."))
    elif password.isdigit():
        problems.append(_("Do not use digits only; add letters or symbols."))
    if username and username.lower() in lowered:
        problems.append(_("The password must not contain the username."))
    return problems
