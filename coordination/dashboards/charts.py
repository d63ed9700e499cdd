"""The dashboard's charts as the page shows them: a title, the figure (or None: the page then
says in words that there is nothing to draw), the table behind it headed in the reader's
language (which is also the CSV download), and for the member units a ranked list."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from coordination.dashboards import analysis
from coordination.dashboards import queries

if TYPE_CHECKING:  # imported where used: they take ~0.5 s, which only the dashboard should pay
    import pandas as pd
    import plotly.graph_objects as go

NAMES = ("needs", "funnel", "steps", "satisfaction", "units")
SPLITS = ("category", "area", "channel")
SATISFACTION_BY = ("project", "category", "unit")


@dataclass
class Chart:
    name: str
    title: str
    table: pd.DataFrame
    figure: go.Figure | None
    empty: str
    ranked: list[dict] = field(default_factory=list)
    note: str | None = None
    page_table: pd.DataFrame | None = None  # what the page's table view shows, if not all of ``table``
    table_note: str | None = None

    @property
    def shown(self) -> pd.DataFrame:
        return self.table if self.page_table is None else self.page_table


def labels() -> dict:
    """Every word the figures need, in the reader's language (analysis.py has no Flask)."""
    return {
        "needs": _("needs"), "month": _("month"),
        "raised": _("Needs raised"), "menu": _("Accepted into the needs menu"), "in_project": _("In a project"),
        "published": _("Project published"), "completed": _("Project completed"),
        "evaluated": _("Project evaluated"),
        "days": _("days on average"), "under_an_hour": _("under an hour"),
        "hours": _("%(hours)s hours"), "days_text": _("%(days)s days"),
        "rate": _("satisfaction rate (percent)"),
        "draft": _("drafting"), "proposed": _("council vote"), "resolved": _("committee approval"),
        "published_step": _("waiting for a claim"), "claimed": _("delivery"),
        "completed_step": _("until the survey opens"), "evaluating": _("evaluation and review"),
    }


def _step_label(names: dict, step: str) -> str:
    return names.get(f"{step}_step") or names[step]


def stage_meanings() -> dict:
    """What each stage of the funnel counts."""
    return {
        "raised": _("Every need raised in the period, online or offline (hidden ones left out)."),
        "menu": _("Of those, the needs accepted into the needs menu (not rejected, not merged into another)."),
        "in_project": _("Of those, the needs a project is built on (drafted or further, not rejected)."),
        "published": _("Of those, the needs whose project has been published (claimed or further)."),
        "completed": _("Of those, the needs whose project has been completed."),
        "evaluated": _("Of those, the needs whose project's evaluation the street committee has accepted."),
    }


def _split_labels() -> dict:
    return {"category": _("Category"), "area": _("Area"), "channel": _("Channel")}


def _by_labels() -> dict:
    return {"project": _("Project title"), "category": _("Category"), "unit": _("Member unit")}


def _unit_headers() -> dict:
    return {"unit": _("Member unit"), "projects": _("Projects taken part in"), "led": _("Projects led"),
            "joined": _("Projects joined as a partner"),
            "party_members": _("Party members taking part"), "volunteer_hours": _("Volunteer hours"),
            "recorded_hours": _("Volunteer hours recorded person by person"), "beneficiaries": _("People served")}


def _number(value):
    """A figure as the ranked list shows it: 96 for 96.0, 12.5 stays."""
    if isinstance(value, float):
        value = round(value, 1)
        return int(value) if value.is_integer() else value
    return value


def build(period: queries.Period, split: str, by: str, only: str | None = None) -> dict[str, Chart]:
    """name → Chart for every chart (or just ``only``), from SQL aggregates."""
    import pandas as pd

    names = labels()
    nothing = _("No data yet for this selection.")

    def needs_chart():
        data = queries.needs_over_time(period, uncategorised=_("Uncategorised"))
        table = data.groupby(["month", split])["needs"].sum().reset_index() if not data.empty else \
            pd.DataFrame(columns=["month", split, "needs"])
        table = table.rename(columns={"month": _("Month"), split: _split_labels()[split], "needs": _("Number of needs")})
        return Chart("needs", _("Needs by month"), table, analysis.needs_by_month(data, split, names), nothing)

    def funnel_chart():
        data = queries.funnel(period)
        meanings = stage_meanings()
        table = pd.DataFrame({_("Stage"): [names[s] for s in data["stage"]], _("Number of needs"): data["needs"],
                              _("What it counts"): [meanings[s] for s in data["stage"]]})
        return Chart("funnel", _("From needs to evaluated projects"), table, analysis.funnel(data, names),
                     _("No needs have been raised in this selection yet."),
                     note=_("Every stage counts needs, each stage a part of the one before; the table says "
                            "what each one counts."))

    def steps_chart():
        data = queries.step_durations(period)
        step_names = {step: _step_label(names, step) for step in queries.STEPS}
        table = pd.DataFrame({_("Step"): [step_names[s] for s in data["step"]], _("Average days"): data["days"],
                              _("Number of projects"): data["projects"]})
        return Chart("steps", _("Days spent in each step"), table,
                     analysis.step_durations(data, {**names, **step_names}),
                     _("No project has finished a step yet, so there is no time to show."))

    def satisfaction_chart():
        data = queries.satisfaction(period, by)
        columns = [by, "answers", "satisfied", "rate"]
        table = (data[columns] if not data.empty else pd.DataFrame(columns=columns)).rename(columns={
            by: _by_labels()[by], "answers": _("Respondents"), "satisfied": _("Satisfied"),
            "rate": _("Satisfaction rate (%)")})
        shown = analysis.SATISFACTION_BARS
        note = (_("The chart shows the %(shown)s highest of %(total)s; the table lists them all.",
                  shown=shown, total=len(data)) if len(data) > shown else None)
        return Chart("satisfaction", _("Satisfaction of evaluated projects"), table,
                     analysis.satisfaction(data, by, names, top=shown),
                     _("No project has been evaluated in this selection yet."), note=note)

    def units_chart():
        data = queries.unit_contributions(period)
        headers = _unit_headers()
        table = data[list(headers)].rename(columns=headers)
        ranked = [{key: _number(value) for key, value in row.items()}
                  for row in analysis.ranked_units(data).to_dict("records")]
        # The page lists the units that took part (a street has thousands of units); the
        # download lists every one.
        taking_part = analysis.ranked_units(data, top=None)
        return Chart("units", _("Member units' contributions"), table, None,
                     _("No member unit has taken part in a project in this selection yet."), ranked,
                     page_table=taking_part[list(headers)].rename(columns=headers),
                     table_note=_("The units that have taken part; the download lists every member unit."))

    builders = {"needs": needs_chart, "funnel": funnel_chart, "steps": steps_chart,
                "satisfaction": satisfaction_chart, "units": units_chart}
    return {name: make() for name, make in builders.items() if only in (None, name)}


def unit_figures() -> list[tuple[str, str]]:
    """(column, label) of the figures shown under each unit in the ranked list."""
    headers = _unit_headers()
    return [(key, headers[key]) for key in ("projects", "party_members", "volunteer_hours", "recorded_hours",
                                            "beneficiaries")]
