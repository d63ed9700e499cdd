from coordination.places.models.association import Association
from coordination.places.models.association import CouncilMember
from coordination.places.models.association import PresidentTerm
from coordination.places.models.association import ProfessionalCommittee
from coordination.places.models.places import Place
from coordination.places.models.places import Street
from coordination.places.models.units import MemberUnit
from coordination.places.models.units import PartyOrganisation

__all__ = [
    "Association",
    "CouncilMember",
    "MemberUnit",
    "PartyOrganisation",
    "Place",
    "PresidentTerm",
    "ProfessionalCommittee",
    "Street",
]
