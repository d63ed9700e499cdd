"""Concrete URLs for every rule of the URL map, on the demo street (shared by the
authorization table test)."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

VALUES = {"key": "units", "kind": "needs", "fmt": "csv", "name": "needs", "code": "en"}
STATIC = {"static": "css/app.css", "bootstrap.static": "icons/bootstrap-icons.svg"}
# which demo project a rule acts on (by its status); others use the claimed one
PROJECT_FOR = {"projects.edit": "draft", "projects.propose": "draft", "projects.vote": "proposed",
               "projects.decision": "proposed", "projects.claim": "claimed", "evaluation.open_survey": "completed",
               "evaluation.accept": "evaluated", "evaluation.send_back": "evaluated", "evaluation.score": "evaluated", "evaluation.report": "evaluated",
               "evaluation.project_evaluation": "evaluated",
               "api.open_evaluation": "completed", "api.get_evaluation": "evaluated",
               "api.review_evaluation": "evaluated", "api.score_indicators": "evaluated",
               "api.update_project": "draft", "api.propose_project": "draft", "api.vote": "proposed",
               "api.decide": "proposed"}


def demo_objects(db, client_as) -> dict:
    """Load the demo needs and projects (rolled back with the test) and a photo of each kind."""
    from PIL import Image

    from coordination.accounts.models import User
    from coordination.core.models import Notification
    from coordination.dashboards.enums import ExportStatus
    from coordination.demo import load_demo_needs
    from coordination.demo import load_demo_projects
    from coordination.demo import load_demo_volunteers
    from coordination.demo.pledges import load_demo_pledges
    from coordination.evaluation.models import Selection
    from coordination.evaluation.models import Survey
    from coordination.needs.models import Need
    from coordination.needs.models import NeedPhoto
    from coordination.places.models import MemberUnit
    from coordination.pledges.models import Pledge
    from coordination.projects.models import Project
    from coordination.volunteers.models import VolunteerSignup
    from coordination.volunteers.models import VolunteerTeam
    from tests.conftest import csrf_token

    load_demo_needs(out=lambda *_: None)
    load_demo_projects(out=lambda *_: None)
    load_demo_volunteers(out=lambda *_: None)
    load_demo_pledges(out=lambda *_: None)  # the resident's and the worker's, Party members both
    db.session.commit()
    projects = {p.status.value: p.id for p in db.session.scalars(select(Project))}
    projects["completed"] = projects["evaluated"]  # opening again is a state conflict, still past access
    need = db.session.scalar(select(Need).where(Need.status == "accepted").order_by(Need.id))
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(picture, format="PNG")
    staff = client_as("staff")
    response = staff.post("/needs/new?offline=0", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(staff, "/needs/new?offline=0"), "kind": "wish", "title": "带照片的需求",
        "description": "照片", "place_id": str(need.place_id), "category_id": "0",
        "photos": [(io.BytesIO(picture.getvalue()), "p.png")]})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    resident = db.session.scalar(select(User).where(User.username == "resident"))
    staff_user = db.session.scalar(select(User).where(User.username == "staff"))
    from datetime import timedelta

    from coordination.core.models.base import utcnow
    from coordination.dashboards.models import ExportJob

    job = ExportJob(user_id=staff_user.id, kind="needs", fmt="csv", status=ExportStatus.QUEUED,
                    expires_at=utcnow() + timedelta(hours=1))  # staff's own, still being prepared
    db.session.add(job)
    db.session.commit()
    return {
        "job_id": job.id,
        "projects": projects,
        "need_id": need.id,
        "survey_id": db.session.scalar(select(Survey.id)),
        "selection_id": db.session.scalar(select(Selection.id)) or 1,
        "photo_id": db.session.scalar(select(NeedPhoto.id)),
        "pledge_id": db.session.scalar(select(Pledge.id).where(Pledge.title == "每月为独居老人上门测血压一次")),
        "unit_id": db.session.scalar(select(MemberUnit.id).order_by(MemberUnit.id)),
        "place_id": need.place_id,
        "item_id": db.session.scalar(select(MemberUnit.id).order_by(MemberUnit.id)),
        "user_id": resident.id,
        "signup_id": db.session.scalar(select(VolunteerSignup.id).where(VolunteerSignup.project_id == projects["claimed"])
                                       .order_by(VolunteerSignup.id)),
        "team_id": db.session.scalar(select(VolunteerTeam.id).order_by(VolunteerTeam.id)),
        "notification_id": db.session.scalar(select(Notification.id).where(Notification.user_id == resident.id)
                                             .order_by(Notification.id)),
    }


def url_for_rule(rule, objects: dict) -> str:
    def value(match):
        name = match.group(2)
        if name == "filename":
            return STATIC[rule.endpoint]
        if name == "project_id":
            return str(objects["projects"][PROJECT_FOR.get(rule.endpoint, "claimed")])
        if name in objects:
            return str(objects[name])
        return VALUES[name]

    return re.sub(r"<(?:([a-z]+):)?([a-z_]+)>", value, rule.rule)
