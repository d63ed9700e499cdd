"""Web pages of the evaluation: a project's evaluation, opening it, answering the survey,
invitation codes (with a printable QR sheet), indicator scores and the committee's review."""

from __future__ import annotations

import io
from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from coordination.core.enums import ProjectStatus, Role
from coordination.core.errors import DomainError, InvalidInput
from coordination.core.forms import error_text, perform, positive_int_arg, require_csrf, to_int
from coordination.core.permissions import has_role, roles_required
from coordination.evaluation import operations, permissions, queries, scores
from coordination.evaluation.blueprint import bp
from coordination.evaluation.models import Indicator, Survey
from coordination.extensions import db
from coordination.projects.views import visible_project

QUESTION_ROWS = 8


@bp.get("/projects/<int:project_id>/evaluation")
def project_evaluation(project_id: int):
    project = visible_project(project_id)
    survey = queries.survey_of(project.id)
    visible = permissions.may_see_results(current_user, project)
    details = permissions.may_see_details(current_user)
    indicators = db.session.scalars(select(Indicator).where(Indicator.active)
                                    .order_by(Indicator.dimension, Indicator.position)).all()
    return render_template(
        "evaluation/project.html", project=project, survey=survey,
        result=scores.project_scores(project.id) if visible else None,
        questions=scores.question_summary(survey.id) if survey and details else [],
        breakdown=scores.indicator_breakdown(project.id) if details else [],
        methods=scores.methods(survey.id) if survey and details else {},
        invites=queries.invite_counts(survey) if survey and details else (0, 0),
        reviews=queries.reviews(project.id) if visible else [], indicators=indicators, details=details,
        can_score=permissions.may_score(current_user) and project.status == ProjectStatus.EVALUATING,
        can_review=permissions.may_review(current_user, project),
        gaps=operations.acceptance_gaps(project.id) if permissions.may_review(current_user, project) else [],
        can_open=has_role(current_user, Role.STAFF) and project.status == ProjectStatus.COMPLETED,
        survey_open=survey is not None and operations.survey_is_open(survey),
        texts=queries.text_answers(survey.id) if survey and details else [],
    )


@bp.route("/projects/<int:project_id>/evaluation/open", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def open_survey(project_id: int):
    """The default questionnaire, editable before the survey opens."""
    project = visible_project(project_id)
    rows = [dict(q) for q in operations.DEFAULT_QUESTIONS] + [
        {"text": "", "kind": "likert", "overall": False}] * (QUESTION_ROWS - len(operations.DEFAULT_QUESTIONS))
    errors, status = {}, 200
    closes_on = ""
    if request.method == "POST":
        require_csrf()
        overall = request.form.get("overall", "0")
        rows = [{"text": request.form.get(f"text_{i}", "").strip(), "kind": request.form.get(f"kind_{i}", "likert"),
                 "overall": str(i) == overall} for i in range(QUESTION_ROWS)]
        questions = [row for row in rows if row["text"]]
        closes_on = request.form.get("closes_on", "").strip()
        try:
            closing = date.fromisoformat(closes_on) if closes_on else None
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
                flash(_("The satisfaction survey is open; followers of the project's needs were invited."), "success")
                return redirect(url_for("evaluation.project_evaluation", project_id=project.id, survey=survey.id))
        status = 400
    return render_template("evaluation/open.html", project=project, rows=rows, errors=errors,
                           closes_on=closes_on, form=FlaskForm()), status


# --------------------------------------------------------------------------- answering

@bp.app_template_global()
def survey_to_answer(project) -> Survey | None:
    """The open survey of an evaluating project that the current person may still answer
    online (the project page puts it first for them)."""
    if project.status != ProjectStatus.EVALUATING or not permissions.may_answer_online(current_user):
        return None
    survey = queries.survey_of(project.id)
    if survey is None or not operations.survey_is_open(survey) or queries.has_answered(current_user, survey):
        return None
    return survey


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
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    code = session.get("invite_code") if not current_user.is_authenticated else None
    if not permissions.may_see_survey(current_user, survey, code):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        abort(403)
    staff_entry = permissions.may_enter_offline(current_user)
    errors, status, values = {}, 200, {}
    if request.method == "POST":
        require_csrf()
        values = request.form.to_dict()
        answers = []
        for question in survey.questions:
            raw = request.form.get(f"q_{question.id}", "").strip()
            if question.kind.value == "likert":
                # An unreadable score becomes 0, which the operation reports as out of range.
                score = (to_int(raw, maximum=99) or 0) if raw else None
                answers.append(operations.AnswerInput(question.id, score=score))
            else:
                answers.append(operations.AnswerInput(question.id, text=raw))
        method = request.form.get("method") if staff_entry else None
        try:
            operations.submit_response(current_user if current_user.is_authenticated else None, survey.id, answers,
                                       invite_code=code, method=method)
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
        is_open=operations.survey_is_open(survey), form=FlaskForm(),
        answered=queries.has_answered(current_user, survey)), status


