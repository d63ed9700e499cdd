"""From aggregated DataFrames to plotly figures. No Flask here: labels come in as arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordination.core.plots import GOLD
from coordination.core.plots import LAYOUT
from coordination.core.plots import RED

if TYPE_CHECKING:  # imported where used: they take ~0.5 s, which only the dashboard should pay
    import pandas as pd
    import plotly.graph_objects as go


def needs_by_month(data: pd.DataFrame, split: str, labels: dict) -> go.Figure | None:
    """Stacked bars: needs per month, split by ``split`` (category, area or channel); None
    without data (the page says so in words)."""
    import plotly.graph_objects as go

    if data.empty:
        return None
    table = data.groupby(["month", split])["needs"].sum().unstack(fill_value=0).sort_index()
    figure = go.Figure([go.Bar(name=str(column), x=table.index, y=table[column]) for column in table.columns])
    figure.update_layout(**LAYOUT, barmode="stack", yaxis_title=labels["needs"], xaxis_title=labels["month"],
                         xaxis=dict(type="category", ticks="outside", ticklen=8, tickcolor="rgba(0,0,0,0)"))
    return figure


def funnel(data: pd.DataFrame, labels: dict) -> go.Figure | None:
    """The stages of the loop, each a part of the one before (counted in needs)."""
    import plotly.graph_objects as go

    if data.empty or data["needs"].max() == 0:
        return None
    colours = [RED if stage in ("raised", "menu", "in_project") else GOLD for stage in data["stage"]]
    figure = go.Figure(go.Funnel(y=[labels[s] for s in data["stage"]], x=data["needs"], marker=dict(color=colours),
                                 textinfo="value+percent initial", textposition="auto"))
    figure.update_layout(**{**LAYOUT, "margin": dict(l=10, r=10, t=10, b=10)}, yaxis=dict(automargin=True))
    return figure


def duration_text(days: float, labels: dict) -> str:
    """A step's average time in words: under an hour, whole hours under a day, days after."""
    if days < 1 / 24:
        return labels["under_an_hour"]
    if days < 1:
        return labels["hours"] % {"hours": round(days * 24)}
    return labels["days_text"] % {"days": f"{days:.1f}"}


def step_durations(data: pd.DataFrame, labels: dict) -> go.Figure | None:
    """Horizontal bars of the average days in each step, each labelled in words (a step done
    within minutes reads "under an hour" instead of a bar too short to see)."""
    import plotly.graph_objects as go

    if data.empty:
        return None
    names = [labels.get(step, step) for step in data["step"]]
    figure = go.Figure(go.Bar(x=data["days"], y=names, orientation="h", marker_color=RED,
                              text=[duration_text(days, labels) for days in data["days"]],
                              textposition="outside", cliponaxis=False))
    longest = float(data["days"].max())
    figure.update_layout(**LAYOUT, xaxis=dict(title=labels["days"], rangemode="tozero",
                                              range=[0, max(longest * 1.35, 1)]),
                         yaxis=dict(autorange="reversed", automargin=True))
    figure.update_layout(height=80 + 36 * len(data))
    return figure


def _short(text: str, width: int = 10) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


SATISFACTION_BARS = 15


def satisfaction(data: pd.DataFrame, key: str, labels: dict, top: int = SATISFACTION_BARS) -> go.Figure | None:
    """Horizontal bars of the satisfaction rate, best first (the ``top`` ones; the table holds
    all): names stay readable on a phone, shortened on the axis and whole on hover."""
    import plotly.graph_objects as go

    if data.empty:
        return None
    shown = data.head(top)
    names = [str(name) for name in shown[key]]
    figure = go.Figure(go.Bar(x=shown["rate"], y=names, orientation="h", marker_color=GOLD,
                              text=[f"{rate:.1f}%" for rate in shown["rate"]], textposition="inside",
                              insidetextanchor="end", hovertext=names, hoverinfo="text+x"))
    figure.update_layout(**LAYOUT, xaxis=dict(range=[0, 100], title=labels["rate"]),
                         yaxis=dict(autorange="reversed", automargin=True, tickmode="array", tickvals=names,
                                    ticktext=[_short(name) for name in names]))
    figure.update_layout(height=90 + 36 * len(shown))
    return figure


def ranked_units(data: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """The member units that have contributed anything, best first (most projects, then hours);
    the first ``top`` of them (all with None)."""
    measures = ["projects", "party_members", "volunteer_hours", "recorded_hours", "beneficiaries"]
    if data.empty:
        return data
    active = data[data[measures].sum(axis=1) > 0]
    ranked = active.sort_values(["projects", "volunteer_hours", "beneficiaries"], ascending=False)
    return ranked if top is None else ranked.head(top)
