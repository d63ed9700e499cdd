"""No N+1: every list page and API list runs a small, fixed number of queries, however many
rows the page shows (compared between a short and a long page, and against a ceiling)."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy import select

from coordination.extensions import db as _db
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.places.models import Place
from tests.conftest import login
from tests.factories import build
from tests.factories import user

STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
CEILING = 25  # statements per page, whatever its length (session, user, page, figures)


@contextmanager
def counted():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if STATEMENT.match(statement):
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)


def queries_of(client, url: str, headers: dict | None = None) -> int:
    with counted() as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


@pytest.fixture()
def street(db):
    """55 needs in the menu (a third supported) and 9 projects published, claimed or completed."""
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 1))
    staff = user(db, "staff")
    for i in range(55):
        need = needs.submit_need(user(db, "worker"), needs.NeedInput(
            kind="idea", title=f"加装电梯{i}", description="老楼需要电梯。", place_id=place_id))
        needs.accept_need(staff, need.id, category_id)
        if i % 3 == 0:
            needs.support_need(user(db, "resident"), need)
    db.session.commit()
    return [build(db, status, title=f"电梯项目{i}", need_title=f"电梯{i}")
            for i, status in enumerate(["published", "claimed", "completed"] * 3)]


@pytest.mark.parametrize("path", ["/api/v1/needs", "/api/v1/needs?q=电梯", "/api/v1/needs?sort=newest",
                                  "/api/v1/projects", "/api/v1/projects?q=电梯"])
def test_api_lists_run_the_same_few_queries_for_2_or_50_rows(client, street, api_token, path):
    joiner = "&" if "?" in path else "?"
    for headers in ({}, api_token("staff"), api_token("council")):
        short = queries_of(client, f"{path}{joiner}per_page=2", headers)
        long = queries_of(client, f"{path}{joiner}per_page=50", headers)
        assert long == short, (path, short, long)
        assert long <= CEILING, (path, long)


@pytest.mark.parametrize(("few", "many"), [("/needs?q=电梯4", "/needs"), ("/needs?q=电梯4", "/needs?category_id=1"),
                                           ("/projects?status=claimed", "/projects")])
def test_list_pages_run_the_same_few_queries_for_few_or_many_rows(client, street, few, many):
    login(client, "council")
    assert queries_of(client, few) == queries_of(client, many) <= CEILING


@pytest.mark.parametrize("username", ["worker", "resident", "unitrep", "staff"])
def test_home_and_me_run_a_few_queries(client, street, username):
    login(client, username)  # the worker submitted all 55 needs, the resident supports 19
    assert queries_of(client, "/") <= CEILING
    assert queries_of(client, "/me") <= CEILING
