"""Login throttling in the database: per (account, address) pair with growing waits, a looser
per-account slowdown, a per-address cap on distinct accounts; a stranger cannot lock out the
account's owner or an office behind the same address."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.models import LoginAttempt
from coordination.core.models.base import utcnow
from tests.conftest import csrf_token

WAIT_MESSAGE = "登录失败次数过多，请等待 %d 秒后再试。"


def api_login(client, username, password, address="10.1.1.1"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def wait_is_over(db, username=None):
    """Move every wait of the pair (or all) into the past instead of sleeping."""
    statement = update(LoginAttempt).values(blocked_until=utcnow() - timedelta(seconds=1))
    if username:
        statement = statement.where(LoginAttempt.username == username)
    db.session.execute(statement)
    db.session.commit()


def test_five_failures_then_each_failure_doubles_the_wait(client, db):
    statuses = [api_login(client, "staff", "wrong-password").status_code for _ in range(5)]
    assert statuses == [401] * 5
    throttled = api_login(client, "staff", "wrong-password")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert throttled.json["error"]["code"] == "rate_limited"
    assert throttled.json["error"]["message"] == WAIT_MESSAGE % 1
    waits = []
    for _ in range(4):
        wait_is_over(db)
        assert api_login(client, "staff", "wrong-password").status_code == 401
        waits.append(api_login(client, "staff", "wrong-password").headers["Retry-After"])
    assert waits == ["2", "4", "8", "16"]
    # the wait stops growing at 15 minutes
    db.session.execute(update(LoginAttempt).values(failures=40, blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert api_login(client, "staff", "wrong-password").status_code == 401
    capped = api_login(client, "staff", "wrong-password")
    assert capped.headers["Retry-After"] == "900"
    assert capped.json["error"]["message"] == "登录失败次数过多，请等待 15 分钟后再试。"


def test_a_stranger_does_not_lock_out_the_owner_from_another_address(client, db):
    statuses = [api_login(client, "staff", "wrong-password", address="10.0.0.1").status_code
                for _ in range(12)]
    assert statuses == [401] * 5 + [429] * 7
    assert api_login(client, "staff", "Ribbon-2026", address="10.9.9.9").status_code == 200


def test_a_stranger_does_not_lock_out_colleagues_behind_the_same_address(client, db):
    statuses = [api_login(client, "staff", "wrong-password", address="10.2.2.2").status_code
                for _ in range(12)]
    assert statuses == [401] * 5 + [429] * 7
    assert api_login(client, "worker", "Ribbon-2026", address="10.2.2.2").status_code == 200
    # the pair itself waits, even with the right password
    assert api_login(client, "staff", "Ribbon-2026", address="10.2.2.2").status_code == 429
    wait_is_over(db)
    assert api_login(client, "staff", "Ribbon-2026", address="10.2.2.2").status_code == 200
    assert db.session.scalar(select(LoginAttempt).where(LoginAttempt.username == "staff")) is None


def test_many_addresses_slow_the_account_down_without_locking_it(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FAILURES", 20)
    for n in range(5):
        statuses = [api_login(client, "council", "wrong-password", address=f"10.5.0.{n}").status_code
                    for _ in range(4)]
        assert statuses == [401] * 4
    slowed = api_login(client, "council", "Ribbon-2026", address="10.5.9.9")
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= 30
    db.session.execute(update(LoginAttempt).values(last_failure_at=utcnow() - timedelta(seconds=31)))
    db.session.commit()
    assert api_login(client, "council", "Ribbon-2026", address="10.5.9.9").status_code == 200


def test_one_address_may_not_try_ever_more_accounts(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_ACCOUNTS", 3)
    for name in ("user-a", "user-b", "user-c"):
        assert api_login(client, name, "wrong-password", address="10.6.6.6").status_code == 401
    refused = api_login(client, "user-d", "wrong-password", address="10.6.6.6")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3500
    # an account it already tried is judged by its own pair; other addresses are unaffected
    assert api_login(client, "user-a", "wrong-password", address="10.6.6.6").status_code == 401
    assert api_login(client, "worker", "Ribbon-2026", address="10.7.7.7").status_code == 200


def test_many_successful_logins_from_one_address_are_not_blocked(client, db):
    users = ["resident", "worker", "staff", "council", "unitrep", "community", "street", "admin"]
    statuses = [api_login(client, users[i % len(users)], "Ribbon-2026", address="10.4.4.4").status_code
                for i in range(48)]
    assert statuses == [200] * 48


def test_web_login_shares_the_throttle_with_the_api(client, db):
    statuses = [api_login(client, "council", "nope-nope", address="127.0.0.1").status_code for _ in range(3)]
    for _ in range(2):
        token = csrf_token(client, "/login")
        statuses.append(client.post("/login", data={"username": "council", "password": "nope-nope",
                                                    "csrf_token": token}).status_code)
    assert statuses == [401] * 5
    token = csrf_token(client, "/login")
    throttled = client.post("/login", data={"username": "council", "password": "Ribbon-2026",
                                            "csrf_token": token})
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert WAIT_MESSAGE % 1 in throttled.get_data(as_text=True)
