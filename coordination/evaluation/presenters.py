"""What a project's evaluation shows to a reader, built once for its page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from coordination.evaluation import permissions
from coordination.evaluation import queries
from coordination.evaluation import scores
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
