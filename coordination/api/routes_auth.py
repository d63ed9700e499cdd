"""API: registering, tokens, the current user."""

from __future__ import annotations

from flask import g, request

from coordination.accounts import operations
from coordination.accounts.throttle import login_limits, mark_failed_login, registration_limit
from coordination.accounts.tokens import issue_token, revoke_token
from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.schemas import PlaceRef, RegisterBody, TokenBody, TokenOut, TokenUser, UnitRef, UserOut
from coordination.api.spec import ANYONE
from coordination.core import audit
from flask_babel import gettext as _


def user_out(user) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=[role.value for role in user.sorted_roles],
        unit=UnitRef(id=user.unit.id, name=user.unit.name) if user.unit else None,
        place=PlaceRef(id=user.place.id, name=user.place.name, kind=user.place.kind.value,
                       area_id=user.place.area_id) if user.place else None,
        created_at=user.created_at,
    )


@api.route("POST", "/auth/register", summary="Register as a resident or an office worker",
           body=RegisterBody, response=UserOut, status=201, auth=ANYONE, errors=(409, 429),
           tags=("auth",), decorators=(registration_limit,))
def register(user, body: RegisterBody):
    created = operations.register(**body.model_dump())
    return user_out(created)


@api.route("POST", "/auth/token", summary="Exchange a username and password for a bearer token",
           body=TokenBody, response=TokenOut, auth=ANYONE, errors=(401, 429), tags=("auth",),
           decorators=(login_limits,))
def create_token(user, body: TokenBody):
    found = operations.authenticate(body.username, body.password)
    if found is None:
        mark_failed_login()
        raise ApiError(401, "invalid_credentials", _("The username or password is wrong."))
    raw, token = issue_token(found, client=request.headers.get("User-Agent"))
    audit.record(found, "user.login", found, comment="api")
    return TokenOut(
        token=raw,
        expires_at=token.expires_at,
        user=TokenUser(id=found.id, username=found.username, display_name=found.display_name,
                       roles=[role.value for role in found.sorted_roles]),
    )


@api.route("DELETE", "/auth/token", summary="Revoke the token of this request (log out)",
           status=204, tags=("auth",))
def revoke_current_token(user):
    revoke_token(user, g.api_token)
    return "", 204


@api.route("GET", "/me", summary="The current user, with roles and unit", response=UserOut,
           tags=("auth",))
def me(user):
    return user_out(user)
