from coordination.core.models.audit import AuditRecord
from coordination.core.models.base import Base
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import UTCDateTime
from coordination.core.models.base import utcnow
from coordination.core.models.chain import ChainHead
from coordination.core.models.chain import HashChained
from coordination.core.models.notifications import Notification

__all__ = ["AuditRecord", "ChainHead", "HashChained", "Notification", "Base", "TimestampMixin", "UTCDateTime",
           "utcnow"]

# Registers the flush hook that hash-chains every new audit record, vote, review and ballot.
import coordination.core.chaining  # noqa: E402, F401
