from coordination.projects.models.projects import CouncilVote
from coordination.projects.models.projects import ProgressPhoto
from coordination.projects.models.projects import ProgressReport
from coordination.projects.models.projects import Project
from coordination.projects.models.projects import ProjectFunding
from coordination.projects.models.projects import ProjectNeed
from coordination.projects.models.projects import ProjectPartner
from coordination.projects.models.tallies import ProjectTally

__all__ = ["CouncilVote", "ProgressPhoto", "ProgressReport", "Project", "ProjectFunding", "ProjectNeed",
           "ProjectPartner", "ProjectTally"]
