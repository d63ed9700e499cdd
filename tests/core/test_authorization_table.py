"""The authorization table: every rule of ``app.url_map``, with each of its methods, tried
as anonymous and as every role on the demo street, compared with the policy declared here
(from API.md and DESIGN.md). A rule missing from the policy fails the test.

A role the policy allows must get past the access check: not 401, 403, 404 or the login
redirect, and never a 5xx (empty forms and bodies then answer 400, a step in the wrong
state 409). Everybody else gets exactly the declared status."""

from __future__ import annotations

import pytest

from tests.conftest import CSRF_RE, DEMO_USERS
from tests.core.authz_targets import demo_objects, url_for_rule

ROLES = [None, *DEMO_USERS]
EVERYONE = frozenset(ROLES)
USERS = frozenset(DEMO_USERS)
PUBLIC_ROLES = frozenset({"resident", "worker", "unit_rep"})  # who do not see drafts and proposals
LOGIN = "login"
REDIRECT = "redirect elsewhere"


class Rule:
    """Who may use a route, and what the others get."""

    def __init__(self, allowed, denied=403, anonymous=None, hidden_from=frozenset(), form=None):
        self.allowed, self.denied, self.anonymous = frozenset(allowed), denied, anonymous
        self.hidden_from, self.form = frozenset(hidden_from), form or {}

    def expected(self, role, api: bool):
        if role in self.allowed:
            return "allowed"
        if role is None:
            return self.anonymous or (401 if api else LOGIN)
        if role in self.hidden_from:
            return 404
        return self.denied


def public():
    return Rule(EVERYONE)


def users(**kw):
    return Rule(USERS, **kw)


def only(*roles, **kw):
    return Rule(roles, **kw)


STAFF_ONLY = dict(denied=403)
EXPORTERS = ("staff", "community_committee", "street_committee", "admin")
SURVEY_READERS = ("resident", "worker", "staff", "street_committee", "admin")

