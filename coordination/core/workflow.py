"""Workflows: every state machine of the platform is one table of steps, defined once.

A domain names its steps in an enum (``NeedStep``, ``ProjectStep``, …) and lists them in a
``Workflow`` of ``Transition`` rows: from which statuses, to which status (``None``: the step
needs a status but keeps it, such as a council vote), which roles may take it (none: only the
system, such as the council's tally), whether it needs a comment, and who is told. Its
operations take a step with ``Workflow.take``; its ``can_<step>`` permissions, the buttons its
templates show and the roles its API routes accept are all read from the same table.

The order of the checks is the same everywhere, so every page and the API answer alike: the
role first (403), then the status (409, naming the current one), then any further condition of
the step (``guard``: 403, such as "only the lead unit").
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from typing import Generic
from typing import TypeVar

from flask_babel import gettext as _

from coordination.core import audit
from coordination.core import signals
from coordination.core.enums import Role
from coordination.core.errors import Conflict
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.notifications import notify
from coordination.core.permissions import has_role
from coordination.extensions import db

StepT = TypeVar("StepT", bound=enum.Enum)
StatusT = TypeVar("StatusT", bound=enum.Enum)


@dataclass(frozen=True)
class Notice:
    """Who a step tells: a notification ``kind`` to an ``audience`` the workflow resolves.
    The person who takes the step is not told of it, unless ``to_actor``."""

    kind: str
    audience: str
    to_actor: bool = False
    withheld: tuple[str, ...] = ()  # parameters of the step this audience may not read (a rejection's reason)


@dataclass(frozen=True)
class Transition(Generic[StepT, StatusT]):
    step: StepT
    source: frozenset[StatusT]
    target: StatusT | None
    roles: frozenset[Role]
    needs_comment: bool = False
    notices: tuple[Notice, ...] = ()
    guard: Callable[[Any, Any], bool] | None = None
    guard_message: Any = None
    audit_action: str | None = None
    forbidden_message: Any = None

    @property
    def label(self):
        return self.step.label

    @property
    def by_system(self) -> bool:
        return not self.roles


def step(step: StepT, source: StatusT | Iterable[StatusT], target: StatusT | None, *roles: Role,
         **options) -> Transition:
    """One row of a workflow table (``source``: one status or several)."""
    sources = frozenset([source]) if isinstance(source, enum.Enum) else frozenset(source)
    return Transition(step, sources, target, frozenset(roles), **options)


def invalid(fields: dict) -> InvalidInput:
    """The one answer to input that breaks a rule: every field named with its problem."""
    return InvalidInput(_("Please correct the marked fields."), fields=fields)


class Workflow(Generic[StepT, StatusT]):
    """The steps of one kind of object (``subject``: the audit code's prefix, such as "need").

    ``audiences`` resolve a ``Notice.audience`` to the people of an object; ``payload`` gives the
    parameters every notice of the object carries (its link and title); ``conflict`` words the
    409 for a step the object's status does not allow."""

    def __init__(self, subject: str, transitions: Iterable[Transition], *,
                 audiences: Mapping[str, Callable[[Any], Iterable]] | None = None,
                 payload: Callable[[Any], dict] | None = None,
                 conflict: Callable[[Any, Transition], str] | None = None,
                 status_attr: str = "status", report_status: bool = True):
        self.subject = subject
        self.transitions: dict[StepT, Transition] = {}
        for transition in transitions:
            if transition.step in self.transitions:
                raise ValueError(f"{subject}: step {transition.step} is defined twice")
            self.transitions[transition.step] = transition
        self.audiences = dict(audiences or {})
        self.payload = payload or (lambda obj: {})
        self._conflict = conflict
        self.status_attr = status_attr
        self.report_status = report_status  # name the current status in a 409's body
        for transition in self.transitions.values():
            for notice in transition.notices:
                if notice.audience not in self.audiences:
                    raise ValueError(f"{subject}: no audience {notice.audience!r} for {transition.step}")

    def __getitem__(self, step: StepT) -> Transition:
        return self.transitions[step]

    def __iter__(self):
        return iter(self.transitions.values())

    # ------------------------------------------------------------------ who may take a step

    def roles(self, step: StepT) -> tuple[Role, ...]:
        """The roles that may take ``step``, in the order of ``Role`` (the step's API route
        accepts these)."""
        return tuple(role for role in Role if role in self.transitions[step].roles)

    def status_of(self, obj):
        return getattr(obj, self.status_attr)

    def check(self, user, obj, step: StepT) -> Transition:
        """The step, if ``user`` may take it on ``obj`` now; else Forbidden (403) or Conflict (409)."""
        transition = self.transitions[step]
        self.check_role(user, step)
        status = self.status_of(obj)
        if status not in transition.source:
            extra = {"current_status": status.value} if self.report_status else {}
            raise Conflict(self.conflict_message(obj, transition), **extra)
        self.check_guard(user, obj, step)
        return transition

    def check_role(self, user, step: StepT) -> Transition:
        transition = self.transitions[step]
        if transition.roles and not has_role(user, *transition.roles):
            raise Forbidden(transition.forbidden_message or _("Your role may not do this."))
        return transition

    def check_guard(self, user, obj, step: StepT) -> None:
        transition = self.transitions[step]
        if transition.guard is not None and not transition.guard(user, obj):
            raise Forbidden(transition.guard_message or _("Your role may not do this."))

    def conflict_message(self, obj, transition: Transition) -> str:
        if self._conflict is not None:
            return self._conflict(obj, transition)
        return _("This step is not possible now.")

    def can(self, user, obj, step: StepT) -> bool:
        """May ``user`` take ``step`` on ``obj`` now? (``obj`` None: the role alone.)"""
        transition = self.transitions[step]
        if transition.by_system or not has_role(user, *transition.roles):
            return False
        if obj is None:
            return True
        return (self.status_of(obj) in transition.source
                and (transition.guard is None or bool(transition.guard(user, obj))))

    def permission(self, step: StepT) -> Callable[..., bool]:
        """``can_<step>(user, obj=None)`` for the domain's permissions module."""

        def can(user, obj=None) -> bool:
            return self.can(user, obj, step)

        can.__name__ = f"can_{step.value}"
        can.__doc__ = f"May the person take the step “{step.value}” ({self.subject}) now?"
        return can

    def available(self, user, obj) -> list[Transition]:
        """The steps ``user`` may take on ``obj`` now, in the table's order (the page's buttons)."""
        return [t for t in self.transitions.values() if self.can(user, obj, t.step)]

    def from_status(self, status: StatusT) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.source]

    # ------------------------------------------------------------------ taking a step

    def take(self, actor, obj, step: StepT, comment: str | None = None, *, note: dict | None = None,
             details: dict | None = None, params: dict | None = None, link: str | None = None,
             apply: Callable[[], None] | None = None, check: bool = True) -> Transition:
        """Take ``step`` on ``obj``: check it (unless the caller did, or the system takes it),
        change the status (with ``apply``'s other changes), flush, write the audit record and
        notify the step's audiences. The caller commits.

        ``comment``: what the person typed (required where the table says so, unless the system
        gives a ``note``, a ``coordination.core.messages.note`` rendered in the reader's language)."""
        transition = self.check(actor, obj, step) if check and actor is not None else self.transitions[step]
        comment = (comment or "").strip() or None
        if transition.needs_comment and not comment and note is None:
            raise invalid({"comment": _("Please give a reason or a comment.")})
        recipients = self._recipients(obj, transition)
        before = self.status_of(obj)
        if apply is not None:
            apply()
        if transition.target is not None:
            setattr(obj, self.status_attr, transition.target)
        db.session.flush()
        self.taken(actor, obj, step, before, comment, note=note, details=details, params=params, link=link,
                   recipients=recipients)
        return transition

    def taken(self, actor, obj, step: StepT, before, comment: str | None = None, *, note: dict | None = None,
              details: dict | None = None, params: dict | None = None, link: str | None = None,
              recipients: dict | None = None) -> None:
        """Record a step whose change is already made (``before``: the status it left), such as
        a claim decided by one conditional UPDATE: the audit record, then the notices."""
        transition = self.transitions[step]
        keeps = transition.target is None
        audit.record(actor, transition.audit_action or f"{self.subject}.{transition.step.value}", obj,
                     from_state=None if keeps else before, to_state=transition.target,
                     comment=(comment or "").strip() or None, note=note, details=details)
        if recipients is None:
            recipients = self._recipients(obj, transition)
        self._notify(actor, obj, transition, recipients, params or {}, link)
        signals.step_taken.send(obj, workflow=self, step=transition.step, actor=actor, before=before)

    def _recipients(self, obj, transition: Transition) -> dict:
        return {notice: self.audiences[notice.audience](obj) for notice in transition.notices}

    def _notify(self, actor, obj, transition: Transition, recipients: dict, params: dict, link: str | None) -> None:
        payload = {**self.payload(obj), **params}
        if transition.target is not None:
            payload.setdefault("status", transition.target.value)
        link = link or payload.pop("link", None)
        payload.pop("link", None)
        by_kind: dict[tuple[str, bool, tuple[str, ...]], list] = {}
        for notice in transition.notices:
            by_kind.setdefault((notice.kind, notice.to_actor, notice.withheld), []).extend(recipients[notice])
        for (kind, to_actor, withheld), users in by_kind.items():
            told = {name: value for name, value in payload.items() if name not in withheld}
            notify(users, kind, link=link, exclude=None if to_actor else actor, **told)
