"""What a project's evaluation shows to a reader, built once for its page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from coordination.evaluation import permissions
from coordination.evaluation import queries
from coordination.evaluation import scores
from coordination.evaluation.enums import InviteReason
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Survey


@dataclass
class EvaluationDetails:
    """Per question, per indicator, by response method, and the free-text answers (which may
    hold personal data): staff and the committees only."""

    questions: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    methods: dict[str, int] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Evaluation:
    survey: Survey | None
    result: scores.Scores | None  # None while the reader may not see the results
    reviews: list[EvaluationReview]  # oldest first; none while the results are hidden
    details: EvaluationDetails | None

    @property
    def review(self) -> EvaluationReview | None:
        """The latest review (the API shows this one; the page shows them all)."""
        return self.reviews[-1] if self.reviews else None

    def page_fields(self) -> dict:
        """The evaluation page's template variables."""
        details = self.details or EvaluationDetails()
        return {"survey": self.survey, "result": self.result, "reviews": self.reviews,
                "details": self.details is not None, "questions": details.questions,
                "breakdown": details.indicators, "methods": details.methods, "texts": details.texts}


def evaluation(user, project) -> Evaluation:
    """The evaluation of ``project`` as ``user`` may see it: the results once they are public
    (or for staff and committees), the details for staff and committees only."""
    survey = queries.survey_of(project.id)
    visible = permissions.can_see_results(user, project)
    details = None
    if permissions.can_see_details(user):
        details = EvaluationDetails(indicators=scores.indicator_breakdown(project.id))
        if survey is not None:
            details.questions = scores.question_summary(survey.id)
            details.methods = scores.methods(survey.id)
            details.texts = queries.text_answers(survey.id)
    return Evaluation(survey=survey, result=scores.project_scores(project.id) if visible else None,
                      reviews=queries.reviews(project.id) if visible else [], details=details)


@dataclass(frozen=True)
class MySurvey:
    """One line of a person's "my surveys" (their page and the API)."""

    survey_id: int
    project_id: int
    project_title: str
    open: bool
    answered: bool
    reason: InviteReason | None  # None: answered without an invitation
    closes_on: date | None

    @property
    def link(self) -> str:
        return f"/surveys/{self.survey_id}"


def my_surveys(user, page: int = 1, per_page: int = 10) -> tuple[list[MySurvey], int]:
    """The surveys ``user`` was invited to or answered, open ones first, and how many in all."""
    rows, total = queries.my_surveys(user, page, per_page)
    return [MySurvey(survey.id, survey.project_id, title, survey.is_open, bool(answered), reason, survey.closes_on)
            for survey, title, reason, answered in rows], total