POLICY: dict[str, Rule] = {
    # pages and files anyone may see
    "GET /": public(), "GET /association": public(), "GET /dashboard": public(),
    "GET /dashboard/<name>.csv": public(), "GET /healthz": public(), "GET /needs": public(),
    "GET /needs/<int:need_id>": public(), "GET /needs/photos/<int:photo_id>": public(),
    "GET /projects": public(), "GET /projects/<int:project_id>": public(), "GET /projects/units.json": public(),
    "GET /projects/<int:project_id>/evaluation": public(),
    "GET /projects/<int:project_id>/evaluation/report": public(),
    "GET /projects/progress-photos/<int:photo_id>": Rule((), denied=404, anonymous=404),  # no such photo
    "GET /selection": public(), "GET /surveys/code": public(), "POST /surveys/code": public(),
    "GET /units": public(), "GET /units/<int:unit_id>": public(), "GET /static/<path:filename>": public(),
    "GET /bootstrap/static/<path:filename>": public(), "GET /vendor/plotly.css": public(),
    "GET /vendor/plotly.min.js": public(), "GET /lang/<code>": public(),
    # logging in and registering: for visitors; the logged-in are sent on
    "GET /login": only(None, denied=REDIRECT), "POST /login": only(None, denied=REDIRECT),
    "GET /register": only(None, denied=REDIRECT), "POST /register": only(None, denied=REDIRECT),
    "POST /logout": Rule(EVERYONE),
    # one's own account
    "GET /me": users(), "GET /me/password": users(), "POST /me/password": users(),
    # personal data (PIPL): everyone downloads theirs; residents and workers delete their account
    "GET /me/data": users(), "GET /api/v1/me/data": users(),
    "GET /me/delete": only("resident", "worker"), "POST /me/delete": only("resident", "worker"),
    "DELETE /api/v1/me": only("resident", "worker"),
    # the second step of logging in needs a first step just taken: without one, back to /login
    "GET /login/code": Rule((), denied=REDIRECT, anonymous=LOGIN),
    "POST /login/code": Rule((), denied=REDIRECT, anonymous=LOGIN),
    "GET /me/2fa": users(), "POST /me/2fa/start": users(), "POST /me/2fa/confirm": users(),
    "POST /me/2fa/disable": users(), "POST /me/sessions/others": users(),
    "POST /api/v1/me/2fa": users(), "POST /api/v1/me/2fa/confirm": users(),
    "POST /api/v1/me/2fa/disable": users(),
    "GET /notifications": users(), "POST /notifications/read": users(),
    "GET /notifications/<int:notification_id>": only("resident", denied=404),  # the resident's own
    # needs
    "GET /needs/new": only("resident", "worker", "staff"), "POST /needs/new": only("resident", "worker", "staff"),
    "POST /needs/<int:need_id>/support": only("resident", "worker"),
    "POST /needs/<int:need_id>/unsupport": users(),  # withdrawing nothing is harmless
    "POST /needs/<int:need_id>/follow": users(), "POST /needs/<int:need_id>/unfollow": users(),
    "POST /needs/<int:need_id>/report": users(),
    "POST /needs/<int:need_id>/triage": only("staff"), "POST /needs/<int:need_id>/hide": only("staff"),
    "POST /needs/<int:need_id>/unhide": only("staff"), "POST /needs/<int:need_id>/dismiss-reports": only("staff"),
    "GET /needs/triage": only("staff"), "POST /needs/triage/bulk": only("staff"),
    "GET /needs/import": only("staff"), "POST /needs/import": only("staff"),
    "POST /needs/import/confirm": only("staff"), "GET /needs/import/template.xlsx": only("staff"),
    # projects
    "GET /projects/new": only("staff"), "POST /projects/new": only("staff"),
    "GET /projects/<int:project_id>/edit": only("staff"), "POST /projects/<int:project_id>/edit": only("staff"),
    "POST /projects/<int:project_id>/propose": only("staff", hidden_from=PUBLIC_ROLES),
    "POST /projects/<int:project_id>/vote": only("council", hidden_from=PUBLIC_ROLES),
    "POST /projects/<int:project_id>/decision": only("community_committee", hidden_from=PUBLIC_ROLES),
    "POST /projects/<int:project_id>/claim": only("unit_rep"),
    "POST /projects/<int:project_id>/join": only("unit_rep"),
    "POST /projects/<int:project_id>/progress": only("unit_rep"),
    "POST /projects/<int:project_id>/complete": only("unit_rep"),
    "POST /projects/<int:project_id>/release": only("staff"),
    "GET /projects/tasks": only("unit_rep", "staff", "council", "community_committee", "street_committee"),
    # evaluation
    "GET /projects/<int:project_id>/evaluation/open": only("staff"),
    "POST /projects/<int:project_id>/evaluation/open": only("staff"),
    "POST /projects/<int:project_id>/evaluation/scores": only("staff"),
    "POST /projects/<int:project_id>/evaluation/accept": only("street_committee"),
    "POST /projects/<int:project_id>/evaluation/send-back": only("street_committee"),
    "GET /surveys/<int:survey_id>": only(*SURVEY_READERS), "POST /surveys/<int:survey_id>": only(*SURVEY_READERS),
    "POST /surveys/<int:survey_id>/close": only("staff"), "POST /surveys/<int:survey_id>/invites": only("staff"),
    "POST /selection/open": only("street_committee"),
    "POST /selection/<int:selection_id>/close": only("street_committee"),
    "POST /selection/<int:selection_id>/ballot": only("resident", "worker"),
    # seeing the whole
    "GET /exports": only(*EXPORTERS), "GET /exports/<kind>.<fmt>": only(*EXPORTERS),
    "POST /exports/<kind>.<fmt>/jobs": only(*EXPORTERS),
    # a prepared export is its owner's (staff's here): other exporters are told it does not exist
    "GET /exports/jobs/<int:job_id>": only("staff", hidden_from=set(EXPORTERS) - {"staff"}),
    "GET /exports/jobs/<int:job_id>.json": only("staff", hidden_from=set(EXPORTERS) - {"staff"}),
    # not ready yet: 404 for its owner too, as for everyone else who may export
    "GET /exports/jobs/<int:job_id>/download": Rule((), hidden_from=EXPORTERS),
    "GET /audit": only("community_committee", "street_committee", "admin"),
    # administration
    "GET /admin/": only("admin"), "GET /admin/<key>/": only("admin"), "GET /admin/<key>/new": only("admin"),
    "POST /admin/<key>/new": only("admin"), "GET /admin/<key>/<int:item_id>/edit": only("admin"),
    "POST /admin/<key>/<int:item_id>/edit": only("admin"), "GET /admin/users/": only("admin"),
    "GET /admin/users/new": only("admin"), "POST /admin/users/new": only("admin"),
    "GET /admin/users/<int:user_id>/edit": only("admin"), "POST /admin/users/<int:user_id>/edit": only("admin"),
    # the API (API.md's "who" column)
    "POST /api/v1/auth/register": public(), "POST /api/v1/auth/token": public(),
    "DELETE /api/v1/auth/token": users(), "GET /api/v1/me": users(),
    "GET /api/v1/places": public(), "GET /api/v1/categories": public(), "GET /api/v1/units": users(),
    "GET /api/v1/indicators": users(), "GET /api/v1/openapi.json": public(),
    "POST /api/v1/needs": only("resident", "worker", "staff"), "GET /api/v1/needs": public(),
    "GET /api/v1/needs/similar": public(), "GET /api/v1/needs/<int:need_id>": public(),
    "POST /api/v1/needs/<int:need_id>/support": only("resident", "worker"),
    "DELETE /api/v1/needs/<int:need_id>/support": only("resident", "worker"),
    "POST /api/v1/needs/<int:need_id>/follow": users(), "DELETE /api/v1/needs/<int:need_id>/follow": users(),
    "POST /api/v1/needs/<int:need_id>/triage": only("staff"), "POST /api/v1/needs/<int:need_id>/report": users(),
    "POST /api/v1/needs/<int:need_id>/hide": only("staff"),
    "POST /api/v1/projects": only("staff"), "PUT /api/v1/projects/<int:project_id>": only("staff"),
    "GET /api/v1/projects": public(), "GET /api/v1/projects/<int:project_id>": public(),
    "POST /api/v1/projects/<int:project_id>/propose": only("staff"),
    "POST /api/v1/projects/<int:project_id>/votes": only("council"),
    "POST /api/v1/projects/<int:project_id>/decision": only("community_committee"),
    "POST /api/v1/projects/<int:project_id>/claim": only("unit_rep"),
    "POST /api/v1/projects/<int:project_id>/join": only("unit_rep"),
    "POST /api/v1/projects/<int:project_id>/release": only("staff"),
    "POST /api/v1/projects/<int:project_id>/progress": only("unit_rep"),
    "POST /api/v1/projects/<int:project_id>/complete": only("unit_rep"),
    "POST /api/v1/projects/<int:project_id>/evaluation/open": only("staff"),
    "GET /api/v1/surveys/<int:survey_id>": only(*SURVEY_READERS),
    "POST /api/v1/surveys/<int:survey_id>/invites": only("staff"),
    "POST /api/v1/surveys/<int:survey_id>/close": only("staff"),
    "POST /api/v1/surveys/<int:survey_id>/responses": public(),  # members online, anyone with a code
    "POST /api/v1/projects/<int:project_id>/indicator-scores": only("staff"),
    "GET /api/v1/projects/<int:project_id>/evaluation": public(),
    "POST /api/v1/projects/<int:project_id>/evaluation/review": only("street_committee"),
    "GET /api/v1/stats/summary": public(),
}

