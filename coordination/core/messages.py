"""Text the system writes into the record (system notes): stored as a message code and its
parameters, rendered when read, in the reader's language.

An operation that explains a change in its own words (a merge, a council tally, an approval)
passes ``note=note("need.merged_from", id=3)`` to ``audit.record``: the audit record keeps
``{"note": {"code": …, "params": {…}}}`` in its hashed ``details`` and no ``comment``; pages and
the API show ``note_text(record)``. Records written before this (their note stored as text in the
language of the person who caused it) cannot be rewritten: the audit log is append-only and
hash-chained. ``note_text`` recognises such a stored text in either language and renders it
again in the reader's language; free text typed by people is shown as it was written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

# code → message (with %(name)s / %(name)d placeholders); the one table of system notes.
NOTES = {
    "need.merged_from": _l("Merged from #%(id)d"),
    "project.approvals": _l("Approvals: %(n)d of %(size)d"),
    "project.rejections": _l("Rejections: %(n)d of %(size)d"),
    "project.completion_submitted": _l("Completion report submitted"),
    "need.project_approved": _l("Project “%(title)s” was approved"),
    "need.project_completed": _l("Project “%(title)s” was completed"),
}
LANGUAGES = ("en", "zh_Hans_CN")
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def note(code: str, **params) -> dict:
    """The ``details`` entry of a system note (checked against ``NOTES``)."""
    if code not in NOTES:
        raise KeyError(f"unknown system note {code!r}")
    return {"code": code, "params": params}


def render_note(code: str, params: dict | None) -> str | None:
    message = NOTES.get(code)
    if message is None:
        return None
    try:
        return gettext(message._args[0], **(params or {}))
    except (KeyError, TypeError, ValueError):
        return gettext(message._args[0])


def _pattern(template: str) -> re.Pattern:
    parts, end = [], 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end:match.start()]))
        parts.append(f"(?P<{match.group(1)}>\\d+)" if match.group(2) == "d" else f"(?P<{match.group(1)}>.+)")
        end = match.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _legacy_patterns() -> list[tuple[str, re.Pattern, set[str]]]:
    """Each system note as it reads in each language, as a pattern with its parameters."""
    patterns = []
    for code, message in NOTES.items():
        numbers = {name for name, kind in _PLACEHOLDER.findall(message._args[0]) if kind == "d"}
        seen = set()
        for language in LANGUAGES:
            with force_locale(language):
                template = gettext(message._args[0])
            if template not in seen:
                seen.add(template)
                patterns.append((code, _pattern(template), numbers))
    return patterns


def parse_note(text: str | None) -> dict | None:
    """A system note stored as text (any language) → ``{"code", "params"}``, or None for free text."""
    if not text:
        return None
    for code, pattern, numbers in _legacy_patterns():
        match = pattern.match(text)
        if match:
            params = {k: int(v) if k in numbers else v for k, v in match.groupdict().items()}
            return {"code": code, "params": params}
    return None


def note_text(record) -> str | None:
    """The comment of an audit record, in the reader's language."""
    details = record.details if isinstance(record.details, dict) else None
    stored = details.get("note") if details else None
    if isinstance(stored, dict) and stored.get("code") in NOTES:
        return render_note(stored["code"], stored.get("params"))
    parsed = parse_note(record.comment)
    if parsed is not None:
        return render_note(parsed["code"], parsed["params"])
    return record.comment

