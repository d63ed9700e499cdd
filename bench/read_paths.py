"""Time the busy read paths at street scale, in-process with the test client.

    .venv/bin/python bench/read_paths.py [--needs 100000] [--projects 5000] [--answers 1000000]
                                         [--requests 20] [--database-url postgresql://…]

Fills a throwaway SQLite database (or the empty database given) with the demo street, N
generated needs (skewed categories, areas and channels, every status, supports), projects in
every status with their audit rows and progress reports, and survey answers (one overall
question per evaluated project), then requests each route
R times and prints the median and 95th percentile. The same figures before and after a change
show what it bought; the gunicorn + wrk harness measures throughput.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.core.enums import (  # noqa: E402
    NeedChannel,
    NeedKind,
    NeedStatus,
    PlaceKind,
    ProjectStatus,
    QuestionKind,
    ResponseMethod,
    SurveyStatus,
)
from coordination.core.models import AuditRecord  # noqa: E402
from coordination.evaluation.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.needs.models import Category, Need  # noqa: E402
from coordination.places.models import MemberUnit, Place  # noqa: E402
from coordination.projects.models import ProgressReport, Project  # noqa: E402

ORDER = [ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.RESOLVED, ProjectStatus.PUBLISHED,
         ProjectStatus.CLAIMED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED]
WORDS = ("加装电梯 楼道照明 健身器材 图书角 午间公益 白领课堂 老人助餐 垃圾分类 停车位 绿化带 课后托管 义诊 "
         "电梯维修 路灯 快递柜 充电桩 适老化改造 邻里节").split()
CHUNK = 5000


def _searchable(row: dict) -> dict:
    """Adds the search column when this version of the schema has one."""
    try:
        from coordination.core.search import grams
    except ImportError:
        return row
    row["search_grams"] = grams(row["title"], row["description"])
    return row


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def generate(needs: int, projects: int, answers: int) -> None:
    from flask_migrate import upgrade

    from coordination.accounts.models import User
    from coordination.demo import load_demo

    upgrade()
    load_demo(out=lambda *_: None, with_needs=False)
    rng = random.Random(7)
    places = db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA)).all()
    categories = db.session.scalars(select(Category).order_by(Category.code)).all()
    units = db.session.scalars(select(MemberUnit)).all()
    staff = db.session.scalar(select(User).where(User.username == "staff"))
    now = datetime.now(timezone.utc)
    statuses = ([NeedStatus.ACCEPTED] * 5 + [NeedStatus.SUBMITTED] * 2 + [NeedStatus.IN_PROJECT, NeedStatus.FULFILLED,
                NeedStatus.REJECTED])
    category_weights = [30, 22, 8, 5, 15, 15, 5]
    place_weights = [rng.randint(1, 20) for _ in places]
    channel_weights = [60, 10, 10, 15, 5]
    rows = []
    for i in range(needs):
        place = rng.choices(places, place_weights)[0]
        status = rng.choice(statuses)
        created = now - timedelta(days=rng.randint(0, 1095), minutes=rng.randint(0, 1440))
        words = rng.sample(WORDS, 3)
        rows.append(_searchable({
            "kind": rng.choice(list(NeedKind)), "title": f"{words[0]}{i}", "description": "，".join(words[1:]) + "。",
            "place_id": place.id, "area_id": place.area_id, "status": status,
            "rejection_reason": "不属于受理范围" if status == NeedStatus.REJECTED else None,
            "category_id": rng.choices(categories, category_weights)[0].id if status != NeedStatus.SUBMITTED else None,
            "channel": rng.choices(list(NeedChannel), channel_weights)[0], "requester_name": f"居民{i}",
            "support_count": int(rng.paretovariate(1.5)) - 1, "created_at": created, "updated_at": created}))
        if len(rows) == CHUNK:
            _insert(Need, rows)
            rows = []
    _insert(Need, rows)

    project_rows, audit_rows, report_rows = [], [], []
    for i in range(projects):
        place = rng.choice(places)
        final = rng.choice(ORDER)
        created = now - timedelta(days=rng.randint(30, 1000))
        lead = rng.choice(units).id if ORDER.index(final) >= ORDER.index(ProjectStatus.CLAIMED) else None
        title = f"{rng.choice(WORDS)}项目{i}"
        project_rows.append({"id": i + 1, "title": title, "description": "生成的数据", "category_id":
                             rng.choice(categories).id, "area_id": place.area_id, "place_id": place.id,
                             "budget": rng.randint(1000, 50000), "planned_start": created.date(),
                             "planned_end": created.date() + timedelta(days=90), "status": final,
                             "round": 1, "lead_unit_id": lead,
                             "completion_report": "完成" if ORDER.index(final) >= 5 else None,
                             "progress_percent": 100 if ORDER.index(final) >= 5 else 0,
                             "created_at": created, "updated_at": created})
        try:
            from coordination.core.search import grams
            project_rows[-1]["search_grams"] = grams(title, "生成的数据")
        except ImportError:
            pass
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
    _insert(Project, project_rows)
    _insert(AuditRecord, audit_rows)
    _insert(ProgressReport, report_rows)

    evaluated = [p["id"] for p in project_rows if p["status"] in (ProjectStatus.EVALUATING, ProjectStatus.EVALUATED)]
    response_id, made = 0, 0
    per_survey = max(1, answers // max(len(evaluated), 1))
    for project_id in evaluated:
        survey = Survey(project_id=project_id, status=SurveyStatus.OPEN, questions=[
            SurveyQuestion(position=1, text="总体满意度", kind=QuestionKind.LIKERT, overall=True)])
        db.session.add(survey)
        db.session.flush()
        response_rows, answer_rows = [], []
        for _ in range(per_survey):
            response_id += 1
            response_rows.append({"id": response_id, "survey_id": survey.id, "method": ResponseMethod.VISIT,
                                  "created_at": now})
            answer_rows.append({"response_id": response_id, "question_id": survey.questions[0].id,
                                "score": rng.choice([5, 5, 4, 4, 4, 3, 2])})
        _insert(SurveyResponse, response_rows)
        _insert(SurveyAnswer, answer_rows)
        made += len(answer_rows)
    db.session.commit()
    # The database's triggers kept the maintained figures during the bulk insert; the search
    # column was filled above (a seed that leaves it empty calls counters.rebuild_all()).
    print(f"generated {needs} needs, {projects} projects ({len(audit_rows)} status changes, "
          f"{len(report_rows)} progress reports), {made} survey answers")


def deep_cursor(depth: int) -> str | None:
    """The cursor the menu gives after its first ``depth`` needs (what "next" links carry)."""
    try:
        from coordination.core.paging import encode_cursor
    except ImportError:
        return None
    row = db.session.execute(select(Need.support_count, Need.id).where(
        Need.status.in_(NeedStatus.on_menu()), Need.hidden.is_(False))
        .order_by(Need.support_count.desc(), Need.id.desc()).offset(depth - 1).limit(1)).one()
    return encode_cursor("supports", list(row))


def time_urls(client, urls: list[str], repeats: int) -> None:
    """GET each URL; print the median wall time, its 95th percentile and the median CPU time
    of this process (the CPU figure stays comparable when other work shares the machine)."""
    import math
    import statistics

    print(f"{'url':<60} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8}")
    for url in urls:
        client.get(url)
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        walls.sort()
        p95 = walls[min(len(walls) - 1, math.ceil(len(walls) * 0.95) - 1)]
        print(f"{url[:60]:<60} {statistics.median(walls):>10.1f} {p95:>8.1f} {statistics.median(cpus):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='gr-bench-')) / 'read.sqlite3'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        generate(args.needs, args.projects, args.answers)
        print(f"built in {time.perf_counter() - started:.1f}s on {db.engine.dialect.name}")
        cursor = deep_cursor(4000)
    client = app.test_client()
    urls = ["/needs?category_id=3", "/api/v1/needs?category_id=3", "/needs?page=200", "/api/v1/needs?page=200"]
    if cursor:  # page 201 reached through the "next" links (keyset), as the menu now links it
        urls += [f"/needs?page=201&after={cursor}", f"/api/v1/needs?after={cursor}"]
    urls += ["/api/v1/needs?q=电梯", "/needs?q=电梯", "/api/v1/projects", "/projects", "/api/v1/stats/summary", "/"]
    time_urls(client, urls, args.requests)


if __name__ == "__main__":
    main()
