"""Login throttling: failures are limited per account and per address; normal use is not."""

import pytest

from coordination.extensions import limiter
from tests.conftest import make_app


@pytest.fixture()
def limited_app(app, db):
    """The app with rate limits switched on (in-memory counters, reset after the test)."""
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       RATELIMIT_STORAGE_URI="memory://", ARGON2_PARAMS=app.config["ARGON2_PARAMS"])
    limiter.reset()
    yield limited
    limiter.reset()
    limiter.enabled = False


def api_login(client, username, password, address="10.1.1.1"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_ten_failures_lock_the_account_even_from_other_addresses(limited_app):
    client = limited_app.test_client()
    statuses = [api_login(client, "staff", "wrong-password", address=f"10.0.0.{i}").status_code
                for i in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    # Even the right password is refused while the account is locked.
    locked = api_login(client, "staff", "Ribbon-2026", address="10.9.9.9")
    assert locked.status_code == 429
    assert locked.json["error"]["code"] == "rate_limited"
    # Other accounts are unaffected.
    assert api_login(client, "worker", "Ribbon-2026", address="10.9.9.9").status_code == 200


def test_ten_failures_from_one_address_block_that_address(limited_app):
    client = limited_app.test_client()
    statuses = [api_login(client, f"user{i}", "wrong-password", address="10.2.2.2").status_code
                for i in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert api_login(client, "worker", "Ribbon-2026", address="10.3.3.3").status_code == 200


def test_many_successful_logins_from_one_address_are_not_blocked(limited_app):
    client = limited_app.test_client()
    users = ["resident", "worker", "staff", "council", "unitrep", "community", "street", "admin"]
    statuses = [api_login(client, users[i % len(users)], "Ribbon-2026", address="10.4.4.4").status_code
                for i in range(48)]
    assert statuses == [200] * 48


def test_web_login_is_throttled_too(limited_app):
    from tests.conftest import csrf_token

    client = limited_app.test_client()
    statuses = []
    for _ in range(11):
        token = csrf_token(client, "/login")
        statuses.append(client.post("/login", data={"username": "council", "password": "nope-nope",
                                                     "csrf_token": token}).status_code)
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
