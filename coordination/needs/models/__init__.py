from coordination.needs.models.categories import Category
from coordination.needs.models.needs import ContentReport
from coordination.needs.models.needs import Need
from coordination.needs.models.needs import NeedFollower
from coordination.needs.models.needs import NeedPhoto
from coordination.needs.models.needs import NeedSupport
from coordination.needs.models.needs import is_offline
from coordination.needs.models.tallies import NO_CATEGORY
from coordination.needs.models.tallies import NeedTally

__all__ = ["NO_CATEGORY", "Category", "ContentReport", "Need", "NeedFollower", "NeedPhoto", "NeedSupport", "NeedTally",
           "is_offline"]
