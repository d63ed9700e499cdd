"""API: the OpenAPI document, generated from the declared routes."""

from __future__ import annotations

from flask import jsonify
from flask import request

from coordination.api import api
from coordination.api import bp
from coordination.api.spec import build_openapi


@bp.get("/openapi.json")
def openapi_document():
    document = build_openapi(api, title="Golden Ribbon API", version="1.0.0",
                             server=request.host_url.rstrip("/") + bp.url_prefix)
    return jsonify(document)
