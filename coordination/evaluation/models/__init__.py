from coordination.evaluation.models.indicators import Indicator
from coordination.evaluation.models.reviews import EvaluationReview, IndicatorScore
from coordination.evaluation.models.selections import Ballot, Nominee, Selection
from coordination.evaluation.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
)
from coordination.evaluation.models.tallies import SurveyTally

__all__ = ["Ballot", "EvaluationReview", "Indicator", "IndicatorScore", "Nominee", "Selection",
           "Survey", "SurveyAnswer", "SurveyInvite", "SurveyQuestion", "SurveyResponse", "SurveyTally"]
