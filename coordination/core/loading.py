"""Loading one object for a reader: the one way every domain's loader answers "there is none"."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from coordination.core.errors import NotFound
from coordination.extensions import db

T = TypeVar("T")


def visible(model: type[T], object_id: int, user, can_view: Callable[[object, T], bool], missing: str,
            *options) -> T:
    """The ``model`` row ``object_id`` loaded with ``options``, if ``can_view(user, row)``.

    Raises ``NotFound`` (``missing``) when there is none or it is hidden from ``user``, so a hidden
    object and a missing one look alike: the pages answer with their 404 page, the API with its
    404 JSON."""
    row = db.session.get(model, object_id, options=options)
    if row is None or not can_view(user, row):
        raise NotFound(missing)
    return row
