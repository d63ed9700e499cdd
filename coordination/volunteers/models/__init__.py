from coordination.volunteers.models.profiles import VolunteerProfile
from coordination.volunteers.models.profiles import VolunteerProfileSkill
from coordination.volunteers.models.profiles import VolunteerSkill
from coordination.volunteers.models.teams import ServicePoint
from coordination.volunteers.models.teams import VolunteerTeam

__all__ = ["ServicePoint", "VolunteerProfile", "VolunteerProfileSkill", "VolunteerSkill", "VolunteerTeam"]
