"""Helpers shared by the web forms of every module."""

from __future__ import annotations

from coordination.core.errors import InvalidInput


def show_errors(form, exc: InvalidInput) -> None:
    """Put an operation's field errors next to the form's fields (others above the form)."""
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)
