from coordination.places.models.association import (
    Association,
    CouncilMember,
    PresidentTerm,
    ProfessionalCommittee,
)
from coordination.places.models.places import Place, Street
from coordination.places.models.units import MemberUnit, PartyOrganisation

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
