"""API: places, categories, units (with masking), indicators, the OpenAPI document."""

import pytest


def test_places_list_areas_communities_and_buildings(client):
    items = client.get("/api/v1/places").json["items"]
    kinds = {item["kind"] for item in items}
    assert kinds == {"area", "community", "building"}
    areas = {item["id"] for item in items if item["kind"] == "area"}
    assert all(item["area_id"] in areas for item in items if item["kind"] != "area")
    assert all(item["area_id"] is None for item in items if item["kind"] == "area")


def test_the_seven_categories(client):
    items = client.get("/api/v1/categories").json["items"]
    assert [item["code"] for item in items] == [1, 2, 3, 4, 5, 6, 7]
    assert items[0]["name"] == "社会管理事务"
    assert items[6]["name"] == "创建评选"


def test_units_need_a_user(client):
    assert client.get("/api/v1/units").status_code == 401


@pytest.mark.parametrize("role, masked", [("resident", True), ("worker", True), ("unit_rep", True),
                                          ("council", True), ("staff", False), ("admin", False)])
def test_unit_contacts_are_masked_except_for_staff(client, api_token, role, masked):
    items = client.get("/api/v1/units", headers=api_token(role)).json["items"]
    assert len(items) == 10
    first = items[0]
    assert first["party_member_count"] == sum(o["member_count"] for o in first["party_organisations"])
    phone = first["contact_phone"]
    assert ("*" in phone) == masked
    if masked:
        assert phone.startswith("138") and phone.endswith(phone[-4:]) and "0021" not in phone


def test_indicators_have_three_dimensions_weighing_100(client, api_token):
    items = client.get("/api/v1/indicators", headers=api_token("resident")).json["items"]
    assert {item["dimension"] for item in items} == {"performance", "funds", "process"}
    assert sum(item["weight"] for item in items) == pytest.approx(100)


def test_openapi_document_covers_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == "api.openapi_document":
            continue
        path = rule.rule.removeprefix("/api/v1")
        for part in rule.arguments:
            path = path.replace(f"<int:{part}>", "{" + part + "}").replace(f"<{part}>", "{" + part + "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    token = document["paths"]["/auth/token"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/")
    assert "401" in token["responses"] and "429" in token["responses"]
    schema_names = set(document["components"]["schemas"])
    assert {"ErrorResponse", "TokenBody"} <= schema_names
