"""The evaluation's vocabulary: indicators, surveys, responses, reviews and selections.

Each value is the stable code stored in the database and used in the API (see
``coordination.core.enums.LabelledEnum``)."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class IndicatorDimension(LabelledEnum):
    PERFORMANCE = "performance"
    FUNDS = "funds"
    PROCESS = "process"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PERFORMANCE: _l("Implementation performance"),
            cls.FUNDS: _l("Use and effect of funds"),
            cls.PROCESS: _l("Process quality"),
        }


class SurveyStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OPEN: _l("Open"), cls.CLOSED: _l("Closed")}


class QuestionKind(LabelledEnum):
    LIKERT = "likert"
    TEXT = "text"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.LIKERT: _l("Score from 1 to 5"), cls.TEXT: _l("Free text")}


class ResponseMethod(LabelledEnum):
    ONLINE = "online"
    PAPER = "paper"
    VISIT = "visit"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ONLINE: _l("Online"), cls.PAPER: _l("Paper questionnaire"), cls.VISIT: _l("Household visit")}


class ReviewDecision(LabelledEnum):
    ACCEPT = "accept"
    REWORK = "rework"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ACCEPT: _l("Accepted"), cls.REWORK: _l("Sent back for rework")}


class EvaluationGap(LabelledEnum):
    """What an evaluation still lacks before the street committee may accept it (评估待补充)."""

    SURVEY_OPEN = "survey_open"
    NO_RESPONSES = "no_responses"
    NO_INDICATOR_SCORES = "no_indicator_scores"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.SURVEY_OPEN: _l("The satisfaction survey is still open: staff close it first."),
                cls.NO_RESPONSES: _l("Nobody has answered the satisfaction survey yet."),
                cls.NO_INDICATOR_SCORES: _l("No indicator has been scored yet.")}


class SelectionStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OPEN: _l("Voting open"), cls.CLOSED: _l("Results published")}
