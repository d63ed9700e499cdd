"""The ``flask --app coordination`` command groups: seed, user (more join per module)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask.cli import with_appcontext

from coordination.accounts.models import User
from coordination.accounts.operations import create_user
from coordination.core import backup
from coordination.core import counters
from coordination.core import integrity
from coordination.core import planner
from coordination.core.enums import Role
from coordination.core.errors import InvalidInput
from coordination.core.jobs import consumer
from coordination.core.jobs import describe_queue
from coordination.core.transactions import committed
from coordination.dashboards.exports import FULL_ACCESS
from coordination.dashboards.exports import write_export
from coordination.demo import DEMO_PASSWORD
from coordination.demo import demo_accounts
from coordination.demo import load_demo
from coordination.demo.people import GENERATED_RESIDENTS
from coordination.demo.people import GENERATED_WORKERS
from coordination.extensions import db
from coordination.needs.importer import import_needs
from coordination.needs.importer import parse
from coordination.scale import AlreadySeeded
from coordination.scale import seed_scale

seed_cli = AppGroup("seed", help="Load data.")
user_cli = AppGroup("user", help="Manage users.")
needs_cli = AppGroup("needs", help="Needs: import offline needs.")
audit_cli = AppGroup("audit", help="The audit log: verify its hash chains.")
figures_cli = AppGroup("figures", help="Maintained figures: check them against a recount, or rebuild them.")


@figures_cli.command("check")
def figures_check() -> None:
    """Recount every maintained figure from the rows; exit 1 and list any that differ."""
    found = counters.check()
    db.session.rollback()
    if not found:
        click.echo("Every maintained figure matches a fresh recount.")
        return
    for domain, differences in found.items():
        for line in differences:
            click.echo(f"{domain}: {line}", err=True)
    raise SystemExit(1)


@figures_cli.command("rebuild")
def figures_rebuild() -> None:
    """Recompute every maintained figure and the search index (after a bulk load)."""
    with committed():
        counters.rebuild_all()
    click.echo("Rebuilt the maintained figures and the search index.")


@seed_cli.command("demo")
def seed_demo() -> None:
    """Load the demo street: both areas, their people and years of needs, projects and surveys."""
    with committed():
        load_demo(out=click.echo, history=True)
    with committed():
        planner.optimize()  # statistics for the query planner (SQLite gathers none by itself)
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, display, roles in demo_accounts():
        click.echo(f"  {username:<10} {roles}  ({display})")
    click.echo(f"  resident3 … resident{GENERATED_RESIDENTS + 2}, worker3 … worker{GENERATED_WORKERS + 2}: "
               "more residents and office workers of both areas")


@seed_cli.command("scale")
@click.option("--needs", default=100_000, show_default=True, help="Needs over three years.")
@click.option("--projects", default=5_000, show_default=True, help="Projects in every status.")
@click.option("--answers", default=1_000_000, show_default=True, help="Survey answers.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (the same seed builds the same street).")
def seed_scale_command(needs, projects, answers, seed) -> None:
    """Generate a street at benchmark scale (on a migrated database; loads the demo street first)."""
    import time

    started = time.perf_counter()
    try:
        with committed():
            inserted = seed_scale(needs, projects, answers, seed=seed, out=click.echo)
    except AlreadySeeded as exc:
        click.echo(f"Nothing was generated: {exc}.", err=True)
        raise SystemExit(2) from None
    click.echo(f"Generated {sum(inserted.values())} rows in {time.perf_counter() - started:.1f}s: "
               + ", ".join(f"{name} {count}" for name, count in sorted(inserted.items())))


@user_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True,
              help="resident, worker, unit_rep, staff, council, community_committee, "
                   "street_committee or admin; repeat for several roles.")
@click.option("--unit", "unit_id", type=int, help="Member unit id (required for unit_rep).")
@click.option("--place", "place_id", type=int, help="Community or building id.")
@click.option("--display-name", default=None)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, roles, unit_id, place_id, display_name, password) -> None:
    """Create a user with the given roles."""
    try:
        with committed():
            user = create_user(None, username=username, password=password, roles=list(roles),
                               unit_id=unit_id, place_id=place_id, display_name=display_name)
    except InvalidInput as exc:
        for field, message in exc.fields.items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Created user {user.username} (id {user.id}) with roles: "
               + ", ".join(r.value for r in user.sorted_roles))


@needs_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", default=None,
              help="The staff account the needs are recorded by (default: the first active staff user).")
def import_needs_command(path, username) -> None:
    """Import offline needs from FILE.xlsx or FILE.csv; nothing is saved if a row is bad."""
    from pathlib import Path

    from sqlalchemy import select

    query = select(User).where(User.active, User.role_links.any(role=Role.STAFF)).order_by(User.id)
    if username:
        query = query.where(User.username == username.lower())
    staff = db.session.scalar(query)
    if staff is None:
        click.echo("No active staff account" + (f" called {username}" if username else "") + ".", err=True)
        raise SystemExit(2)
    file = Path(path)
    parsed = parse(file.read_bytes(), file.name)
    if not parsed.ok:
        for problem in parsed.problems:
            where = f"line {problem.line}" + (f", {problem.column}" if problem.column else "")
            click.echo(f"{where}: {problem.message}", err=True)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1)
    with committed():
        ids = import_needs(staff, parsed, file.name)
    click.echo(f"Imported {len(ids)} needs (recorded by {staff.username}); they await triage.")


@click.command("export")
@with_appcontext
@click.argument("kind", type=click.Choice(["needs", "projects", "responses", "evaluations"]))
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(kind, fmt, path) -> None:
    """Export needs, projects, survey responses or evaluations (Chinese column headers)."""
    rows = write_export(kind, fmt, FULL_ACCESS, path)  # streamed; the operator sees everything
    click.echo(f"Wrote {rows} rows of {kind} to {path}.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path) -> None:
    """Write a consistent copy of the whole database to FILE (a zip)."""
    counts = backup.backup(path)
    click.echo(f"Backed up {sum(counts.values())} rows from {len(counts)} tables to {path}.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore_command(path) -> None:
    """Restore FILE (made by 'backup') into an empty database at the same migration."""
    try:
        counts = backup.restore(path)
    except (backup.RestoreError, KeyError, ValueError) as exc:
        click.echo(f"Nothing was restored: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Restored {sum(counts.values())} rows into {len(counts)} tables.")


@click.command("worker")
@with_appcontext
@click.option("--threads", type=int, default=None, help="Worker threads (default: the WORKER_THREADS setting).")
def worker_command(threads) -> None:
    """Run the background jobs (e-mail, large exports, clean-ups) until SIGTERM or SIGINT."""
    import logging

    from flask import current_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()
    running = consumer(app, threads)
    click.echo(f"Worker started with {running.workers} threads on {describe_queue(app)}.")
    running.run()
    click.echo("Worker stopped.")


@audit_cli.command("verify")
@click.option("--show", default=10, show_default=True, help="How many problems to list at most.")
def audit_verify_command(show) -> None:
    """Recompute the hash chains of the audit log and the decisions; exit 1 if anything was
    changed, deleted or truncated, naming the first broken record."""
    report = integrity.verify(db.session)
    db.session.rollback()
    for table, count in report.checked.items():
        click.echo(f"  {table}: {count} records")
    if report.ok:
        click.echo(f"Audit chains intact: {report.total} records checked.")
        return
    click.echo(f"TAMPERED: {len(report.problems)} problem(s) found; the first broken record:", err=True)
    for problem in report.problems[:show]:
        click.echo(f"  {problem}", err=True)
    raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(export_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(seed_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(needs_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(figures_cli)
