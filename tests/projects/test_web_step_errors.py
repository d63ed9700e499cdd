"""A step posted from a page with missing or wrong fields: the roles that may take the step
hear what is wrong, the others get 403 before any field is looked at; never a 500."""

import pytest

from tests.conftest import csrf_token
from tests.factories import build


def post(client, url, page, **data):
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data, content_type="multipart/form-data")


def test_an_empty_progress_report_is_explained_to_the_lead_unit(client_as, db):
    project = build(db, "claimed")
    rep = client_as("unit_rep")
    response = post(rep, f"/projects/{project.id}/progress", f"/projects/{project.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{project.id}#progress"
    page = rep.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "alert-danger" in page


@pytest.mark.parametrize("role", ["resident", "staff", "council", "community_committee", "admin"])
def test_an_empty_progress_report_from_another_role_is_a_403(client_as, db, role):
    project = build(db, "claimed")
    browser = client_as(role)
    assert post(browser, f"/projects/{project.id}/progress", f"/projects/{project.id}").status_code == 403


@pytest.mark.parametrize("role", ["staff", "council", "street_committee", "admin"])
def test_a_decision_without_a_choice_from_another_role_is_a_403(client_as, db, role):
    project = build(db, "resolved")
    browser = client_as(role)
    assert post(browser, f"/projects/{project.id}/decision", f"/projects/{project.id}").status_code == 403


def test_a_decision_without_a_choice_is_explained_to_the_committee(client_as, db):
    project = build(db, "resolved")
    committee = client_as("community_committee")
    response = post(committee, f"/projects/{project.id}/decision", f"/projects/{project.id}")
    assert response.status_code == 302
    assert "alert-danger" in committee.get(f"/projects/{project.id}").get_data(as_text=True)
