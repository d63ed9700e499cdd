"""Imports every model so that SQLAlchemy's metadata (and Alembic) sees the whole schema."""

from coordination.accounts.models import ApiToken, User, UserRole
from coordination.core.models import AuditRecord, Notification
from coordination.dashboards.models import ExportJob
from coordination.evaluation.models import (
    Ballot,
    EvaluationReview,
    Indicator,
    IndicatorScore,
    Nominee,
    Selection,
    Survey,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
)
from coordination.needs.models import Category, ContentReport, Need, NeedFollower, NeedPhoto, NeedSupport
from coordination.projects.models import (
    CouncilVote,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectFunding,
    ProjectNeed,
    ProjectPartner,
)
from coordination.places.models import (
    Association,
    CouncilMember,
    MemberUnit,
    PartyOrganisation,
    Place,
    PresidentTerm,
    ProfessionalCommittee,
    Street,
)

__all__ = [
    "ApiToken",
    "Association",
    "AuditRecord",
    "Category",
    "ExportJob",
    "ContentReport",
    "Need",
    "NeedFollower",
    "NeedPhoto",
    "NeedSupport",
    "Notification",
    "CouncilMember",
    "Indicator",
    "IndicatorScore",
    "Ballot",
    "EvaluationReview",
    "Nominee",
    "Selection",
    "Survey",
    "SurveyAnswer",
    "SurveyInvite",
    "SurveyQuestion",
    "SurveyResponse",
    "MemberUnit",
    "PartyOrganisation",
    "Place",
    "PresidentTerm",
    "ProfessionalCommittee",
    "Street",
    "CouncilVote",
    "ProgressPhoto",
    "ProgressReport",
    "Project",
    "ProjectFunding",
    "ProjectNeed",
    "ProjectPartner",
    "User",
    "UserRole",
]
