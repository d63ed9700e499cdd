"""The JSON API ``/api/v1`` for the area's mobile app (see shared/API.md)."""

from flask import Blueprint

from coordination.api.spec import ApiRegistry

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api = ApiRegistry(bp)

# Route modules register themselves on ``api`` when imported.
from coordination.api import (  # noqa: E402,F401
    routes_auth,
    routes_evaluation,
    routes_meta,
    routes_needs,
    routes_places,
    routes_privacy,
    routes_projects,
)
