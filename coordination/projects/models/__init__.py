from coordination.projects.models.projects import (
    CouncilVote,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectFunding,
    ProjectNeed,
    ProjectPartner,
)
from coordination.projects.models.tallies import ProjectTally

__all__ = ["CouncilVote", "ProgressPhoto", "ProgressReport", "Project", "ProjectFunding", "ProjectNeed",
           "ProjectPartner", "ProjectTally"]
