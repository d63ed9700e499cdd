"""Fixtures of the volunteers' tests: the skills list and the teams, and profiles made through the API."""

import pytest


@pytest.fixture()
def reference(db):
    """The demo's skills list and the four teams of the Jiangong area (committed, rolled back after)."""
    from coordination.demo.volunteers import load_reference

    load_reference()
    db.session.commit()


PROFILE = {"party_member": True, "party_org": "福山居民区党总支", "skills": ["elderly", "沪语教学", "编织"],
           "willingness": "愿意陪伴独居老人。", "availability": "工作日上午", "public": True}


@pytest.fixture()
def profile(db, reference):
    """``profile("resident", **changes)``: the person's volunteer profile (``operations.save_profile``)."""
    from coordination.volunteers import operations
    from tests.conftest import DEMO_USERS
    from tests.factories import user

    def make(role: str = "resident", **changes):
        saved = operations.save_profile(user(db, DEMO_USERS.get(role, role)),
                                        operations.ProfileInput(**{**PROFILE, **changes}))
        db.session.commit()
        return saved

    return make


@pytest.fixture()
def open_project(make_project):
    """``open_project("claimed", places=5)``: a project with volunteer places."""
    return lambda status="claimed", places=5: make_project(status, volunteer_places=places)


def sign_up(client, api_token, project_id: int, role: str = "resident", **body):
    return client.post(f"/api/v1/projects/{project_id}/volunteers", json=body, headers=api_token(role))


def check_in(client, api_token, project_id: int, signup_id: int, role: str = "unit_rep"):
    return client.post(f"/api/v1/projects/{project_id}/volunteers/{signup_id}/check-in", headers=api_token(role))


def hours(client, api_token, project_id: int, signup_id: int, role: str = "unit_rep", **body):
    return client.post(f"/api/v1/projects/{project_id}/volunteers/{signup_id}/hours", json=body,
                       headers=api_token(role))

