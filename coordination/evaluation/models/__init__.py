from coordination.evaluation.models.indicators import Indicator
from coordination.evaluation.models.reviews import EvaluationReview
from coordination.evaluation.models.reviews import IndicatorScore
from coordination.evaluation.models.selections import Ballot
from coordination.evaluation.models.selections import Nominee
from coordination.evaluation.models.selections import Selection
from coordination.evaluation.models.surveys import Survey
from coordination.evaluation.models.surveys import SurveyAnswer
from coordination.evaluation.models.surveys import SurveyInvite
from coordination.evaluation.models.surveys import SurveyInvitee
from coordination.evaluation.models.surveys import SurveyQuestion
from coordination.evaluation.models.surveys import SurveyResponse
from coordination.evaluation.models.tallies import SurveyTally

__all__ = ["Ballot", "EvaluationReview", "Indicator", "IndicatorScore", "Nominee", "Selection",
           "Survey", "SurveyAnswer", "SurveyInvite", "SurveyInvitee", "SurveyQuestion", "SurveyResponse", "SurveyTally"]
