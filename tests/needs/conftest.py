import pytest
from sqlalchemy import select

from coordination.core.enums import PlaceKind
from coordination.places.models import Place


@pytest.fixture()
def places(db):
    """{name: id} of the demo communities and buildings."""
    return {p.name: p.id for p in db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA))}


@pytest.fixture()
def submit(client, api_token, places):
    """Submit a need through the API as ``role``; returns the JSON answer."""

    def make(role="resident", title="楼道感应灯坏了", place="福山居民区", **extra):
        body = {"kind": "wish", "title": title, "description": "3号楼2单元楼道的感应灯坏了一个月。",
                "place_id": places[place]}
        body.update(extra)
        response = client.post("/api/v1/needs", json=body, headers=api_token(role))
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture()
def triage(client, api_token):
    def make(need_id, **body):
        return client.post(f"/api/v1/needs/{need_id}/triage", json=body, headers=api_token("staff"))

    return make
