"""Helpers shared by the web forms of every module."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms import widgets

from coordination.core.errors import DomainError
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.transactions import committed
from coordination.extensions import db


class ReferenceForm(FlaskForm):
    """A form whose select lists come from the database: the reference data an administrator keeps
    (places, units, categories, indicators …) and the user form."""

    def prepare(self) -> None:
        """Fill select choices from the database (called before validation and display)."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices_of(query, label=lambda o: str(o), blank: bool = False) -> list:
    """The rows of ``query`` as select choices ``(id, label)``; ``blank`` puts "—" (0, none) first."""
    items = [(o.id, label(o)) for o in db.session.scalars(query).all()]
    return ([(0, "—")] if blank else []) + items


def optional_id(value):
    """SelectField coercion where 0 / '' mean "none"."""
    if value in (None, "", "0", 0, "None"):
        return None
    return int(value)


def show_errors(form, exc: InvalidInput) -> None:
    """Put an operation's field errors next to the form's fields (others above the form)."""
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


def error_text(exc: DomainError) -> str:
    return " ".join([exc.message, *exc.fields.values()]) if exc.fields else exc.message


def perform(action, success: str, back: str, category: str = "success"):
    """Run one small step from a page's button: commit and say so, or say what went wrong
    (a refused role is a 403); then go back to ``back``."""
    try:
        with committed():
            action()
    except Forbidden:
        abort(403)
    except DomainError as exc:
        flash(error_text(exc), "danger")
    else:
        flash(success, category)
    return redirect(back)


def post_routes(bp, rule: str, names, view_for) -> None:
    """One POST route per name of ``names`` (``rule`` holds ``{name}``), served by ``view_for(name)``;
    the endpoint is the name (a dash becomes an underscore): a route for each step of a table."""
    for name in names:
        bp.add_url_rule(rule.format(name=name), name.replace("-", "_"), view_for(name), methods=["POST"])


MAX_ID = 2**31 - 1  # the largest id the databases' INTEGER columns hold


def to_int(value, maximum: int = MAX_ID) -> int | None:
    """An integer typed by a person (ASCII digits only, within range), or None."""
    text = str(value if value is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= maximum else None


def positive_int_arg(name: str, source=None) -> int | None:
    """A query-string (or form) id: a positive integer within range, or None."""
    value = to_int((source if source is not None else request.args).get(name))
    return value if value else None


def page_arg() -> int:
    """The ?page= of a list: 1 to 10,000."""
    return min(positive_int_arg("page") or 1, 10_000)


def require_csrf() -> None:
    """Buttons that post no fields still need a valid CSRF token (400 otherwise)."""
    if not FlaskForm().validate_on_submit():
        abort(400)


# Names a query argument must not take when it is passed on into links: they are parameters of
# ``url_for`` or of the ``pager`` macro and of the links that pass arguments on (``name`` of a
# chart's download), so ``?endpoint=x`` would break the page instead of being ignored.
_NOT_PASSED_ON = frozenset({"self", "endpoint", "pagination", "name"})


def query_args(*drop: str) -> dict[str, str]:
    """The request's query arguments to carry into the links of the same page (its filters):
    the first value of each, without empty ones, those named in ``drop`` and reserved names."""
    return {key: value for key, value in request.args.items(multi=False)
            if value and key not in drop and key not in _NOT_PASSED_ON and not key.startswith("_")}
