"""JSON bodies parsed safely, once for every route: a depth limit (a deeply nested body
would otherwise exhaust Python's recursion limit), no NUL characters in text (PostgreSQL
cannot store them) and only finite numbers. A body that breaks a rule raises
:class:`MalformedJSON`, a 400 that carries the house error's ``code`` and ``fields``.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate

from flask import Request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class UnsafeJSON(ValueError):
    """The body parses as JSON but breaks one of our rules."""

    def __init__(self, code: str, fields: dict[str, str]):
        super().__init__(code)
        self.code, self.fields = code, fields


class MalformedJSON(BadRequest):
    """400 for a body that is not JSON we accept; ``code`` and ``fields`` for the API."""

    def __init__(self, code: str, message: str, fields: dict[str, str]):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without recursion."""
    brackets = _BRACKET.findall(_STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def _bad_values(data) -> dict[str, str]:
    """Each NUL character in text and each non-finite number, by its dotted path."""
    fields: dict[str, str] = {}
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if "\x00" in key:
                    fields.setdefault(path or "body", _("Text may not contain NUL characters."))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            fields.setdefault(path or "body", _("Text may not contain NUL characters."))
        elif isinstance(value, float) and not math.isfinite(value):
            fields.setdefault(path or "body", _("Enter a number of a reasonable size."))
    return fields


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with the limits above on everything it reads."""

    max_depth = MAX_DEPTH

    def loads(self, s, **kwargs):
        text = s.decode(json.detect_encoding(s)) if isinstance(s, (bytes, bytearray)) else s
        if nesting_depth(text) > self.max_depth:
            raise UnsafeJSON("too_deep", {})
        kwargs.setdefault("parse_constant", _reject_constant)
        data = json.loads(text, **kwargs)
        fields = _bad_values(data)
        if fields:
            raise UnsafeJSON("invalid", fields)
        return data


class SafeRequest(Request):
    """Requests whose JSON failures say what is wrong in the house error's terms."""

    def on_json_loading_failed(self, e: ValueError | None):
        if isinstance(e, UnsafeJSON) and e.code == "too_deep":
            message = _("The body is nested too deeply (at most %(n)d levels).", n=MAX_DEPTH)
            raise MalformedJSON("malformed_json", message, {"body": message}) from e
        if isinstance(e, UnsafeJSON):
            raise MalformedJSON("invalid", _("Please correct the marked fields."), e.fields) from e
        if e is None:  # not a JSON content type
            return super().on_json_loading_failed(e)
        message = _("The body is not valid JSON.")
        raise MalformedJSON("malformed_json", message, {"body": message}) from e
