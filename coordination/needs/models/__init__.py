from coordination.needs.models.categories import Category
from coordination.needs.models.needs import ContentReport, Need, NeedFollower, NeedPhoto, NeedSupport

__all__ = ["Category", "ContentReport", "Need", "NeedFollower", "NeedPhoto", "NeedSupport"]
