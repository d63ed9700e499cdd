"""Dozens of simultaneous claims over real HTTP, on each database: exactly one wins."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.core.models import AuditRecord
from coordination.extensions import db
from coordination.places.models import MemberUnit
from coordination.projects.models import Project
from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.factories import build
from tests.live_server import threaded_server

CLAIMERS = 30


def test_of_many_simultaneous_claims_exactly_one_wins(database_kind, database_url_factory):
    app = make_app(database_url_factory(database_kind))
    migrate_and_seed(app)
    with app.app_context():
        project_id = build(db, "published").id
        units = db.session.scalars(select(MemberUnit).order_by(MemberUnit.id)).all()
        for i in range(CLAIMERS):
            accounts.create_user(None, username=f"rep{i:02d}", password="Jinse-Niudai-7", roles=["unit_rep"],
                                 unit_id=units[i % len(units)].id, display_name=f"联络员{i}")
        db.session.commit()
        db.session.remove()

    with threaded_server(app) as base:
        tokens = [requests.post(f"{base}/auth/token", json={"username": f"rep{i:02d}", "password": "Jinse-Niudai-7"},
                                timeout=30).json()["token"] for i in range(CLAIMERS)]
        barrier = threading.Barrier(CLAIMERS)

        def claim(token):
            barrier.wait()
            return requests.post(f"{base}/projects/{project_id}/claim", json={"note": "认领"},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=60)

        with ThreadPoolExecutor(max_workers=CLAIMERS) as pool:
            responses = list(pool.map(claim, tokens))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (CLAIMERS - 1)
    winner = next(r.json() for r in responses if r.status_code == 200)
    lead = winner["lead_unit"]["name"]
    for response in responses:
        if response.status_code == 409:
            assert lead in response.json()["error"]["message"]
            assert response.json()["error"]["lead_unit"]["name"] == lead
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.status.value == "claimed" and project.lead_unit.name == lead
        claims = db.session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "project.claim", AuditRecord.object_id == project_id))
        assert claims == 1
        db.session.remove()
        db.engine.dispose()
