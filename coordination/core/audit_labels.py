"""How the audit log reads to a person: a translated label for each action code and object
type, the states in words, and a link to the object the record is about (the one place these
are named; the audit page and its tests use it)."""

from __future__ import annotations

import re

from flask import current_app
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from coordination.core import permissions
from coordination.core.enums import LabelledEnum

ACTIONS = {
    "user.register": _l("Registered"),
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.delete": _l("Account deleted"),
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "user.password": _l("Password changed"),
    "user.sessions_ended": _l("Other sessions ended"),
    "user.2fa_enrolment": _l("Second factor set-up started"),
    "user.2fa_enabled": _l("Second factor switched on"),
    "user.2fa_disabled": _l("Second factor switched off"),
    "user.2fa_recovery_code_used": _l("Recovery code used"),
    "token.issue": _l("API token issued"),
    "token.revoke": _l("API token revoked"),
    "need.submit": _l("Need submitted"),
    "need.record": _l("Need recorded offline"),
    "need.import": _l("Need imported"),
    "need.accept": _l("Need accepted"),
    "need.reject": _l("Need not accepted"),
    "need.merge": _l("Need merged into another"),
    "need.merged_in": _l("Another need merged into this one"),
    "need.status": _l("Need status changed by its project"),
    "need.support": _l("Need supported"),
    "need.unsupport": _l("Support withdrawn"),
    "need.report": _l("Need reported"),
    "need.reports_dismissed": _l("Reports dismissed"),
    "need.hide": _l("Need hidden"),
    "need.unhide": _l("Need shown again"),
    "project.create": _l("Project created"),
    "project.update": _l("Project edited"),
    "project.propose": _l("Proposed to the council"),
    "project.vote": _l("Council vote cast"),
    "project.resolve": _l("Resolved by the council's vote"),
    "project.council_reject": _l("Rejected by the council's vote"),
    "project.approve": _l("Approved and published"),
    "project.return": _l("Returned to draft"),
    "project.reject": _l("Not approved"),
    "project.claim": _l("Project claimed"),
    "project.join": _l("Partner unit joined"),
    "project.release": _l("Claim released"),
    "project.progress": _l("Progress reported"),
    "project.complete": _l("Project completed"),
    "project.open_evaluation": _l("Evaluation opened"),
    "project.accept_evaluation": _l("Evaluation accepted"),
    "project.rework_evaluation": _l("Evaluation sent back"),
    "evaluation.indicators": _l("Indicator scores entered"),
    "survey.invites": _l("Survey invitation codes made"),
    "survey.response": _l("Survey answered"),
    "survey.close": _l("Survey closed"),
    "selection.open": _l("Annual selection opened"),
    "selection.ballot": _l("Selection ballot cast"),
    "selection.close": _l("Annual selection closed"),
    "pledge.make": _l("Pledge made"),
    "pledge.keep": _l("Pledge kept"),
    "pledge.follow": _l("Pledge followed"),
    "pledge.unfollow": _l("Pledge no longer followed"),
    "pledge.rate": _l("Pledge rated"),
    "export.request": _l("Export requested"),
    "seed.create": _l("Reference data loaded"),
    "volunteer_profile.create": _l("Volunteer profile created"),
    "volunteer_profile.update": _l("Volunteer profile changed"),
    "volunteer_signup.sign_up": _l("Signed up as a volunteer"),
    "volunteer_signup.withdraw": _l("Volunteer sign-up withdrawn"),
    "volunteer_signup.check_in": _l("Volunteer checked in"),
    "volunteer_signup.record_hours": _l("Volunteer hours recorded"),
}
# The administration's own sections record "<section key>.create" and "<section key>.update".
ADMIN_VERBS = {"create": _l("Created: %(what)s"), "update": _l("Changed: %(what)s")}

# Object types in words (a context of their own: "Project" here is not the "Project" of a form).
OBJECT_TYPES = {
    "Need": lambda: pgettext("audit object", "Need"),
    "Project": lambda: pgettext("audit object", "Project"),
    "User": lambda: pgettext("audit object", "Account"),
    "Survey": lambda: pgettext("audit object", "Survey"),
    "Selection": lambda: pgettext("audit object", "Annual selection"),
    "Street": lambda: pgettext("audit object", "Street"),
    "Place": lambda: pgettext("audit object", "Place"),
    "MemberUnit": lambda: pgettext("audit object", "Member unit"),
    "PartyOrganisation": lambda: pgettext("audit object", "Party organisation"),
    "Association": lambda: pgettext("audit object", "Promotion association"),
    "CouncilMember": lambda: pgettext("audit object", "Council member"),
    "ProfessionalCommittee": lambda: pgettext("audit object", "Professional committee"),
    "PresidentTerm": lambda: pgettext("audit object", "Rotating president term"),
    "Category": lambda: pgettext("audit object", "Need category"),
    "Indicator": lambda: pgettext("audit object", "Evaluation indicator"),
    "Pledge": lambda: pgettext("audit object", "Pledge"),
    "ExportJob": lambda: pgettext("audit object", "Export"),
    "ApiToken": lambda: pgettext("audit object", "API token"),
    "VolunteerProfile": lambda: pgettext("audit object", "Volunteer profile"),
    "VolunteerSignup": lambda: pgettext("audit object", "Volunteer sign-up"),
    "VolunteerSkill": lambda: pgettext("audit object", "Volunteer skill"),
    "VolunteerTeam": lambda: pgettext("audit object", "Volunteer team"),
    "ServicePoint": lambda: pgettext("audit object", "Party-member service point"),
    "system": lambda: pgettext("audit object", "System"),
}
# Objects edited in the administration: their section key there.
ADMIN_SECTIONS = {
    "Street": "streets", "Place": "places", "MemberUnit": "units", "PartyOrganisation": "party-organisations",
    "Association": "associations", "CouncilMember": "council", "ProfessionalCommittee": "committees",
    "PresidentTerm": "president-terms", "Category": "categories", "Indicator": "indicators",
    "VolunteerSkill": "volunteer-skills", "VolunteerTeam": "volunteer-teams", "ServicePoint": "service-points",
}
SECTION_TYPES = {key: name for name, key in ADMIN_SECTIONS.items()}
# Pages open to whoever may read the audit log.
PAGES = {"Need": ("needs.detail", "need_id"), "Project": ("projects.detail", "project_id"),
         "Selection": ("evaluation.selection", None), "MemberUnit": ("places.unit_detail", "unit_id"),
         "Pledge": ("pledges.detail", "pledge_id")}
