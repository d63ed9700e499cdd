"""Hostile JSON bodies (deep nesting, NUL bytes, huge numbers) get a 400 in the house error
shape on every JSON route, anonymous and authenticated, never a 500."""

from __future__ import annotations

import pytest

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
DEEP_IN_FIELD = '{"title": ' + "[" * 5000 + "]" * 5000 + "}"

# (method, path, role or None for anonymous)
ROUTES = [
    ("POST", "/api/v1/auth/register", None),
    ("POST", "/api/v1/auth/token", None),
    ("POST", "/api/v1/needs", "resident"),
    ("POST", "/api/v1/projects", "staff"),
    ("PUT", "/api/v1/projects/1", "staff"),
    ("POST", "/api/v1/projects/1/votes", "council"),
]


def send(client, api_token, method, path, role, body: str):
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if role:
        headers.update(api_token(role))
    return client.open(path, method=method, data=body.encode(), headers=headers)


def assert_malformed(response):
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.json["error"]
    assert error["code"] == "malformed_json"
    assert error["fields"] == {"body": error["message"]}
    assert error["message"]


@pytest.mark.parametrize("method,path,role", ROUTES)
@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT, DEEP_IN_FIELD], ids=["list", "object", "in-field"])
def test_deeply_nested_json_is_a_400(client, api_token, method, path, role, body):
    assert_malformed(send(client, api_token, method, path, role, body))


def test_moderate_nesting_still_parses(client, api_token):
    # 20 levels is a normal document: it reaches validation (which names the field)
    body = '{"title": ' + "[" * 20 + "]" * 20 + "}"
    response = send(client, api_token, "POST", "/api/v1/needs", "resident", body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid"
    assert "title" in response.json["error"]["fields"]


def test_deep_json_message_is_translated(client, api_token):
    response = client.post("/api/v1/auth/token", data=DEEP_LIST, content_type="application/json",
                           headers={"Accept-Language": "zh-CN"})
    assert_malformed(response)
    assert response.json["error"]["message"] == "请求正文嵌套过深（最多 32 层）。"


NUL_BODIES = [
    ("POST", "/api/v1/auth/register", None, "username",
     '{"username": "nul\\u0000user", "password": "Quiet-Lantern-Harbour-42", "display_name": "N",'
     ' "role": "resident", "place_id": %(place)d}'),
    ("POST", "/api/v1/auth/token", None, "password", '{"username": "resident", "password": "Ribbon\\u0000"}'),
    ("POST", "/api/v1/needs", "resident", "title",
     '{"kind": "idea", "title": "A bench\\u0000", "description": "By the gate", "place_id": %(place)d}'),
    ("POST", "/api/v1/needs", "staff", "on_behalf_of.name",
     '{"kind": "wish", "title": "A bench", "description": "By the gate", "place_id": %(place)d,'
     ' "channel": "hotline", "on_behalf_of": {"name": "Wang\\u0000"}}'),
    ("POST", "/api/v1/projects", "staff", "need_ids",
     '{"title": "T", "description": "D", "need_ids": [], "extra\\u0000key": 1}'),
]


@pytest.mark.parametrize("method,path,role,field,body", NUL_BODIES)
def test_nul_bytes_in_strings_are_a_400_naming_the_field(client, api_token, db, method, path, role, field, body):
    from coordination.places.models import Place

    place = db.session.query(Place).filter(Place.area_id.is_not(None)).order_by(Place.id).first()
    response = send(client, api_token, method, path, role, body % {"place": place.id})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.json["error"]
    assert error["code"] == "invalid"
    expected_field = "body" if "extra" in body else field
    assert error["fields"] == {expected_field: "Text may not contain NUL characters."}


@pytest.mark.parametrize("method,path,role", ROUTES)
@pytest.mark.parametrize("number", ["1" * 5000, "1e999999", "-1e999999", "9" * 40],
                         ids=["5000-digits", "overflow", "neg-overflow", "40-digits"])
def test_huge_numbers_never_give_500(client, api_token, method, path, role, number):
    body = ('{"place_id": %s, "category_id": %s, "choice": %s, "need_ids": [%s], "budget": %s}'
            % (number, number, number, number, number))
    response = send(client, api_token, method, path, role, body)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"]["code"] in {"malformed_json", "invalid"}
    assert response.json["error"]["message"]


def test_huge_ids_in_bodies_are_refused_by_field(client, api_token):
    response = client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "t", "description": "d", "place_id": 99999999999999999999})
    assert response.status_code == 400 and "place_id" in response.json["error"]["fields"]
