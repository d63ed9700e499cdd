"""Many people sign up at once for the last places of a project, over real HTTP, on each
database: exactly as many win as there are places; the others are told it is full."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.demo import DEMO_PASSWORD
from coordination.demo import demo_password_hash
from coordination.demo.volunteers import load_reference
from coordination.extensions import db
from coordination.places.models import Place
from coordination.volunteers import operations
from coordination.volunteers.models import VolunteerSignup
from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.factories import build
from tests.live_server import threaded_server

PEOPLE, PLACES = 12, 3


def test_of_many_simultaneous_sign_ups_only_the_places_win(database_kind, database_url_factory):
    app = make_app(database_url_factory(database_kind))
    migrate_and_seed(app)
    with app.app_context():
        load_reference()
        project_id = build(db, "claimed", volunteer_places=PLACES).id
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        for i in range(PEOPLE):
            person = accounts.create_user(None, username=f"vol{i:02d}", password=DEMO_PASSWORD, roles=["resident"],
                                          place_id=place_id, display_name=f"居民{i}", check_strength=False,
                                          password_hash=demo_password_hash())
            operations.save_profile(person, operations.ProfileInput(willingness="愿意帮忙"))
        db.session.commit()
        db.session.remove()

    with threaded_server(app) as base:
        tokens = [requests.post(f"{base}/auth/token", json={"username": f"vol{i:02d}", "password": DEMO_PASSWORD},
                                timeout=30).json()["token"] for i in range(PEOPLE)]
        barrier = threading.Barrier(PEOPLE)

        def sign_up(token):
            barrier.wait()
            return requests.post(f"{base}/projects/{project_id}/volunteers", json={},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=60)

        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            responses = list(pool.map(sign_up, tokens))

    assert sorted(r.status_code for r in responses) == [201] * PLACES + [409] * (PEOPLE - PLACES)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"full"}
    with app.app_context():
        taken = db.session.scalar(select(func.count()).select_from(VolunteerSignup).where(
            VolunteerSignup.project_id == project_id))
        assert taken == PLACES
        db.session.remove()
        db.engine.dispose()
