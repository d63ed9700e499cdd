"""Web pages of the evaluation: a project's evaluation, opening it, answering the survey,
invitation codes (with a printable QR sheet), indicator scores, the committee's review (a route
for each of its two steps) and the annual selection (a route for each of its steps)."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from coordination.core.enums import Role
from coordination.core.errors import DomainError
from coordination.core.errors import InvalidInput
from coordination.core.forms import error_text
from coordination.core.forms import perform
from coordination.core.forms import positive_int_arg
from coordination.core.forms import post_routes
from coordination.core.forms import require_csrf
from coordination.core.permissions import roles_required
from coordination.core.qr import qr_svg
from coordination.evaluation import charts as analysis
from coordination.evaluation import operations
from coordination.evaluation import permissions
from coordination.evaluation import presenters
from coordination.evaluation import queries
from coordination.evaluation import scores
from coordination.evaluation.blueprint import bp
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.forms import QUESTION_ROWS
from coordination.evaluation.forms import BallotForm
from coordination.evaluation.forms import OpenSelectionForm
from coordination.evaluation.forms import QuestionnaireForm
from coordination.evaluation.forms import ReviewForm
from coordination.evaluation.forms import ScoreForm
from coordination.evaluation.forms import answer_form
from coordination.evaluation.models import Selection
from coordination.evaluation.models import Survey
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import SELECTION_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.evaluation.rules import SelectionStep
from coordination.extensions import db
from coordination.projects.enums import ProjectStatus
from coordination.projects.views import visible_project


@bp.get("/projects/<int:project_id>/evaluation")
def project_evaluation(project_id: int):
    project = visible_project(project_id)
    user = current_user
    shown = presenters.evaluation(user, project)
    survey = shown.survey
    can_review = permissions.can_review_evaluation(user, project)
    survey_open = survey is not None and operations.survey_is_open(survey)
    return render_template(
        "evaluation/project.html", project=project, **shown.page_fields(),
        invites=queries.invite_counts(survey) if survey and shown.details else (0, 0),
        indicators=queries.active_indicators(), can_score=permissions.can_score_indicators(user, project),
        can_review=can_review, review_form=ReviewForm() if can_review else None,
        gaps=operations.acceptance_gaps(project.id) if can_review else [],
        can_open=permissions.can_open_evaluation(user, project), survey_open=survey_open,
        under_way=project.status == ProjectStatus.EVALUATING,
        can_answer=survey_open and permissions.can_answer_online(user),
        staff_entry=survey_open and permissions.can_enter_offline(user),
        can_manage_survey=survey_open and permissions.can_close_survey(user, survey),
    )


@bp.route("/projects/<int:project_id>/evaluation/open", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def open_survey(project_id: int):
    """The default questionnaire, editable before the survey opens."""
    project = visible_project(project_id)
    rows = [dict(q) for q in operations.DEFAULT_QUESTIONS] + [
        {"text": "", "kind": "likert", "overall": False}] * (QUESTION_ROWS - len(operations.DEFAULT_QUESTIONS))
    errors, status = {}, 200
    form = QuestionnaireForm()
    closes_on = ""
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        rows = form.rows()
        questions = [row for row in rows if row["text"]]
        closes_on = (form.closes_on.data or "").strip()
        try:
            closing = form.closing_date()
        except ValueError:
            errors["closes_on"] = _("Enter a date as YYYY-MM-DD.")
            closing = None
        if not errors:
            try:
                survey = operations.open_evaluation(current_user, project.id, questions, closing)
            except InvalidInput as exc:
                db.session.rollback()
                errors = exc.fields
            except DomainError as exc:
                db.session.rollback()
                flash(error_text(exc), "danger")
                return redirect(url_for("evaluation.project_evaluation", project_id=project.id))
            else:
                db.session.commit()
                flash(ngettext("The satisfaction survey is open; %(num)d person the project served was invited.",
                               "The satisfaction survey is open; %(num)d people the project served were invited.",
                               queries.invitee_count(survey)), "success")
                return redirect(url_for("evaluation.project_evaluation", project_id=project.id, survey=survey.id))
        status = 400
    return render_template("evaluation/open.html", project=project, rows=rows, errors=errors,
                           closes_on=closes_on, form=form), status


# --------------------------------------------------------------------------- answering

@bp.app_template_global()
def survey_to_answer(project) -> Survey | None:
    """The open survey of an evaluating project that the current person may still answer
    online (the project page puts it first for them)."""
    if project.status != ProjectStatus.EVALUATING or not permissions.can_answer_online(current_user):
        return None
    survey = queries.survey_of(project.id)
    if survey is None or not operations.survey_is_open(survey) or queries.has_answered(current_user, survey):
        return None
    return survey


@bp.app_template_global()
def survey_invitation(survey: Survey):
    """The current person's invitation to ``survey`` (why they were invited), or None."""
    return queries.invitation_of(current_user, survey)


