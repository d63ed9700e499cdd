"""What the volunteers module keeps about a person: the append-only audit log names the fields
of a profile that changed, never what the person wrote; the download of one's data holds one's
own sign-ups, and only a reference to the sign-ups of others one checked in."""

import json

from sqlalchemy import select

from coordination.core.models import AuditRecord
from tests.volunteers.conftest import PROFILE
from tests.volunteers.conftest import check_in
from tests.volunteers.conftest import sign_up

WILLINGNESS = "每周六下午教老人用智能手机（柯琪莲）"


def test_the_audit_log_names_the_changed_fields_of_a_profile_but_keeps_none_of_its_text(client, api_token, db,
                                                                                        reference):
    headers = api_token("resident")
    assert client.put("/api/v1/me/volunteer", headers=headers, json=PROFILE).status_code == 200
    changed = {**PROFILE, "willingness": WILLINGNESS, "availability": "周六下午", "skills": ["elderly", "剪纸"]}
    assert client.put("/api/v1/me/volunteer", headers=headers, json=changed).status_code == 200
    created, updated = db.session.scalars(select(AuditRecord).where(AuditRecord.object_type == "VolunteerProfile")
                                          .order_by(AuditRecord.id)).all()
    kept = json.dumps([(r.details, r.comment, r.object_label) for r in (created, updated)], ensure_ascii=False)
    for text in (WILLINGNESS, PROFILE["willingness"], PROFILE["party_org"], PROFILE["availability"], "周六下午",
                 "编织", "剪纸", "沪语教学"):
        assert text not in kept, text
    assert created.action == "volunteer_profile.create"
    assert created.details["fields"] == ["party_member", "party_org", "other_skills", "willingness", "availability",
                                         "skills"]
    assert updated.action == "volunteer_profile.update"
    assert updated.details == {"fields": ["other_skills", "willingness", "availability", "skills"]}


def test_a_unit_contacts_data_lists_the_check_ins_without_the_volunteers_words(client, api_token, open_project,
                                                                             profile):
    profile("resident")
    project = open_project()
    signup_id = sign_up(client, api_token, project.id, note="带工具，柯琪莲").json["id"]
    assert check_in(client, api_token, project.id, signup_id).status_code == 200
    rep = client.get("/api/v1/me/data", headers=api_token("unit_rep")).json
    assert rep["volunteer_signups"] == []
    [ticked] = rep["volunteer_check_ins"]
    assert set(ticked) == {"signup_id", "project_id", "checked_in_at"}
    assert (ticked["signup_id"], ticked["project_id"]) == (signup_id, project.id)
    assert "柯琪莲" not in json.dumps(rep, ensure_ascii=False)
    mine = client.get("/api/v1/me/data", headers=api_token("resident")).json
    assert [(s["id"], s["note"]) for s in mine["volunteer_signups"]] == [(signup_id, "带工具，柯琪莲")]
    assert mine["volunteer_check_ins"] == []
