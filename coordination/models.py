"""Imports every model so that SQLAlchemy's metadata (and Alembic) sees the whole schema.

Each domain's ``models`` package imports its own model modules; importing the package is enough."""

import coordination.accounts.models  # noqa: F401
import coordination.core.models  # noqa: F401
import coordination.dashboards.models  # noqa: F401
import coordination.evaluation.models  # noqa: F401
import coordination.needs.models  # noqa: F401
import coordination.places.models  # noqa: F401
import coordination.pledges.models  # noqa: F401
import coordination.projects.models  # noqa: F401
import coordination.volunteers.models  # noqa: F401