@bp.route("/surveys/code", methods=["GET", "POST"])
def enter_code():
    """People without an account type the code from their invitation card."""
    error = None
    if request.method == "POST":
        require_csrf()
        code = request.form.get("code", "").strip().upper()
        survey_id = queries.survey_for_code(code)
        if survey_id is None:
            error = _("This invitation code is not valid or has already been used.")
        else:
            session["invite_code"] = code
            return redirect(url_for("evaluation.answer", survey_id=survey_id))
    code = request.args.get("code", "")
    return render_template("evaluation/code.html", error=error, code=code, form=FlaskForm()), 400 if error else 200


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
def answer(survey_id: int):
    survey = queries.survey(survey_id)
    code = session.get("invite_code") if not current_user.is_authenticated else None
    if not permissions.can_see_survey(current_user, survey, code):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        abort(403)
    staff_entry = permissions.can_enter_offline(current_user)
    errors, status, values = {}, 200, {}
    form = answer_form(survey)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = request.form.to_dict()
        method = form.method.data if staff_entry else None
        try:
            operations.submit_response(current_user if current_user.is_authenticated else None, survey.id,
                                       form.answers(), invite_code=code, method=method)
        except InvalidInput as exc:
            db.session.rollback()
            errors, status = exc.fields, 400
        except DomainError as exc:
            db.session.rollback()
            flash(error_text(exc), "danger")
            status = 409
        else:
            db.session.commit()
            session.pop("invite_code", None)
            if staff_entry:
                flash(_("The questionnaire is entered. You can enter the next one."), "success")
                return redirect(url_for("evaluation.answer", survey_id=survey.id))
            return render_template("evaluation/thanks.html", survey=survey)
    return render_template(
        "evaluation/answer.html", survey=survey, errors=errors, values=values, staff_entry=staff_entry,
        is_open=operations.survey_is_open(survey), form=form,
        answered=queries.has_answered(current_user, survey)), status


# --------------------------------------------------------------------------- staff and committee

@bp.post("/surveys/<int:survey_id>/invites")
@roles_required(Role.STAFF)
def invites(survey_id: int):
    """Create one-time codes and show them as a printable sheet of cards with QR codes."""
    require_csrf()
    survey = queries.survey(survey_id)
    count = positive_int_arg("count", request.form)
    try:
        codes = operations.create_invites(current_user, survey, count if count is not None else 0)
    except DomainError as exc:
        db.session.rollback()
        flash(error_text(exc), "danger")
        return redirect(url_for("evaluation.project_evaluation", project_id=survey.project_id))
    db.session.commit()
    base = request.host_url.rstrip("/") + url_for("evaluation.enter_code")
    cards = [{"code": code, "qr": qr_svg(f"{base}?code={code}")} for code in codes]
    return render_template("evaluation/invites.html", survey=survey, cards=cards, entry_url=base)


@bp.post("/surveys/<int:survey_id>/close")
@roles_required(Role.STAFF)
def close(survey_id: int):
    require_csrf()
    survey = queries.survey(survey_id)
    return perform(lambda: operations.close_survey(current_user, survey), _("The survey is closed."),
                   url_for("evaluation.project_evaluation", project_id=survey.project_id))


@bp.post("/projects/<int:project_id>/evaluation/scores")
@roles_required(Role.STAFF)
def score(project_id: int):
    form = ScoreForm()
    if not form.validate_on_submit():
        abort(400)
    visible_project(project_id)
    values = form.scores(request.form)
    return perform(lambda: operations.score_indicators(current_user, project_id, values),
                   _("Your indicator scores are saved."),
                   url_for("evaluation.project_evaluation", project_id=project_id))


# The street committee's two review steps, a route each: (its step, the operation, what it says).
REVIEW_ROUTES = {
    "accept": (EvaluationStep.ACCEPT_EVALUATION, operations.accept_evaluation,
               _l("The evaluation was accepted; its results are public now.")),
    "send-back": (EvaluationStep.SEND_BACK_EVALUATION, operations.send_back_evaluation,
                  _l("The evaluation was sent back for rework.")),
}


