"""The dashboards' vocabulary: where a background export stands."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class ExportStatus(LabelledEnum):
    """Where a background export stands."""

    QUEUED = "queued", _l("Waiting to start")
    RUNNING = "running", _l("Being prepared")
    READY = "ready", _l("Ready to download")
    FAILED = "failed", _l("Failed")
