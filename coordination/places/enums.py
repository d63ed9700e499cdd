"""The places' vocabulary: kinds of place, of member unit and of Party organisation, and
the council's positions."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class PlaceKind(LabelledEnum):
    AREA = "area", _l("Area")
    COMMUNITY = "community", _l("Residential community")
    BUILDING = "building", _l("Office building")


class UnitType(LabelledEnum):
    COMPANY = "company", _l("Company")
    INSTITUTION = "institution", _l("Public institution")
    AGENCY = "agency", _l("Government agency")
    SOCIAL_ORGANISATION = "social_organisation", _l("Social organisation")


class PartyOrgKind(LabelledEnum):
    COMMITTEE = "committee", _l("Party committee")
    GENERAL_BRANCH = "general_branch", _l("Party general branch")
    BRANCH = "branch", _l("Party branch")


class CouncilPosition(LabelledEnum):
    CHAIR = "chair", _l("Council chair")
    VICE_CHAIR = "vice_chair", _l("Vice chair")
    MEMBER = "member", _l("Director")
