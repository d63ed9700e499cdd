"""The evaluation report's charts: mean score per question and per indicator. No Flask here:
labels come in as arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordination.core.plots import GOLD
from coordination.core.plots import LAYOUT
from coordination.core.plots import RED
from coordination.core.plots import empty_figure

if TYPE_CHECKING:  # imported where a figure is drawn: it takes ~0.5 s
    import plotly.graph_objects as go


def question_means(questions: list[dict], labels: dict) -> go.Figure:
    import plotly.graph_objects as go  # ~0.5 s to import: only when a figure is drawn

    rows = [q for q in questions if q["kind"] == "likert" and q["mean"] is not None]
    if not rows:
        return empty_figure(labels["empty"])
    figure = go.Figure(go.Bar(x=[q["mean"] for q in rows], y=[q["text"] for q in rows], orientation="h",
                              marker_color=RED, text=[q["mean"] for q in rows], textposition="auto"))
    figure.update_layout(**LAYOUT, xaxis=dict(range=[0, 5], title=labels["mean"]), yaxis=dict(autorange="reversed",
                                                                                               automargin=True))
    return figure


def indicator_means(breakdown: list[dict], labels: dict) -> go.Figure:
    import plotly.graph_objects as go  # ~0.5 s to import: only when a figure is drawn

    rows = [row for row in breakdown if row["mean"] is not None]
    if not rows:
        return empty_figure(labels["empty"])
    figure = go.Figure(go.Bar(x=[r["mean"] for r in rows], y=[r["name"] for r in rows], orientation="h",
                              marker_color=GOLD, text=[r["mean"] for r in rows], textposition="auto"))
    figure.update_layout(**LAYOUT, xaxis=dict(range=[0, 100], title=labels["mean"]),
                         yaxis=dict(autorange="reversed", automargin=True))
    return figure
