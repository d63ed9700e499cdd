"""The evaluation's vocabulary: indicators, surveys, responses, reviews and selections."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class IndicatorDimension(LabelledEnum):
    PERFORMANCE = "performance", _l("Implementation performance")
    FUNDS = "funds", _l("Use and effect of funds")
    PROCESS = "process", _l("Process quality")


class SurveyStatus(LabelledEnum):
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")


class QuestionKind(LabelledEnum):
    LIKERT = "likert", _l("Score from 1 to 5")
    TEXT = "text", _l("Free text")


class ResponseMethod(LabelledEnum):
    ONLINE = "online", _l("Online")
    PAPER = "paper", _l("Paper questionnaire")
    VISIT = "visit", _l("Household visit")


class InviteReason(LabelledEnum):
    """Why a person was invited to a project's satisfaction survey (the people served); the
    label is what their list of surveys says."""

    SUBMITTED = "submitted", _l("You raised a need this project answers")
    SUPPORTED = "supported", _l("You supported a need this project answers")
    SERVED = "served", _l("You volunteered on this project")


class ReviewDecision(LabelledEnum):
    ACCEPT = "accept", _l("Accepted")
    REWORK = "rework", _l("Sent back for rework")


class EvaluationGap(LabelledEnum):
    """What an evaluation still lacks before the street committee may accept it (评估待补充)."""

    SURVEY_OPEN = "survey_open", _l("The satisfaction survey is still open: staff close it first.")
    NO_RESPONSES = "no_responses", _l("Nobody has answered the satisfaction survey yet.")
    NO_INDICATOR_SCORES = "no_indicator_scores", _l("No indicator has been scored yet.")


class SelectionStatus(LabelledEnum):
    OPEN = "open", _l("Voting open")
    CLOSED = "closed", _l("Results published")


class EvaluationStep(LabelledEnum):
    """The project's evaluation steps; each value is the code of its audit record."""

    OPEN_EVALUATION = "open_evaluation", _l("Open the evaluation")
    SCORE_INDICATORS = "indicators", _l("Score the indicators")
    ACCEPT_EVALUATION = "accept_evaluation", _l("Accept the evaluation")
    SEND_BACK_EVALUATION = "rework_evaluation", _l("Send the evaluation back")


class SurveyStep(LabelledEnum):
    INVITE = "invites", _l("Create invitation codes")
    CLOSE = "close", _l("Close the survey")


class SelectionStep(LabelledEnum):
    OPEN = "open", _l("Open voting")
    VOTE = "ballot", _l("Cast my ballot")
    CLOSE = "close", _l("Close voting and publish the results")
