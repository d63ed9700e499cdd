from coordination.needs.models.categories import Category

__all__ = ["Category"]