def _review_view(path: str):
    step, operation, success = REVIEW_ROUTES[path]

    @roles_required(*EVALUATION_WORKFLOW.roles(step))
    def view(project_id: int):
        form = _posted(ReviewForm)
        visible_project(project_id)
        return perform(lambda: operation(current_user, project_id, form.comment.data), str(success),
                       url_for("evaluation.project_evaluation", project_id=project_id))

    return view


post_routes(bp, "/projects/<int:project_id>/evaluation/{name}", REVIEW_ROUTES, _review_view)


def _posted(form_class):
    """The posted form; a missing or stale CSRF token is a 400, other problems are the operation's."""
    form = form_class()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    return form


# --------------------------------------------------------------------------- annual selection

def _selection_of_year(year: int | None) -> Selection | None:
    query = select(Selection).order_by(Selection.year.desc())
    return db.session.scalar(query.where(Selection.year == year) if year else query.limit(1))


@bp.get("/selection")
def selection():
    """The current (or a given year's) selection: ballot, results, and the committee's controls."""
    current = _selection_of_year(positive_int_arg("year"))
    user = current_user
    committee = permissions.can_open_selection(user)
    show_results = current is not None and current.status == SelectionStatus.CLOSED  # secret until it closes
    this_year = date.today().year
    return render_template(
        "evaluation/selection.html", current=current, voting_open=current is not None and not show_results,
        ballot_form=BallotForm(), open_form=OpenSelectionForm(),
        form=FlaskForm(), results=queries.results(current.id) if show_results else [],
        ballots=queries.ballots_cast(current.id) if current else 0,
        voted=queries.has_voted(user, current.id) if current else False,
        can_vote=permissions.can_vote_in_selection(user, current) if current else False,
        can_close=permissions.can_close_selection(user, current) if current else False, committee=committee,
        candidates=queries.eligible_projects(this_year) if committee else [], this_year=this_year,
        years=queries.selection_years())


@bp.post("/selection/open")
@roles_required(*SELECTION_WORKFLOW.roles(SelectionStep.OPEN))
def open_selection():
    form = _posted(OpenSelectionForm)
    return perform(lambda: operations.open_selection(current_user, form.year_or_this(), form.project_ids.data or [],
                                                     form.max_choices.data or None),
                   _("The selection is open; residents and office workers were invited to vote."),
                   url_for("evaluation.selection"))


@bp.post("/selection/<int:selection_id>/ballot")
@roles_required(*SELECTION_WORKFLOW.roles(SelectionStep.VOTE))
def cast_ballot(selection_id: int):
    form = _posted(BallotForm)
    return perform(lambda: operations.cast_ballot(current_user, selection_id, form.nominee_ids.data or []),
                   _("Thank you, your ballot is cast."), url_for("evaluation.selection"))


@bp.post("/selection/<int:selection_id>/close")
@roles_required(*SELECTION_WORKFLOW.roles(SelectionStep.CLOSE))
def close_selection(selection_id: int):
    _posted(FlaskForm)
    return perform(lambda: operations.close_selection(current_user, selection_id),
                   _("Voting is closed and the results are published."), url_for("evaluation.selection"))


@bp.get("/projects/<int:project_id>/evaluation/report")
def report(project_id: int):
    """A printable evaluation report with its charts (print stylesheet)."""
    project = visible_project(project_id)
    if not permissions.can_see_results(current_user, project):
        abort(404)
    survey = queries.survey_of(project.id)
    result = scores.project_scores(project.id)
    questions = scores.question_summary(survey.id) if survey else []
    breakdown = scores.indicator_breakdown(project.id)
    question_chart = analysis.question_means(questions, {"empty": _("No data yet for this selection."),
                                                         "mean": _("Mean score")})
    indicator_chart = analysis.indicator_means(breakdown, {"empty": _("No data yet for this selection."),
                                                           "mean": _("Mean score")})
    return render_template("evaluation/report.html", project=project, survey=survey, result=result,
                           questions=questions, breakdown=breakdown, reviews=queries.reviews(project.id),
                           methods=scores.methods(survey.id) if survey else {},
                           charts=[(_("Mean score per question"), question_chart),
                                   (_("Mean score per indicator"), indicator_chart)],
                           today=date.today())
