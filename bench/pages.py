"""Time the busiest pages and API routes on a database filled with generated needs.

    .venv/bin/python bench/pages.py [--needs 5000] [--requests 50]

Builds a throwaway SQLite database (the demo street plus N generated needs with supports),
then requests each URL R times in-process and prints the median and 95th percentile.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy import select  # noqa: E402
from timing import time_urls  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.core.models.base import utcnow  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.needs.enums import NeedKind  # noqa: E402
from coordination.needs.enums import NeedStatus  # noqa: E402
from coordination.needs.models import Category  # noqa: E402
from coordination.needs.models import Need  # noqa: E402
from coordination.places.enums import PlaceKind  # noqa: E402
from coordination.places.models import Place  # noqa: E402

WORDS = "加装电梯 楼道照明 健身器材 图书角 午间公益 白领课堂 老人助餐 垃圾分类 停车 绿化 托管 义诊".split()


def fill(needs: int) -> None:
    from flask_migrate import upgrade

    from coordination.demo import load_demo

    upgrade()
    load_demo(out=lambda *_: None)
    places = db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA)).all()
    categories = db.session.scalars(select(Category)).all()
    submitter = db.session.scalar(select(Place.id))  # any id is fine for the requester-less rows below
    rows = []
    statuses = [NeedStatus.ACCEPTED] * 6 + [NeedStatus.SUBMITTED] * 3 + [NeedStatus.FULFILLED]
    for i in range(needs):
        place = random.choice(places)
        status = random.choice(statuses)
        rows.append({"kind": random.choice(list(NeedKind)), "title": f"{random.choice(WORDS)}需求{i}",
                     "description": "　".join(random.sample(WORDS, 4)), "place_id": place.id,
                     "area_id": place.area_id, "status": status, "requester_name": f"居民{i}",
                     "category_id": random.choice(categories).id, "support_count": random.randint(0, 40),
                     "created_at": utcnow(), "updated_at": utcnow()})
    db.session.execute(insert(Need), rows)
    db.session.commit()
    del submitter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gr-bench-"))
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        fill(args.needs)
        print(f"database: demo street + {args.needs} needs, built in {time.perf_counter() - started:.1f}s")
    client = app.test_client()
    urls = ["/", "/needs", "/needs?q=电梯", "/needs?category_id=2&sort=newest&page=3", "/projects",
            "/api/v1/needs?per_page=100", "/api/v1/needs?q=楼道&status=accepted,submitted", "/api/v1/projects",
            "/needs/1", "/projects/1"]
    time_urls(client, urls, args.requests)

if __name__ == "__main__":
    main()
