"""Pages with personal data are never stored by a browser cache or a proxy (Cache-Control: no-store)."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.factories import HOTLINE_NEED

PERSONAL_PAGES = [
    ("resident", "/me"), ("resident", "/me/data"), ("resident", "/me/delete"), ("resident", "/notifications"),
    ("staff", "/needs/triage"), ("staff", "/needs/{need_id}"), ("staff", "/exports"), ("staff", "/exports/needs.csv"),
    ("staff", "/exports/needs.xlsx"), ("staff", "/exports/responses.csv"), ("admin", "/admin/users/"),
    ("admin", "/audit"), ("street_committee", "/exports/needs.csv"), ("resident", "/needs/{need_id}"),
]


@pytest.fixture()
def need_id(submit):
    return submit("staff", **HOTLINE_NEED)["id"]


@pytest.mark.parametrize(("role", "url"), PERSONAL_PAGES)
def test_personal_pages_are_no_store(client_as, need_id, role, url):
    response = client_as(role).get(url.format(need_id=need_id))
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_no_store(client, api_token):
    for url in ("/api/v1/me", "/api/v1/me/data", "/api/v1/needs", "/api/v1/units"):
        response = client.get(url, headers=api_token("resident"))
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"


def test_form_answers_are_no_store_even_for_anonymous_visitors(client):
    # a refused registration page echoes the phone number that was typed
    response = client.post("/register", data={"csrf_token": csrf_token(client, "/register"),
                                              "username": "x", "phone": "13911112222"})
    assert response.status_code == 400 and "13911112222" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_and_assets_stay_cacheable(client, client_as):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/needs").headers.get("Cache-Control", "")
    staff = client_as("staff")
    asset = staff.get("/static/js/app.js")
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("Cache-Control", "")
    plotly = staff.get("/vendor/plotly.css")
    assert plotly.headers["Cache-Control"] == "public, max-age=86400"
