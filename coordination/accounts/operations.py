"""Account operations: registering, creating users, granting roles, logging in.

Operations change state, write the audit record and flush; the caller commits.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.accounts.passwords import burn_verification_time
from coordination.accounts.passwords import hash_password
from coordination.accounts.passwords import needs_rehash
from coordination.accounts.passwords import password_problems
from coordination.accounts.passwords import verify_password
from coordination.accounts.sessions import current_session
from coordination.accounts.sessions import revoke_session
from coordination.accounts.sessions import revoke_user_sessions
from coordination.accounts.sessions import start_session
from coordination.accounts.tokens import revoke_all_tokens
from coordination.core import audit
from coordination.core.enums import Role
from coordination.core.errors import InvalidInput
from coordination.core.models.base import utcnow
from coordination.extensions import db
from coordination.places.enums import PlaceKind
from coordination.places.models import MemberUnit
from coordination.places.models import Place

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,39}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{5,28}$")
# Usernames of deleted accounts (privacy/erasure.py); nobody may register one.
TOMBSTONE_PREFIX = "deleted-"


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> str | None:
    if not USERNAME_RE.match(username):
        return _(
            "Use 3 to 40 lower-case letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit."
        )
    if username.startswith(TOMBSTONE_PREFIX):
        return _("This username is reserved.")
    if db.session.scalar(select(func.count()).where(User.username == username)):
        return _("This username is taken.")
    return None


def _place_for_role(role: Role, place_id) -> tuple[Place | None, str | None]:
    """The home place a resident (community) or worker (building) registers with."""
    wanted = PlaceKind.COMMUNITY if role == Role.RESIDENT else PlaceKind.BUILDING
    if place_id in (None, ""):
        return None, _("Choose your residential community or office building.")
    try:
        place = db.session.get(Place, int(place_id))
    except (TypeError, ValueError):
        place = None
    if place is None or not place.active:
        return None, _("There is no such place.")
    if place.kind != wanted:
        if wanted == PlaceKind.COMMUNITY:
            return None, _("Residents choose a residential community.")
        return None, _("Office workers choose an office building.")
    return place, None


def register(
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    place_id,
    phone: str | None = None,
    email: str | None = None,
    real_name: str | None = None,
) -> User:
    """Self-registration of a resident or an office worker."""
    username = normalise_username(username)
    errors: dict[str, str] = {}
    try:
        role_value = Role(role)
    except ValueError:
        role_value = None
    if role_value not in Role.self_registered():
        errors["role"] = _("Register as a resident or an office worker.")
    if problem := check_username(username):
        errors["username"] = problem
    if not (display_name or "").strip():
        errors["display_name"] = _("This field is required.")
    elif len(display_name.strip()) > 60:
        errors["display_name"] = _("Use at most %(n)d characters.", n=60)
    if problems := password_problems(password or "", username, (display_name or "", real_name or "", email or "")):
        errors["password"] = " ".join(problems)
    if phone and not PHONE_RE.match(phone.strip()):
        errors["phone"] = _("Enter a valid phone number.")
    place = None
    if role_value in Role.self_registered():
        place, problem = _place_for_role(role_value, place_id)
        if problem:
            errors["place_id"] = problem
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)

    user = User(
        username=username,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        place=place,
        phone=(phone or "").strip() or None,
        email=(email or "").strip() or None,
        real_name=(real_name or "").strip() or None,
    )
    user.set_roles([role_value])
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.register", user, to_state=role_value.value)
    return user


def create_user(
    actor,
    *,
    username: str,
    password: str,
    roles: list[str],
    display_name: str | None = None,
    unit_id: int | None = None,
    place_id: int | None = None,
    phone: str | None = None,
    email: str | None = None,
    real_name: str | None = None,
    check_strength: bool = True,
    password_hash: str | None = None,
) -> User:
    """An admin (or the command line) creates a user with any roles. ``password_hash``: the
    hash of ``password`` made beforehand (the demo's accounts share one, made once)."""
    username = normalise_username(username)
    errors: dict[str, str] = {}
    if problem := check_username(username):
        errors["username"] = problem
    known = {r.value for r in Role}
    unknown = [str(r) for r in roles if str(r) not in known]
    role_values = [Role(r) for r in roles if str(r) in known]
    if unknown:
        errors["roles"] = _("Unknown role: %(role)s", role=", ".join(unknown))
    elif not role_values:
        errors["roles"] = _("Choose at least one role.")
    if check_strength and (problems := password_problems(
            password or "", username, (display_name or "", real_name or "", email or ""))):
        errors["password"] = " ".join(problems)
    unit = None
    if unit_id is not None:
        unit = db.session.get(MemberUnit, unit_id)
        if unit is None:
            errors["unit_id"] = _("There is no such member unit.")
    if Role.UNIT_REP in role_values and unit is None and "unit_id" not in errors:
        errors["unit_id"] = _("A member unit contact must belong to a member unit.")
    place = None
    if place_id is not None:
        place = db.session.get(Place, place_id)
        if place is None:
            errors["place_id"] = _("There is no such place.")
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)

    user = User(
        username=username,
        display_name=(display_name or username).strip(),
        password_hash=password_hash or hash_password(password),
        unit=unit,
        place=place,
        phone=phone,
        email=email,
        real_name=real_name,
    )
    user.set_roles(role_values)
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor, "user.create", user, details={"roles": sorted(r.value for r in role_values)}
    )
    return user


