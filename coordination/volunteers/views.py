"""Web pages of the volunteers: one's profile (三亮), the directory, the teams, and the steps of
a sign-up taken from the project page (sign up, withdraw, check in, record hours, the code of
the day)."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from coordination.core.enums import Role
from coordination.core.errors import Conflict
from coordination.core.errors import InvalidInput
from coordination.core.forms import error_text
from coordination.core.forms import page_arg
from coordination.core.forms import perform
from coordination.core.forms import positive_int_arg
from coordination.core.forms import query_args
from coordination.core.forms import show_errors
from coordination.core.permissions import permission_required
from coordination.core.permissions import roles_required
from coordination.core.qr import qr_svg
from coordination.core.transactions import committed
from coordination.extensions import db
from coordination.places.models import Place
from coordination.projects.queries import visible_project
from coordination.volunteers import checkin
from coordination.volunteers import operations
from coordination.volunteers import permissions
from coordination.volunteers import presenters
from coordination.volunteers import queries
from coordination.volunteers.blueprint import bp
from coordination.volunteers.forms import CheckInForm
from coordination.volunteers.forms import HoursForm
from coordination.volunteers.forms import ProfileForm
from coordination.volunteers.forms import StepForm
from coordination.volunteers.operations import ProfileInput

PER_PAGE = 20
VOLUNTEERS = (Role.RESIDENT, Role.WORKER)


@bp.app_template_global()
def my_volunteering() -> dict | None:
    """The current person's profile and sign-ups, for their page (/me); None for roles that keep none."""
    if not permissions.can_keep_profile(current_user):
        return None
    return {"profile": queries.profile_of(current_user), "signups": queries.my_signups(current_user)[:5]}


# ----------------------------------------------------------------------------- the profile

@bp.route("/me/volunteer", methods=["GET", "POST"])
@roles_required(*VOLUNTEERS)
def profile():
    mine = queries.profile_of(current_user)
    form = ProfileForm()
    form.prepare(queries.skills(), queries.active_teams())
    if request.method == "GET" and mine is not None:
        form.party_member.data, form.party_org.data = mine.party_member, mine.party_org
        form.skills.data = [skill.code for skill in mine.skills]
        form.other_skills.data = "、".join(mine.free_skills)
        form.willingness.data, form.availability.data = mine.willingness, mine.availability
        form.team_id.data, form.public.data = mine.team_id or 0, mine.public
    status = 200
    if form.validate_on_submit():
        data = ProfileInput(willingness=form.willingness.data, party_member=form.party_member.data,
                            party_org=form.party_org.data, skills=form.words(), availability=form.availability.data,
                            public=form.public.data, team_id=form.team_id.data)
        try:
            with committed():
                operations.save_profile(current_user, data)
        except InvalidInput as exc:
            show_errors(form, exc)
            status = 400
        except Conflict as exc:  # the first profile, submitted twice at the same moment
            flash(error_text(exc), "warning")
            return redirect(url_for("volunteers.profile"))
        else:
            flash(_("Your volunteer profile is saved."), "success")
            back = request.args.get("project_id", type=int)
            return redirect(url_for("projects.detail", project_id=back) if back else url_for("volunteers.profile"))
    elif request.method == "POST":
        status = 400
    return render_template("volunteers/profile.html", form=form, profile=mine,
                           signups=queries.my_signups(current_user)), status


# ----------------------------------------------------------------------------- the directory and the teams

@bp.get("/volunteers")
@permission_required(permissions.can_see_directory)
def directory():
    party = request.args.get("party_member")
    f = queries.DirectoryFilter(skill=request.args.get("skill", "").strip()[:40] or None,
                                place_id=positive_int_arg("place_id"),
                                party_member={"1": True, "0": False}.get(party))
    pagination = queries.directory(f, page_arg(), PER_PAGE)
    places = db.session.scalars(db.select(Place).where(Place.active).order_by(Place.area_id.nulls_first(),
                                                                              Place.kind, Place.name)).all()
    return render_template("volunteers/directory.html", pagination=pagination, f=f, party=party,
                           cards=[presenters.card(p) for p in pagination.items], skills=queries.skills(),
                           places=places, args=query_args("page"))


