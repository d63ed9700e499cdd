"""What the volunteers module adds to the pages and steps of earlier domains
(``core/signals.py``): the volunteer panel of a project, the hours a unit recorded, and a
word to the volunteers of a project that was claimed, released or completed."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from coordination.core import signals
from coordination.core.notifications import notify
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import ProjectStep
from coordination.volunteers import permissions
from coordination.volunteers import queries
from coordination.volunteers.checkin import local_today

# The project steps its volunteers hear of.
TOLD = frozenset({ProjectStep.CLAIM, ProjectStep.RELEASE, ProjectStep.COMPLETE})


@signals.step_taken.connect
def tell_volunteers(obj, step=None, actor=None, **_kwargs) -> None:
    """A project the person signed up for was claimed, released or completed."""
    if not isinstance(step, ProjectStep) or step not in TOLD:
        return
    notify(queries.signed_up_users(obj.id), "volunteer.project_changed", link=f"/projects/{obj.id}",
           exclude=actor, title=obj.title, status=obj.status.value)


@signals.project_page.connect
def volunteer_panel(project, viewer=None, **_kwargs) -> dict:
    """Places left, the viewer's sign-up and its buttons; for the lead unit (and staff and
    partner units) the roster, with check-in ticks and the hours form for the lead."""
    if project.status not in ProjectStatus.public():
        return {}
    from coordination.volunteers.forms import HoursForm
    from coordination.volunteers.forms import StepForm

    profile = queries.profile_of(viewer)
    signup = queries.signup_of(profile, project.id)
    roster = queries.roster(project.id) if permissions.can_see_roster(viewer, project) else None
    if not project.volunteer_places and not roster and signup is None:
        return {}
    # A form is built only for a viewer shown one: building it puts a CSRF token in the session,
    # and a signed-out visitor's page must stay without one (so the public page cache keeps it).
    steps = (permissions.can_sign_up(viewer, project, signup)
             or (signup is not None and permissions.can_withdraw(viewer, signup)) or roster is not None)
    html = render_template(
        "volunteers/_project_panel.html", project=project, places_left=queries.places_left(project),
        profile=profile, signup=signup, roster=roster, permissions=permissions, viewer=viewer,
        step_form=StepForm() if steps else None,
        hours_form=HoursForm(served_on=local_today()) if roster is not None else None)
    return {"volunteer_panel": Markup(html)}  # nosec B704 -- a template rendered with autoescaping


@signals.unit_page.connect
def unit_volunteer_record(unit, **_kwargs) -> dict:
    """The hours volunteers served on the unit's projects, as the unit recorded them."""
    return {"volunteer_record": queries.unit_record(unit.id)}
