"""Helpers shared by the web forms of every module."""

from __future__ import annotations

from flask import abort, flash, redirect, request

from coordination.core.errors import DomainError, Forbidden, InvalidInput
from coordination.extensions import db


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
        action()
    except Forbidden:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        flash(error_text(exc), "danger")
    else:
        db.session.commit()
        flash(success, category)
    return redirect(back)


def positive_int_arg(name: str) -> int | None:
    """A query-string id filter: a positive integer, or None."""
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None
