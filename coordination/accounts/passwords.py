"""Password hashing (argon2id) and the minimum strength rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
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

# Passwords often tried first against Chinese-language sites, in pinyin and digits; zxcvbn's
# own lists (tens of thousands of common passwords, words and names) are mostly English.
COMMON_CHINESE_PASSWORDS = (
    "woaini", "woaini1314", "5201314", "5201314520", "1314520", "woaini520", "aini1314",
    "88888888", "66666666", "147258369", "123123123", "qq123456", "zhang123", "wang123",
    "admin888", "aa123456",
)
# The site's own names: a password built from them is among the first an attacker tries.
SITE_WORDS = ("golden", "ribbon", "goldenribbon", "jinse", "niudai", "jinseniudai", "金色纽带",
              "coordination", "lujiazui", "jiangong")
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", about 10^8 guesses

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


def _guessability_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why zxcvbn guesses ``password`` too easily (its score below MIN_SCORE), or None."""
    from zxcvbn import zxcvbn

    inputs = [w for w in (*user_inputs, *SITE_WORDS, *COMMON_CHINESE_PASSWORDS) if w]
    result = zxcvbn(password[:100], user_inputs=inputs)  # zxcvbn is slow on very long input
    if result["score"] >= MIN_SCORE:
        return None
    dictionaries = {m.get("dictionary_name") for m in result["sequence"] if m["pattern"] == "dictionary"}
    patterns = {m["pattern"] for m in result["sequence"]}
    if "passwords" in dictionaries:
        return _("This password is too easy to guess: it is one of the most common passwords or a "
                 "variant of one.")
    if "user_inputs" in dictionaries:
        return _("This password is too easy to guess: it contains your name, your username or the "
                 "site's name.")
    if patterns & {"sequence", "repeat", "spatial"}:
        return _("This password is too easy to guess: avoid sequences, repeats and keyboard rows.")
    if patterns & {"date", "regex"}:
        return _("This password is too easy to guess: years and dates are guessed early.")
    return _("This password is too easy to guess: use three or four unrelated words with digits or "
             "symbols between them.")


def password_problems(password: str, username: str | None = None, user_inputs: tuple = ()) -> list[str]:
    """What makes ``password`` too weak, in the user's language (empty if it is fine).

    Besides the length, zxcvbn estimates how easily it is guessed from its lists of common
    passwords, words and names, ``username``, ``user_inputs`` (names, e-mail) and the site's name.
    """
    problems = []
    min_length = current_app.config.get("PASSWORD_MIN_LENGTH", 8)
    if len(password) < min_length:
        problems.append(_("Use at least %(n)d characters.", n=min_length))
    if len(password) > 128:
        problems.append(_("Use at most 128 characters."))
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append(_("The password must not contain the username."))
    elif password.isdigit():
        problems.append(_("Do not use digits only; add letters or symbols."))
    elif not problems and (problem := _guessability_problem(password, [username or "", *user_inputs])):
        problems.append(problem)
    return problems
