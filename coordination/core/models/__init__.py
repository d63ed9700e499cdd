from coordination.core.models.audit import AuditRecord
from coordination.core.models.base import Base, TimestampMixin, UTCDateTime, utcnow

__all__ = ["AuditRecord", "Base", "TimestampMixin", "UTCDateTime", "utcnow"]
