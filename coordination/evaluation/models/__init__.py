from coordination.evaluation.models.indicators import Indicator

__all__ = ["Indicator"]