_REPR = re.compile(r"^<[\w.]+ object at 0x[0-9a-f]+>$")
# The enum (by name: each lives in its domain) of the states of an object type.
STATE_ENUMS = {"Need": "NeedStatus", "Project": "ProjectStatus", "VolunteerSignup": "SignupStatus",
               "Pledge": "PledgeStatus"}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    if label is not None:
        return str(label)
    section, _dot, verb = code.partition(".")
    if section in SECTION_TYPES and verb in ADMIN_VERBS:
        return _(ADMIN_VERBS[verb]._args[0], what=object_type_label(SECTION_TYPES[section]))
    return code


def object_type_label(name: str) -> str:
    label = OBJECT_TYPES.get(name)
    return label() if label is not None else name


def object_label(entry) -> str:
    """The stored name of the object, unless it is a Python repr (older records)."""
    label = entry.object_label or ""
    return "" if _REPR.match(label) else label


def state_label(entry, value: str | None) -> str:
    """A stored state code in words (a need's or a project's status, or a few others)."""
    if not value:
        return ""
    enum_name = STATE_ENUMS.get(entry.object_type)
    if enum_name is not None:
        try:
            return str(LabelledEnum.named(enum_name)(value).label)
        except (ValueError, KeyError):
            pass
    others = {"open": _l("open"), "closed": _l("closed"), "hidden": _l("hidden"), "visible": _l("visible")}
    return str(others.get(value, value))


def object_url(entry, user) -> str | None:
    """A link to the object of an audit record, where there is a page for it the reader may open."""
    if entry.object_id is None:
        return None
    endpoints = current_app.view_functions
    if entry.object_type in PAGES:
        endpoint, argument = PAGES[entry.object_type]
        if endpoint in endpoints:
            return url_for(endpoint, **({argument: entry.object_id} if argument else {}))
        return None
    if not permissions.can_manage_platform(user):
        return None
    if entry.object_type == "User" and "admin.edit_user" in endpoints:
        return url_for("admin.edit_user", user_id=entry.object_id)
    if entry.object_type in ADMIN_SECTIONS and "admin.edit_item" in endpoints:
        return url_for("admin.edit_item", key=ADMIN_SECTIONS[entry.object_type], item_id=entry.object_id)
    return None


# Details kept with a record: each key in words, its value in words where it is a code.
DETAIL_KEYS = {
    "vote": _l("Vote"), "round": _l("Round"), "roles": _l("Roles"), "channel": _l("Channel"),
    "method": _l("Method"), "count": _l("How many"), "unit": _l("Member unit"), "year": _l("Year"),
    "percent": _l("Progress (%)"), "spent": _l("Spent (yuan)"), "questions": _l("Questions"),
    "sessions_ended": _l("Sessions ended"), "with_code": _l("With an invitation code"),
    "max_choices": _l("Choices per ballot"), "nominees": _l("Nominated projects"),
    "check_in": _l("Check-in method"), "hours": _l("Hours"), "date": _l("Date"), "skills": _l("Skills"),
    "fields": _l("Fields changed"),
}
DETAIL_ENUMS = {"vote": "VoteChoice", "roles": "Role", "channel": "NeedChannel", "method": "ResponseMethod",
                "check_in": "CheckInMethod"}


def _detail_value(key: str, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        if len(value) == 2 and key not in DETAIL_KEYS:  # an edited field: [before, after]
            return f"{'' if value[0] is None else value[0]} → {'' if value[1] is None else value[1]}"
        return _(", ").join(_detail_value(key, item) for item in value)
    if key in DETAIL_ENUMS and value is not None:
        try:
            return str(LabelledEnum.named(DETAIL_ENUMS[key])(value).label)
        except (ValueError, KeyError):
            pass
    return "" if value is None else str(value)


def details_text(details: dict | None) -> list[tuple[str, str]]:
    """The details of an audit record (its system note left out) as (label, value) pairs."""
    if not isinstance(details, dict):
        return []
    return [(str(DETAIL_KEYS.get(key, key)), _detail_value(key, value))
            for key, value in details.items() if key != "note"]