@bp.get("/teams")
def teams():
    items = queries.teams()
    counts = queries.member_counts([t.id for t in items])
    return render_template("volunteers/teams.html", teams=[presenters.team(t, counts.get(t.id, 0)) for t in items])


@bp.get("/teams/<int:team_id>")
def team(team_id: int):
    item = queries.visible_team(team_id)
    members = presenters.team_members(queries.public_members(item.id), permissions.can_see_directory(current_user))
    return render_template("volunteers/team.html", team=presenters.team(item, queries.member_count(item.id)),
                           projects=queries.team_projects(item.id), **members)


# ----------------------------------------------------------------------------- steps from the project page

def _back(project_id: int) -> str:
    return url_for("projects.detail", project_id=project_id) + "#volunteer-panel"


def _posted(form_class):
    form = form_class()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    return form


@bp.post("/projects/<int:project_id>/volunteer/sign-up")
@login_required
def sign_up(project_id: int):
    form = _posted(StepForm)
    visible_project(current_user, project_id)
    return perform(lambda: operations.sign_up(current_user, project_id, form.note.data),
                   _("You signed up as a volunteer. The lead unit will check you in on the day."), _back(project_id))


@bp.post("/projects/<int:project_id>/volunteer/withdraw")
@login_required
def withdraw(project_id: int):
    _posted(StepForm)
    visible_project(current_user, project_id)
    return perform(lambda: operations.withdraw(current_user, project_id), _("You withdrew your sign-up."),
                   _back(project_id))


@bp.post("/projects/<int:project_id>/volunteers/<int:signup_id>/check-in")
@login_required
def check_in(project_id: int, signup_id: int):
    _posted(StepForm)
    visible_project(current_user, project_id)
    return perform(lambda: operations.check_in(current_user, project_id, signup_id), _("Checked in."),
                   _back(project_id))


@bp.post("/projects/<int:project_id>/volunteers/<int:signup_id>/hours")
@login_required
def hours(project_id: int, signup_id: int):
    form = _posted(HoursForm)
    visible_project(current_user, project_id)
    return perform(lambda: operations.record_hours(current_user, project_id, signup_id, form.hours.data,
                                                   form.served_on.data, form.note.data),
                   _("The hours are recorded."), _back(project_id))


@bp.get("/projects/<int:project_id>/volunteers/check-in-code")
@login_required
def check_in_code(project_id: int):
    """The lead unit's QR code of the day, shown on a phone for volunteers to scan."""
    project = visible_project(current_user, project_id)
    if not permissions.can_show_check_in_code(current_user, project):
        abort(403)
    link = url_for("volunteers.scan", project_id=project.id, code=checkin.code_for(project.id), _external=True)
    return render_template("volunteers/check_in_code.html", project=project, qr=qr_svg(link), link=link,
                           today=checkin.local_today())


@bp.route("/projects/<int:project_id>/check-in", methods=["GET", "POST"])
@roles_required(*VOLUNTEERS)
def scan(project_id: int):
    """Where the lead's QR code leads: the volunteer confirms, and is checked in."""
    project = visible_project(current_user, project_id)
    if request.method == "POST":
        form = _posted(CheckInForm)
        return perform(lambda: operations.scan_in(current_user, project_id, form.code.data),
                       _("You are checked in. Thank you for serving!"), _back(project_id))
    code = request.args.get("code", "")[:500]
    signup = queries.signup_of(queries.profile_of(current_user), project.id)
    return render_template("volunteers/scan.html", project=project, signup=signup, form=CheckInForm(code=code),
                           valid=checkin.is_valid(code, project.id))
