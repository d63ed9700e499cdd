"""The OpenAPI document declares every status and types every field; openapi-spec-validator
passes on it, and openapi-python-client generates a client from it without a single warning,
a client that then drives the real API.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from openapi_spec_validator import validate

from coordination.needs.enums import NeedStatus
from coordination.projects.enums import ProjectStatus
from tests.api.contract_server import served_app

METHODS = {"get", "put", "post", "delete", "patch"}
ERROR_REF = "#/components/schemas/ErrorResponse"


@pytest.fixture()
def document(client):
    return client.get("/api/v1/openapi.json").json


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_every_operation_declares_the_statuses_every_operation_can_answer(document):
    for path, method, op in operations(document):
        responses = op["responses"]
        logging_in = path in {"/auth/token", "/auth/register"}
        expected = {"405", "413", "429"} | (set() if path == "/auth/register" else {"401"})
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, answer in responses.items():
            if int(status) >= 400:
                assert answer["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, (path, status)
        assert "Allow" in responses["405"]["headers"]
        if op.get("requestBody"):
            assert {"400", "415"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if op.get("x-roles"):
            assert "403" in responses, (method, path)
        if not logging_in and op["security"] != [{"bearerAuth": []}]:
            # open to anyone: no token is fine, a bad one is 401
            assert op["security"] == [{}, {"bearerAuth": []}], (method, path)


def test_a_stale_token_on_a_public_get_is_the_declared_401(client, document):
    response = client.get("/api/v1/stats/summary", headers={"Authorization": "Bearer gr_stale"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"
    assert "401" in document["paths"]["/stats/summary"]["get"]["responses"]


def test_logging_in_ignores_a_stale_bearer_header(client):
    """A mobile app whose token expired can still log in while it sends the old header."""
    response = client.post("/api/v1/auth/token", headers={"Authorization": "Bearer gr_stale"},
                           json={"username": "resident", "password": "Ribbon-2026"})
    assert response.status_code == 200
    assert response.json["user"]["username"] == "resident"


def test_route_specific_statuses_are_declared(document):
    paths = document["paths"]
    assert "403" in paths["/needs/{need_id}/report"]["post"]["responses"]
    assert "403" in paths["/surveys/{survey_id}"]["get"]["responses"]
    for path in ("/projects/{project_id}/claim", "/projects/{project_id}/votes",
                 "/projects/{project_id}/propose", "/needs/{need_id}/support",
                 "/surveys/{survey_id}/responses", "/auth/register"):
        assert "409" in paths[path]["post"]["responses"], path


def test_an_id_beyond_the_database_is_404_on_every_method_of_the_path(client, api_token, document):
    huge = 2**31
    headers = api_token("resident")
    for method in ("post", "delete"):
        response = client.open(f"/api/v1/needs/{huge}/support", method=method.upper(), headers=headers)
        assert response.status_code == 404, (method, response.json)
    schema = document["paths"]["/needs/{need_id}/support"]["delete"]["parameters"][0]["schema"]
    assert schema == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_a_405_names_the_allowed_methods(client):
    response = client.put("/api/v1/needs/1/support")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"POST", "DELETE"}


def test_fields_are_typed(document):
    schemas = document["components"]["schemas"]

    def ref(name):
        return {"$ref": f"#/components/schemas/{name}"}

    assert set(schemas["ProjectStatus"]["enum"]) == {s.value for s in ProjectStatus}
    assert set(schemas["NeedStatus"]["enum"]) == {s.value for s in NeedStatus}
    assert schemas["ProjectOut"]["properties"]["status"] == ref("ProjectStatus")
    assert schemas["VoteResult"]["properties"]["project_status"] == ref("ProjectStatus")
    assert schemas["EvaluationOut"]["properties"]["status"]["$ref"] == ref("ProjectStatus")["$ref"]
    assert schemas["NeedOut"]["properties"]["status"] == ref("NeedStatus")
    stats = schemas["StatsOut"]["properties"]
    assert stats["needs"] == ref("NeedFigures") and stats["projects"] == ref("ProjectFigures")
    need_by_status = schemas["NeedFigures"]["properties"]["by_status"]
    assert need_by_status["propertyNames"] == ref("NeedStatus")
    assert need_by_status["additionalProperties"] == {"type": "integer"}
    assert schemas["NeedFigures"]["properties"]["by_category"]["patternProperties"] == {
        "^[1-7]$": {"type": "integer"}}
    assert schemas["ProjectFigures"]["properties"]["by_status"]["propertyNames"] == ref("ProjectStatus")
    details = schemas["EvaluationOut"]["properties"]["details"]["anyOf"]
    assert ref("EvaluationDetails") in details
    assert set(schemas["EvaluationDetails"]["required"]) == {"questions", "indicators", "methods"}
    current = schemas["ErrorDetail"]["properties"]["current_status"]["anyOf"]
    assert ref("NeedStatus") in current and ref("ProjectStatus") in current
    # no field anywhere is a bare object without its properties or value type
    for name, schema in schemas.items():
        for prop, value in schema.get("properties", {}).items():
            for variant in value.get("anyOf", [value]):
                if variant.get("type") == "object":
                    assert {"properties", "additionalProperties", "patternProperties"} & set(variant), (name, prop)


def test_openapi_spec_validator_passes(document):
    validate(document)


def test_a_generated_client_has_no_warning_and_drives_the_api(tmp_path, database_url_factory):
    with served_app(database_url_factory("sqlite")) as served:
        spec = tmp_path / "openapi.json"
        spec.write_text(requests.get(served.base_url + "/api/v1/openapi.json", timeout=10).text)
        out = tmp_path / "golden_ribbon_client"
        bin_dir = str(Path(sys.executable).parent)  # the client's ruff post-hooks run from here
        result = subprocess.run(
            [str(Path(bin_dir) / "openapi-python-client"), "generate", "--path", str(spec),
             "--output-path", str(out), "--meta", "none"],
            check=False, capture_output=True, text=True, timeout=300,
            env=dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", "")))
        printed = result.stdout + result.stderr
        print(printed)
        assert result.returncode == 0, printed
        # It prints "Generating <path>" and nothing else when the document gives it no trouble
        # (warnings and errors are printed as "Warning(s) encountered…", "Error(s)…").
        others = [line for line in printed.splitlines() if line.strip() and not line.startswith("Generating ")]
        assert others == [], printed
        assert (out / "client.py").exists()

        sys.path.insert(0, str(tmp_path))
        try:
            client_module = importlib.import_module("golden_ribbon_client")
            models = importlib.import_module("golden_ribbon_client.models")

            def endpoint(tag: str, operation_id: str):
                return importlib.import_module(f"golden_ribbon_client.api.{tag}.{operation_id}")

            anonymous = client_module.Client(base_url=served.base_url + "/api/v1")
            token = endpoint("auth", "create_token").sync(client=anonymous, body=models.TokenBody(
                username="staff", password="Ribbon-2026"))
            assert isinstance(token, models.TokenOut)
            assert models.Role.STAFF in token.user.roles
            staff = client_module.AuthenticatedClient(base_url=served.base_url + "/api/v1", token=token.token)
            stats = endpoint("statistics", "stats_summary").sync(client=staff)
            assert isinstance(stats, models.StatsOut)
            assert sum(stats.needs.by_status.additional_properties.values()) >= 1
            page = endpoint("needs", "list_needs").sync(client=staff, per_page=5)
            assert all(isinstance(need.status, models.NeedStatus) for need in page.items)
            stale = client_module.AuthenticatedClient(base_url=served.base_url + "/api/v1", token="gr_stale")
            refused = endpoint("statistics", "stats_summary").sync_detailed(client=stale)
            assert refused.status_code == 401
            assert isinstance(refused.parsed, models.ErrorResponse)
            assert json.loads(refused.content)["error"]["code"] == "invalid_token"
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.startswith("golden_ribbon_client")]:
                del sys.modules[name]