LAST = ("accounts.logout", "api.revoke_current_token")  # they end the session or token: tried last


def declared_routes(app) -> list[tuple[str, str, object]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((f"{method} {rule.rule}", method, rule))
    return sorted(routes, key=lambda r: (r[2].endpoint in LAST, r[0]))


def test_every_rule_has_a_declared_policy(app):
    routes = {key for key, _method, _rule in declared_routes(app)}
    assert sorted(routes - set(POLICY)) == []  # a new route needs its line in POLICY
    assert sorted(set(POLICY) - routes) == []  # and a removed one loses it


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response.headers["Location"].startswith("/login") else REDIRECT
    return response.status_code


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_rule_answers_each_role_as_declared(app, db, client_as, api_token, role):
    objects = demo_objects(db, client_as)
    browser = client_as(role) if role else app.test_client()
    bearer = api_token(role) if role else {}
    token_page = "/needs" if role else "/login"
    wrong = []
    for key, method, rule in declared_routes(app):
        policy = POLICY[key]
        api = rule.rule.startswith("/api/")
        url = url_for_rule(rule, objects)
        if api:
            body = {} if method in ("POST", "PUT") else None
            response = browser.open(url, method=method, headers=bearer, json=body)
        else:
            data = dict(policy.form)
            if method == "POST":
                match = CSRF_RE.search(browser.get(token_page).get_data(as_text=True))
                data["csrf_token"] = match.group(1) or match.group(2)
            response = browser.open(url, method=method, data=data)
        got, want = outcome(response), policy.expected(role, api)
        if want == "allowed":
            denials = {401, 403, 404, LOGIN} | ({REDIRECT} if policy.denied == REDIRECT else set())
            if got in denials or response.status_code >= 500:
                wrong.append((key, url, "allowed", got))
        elif got != want:
            wrong.append((key, url, want, got))
    assert wrong == []
