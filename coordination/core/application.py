"""The Flask application class: Flask itself, with URLs built once.

A page links the same places many times (the menus, the icon sprite, the stylesheets, the
pagination): building each URL walks the routing map, and on a logged-in page that was a
tenth of the request. A URL that is relative to the site (not ``_external``, no scheme,
method or anchor) depends only on the endpoint, its values and the request's script root, so
it is kept per worker process and built again only for new combinations.
"""

from __future__ import annotations

from itertools import islice
from threading import Lock
from typing import Any

from flask import Flask
from flask import request
from flask.globals import _cv_request

_CACHE_SIZE = 4096


class Application(Flask):
    """Flask, with ``url_for`` memoised for site-relative URLs inside a request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._url_cache: dict[tuple, str] = {}
        self._url_cache_lock = Lock()

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        if (_anchor is not None or _method is not None or _scheme is not None or _external
                or _cv_request.get(None) is None):
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        blueprint = request.blueprint if endpoint.startswith(".") else None
        try:
            # The type is part of the key: 1, 1.0 and True are equal keys but different URLs.
            key = (endpoint, blueprint, request.script_root,
                   tuple(sorted((name, type(value), value) for name, value in values.items())))
            hash(key)
        except TypeError:  # a list of values (several ?status=), or another unhashable value
            return super().url_for(endpoint, **values)
        url = self._url_cache.get(key)
        if url is None:
            url = super().url_for(endpoint, **values)
            with self._url_cache_lock:
                forget_oldest(self._url_cache, _CACHE_SIZE)
                self._url_cache[key] = url
        return url


def forget_oldest(cache: dict, limit: int) -> None:
    """Make room in a bounded per-worker cache: when it is full, the oldest quarter goes
    (dicts keep their insertion order), not everything at once."""
    if len(cache) >= limit:
        for key in list(islice(cache, max(1, limit // 4))):
            cache.pop(key, None)
