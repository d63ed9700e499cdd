"""Query counts of the pages the street bench reads that had none: a need's page and the
dashboard run a small fixed number of queries, however much the need or the street holds."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import Place
from tests.conftest import login
from tests.core.test_query_counts import CEILING  # noqa: F401  (fixture)
from tests.core.test_query_counts import queries_of  # noqa: F401  (fixture)
from tests.core.test_query_counts import street  # noqa: F401  (fixture)
from tests.factories import user


def _need(db, title: str, supporters: int) -> Need:
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 1))
    need = needs.submit_need(user(db, "worker"), needs.NeedInput(
        kind="idea", title=title, description="老楼需要电梯。", place_id=place_id))
    needs.accept_need(user(db, "staff"), need.id, category_id)
    for username in ["resident"][:supporters]:
        needs.support_need(user(db, username), need)
    db.session.commit()
    return need


@pytest.mark.parametrize("username", [None, "resident", "staff"])
def test_a_need_page_runs_the_same_few_queries_for_a_quiet_or_busy_need(client, db, username):
    quiet, busy = _need(db, "楼道灯", 0), _need(db, "加装电梯", 1)
    if username:
        login(client, username)
    counts = [queries_of(client, f"/needs/{need.id}") for need in (quiet, busy)]
    assert counts[0] == counts[1] <= CEILING, counts


def test_an_anonymous_need_page_makes_no_session(client, db):
    need = _need(db, "楼道灯", 0)
    answer = client.get(f"/needs/{need.id}")
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers  # no CSRF token, hence no session, for a reader


@pytest.mark.parametrize("username", ["street", "staff"])
def test_the_dashboard_runs_a_few_queries_once_its_charts_are_cached(client, street, username):  # noqa: F811
    login(client, username)
    first = queries_of(client, "/dashboard")
    again = queries_of(client, "/dashboard")
    assert again < first  # the charts come from the cache
    assert again <= 8, again  # session, user, 2FA, areas, notifications