def update_user(actor, user: User, *, roles, unit_id, place_id, active: bool, display_name: str,
                phone: str | None, email: str | None, real_name: str | None) -> User:
    """An admin changes a user's roles, unit, place, contact details or active flag."""
    errors: dict[str, str] = {}
    role_values = {Role(r) for r in roles}
    if not role_values:
        errors["roles"] = _("Choose at least one role.")
    unit = db.session.get(MemberUnit, unit_id) if unit_id else None
    if Role.UNIT_REP in role_values and unit is None:
        errors["unit_id"] = _("A member unit contact must belong to a member unit.")
    place = db.session.get(Place, place_id) if place_id else None
    if user.deleted_at is not None and active:
        # A deleted account stays closed: reopening it would hand its history to someone.
        errors["active"] = _("This account was deleted by its owner and cannot be reopened.")
    if actor.id == user.id and (Role.ADMIN not in role_values or not active):
        errors["roles"] = _("You cannot remove your own administrator role or deactivate yourself.")
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)

    fields = ["display_name", "unit_id", "place_id", "active", "phone", "email", "real_name"]
    before = audit.snapshot(user, fields)
    old_roles = sorted(r.value for r in user.roles)
    user.display_name = display_name.strip()
    user.unit = unit
    user.place = place
    user.active = active
    user.phone, user.email, user.real_name = phone or None, email or None, real_name or None
    user.set_roles(role_values)
    db.session.flush()
    changes = audit.changed_fields(user, fields, before)
    new_roles = sorted(r.value for r in role_values)
    if new_roles != old_roles:
        changes["roles"] = [",".join(old_roles), ",".join(new_roles)]
    if not active and before["active"]:
        revoke_all_tokens(user)
        changes["sessions_ended"] = revoke_user_sessions(user)
    audit.record(actor, "user.update", user, details=changes or None)
    return user


def set_password(actor, user: User, password: str) -> None:
    if user.deleted_at is not None:
        raise InvalidInput(_("Please correct the marked fields."), fields={
            "password": _("This account was deleted by its owner and cannot be reopened.")})
    if problems := password_problems(password or "", user.username,
                                     (user.display_name, user.real_name or "", user.email or "")):
        raise InvalidInput(_("Please correct the marked fields."), fields={"password": " ".join(problems)})
    user.password_hash = hash_password(password)
    revoke_all_tokens(user)
    # The person changing their own password stays logged in here; every other session ends.
    keep = current_session() if actor is not None and getattr(actor, "id", None) == user.id else None
    ended = revoke_user_sessions(user, keep=keep)
    audit.record(actor, "user.password", user, details={"sessions_ended": ended})


def log_in(user: User, *, remember: bool = False, channel: str = "web"):
    """Start a server-side session for a user who passed every check (password, code)."""
    record = start_session(user, remember=remember)
    audit.record(user, "user.login", user, comment=None if channel == "web" else channel)
    return record


def log_out(user: User) -> None:
    """End the session of this request."""
    record = current_session()
    if record is not None and record.revoked_at is None:
        revoke_session(record)
        audit.record(user, "user.logout", user)


def end_other_sessions(user: User) -> int:
    """"Sign out everywhere else": every session of the user but this one ends."""
    ended = revoke_user_sessions(user, keep=current_session())
    audit.record(user, "user.sessions_ended", user, details={"sessions_ended": ended})
    return ended


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None (constant-ish time)."""
    user = db.session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        burn_verification_time(password or "")
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
