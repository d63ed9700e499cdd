from coordination.volunteers.models.profiles import VolunteerProfile
from coordination.volunteers.models.profiles import VolunteerProfileSkill
from coordination.volunteers.models.profiles import VolunteerSkill
from coordination.volunteers.models.signups import VolunteerHours
from coordination.volunteers.models.signups import VolunteerSignup
from coordination.volunteers.models.teams import ServicePoint
from coordination.volunteers.models.teams import VolunteerTeam

__all__ = ["ServicePoint", "VolunteerHours", "VolunteerProfile", "VolunteerProfileSkill", "VolunteerSignup",
           "VolunteerSkill", "VolunteerTeam"]