# --------------------------------------------------------------------------- staff and committee

@bp.post("/surveys/<int:survey_id>/invites")
@roles_required(Role.STAFF)
def invites(survey_id: int):
    """Create one-time codes and show them as a printable sheet of cards with QR codes."""
    require_csrf()
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
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


def qr_svg(text: str) -> str:
    """A QR code drawn locally as inline SVG markup (no outside service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]


@bp.post("/surveys/<int:survey_id>/close")
@roles_required(Role.STAFF)
def close(survey_id: int):
    require_csrf()
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return perform(lambda: operations.close_survey(current_user, survey), _("The survey is closed."),
                   url_for("evaluation.project_evaluation", project_id=survey.project_id))


@bp.post("/projects/<int:project_id>/evaluation/scores")
@roles_required(Role.STAFF)
def score(project_id: int):
    require_csrf()
    visible_project(project_id)
    values = []
    for key, raw in request.form.items():
        if key.startswith("ind_") and raw.strip():
            try:
                score = float(raw)
            except ValueError:
                score = None
            values.append({"indicator_id": to_int(key[4:]), "score": score})
    return perform(lambda: operations.score_indicators(current_user, project_id, values),
                   _("Your indicator scores are saved."),
                   url_for("evaluation.project_evaluation", project_id=project_id))


@bp.post("/projects/<int:project_id>/evaluation/review")
@roles_required(Role.STREET_COMMITTEE)
def review(project_id: int):
    require_csrf()
    visible_project(project_id)
    decision = request.form.get("decision", "")
    return perform(lambda: operations.review(current_user, project_id, decision, request.form.get("comment")),
                   _("The evaluation was accepted; its results are public now.") if decision == "accept"
                   else _("The evaluation was sent back for rework."),
                   url_for("evaluation.project_evaluation", project_id=project_id))


# --------------------------------------------------------------------------- annual selection

@bp.route("/selection", methods=["GET", "POST"])
def selection():
    """The current (or a given year's) selection: ballot, results, and the committee's controls."""
    from coordination.evaluation import selection as ops
    from coordination.evaluation.models import Selection

    year = positive_int_arg("year")
    query = select(Selection).order_by(Selection.year.desc())
    current = db.session.scalar(query.where(Selection.year == year) if year else query.limit(1))
    if request.method == "POST":
        require_csrf()
        action = request.form.get("action")
        if action == "vote" and current is not None:
            picked = [n for n in map(to_int, request.form.getlist("nominee_ids")) if n]
            return perform(lambda: ops.cast_ballot(current_user if current_user.is_authenticated else None,
                                                   current.id, picked),
                           _("Thank you, your ballot is cast."), url_for("evaluation.selection"))
        if action == "close" and current is not None:
            return perform(lambda: ops.close_selection(current_user, current.id),
                           _("Voting is closed and the results are published."), url_for("evaluation.selection"))
        if action == "open":
            this_year = positive_int_arg("year", request.form) or date.today().year
            picked = [n for n in map(to_int, request.form.getlist("project_ids")) if n]
            return perform(lambda: ops.open_selection(current_user, this_year, picked,
                                                      positive_int_arg("max_choices", request.form)),
                           _("The selection is open; residents and office workers were invited to vote."),
                           url_for("evaluation.selection"))
        abort(400)
    committee = has_role(current_user, Role.STREET_COMMITTEE)
    show_results = current is not None and current.status.value == "closed"  # secret until it closes
    return render_template(
        "evaluation/selection.html", current=current, form=FlaskForm(),
        results=ops.results(current.id) if show_results else [],
        ballots=ops.ballots_cast(current.id) if current else 0,
        voted=ops.has_voted(current_user, current.id) if current else False,
        can_vote=has_role(current_user, Role.RESIDENT, Role.WORKER), committee=committee,
        candidates=ops.eligible_projects(date.today().year) if committee else [], this_year=date.today().year,
        years=db.session.scalars(select(Selection.year).order_by(Selection.year.desc())).all())


@bp.get("/projects/<int:project_id>/evaluation/report")
def report(project_id: int):
    """A printable evaluation report with its charts (print stylesheet)."""
    from coordination.evaluation import charts as analysis

    project = visible_project(project_id)
    if not permissions.may_see_results(current_user, project):
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
