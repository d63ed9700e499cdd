"""Export and import at street scale: time and peak memory of each, as the commands run them.

    .venv/bin/python bench/io.py [--needs 100000] [--import-rows 10000] [--postgres | --database-url URL]

Fills a throwaway SQLite database (``--postgres``: a throwaway PostgreSQL server on 127.0.0.1,
as the tests start; or the empty database given) with the demo street and
``--needs`` generated needs (bulk insert), then runs, each in a fresh process so its peak
resident memory is its own:

- ``flask --app coordination export needs --format xlsx`` and ``--format csv`` of every need;
- ``flask --app coordination needs import`` of an ``--import-rows`` row spreadsheet (xlsx and
  csv), checking that every row was saved and audited.

Prints seconds and peak RSS (MB) for each; targets: export < 10 s and < 300 MB, import < 5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy import select  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.needs.enums import NeedChannel  # noqa: E402
from coordination.needs.enums import NeedKind  # noqa: E402
from coordination.needs.enums import NeedStatus  # noqa: E402
from coordination.places.enums import PlaceKind  # noqa: E402

FLASK = str(Path(sys.executable).with_name("flask"))
WORDS = ["楼道", "感应灯", "电梯", "加装", "老人", "健身角", "午间", "开放", "停车", "非机动车", "充电", "垃圾分类",
         "绿化", "修剪", "噪音", "社区食堂", "助餐", "白领", "志愿者", "党员", "服务点", "议事厅", "雨棚", "积水"]


def text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words)) + "。"


def generate(needs: int) -> None:
    from flask_migrate import upgrade

    from coordination.demo import load_demo
    from coordination.needs.models import Category
    from coordination.needs.models import Need
    from coordination.places.models import Place

    upgrade()
    load_demo(out=lambda *_: None, with_needs=False)
    rng = random.Random(9)
    places = db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA)).all()
    categories = db.session.scalars(select(Category)).all()
    now = datetime.now(timezone.utc)
    statuses = [NeedStatus.ACCEPTED] * 5 + [NeedStatus.SUBMITTED] * 2 + [NeedStatus.REJECTED]
    batch = []
    for i in range(needs):
        place = rng.choice(places)
        status = rng.choice(statuses)
        channel = rng.choice(list(NeedChannel))
        offline = channel != NeedChannel.ONLINE
        created = now - timedelta(days=rng.randint(0, 1000), minutes=rng.randint(0, 1440))
        batch.append({"kind": rng.choice(list(NeedKind)), "title": text(rng, 4)[:-1], "description": text(rng, 30),
                      "place_id": place.id, "area_id": place.area_id, "status": status,
                      "rejection_reason": "不属于受理范围" if status == NeedStatus.REJECTED else None,
                      "category_id": rng.choice(categories).id if status != NeedStatus.SUBMITTED else None,
                      "channel": channel, "requester_name": f"居民{i}" if offline else None,
                      "submitter_id": None if offline else 1,
                      "contact_phone": f"139{rng.randint(0, 99999999):08d}" if offline else None,
                      "support_count": rng.randint(0, 30), "created_at": created, "updated_at": created})
        if len(batch) == 10000:
            db.session.execute(insert(Need), batch)
            batch = []
    if batch:
        db.session.execute(insert(Need), batch)
    db.session.commit()


def import_sheet(rows: int, fmt: str, path: Path) -> None:
    import csv

    import xlsxwriter

    rng = random.Random(11)
    headers = ["类型", "标题", "描述", "居民区/楼宇", "渠道", "提出人", "联系电话", "邮箱", "类别"]
    places = ["福山居民区", "市新居民区", "建工大厦", "陈家门居民区"]
    data = [[rng.choice(["金点子", "微心愿", "诉求"]), text(rng, 4)[:-1], text(rng, 30), rng.choice(places),
             rng.choice(["群众议事厅", "民生接纳室", "走访", "热线"]), f"居民{i}", f"138{i:08d}", "",
             str(rng.randint(1, 7))] for i in range(rows)]
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(data)
        return
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("需求")
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(data, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()


def measured(args: list[str], env: dict) -> tuple[float, float, str, str]:
    """Run a command; its wall time (s), its peak resident memory (MB), its CPU seconds and
    its output (CPU time tells more than wall time on a loaded machine)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"{' '.join(args[2:])} failed after {seconds:.1f}s:\n{output[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, f"{cpu:.1f}", output.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100000)
    parser.add_argument("--import-rows", type=int, default=10000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL server")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if args.postgres:
            from tests.pg_server import postgres_server

            url = stack.enter_context(postgres_server())()
        run(args, url)


def run(args, url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gr-bench-io-"))
    url = url or f"sqlite:///{folder / 'io.sqlite3'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        started = time.perf_counter()
        generate(args.needs)
        dialect = db.engine.dialect.name
        print(f"generated {args.needs} needs in {time.perf_counter() - started:.1f}s on {dialect}")
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=url, JOBS_QUEUE_FILE=str(folder / "jobs.sqlite3"))
    results = []
    for fmt in ("xlsx", "csv"):
        out = folder / f"needs.{fmt}"
        seconds, peak, cpu, _ = measured([FLASK, "--app", "coordination", "export", "needs", "--format", fmt,
                                     "-o", str(out)], env)
        results.append((f"export {args.needs} needs ({fmt}, {out.stat().st_size / 1e6:.1f} MB)", seconds, peak,
                        cpu, "< 10 s, < 300 MB"))
    for fmt in ("xlsx", "csv"):
        sheet = folder / f"import.{fmt}"
        import_sheet(args.import_rows, fmt, sheet)
        with app.app_context():
            from coordination.core.models import AuditRecord

            audited = db.session.scalar(select(func.count()).select_from(AuditRecord)
                                        .where(AuditRecord.action == "need.record"))
            db.session.remove()
        seconds, peak, cpu, output = measured([FLASK, "--app", "coordination", "needs", "import", str(sheet)], env)
        with app.app_context():
            now_audited = db.session.scalar(select(func.count()).select_from(AuditRecord)
                                            .where(AuditRecord.action == "need.record"))
            db.session.remove()
        saved = now_audited - audited
        results.append((f"import {args.import_rows} rows ({fmt}), {saved} audited", seconds, peak, cpu, "< 5 s"))
    print(f"\n{'what':<52} {'seconds':>8} {'CPU s':>6} {'peak MB':>8}  target")
    for what, seconds, peak, cpu, target in results:
        print(f"{what:<52} {seconds:>8.1f} {cpu:>6} {peak:>8.0f}  {target}")
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
