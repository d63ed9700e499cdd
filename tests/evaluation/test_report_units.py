"""The printable evaluation report names the lead unit alone under 牵头单位 and the partner
units under their own heading (联建单位)."""

import re

from coordination.projects import operations as projects
from tests.factories import build
from tests.factories import user


def field(html: str, element_id: str) -> str:
    match = re.search(rf'<dd[^>]*id="{element_id}"[^>]*>(.*?)</dd>', html, re.DOTALL)
    assert match, f"no {element_id} on the report"
    return match.group(1).strip()


def test_partner_units_are_not_listed_as_lead(client, client_as, db, api_token):
    project = build(db, "claimed")
    projects.join_project(user(db, "unitrep2"), project.id)
    projects.complete_project(user(db, "unitrep"), project.id, "项目已完成。")
    db.session.commit()
    lead, partner = user(db, "unitrep").unit.name, user(db, "unitrep2").unit.name
    opened = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={}, headers=api_token("staff"))
    assert opened.status_code == 200
    html = client_as("street_committee").get(f"/projects/{project.id}/evaluation/report").get_data(as_text=True)
    assert field(html, "report-lead-unit") == lead
    assert field(html, "report-partner-units") == partner
    assert re.search(r"<dt[^>]*>联建单位</dt>", html)


def test_a_report_without_partners_has_no_partner_heading(client, client_as, db, api_token):
    project = build(db, "completed")
    client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={}, headers=api_token("staff"))
    html = client_as("street_committee").get(f"/projects/{project.id}/evaluation/report").get_data(as_text=True)
    assert field(html, "report-lead-unit") == user(db, "unitrep").unit.name
    assert 'id="report-partner-units"' not in html
