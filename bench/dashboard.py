"""Render the dashboard on a large generated data set and print the timings.

    .venv/bin/python bench/dashboard.py [--needs 50000] [--projects 2000] [--responses 40000]
                                        [--database-url postgresql://…]

Fills a throwaway SQLite database (or the empty database given) with generated needs, projects
with their status history in the audit log, progress reports and survey responses, then
requests /dashboard and each chart's CSV a few times in-process.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy import select  # noqa: E402
from timing import time_urls  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.core.models import AuditRecord  # noqa: E402
from coordination.evaluation.enums import QuestionKind  # noqa: E402
from coordination.evaluation.enums import ResponseMethod  # noqa: E402
from coordination.evaluation.enums import SurveyStatus  # noqa: E402
from coordination.evaluation.models import Survey  # noqa: E402
from coordination.evaluation.models import SurveyAnswer  # noqa: E402
from coordination.evaluation.models import SurveyQuestion  # noqa: E402
from coordination.evaluation.models import SurveyResponse  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.needs.enums import NeedChannel  # noqa: E402
from coordination.needs.enums import NeedKind  # noqa: E402
from coordination.needs.enums import NeedStatus  # noqa: E402
from coordination.needs.models import Category  # noqa: E402
from coordination.needs.models import Need  # noqa: E402
from coordination.places.enums import PlaceKind  # noqa: E402
from coordination.places.models import MemberUnit  # noqa: E402
from coordination.places.models import Place  # noqa: E402
from coordination.projects.enums import ProjectStatus  # noqa: E402
from coordination.projects.models import ProgressReport  # noqa: E402
from coordination.projects.models import Project  # noqa: E402

ORDER = [ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.RESOLVED, ProjectStatus.PUBLISHED,
         ProjectStatus.CLAIMED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED]


def generate(needs: int, projects: int, responses: int) -> None:
    from flask_migrate import upgrade

    from coordination.accounts.models import User
    from coordination.demo import load_demo

    upgrade()
    load_demo(out=lambda *_: None, with_needs=False)
    rng = random.Random(7)
    places = db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA)).all()
    categories = db.session.scalars(select(Category)).all()
    units = db.session.scalars(select(MemberUnit)).all()
    staff = db.session.scalar(select(User).where(User.username == "staff"))
    now = datetime.now(timezone.utc)
    statuses = [NeedStatus.ACCEPTED] * 5 + [NeedStatus.SUBMITTED] * 2 + [NeedStatus.IN_PROJECT, NeedStatus.FULFILLED,
                                                                       NeedStatus.REJECTED]
    rows = []
    for i in range(needs):
        place = rng.choice(places)
        status = rng.choice(statuses)
        created = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
        rows.append({"kind": rng.choice(list(NeedKind)), "title": f"需求{i}", "description": "生成的数据",
                     "place_id": place.id, "area_id": place.area_id, "status": status,
                     "rejection_reason": "不属于受理范围" if status == NeedStatus.REJECTED else None,
                     "category_id": rng.choice(categories).id if status != NeedStatus.SUBMITTED else None,
                     "channel": rng.choice(list(NeedChannel)), "requester_name": f"居民{i}",
                     "support_count": rng.randint(0, 30), "created_at": created, "updated_at": created})
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Need), rows[start:start + 5000])

    project_rows, audit_rows, report_rows = [], [], []
    for i in range(projects):
        place = rng.choice(places)
        final = rng.choice(ORDER)
        created = now - timedelta(days=rng.randint(30, 700))
        lead = rng.choice(units).id if ORDER.index(final) >= ORDER.index(ProjectStatus.CLAIMED) else None
        project_rows.append({"id": i + 1, "title": f"项目{i}", "description": "生成的数据", "category_id":
                             rng.choice(categories).id, "area_id": place.area_id, "place_id": place.id,
                             "budget": rng.randint(1000, 50000), "planned_start": created.date(),
                             "planned_end": created.date() + timedelta(days=90), "status": final,
                             "round": 1, "lead_unit_id": lead,
                             "completion_report": "完成" if ORDER.index(final) >= 5 else None,
                             "progress_percent": 100 if ORDER.index(final) >= 5 else 0,
                             "created_at": created, "updated_at": created})
        at = created
        audit_rows.append({"action": "project.create", "object_type": "Project", "object_id": i + 1,
                           "to_state": "draft", "at": at, "actor_id": staff.id})
        for before, after in zip(ORDER, ORDER[1:ORDER.index(final) + 1]):
            at = at + timedelta(days=rng.uniform(0.5, 20))
            audit_rows.append({"action": "project.step", "object_type": "Project", "object_id": i + 1,
                               "from_state": before.value, "to_state": after.value, "at": at, "actor_id": staff.id})
        if lead:
            report_rows.append({"project_id": i + 1, "unit_id": lead, "reporter_id": staff.id, "percent": 50,
                                "note": "进展", "party_members": rng.randint(0, 30), "volunteers": rng.randint(0, 50),
                                "volunteer_hours": rng.randint(0, 200), "beneficiaries_residents": rng.randint(0, 300),
                                "beneficiaries_workers": rng.randint(0, 100), "spent": rng.randint(0, 20000),
                                "created_at": at})
    db.session.execute(insert(Project), project_rows)
    for start in range(0, len(audit_rows), 5000):
        db.session.execute(insert(AuditRecord), audit_rows[start:start + 5000])
    db.session.execute(insert(ProgressReport), report_rows)

    evaluated = [p["id"] for p in project_rows if p["status"] in (ProjectStatus.EVALUATING, ProjectStatus.EVALUATED)]
    response_id, answer_rows, response_rows = 0, [], []
    for project_id in evaluated:
        survey = Survey(project_id=project_id, status=SurveyStatus.OPEN, questions=[
            SurveyQuestion(position=1, text="总体满意度", kind=QuestionKind.LIKERT, overall=True)])
        db.session.add(survey)
        db.session.flush()
        for _ in range(max(1, responses // max(len(evaluated), 1))):
            response_id += 1
            response_rows.append({"id": response_id, "survey_id": survey.id, "method": ResponseMethod.VISIT,
                                  "created_at": now})
            answer_rows.append({"response_id": response_id, "question_id": survey.questions[0].id,
                                "score": rng.choice([5, 5, 4, 4, 4, 3, 2])})
    for start in range(0, len(response_rows), 5000):
        db.session.execute(insert(SurveyResponse), response_rows[start:start + 5000])
        db.session.execute(insert(SurveyAnswer), answer_rows[start:start + 5000])
    db.session.commit()
    print(f"generated {needs} needs, {projects} projects ({len(audit_rows)} status changes, "
          f"{len(report_rows)} progress reports), {len(response_rows)} survey responses")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=50000)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=40000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='gr-bench-')) / 'dashboard.sqlite3'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        generate(args.needs, args.projects, args.responses)
        print(f"built in {time.perf_counter() - started:.1f}s on {db.engine.dialect.name}")
    client = app.test_client()
    urls = ["/dashboard", "/dashboard?area_id=1&start=2026-01-01", "/dashboard/needs.csv?split=channel",
            "/dashboard/steps.csv", "/dashboard/satisfaction.csv?by=unit", "/dashboard/units.csv",
            "/api/v1/stats/summary", "/"]
    time_urls(client, urls, args.requests)

if __name__ == "__main__":
    main()
