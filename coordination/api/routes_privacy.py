"""API: a person's own data (PIPL): download it, delete the account."""

from __future__ import annotations

from coordination.accounts import throttle
from coordination.api import api
from coordination.api.errors import api_error_response
from coordination.api.schemas.privacy import DeleteAccountBody
from coordination.api.schemas.privacy import PersonalDataOut
from coordination.core.enums import Role
from coordination.privacy import erasure
from coordination.privacy.export import personal_data


@api.route("GET", "/me/data", summary="Everything the platform holds about the caller (PIPL)",
           response=PersonalDataOut, tags=("auth",))
def my_data(user):
    """Profile, roles, needs with their contact data, supports, follows, survey answers, the fact
    of having voted (ballots are secret), notifications, API tokens (metadata), audit entries by
    and about the caller, and every other record that refers to them, as one document."""
    return personal_data(user)


@api.route("DELETE", "/me", summary="Delete the caller's account, leaving anonymous records",
           body=DeleteAccountBody, status=204, roles=(Role.RESIDENT, Role.WORKER), errors=(429,),
           tags=("auth",)
           )
def delete_me(user, body: DeleteAccountBody):
    """Name, contact data and free text by the person are erased or replaced; needs, supports,
    responses and ballots stay as anonymous records, so every count, score and the audit chain
    stay valid; the username can never log in again. A wrong password → 400 ``wrong_password``
    naming the field ``password``; a person who also holds a role other than resident or office
    worker → 403 (an administrator closes such accounts); wrong passwords are throttled like
    logins (429)."""
    try:
        throttle.check(user.username)
    except throttle.Throttled as exc:
        response = api_error_response(429, "rate_limited", exc.message, retry_after=exc.retry_after)
        response.headers.update(exc.headers)
        return response
    try:
        erasure.delete_account(user, body.password)
    except erasure.WrongPassword as exc:
        throttle.failed(user.username)  # answered, not raised: the failure is committed
        return api_error_response(400, exc.code, exc.message, fields=exc.fields)
    return "", 204
