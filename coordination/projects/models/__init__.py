from coordination.projects.models.projects import (
    CouncilVote,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectFunding,
    ProjectNeed,
    ProjectPartner,
)

__all__ = ["CouncilVote", "ProgressPhoto", "ProgressReport", "Project", "ProjectFunding", "ProjectNeed",
           "ProjectPartner"]
