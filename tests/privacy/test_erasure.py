"""Deleting one's account (PIPL): the person is gone, their contributions stay as anonymous records."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy import text

from coordination.accounts.models import User
from coordination.extensions import db as database
from coordination.privacy.erasure import DELETED_NAME
from coordination.privacy.erasure import ERASED_TEXT
from coordination.privacy.erasure import POLICY
from tests.conftest import csrf_token
from tests.conftest import login
from tests.privacy.conftest import CANARY
from tests.privacy.conftest import PASSWORD
from tests.privacy.conftest import register
from tests.privacy.conftest import token_for
from tests.privacy.test_export import user_references

PERSONAL = ["username", "display_name", "phone", "email", "real_name", "need_text", "answer_text", "report_reason"]


def delete(client, headers, password=PASSWORD):
    return client.delete("/api/v1/me", headers=headers, json={"password": password})


def figures(client, api_token, person) -> dict:
    staff = api_token("staff")
    evaluation = client.get(f"/api/v1/projects/{person['project_id']}/evaluation", headers=staff).json
    return {
        "summary": client.get("/api/v1/stats/summary").json,
        "supports": client.get(f"/api/v1/needs/{person['other_need_id']}").json["supports"],
        "need": {k: v for k, v in client.get(f"/api/v1/needs/{person['need_id']}", headers=staff).json.items()
                 if k in ("title", "kind", "status", "supports", "place_id", "category_id", "project_id", "created_at")},
        "satisfaction": (evaluation["responses"], evaluation["satisfaction_rate"], evaluation["composite_score"]),
    }


def database_text(db) -> str:
    """Every value of every column of every table, as one text to search."""
    parts = []
    for table in database.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_every_table_referring_to_a_user_has_a_deletion_policy(app):
    assert user_references() - set(POLICY) == set()
    assert set(POLICY) - user_references() == set()


def test_deletion_leaves_no_trace_of_the_person_and_every_figure_unchanged(client, api_token, db, person):
    before = figures(client, api_token, person)
    text_before = database_text(db)
    assert all(CANARY[key] in text_before for key in PERSONAL)  # the search would find them

    response = delete(client, person["headers"])
    assert response.status_code == 204 and response.get_data() == b""

    assert figures(client, api_token, person) == before
    text_after = database_text(db)
    assert [key for key in PERSONAL if CANARY[key] in text_after] == []
    user = db.session.get(User, person["user_id"])
    assert user.display_name == DELETED_NAME and user.username.startswith("deleted-")
    assert (user.real_name, user.phone, user.email, user.active) == (None, None, None, False)
    assert user.deleted_at is not None
    # the need stays, anonymous: title and status kept, free text replaced, contact erased
    need = client.get(f"/api/v1/needs/{person['need_id']}", headers=api_token("staff")).json
    assert need["title"] == "小区门口增设长椅" and need["description"] == ERASED_TEXT
    assert need["contact_phone"] is None and need["contact_email"] is None
    # exactly one audit record of the deletion, and its own record names nobody either
    from coordination.core.models import AuditRecord

    records = db.session.scalars(select(AuditRecord).where(AuditRecord.actor_id == user.id)).all()
    assert [r.action for r in records].count("user.delete") == 1
    assert {(r.actor_name, r.ip_address) for r in records} == {(None, None)}


def test_no_page_shows_the_person_after_deletion(client, client_as, api_token, db, person):
    assert delete(client, person["headers"]).status_code == 204
    staff, admin = client_as("staff"), client_as("admin")
    pages = [
        (client, f"/needs/{person['need_id']}"), (client, f"/needs/{person['other_need_id']}"), (client, "/needs"),
        (staff, f"/needs/{person['need_id']}"), (staff, "/needs/triage"), (staff, f"/projects/{person['project_id']}"),
        (staff, f"/projects/{person['project_id']}/evaluation"),
        (staff, "/exports/needs.csv"), (staff, "/exports/responses.csv"),
        (admin, "/admin/users/"), (admin, f"/admin/users/{person['user_id']}/edit"), (admin, "/audit"),
    ]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert [key for key in PERSONAL if CANARY[key] in body] == [], url


def test_the_old_username_never_logs_in_again(client, app, db, person):
    old_token = person["headers"]
    assert delete(client, old_token).status_code == 204
    assert client.get("/api/v1/me", headers=old_token).status_code == 401
    api = client.post("/api/v1/auth/token", json={"username": CANARY["username"], "password": PASSWORD})
    assert api.status_code == 401 and api.json["error"]["code"] == "invalid_credentials"
    assert login(app.test_client(), CANARY["username"], PASSWORD).status_code == 401
    # the browser session of the deleted person has ended too
    session = person["web"].get("/me")
    assert session.status_code == 302 and session.headers["Location"].startswith("/login")
    # nor does the tombstone log in, whatever password is tried
    user = db.session.get(User, person["user_id"])
    assert client.post("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}).status_code == 401


def test_a_new_person_may_take_the_name_but_not_the_history(client, db, person):
    assert delete(client, person["headers"]).status_code == 204
    assert register(client, person["place_id"], phone=None, email=None, display_name="新居民").status_code == 201
    data = client.get("/api/v1/me/data", headers=token_for(client, CANARY["username"], PASSWORD)).json
    assert data["profile"]["id"] != person["user_id"]
    assert (data["needs"], data["supports"], data["survey_responses"], data["ballots"]) == ([], [], [], [])
    assert [e["action"] for e in data["audit"]["by_me"]] == ["user.register", "token.issue", "user.login"]


def test_tombstone_names_cannot_be_registered(client, person):
    response = register(client, person["place_id"], username="deleted-0123456789abcdef01234567")
    assert response.status_code == 400
    assert response.json["error"]["fields"]["username"] == "该用户名为系统保留。"


def test_a_wrong_password_deletes_nothing(client, db, person):
    response = delete(client, person["headers"], password="not-my-password")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "wrong_password"
    assert response.json["error"]["fields"] == {"password": "密码错误。"}
    missing = client.delete("/api/v1/me", headers=person["headers"], json={})
    assert missing.status_code == 400 and set(missing.json["error"]["fields"]) == {"password"}
    user = db.session.get(User, person["user_id"])
    assert (user.username, user.active, user.phone) == (CANARY["username"], True, CANARY["phone"])
    assert client.get("/api/v1/me", headers=person["headers"]).status_code == 200


@pytest.mark.parametrize("role", ["unit_rep", "staff", "council", "community_committee", "street_committee", "admin"])
def test_other_roles_may_not_delete_their_account(client, api_token, role):
    response = client.delete("/api/v1/me", headers=api_token(role), json={"password": "Ribbon-2026"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_anonymous_callers_get_401(client):
    assert client.delete("/api/v1/me", json={"password": "x"}).status_code == 401


def test_an_administrator_cannot_reopen_a_deleted_account(client, db, person):
    from coordination.accounts import operations
    from coordination.core.errors import InvalidInput

    assert delete(client, person["headers"]).status_code == 204
    user = db.session.get(User, person["user_id"])
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    with pytest.raises(InvalidInput) as error:
        operations.update_user(admin, user, roles=["resident"], unit_id=None, place_id=None, active=True,
                               display_name="x", phone=None, email=None, real_name=None)
    assert set(error.value.fields) == {"active"}
    with pytest.raises(InvalidInput):
        operations.set_password(admin, user, "Another-long-pass-42")


def test_the_audit_log_lets_only_the_actor_name_and_address_be_erased(db, person):
    sql = {
        "erase": "UPDATE audit_records SET actor_name = NULL, ip_address = NULL WHERE actor_id = :uid",
        "rename": "UPDATE audit_records SET actor_name = 'someone else' WHERE actor_id = :uid",
        "rewrite": "UPDATE audit_records SET action = 'x', actor_name = NULL, ip_address = NULL WHERE actor_id = :uid",
        "delete": "DELETE FROM audit_records WHERE actor_id = :uid",
    }
    outcome = {}
    for name, statement in sql.items():
        savepoint = db.session.begin_nested()
        try:
            db.session.execute(text(statement), {"uid": person["user_id"]})
        except Exception:  # the database refuses it
            savepoint.rollback()
            outcome[name] = "refused"
        else:
            savepoint.commit()
            outcome[name] = "allowed"
    assert outcome == {"erase": "allowed", "rename": "refused", "rewrite": "refused", "delete": "refused"}


def test_the_web_page_deletes_the_account_after_password_and_confirmation(app, db, person):
    web = person["web"]
    page = web.get("/me/delete")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    token = csrf_token(web, "/me/delete")
    unconfirmed = web.post("/me/delete", data={"csrf_token": token, "password": PASSWORD})
    assert unconfirmed.status_code == 400 and "请勾选以确认。" in unconfirmed.get_data(as_text=True)
    wrong = web.post("/me/delete", data={"csrf_token": token, "password": "nope-nope", "confirm": "y"})
    assert wrong.status_code == 400 and "密码错误。" in wrong.get_data(as_text=True)
    assert db.session.get(User, person["user_id"]).active is True
    done = web.post("/me/delete", data={"csrf_token": token, "password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert db.session.get(User, person["user_id"]).deleted_at is not None
    after = web.get("/me")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    assert login(app.test_client(), CANARY["username"], PASSWORD).status_code == 401


def test_only_residents_and_workers_see_the_deletion_page(client_as):
    assert client_as("resident").get("/me/delete").status_code == 200
    staff = client_as("staff")
    assert staff.get("/me/delete").status_code == 403
    assert 'href="/me/delete"' not in staff.get("/me").get_data(as_text=True)


def test_the_photos_of_the_persons_needs_are_removed(client, db, person):
    import io

    from coordination.needs.models import Need
    from coordination.needs.models import NeedPhoto
    from coordination.needs.photos import photo_path
    from tests.factories import png
    from tests.factories import post_need

    web = person["web"]
    posted = post_need(web, {"福山居民区": person["place_id"]}, photos=[(io.BytesIO(png()), "door.png")])
    assert posted.status_code == 302
    photo = db.session.scalar(select(NeedPhoto).join(Need).where(Need.submitter_id == person["user_id"]))
    stored = photo_path(photo.stored_name)
    assert stored.exists()
    assert delete(client, person["headers"]).status_code == 204
    assert not stored.exists()
    assert db.session.scalar(select(NeedPhoto).where(NeedPhoto.id == photo.id)) is None
    assert client.get(f"/needs/photos/{photo.id}").status_code == 404


def test_the_audit_page_names_the_deleted_account_by_its_tombstone(client, client_as, person):
    assert delete(client, person["headers"]).status_code == 204
    page = client_as("admin").get("/audit").get_data(as_text=True)
    assert DELETED_NAME in page


def test_guessing_the_password_through_deletion_is_throttled(app, db):
    """Wrong passwords on deletion count like failed logins: five free, then the caller waits."""
    from datetime import timedelta

    from tests.conftest import make_app

    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], ARGON2_PARAMS=app.config["ARGON2_PARAMS"],
                       LOGIN_FIRST_DELAY=timedelta(minutes=5))
    try:
        _guess_through_deletion(limited)
    finally:  # this app commits outside the test's transaction: leave no failed logins behind
        from coordination.accounts.models import LoginAttempt
        from coordination.extensions import db as database

        with limited.app_context():
            database.session.execute(database.delete(LoginAttempt))
            database.session.commit()


def _guess_through_deletion(limited):
    client = limited.test_client()
    headers = token_for(client, "resident", "Ribbon-2026")
    statuses = [client.delete("/api/v1/me", headers=headers, json={"password": f"guess-{i}"}).status_code
                for i in range(7)]
    assert statuses == [400] * 5 + [429, 429]
    web = limited.test_client()
    assert login(web, "worker").status_code == 302
    token = csrf_token(web, "/me/delete")
    pages = [web.post("/me/delete", data={"csrf_token": token, "password": f"guess-{i}", "confirm": "y"})
             .status_code for i in range(7)]
    assert pages == [400] * 5 + [429, 429]
