"""The second factor: TOTP codes from an authenticator app, and one-time recovery codes.

Secrets are stored encrypted (Fernet, key ``TOTP_ENCRYPTION_KEY`` or derived from
``SECRET_KEY``) and never written to logs or the audit trail. A code is accepted at most once:
the time step of the last accepted code is kept, and only a later step passes. Operations
flush, never commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.models import RecoveryCode
from coordination.accounts.models import TotpFactor
from coordination.accounts.models import User
from coordination.accounts.passwords import verify_password
from coordination.core import audit
from coordination.core.enums import Role
from coordination.core.errors import Conflict
from coordination.core.errors import InvalidInput
from coordination.core.models.base import utcnow
from coordination.extensions import db

RECOVERY_CODE_COUNT = 10


def _error(cls, message: str, code: str, fields: dict | None = None):
    error = cls(message, fields=fields)
    error.code = code
    return error
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# ---------------------------------------------------------------------------- settings

def required_roles() -> set[Role]:
    """The roles that must use a second factor (``REQUIRE_2FA_ROLES``)."""
    raw = current_app.config.get("REQUIRE_2FA_ROLES") or ""
    if isinstance(raw, str):
        raw = raw.replace(";", ",").split(",")
    known = {role.value: role for role in Role}
    return {known[str(code).strip()] for code in raw if str(code).strip() in known}


def is_required(user: User) -> bool:
    return bool(user.roles & required_roles())


def _fernet() -> Fernet:
    key = current_app.config.get("TOTP_ENCRYPTION_KEY")
    if not key:
        digest = hashlib.sha256(b"golden-ribbon totp\0" + str(current_app.config["SECRET_KEY"]).encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def _decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        return None


# ---------------------------------------------------------------------------- state

def factor_of(user: User) -> TotpFactor | None:
    return db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))


def is_enabled(user: User) -> bool:
    return db.session.scalar(select(TotpFactor.id).where(
        TotpFactor.user_id == user.id, TotpFactor.confirmed_at.is_not(None))) is not None


def remaining_recovery_codes(user: User) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username,
                                               issuer_name=current_app.config["TOTP_ISSUER"])


def pending_secret(user: User) -> str | None:
    """The secret of an enrolment that has started but is not confirmed yet."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        return None
    return _decrypt(factor.secret_encrypted)


# ---------------------------------------------------------------------------- enrolment

def begin_enrolment(user: User) -> tuple[str, str]:
    """A new secret for the person's app; returns ``(secret, otpauth URI)``."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise _error(Conflict, _("The second factor is already switched on."), "otp_enabled")
    secret = pyotp.random_base32()
    if factor is None:
        factor = TotpFactor(user_id=user.id, secret_encrypted=_encrypt(secret))
        db.session.add(factor)
    else:
        factor.secret_encrypted, factor.created_at, factor.last_step = _encrypt(secret), utcnow(), None
    db.session.flush()
    audit.record(user, "user.2fa_enrolment", user)
    return secret, provisioning_uri(user, secret)


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now ±1) whose code is ``code`` and which is later than ``after``."""
    code = "".join(str(code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def _claim_step(factor: TotpFactor, step: int) -> bool:
    """Record ``step`` as used, unless a concurrent request used it (or a later one) first."""
    result = db.session.execute(
        update(TotpFactor)
        .where(TotpFactor.id == factor.id,
               or_(TotpFactor.last_step.is_(None), TotpFactor.last_step < step))
        .values(last_step=step).execution_options(synchronize_session=False))
    db.session.expire(factor)
    return result.rowcount == 1


def _wrong_code() -> InvalidInput:
    message = _("The code is wrong or has already been used.")
    return _error(InvalidInput, message, "otp_invalid", {"otp": message})


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch the second factor on with a first code; returns the recovery codes (shown once)."""
    factor = factor_of(user)
    if factor is None:
        message = _("Start setting up the second factor first.")
        raise _error(InvalidInput, message, "otp_not_started", {"otp": message})
    if factor.confirmed_at is not None:
        raise _error(Conflict, _("The second factor is already switched on."), "otp_enabled")
    secret = _decrypt(factor.secret_encrypted)
    step = _matching_step(secret, code, factor.last_step) if secret else None
    if step is None or not _claim_step(factor, step):
        raise _wrong_code()
    factor.confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.flush()
    audit.record(user, "user.2fa_enabled", user)
    return codes


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode("utf-8")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)) for code in codes)
    return codes


# ---------------------------------------------------------------------------- checking

def verify(user: User, code: str) -> bool:
    """A current, unused TOTP code or an unused recovery code of the user (used up if so)."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return False
    code = str(code or "").strip()
    if "-" in code or len(code) > 8:
        return _use_recovery_code(user, code)
    secret = _decrypt(factor.secret_encrypted)
    step = _matching_step(secret, code, factor.last_step) if secret else None
    return step is not None and _claim_step(factor, step)


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) > 20:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_code(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    audit.record(user, "user.2fa_recovery_code_used", user)
    return True


def disable(user: User, password: str, code: str) -> None:
    """Switch the second factor off; needs the password and a code (or a recovery code)."""
    errors = {}
    if not verify_password(user.password_hash, password or ""):
        errors["password"] = _("The current password is wrong.")
    if not errors and not verify(user, code):
        errors["otp"] = _("The code is wrong or has already been used.")
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    audit.record(user, "user.2fa_disabled", user)
