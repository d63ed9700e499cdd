"""While the database cannot be reached (PostgreSQL restarting after a crash, SQLite's lock held
past the busy timeout) every request answers 503 with Retry-After: the service is unavailable
for a moment, not broken. Found by the kill -9 rounds, where ``pg_ctl stop -m immediate`` made
every request of the outage a 500."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import make_app


@pytest.fixture(scope="module")
def unreachable():
    """The app configured for a PostgreSQL server on a port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/gone?connect_timeout=2")
    return app


@pytest.mark.parametrize("path", ["/api/v1/categories", "/api/v1/needs", "/api/v1/me"])
def test_api_answers_503_naming_the_outage(unreachable, path):
    client = unreachable.test_client()
    response = client.get(path, headers={"Accept-Language": "zh-CN", "Authorization": "Bearer gr_nonsense"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["error"]["code"] == "unavailable"
    assert response.json["error"]["message"] == "数据库暂时无法访问，请稍后重试。"


def test_pages_answer_503_naming_the_outage(unreachable):
    client = unreachable.test_client()
    response = client.get("/needs", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "数据库暂时无法访问，请稍后重试。" in response.get_data(as_text=True)


def test_posts_answer_503_too(unreachable):
    client = unreachable.test_client()
    response = client.post("/api/v1/auth/token", json={"username": "resident", "password": "Ribbon-2026"},
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
