from coordination.needs.models.categories import Category
from coordination.needs.models.needs import (
    ContentReport,
    Need,
    NeedFollower,
    NeedPhoto,
    NeedSupport,
    is_offline,
)
from coordination.needs.models.tallies import NO_CATEGORY, NeedTally

__all__ = ["NO_CATEGORY", "Category", "ContentReport", "Need", "NeedFollower", "NeedPhoto", "NeedSupport", "NeedTally",
           "is_offline"]
