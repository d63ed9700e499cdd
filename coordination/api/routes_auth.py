"""API: registering, tokens, the current user."""

from __future__ import annotations

from flask import g
from flask import request
from flask_babel import gettext as _

from coordination.accounts import operations
from coordination.accounts import second_factor
from coordination.accounts import throttle
from coordination.accounts.throttle import login_limits
from coordination.accounts.throttle import registration_limit
from coordination.accounts.tokens import issue_token
from coordination.accounts.tokens import revoke_token
from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.errors import api_error_response
from coordination.api.schemas.accounts import OtpBody
from coordination.api.schemas.accounts import PlaceRef
from coordination.api.schemas.accounts import RegisterBody
from coordination.api.schemas.accounts import TokenBody
from coordination.api.schemas.accounts import TokenOut
from coordination.api.schemas.accounts import TokenUser
from coordination.api.schemas.accounts import TwoFactorDisableBody
from coordination.api.schemas.accounts import TwoFactorEnrolmentOut
from coordination.api.schemas.accounts import TwoFactorStatusOut
from coordination.api.schemas.accounts import UnitRef
from coordination.api.schemas.accounts import UserOut
from coordination.api.spec import CREDENTIALS
from coordination.core import audit


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
           body=RegisterBody, response=UserOut, status=201, auth=CREDENTIALS, errors=(409,),
           tags=("auth",), decorators=(registration_limit,))
def register(user, body: RegisterBody):
    created = operations.register(**body.model_dump())
    return user_out(created)


@api.route("POST", "/auth/token", summary="Exchange a username and password (and a code) for a bearer token",
           body=TokenBody, response=TokenOut, auth=CREDENTIALS, errors=(401, 403), tags=("auth",),
           decorators=(login_limits,),
           description="Accounts with a second factor also send `otp`; without it the answer is 401 "
                       "`otp_required`, a wrong or reused code is 401 `otp_invalid`. Too many failures "
                       "for the account from this address: 429 with `Retry-After`.")
def create_token(user, body: TokenBody):
    try:
        throttle.check(body.username)
    except throttle.Throttled as exc:
        response = api_error_response(429, "rate_limited", exc.message, retry_after=exc.retry_after)
        response.headers.update(exc.headers)
        return response  # committed: the attempt records stay
    found = operations.authenticate(body.username, body.password)
    if found is None:
        throttle.failed(body.username)
        return api_error_response(401, "invalid_credentials", _("The username or password is wrong."))
    if second_factor.is_enabled(found):
        if not body.otp:
            return api_error_response(401, "otp_required",
                                      _("This account uses a second factor: send the code as otp."))
        if not second_factor.verify(found, body.otp):
            throttle.failed(body.username)
            return api_error_response(401, "otp_invalid", _("The code is wrong or has already been used."))
    elif second_factor.is_required(found):
        raise ApiError(403, "otp_setup_required",
                       _("Your role must use a second factor: set it up on the website first."))
    throttle.succeeded(found.username)
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


@api.route("POST", "/me/2fa", summary="Start enrolling a TOTP authenticator app",
           response=TwoFactorEnrolmentOut, errors=(409,), tags=("auth",),
           description="Answers a new key; the second factor is on only after `POST /me/2fa/confirm`. "
                       "409 when it is already on.")
def start_two_factor(user):
    secret, uri = second_factor.begin_enrolment(user)
    return TwoFactorEnrolmentOut(secret=secret, otpauth_uri=uri)


@api.route("POST", "/me/2fa/confirm", summary="Switch the second factor on with a first code",
           body=OtpBody, response=TwoFactorStatusOut, errors=(409,), tags=("auth",),
           description="Answers the ten one-time recovery codes, shown only this once.")
def confirm_two_factor(user, body: OtpBody):
    codes = second_factor.confirm_enrolment(user, body.otp)
    return TwoFactorStatusOut(enabled=True, recovery_codes=codes)


@api.route("POST", "/me/2fa/disable", summary="Switch the second factor off (password and a code)",
           body=TwoFactorDisableBody, response=TwoFactorStatusOut, tags=("auth",))
def disable_two_factor(user, body: TwoFactorDisableBody):
    second_factor.disable(user, body.password, body.otp)
    return TwoFactorStatusOut(enabled=False)
