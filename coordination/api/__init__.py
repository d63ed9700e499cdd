"""The JSON API ``/api/v1`` for the area's mobile app (see shared/API.md)."""

from flask import Blueprint

from coordination.api.spec import ApiRegistry

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api = ApiRegistry(bp)

# Route modules register themselves on ``api`` when imported.
from coordination.api import routes_auth  # noqa: E402,F401
from coordination.api import routes_evaluation  # noqa: E402,F401
from coordination.api import routes_meta  # noqa: E402,F401
from coordination.api import routes_needs  # noqa: E402,F401
from coordination.api import routes_notifications  # noqa: E402,F401
from coordination.api import routes_places  # noqa: E402,F401
from coordination.api import routes_pledges  # noqa: E402,F401
from coordination.api import routes_privacy  # noqa: E402,F401
from coordination.api import routes_projects  # noqa: E402,F401
from coordination.api import routes_selections  # noqa: E402,F401
from coordination.api import routes_volunteers  # noqa: E402,F401
