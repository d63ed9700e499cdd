"""The places' vocabulary: kinds of place, of member unit and of Party organisation, and
the council's positions.

Each value is the stable code stored in the database and used in the API (see
``coordination.core.enums.LabelledEnum``)."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class PlaceKind(LabelledEnum):
    AREA = "area"
    COMMUNITY = "community"
    BUILDING = "building"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AREA: _l("Area"),
            cls.COMMUNITY: _l("Residential community"),
            cls.BUILDING: _l("Office building"),
        }


class UnitType(LabelledEnum):
    COMPANY = "company"
    INSTITUTION = "institution"
    AGENCY = "agency"
    SOCIAL_ORGANISATION = "social_organisation"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMPANY: _l("Company"),
            cls.INSTITUTION: _l("Public institution"),
            cls.AGENCY: _l("Government agency"),
            cls.SOCIAL_ORGANISATION: _l("Social organisation"),
        }


class PartyOrgKind(LabelledEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMMITTEE: _l("Party committee"),
            cls.GENERAL_BRANCH: _l("Party general branch"),
            cls.BRANCH: _l("Party branch"),
        }


class CouncilPosition(LabelledEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.CHAIR: _l("Council chair"),
            cls.VICE_CHAIR: _l("Vice chair"),
            cls.MEMBER: _l("Director"),
        }
