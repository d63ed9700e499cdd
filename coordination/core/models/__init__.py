from coordination.core.models.audit import AuditRecord
from coordination.core.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from coordination.core.models.notifications import Notification

__all__ = ["AuditRecord", "Notification", "Base", "TimestampMixin", "UTCDateTime", "utcnow"]
