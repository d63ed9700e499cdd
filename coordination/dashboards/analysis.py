"""From aggregated DataFrames to plotly figures. No Flask here: labels come in as arguments."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

RED, GOLD = "#b3131b", "#f6c344"
PALETTE = ["#b3131b", "#f6c344", "#8c0f15", "#e07b39", "#5b8c5a", "#3f6fb5", "#7d5ba6", "#999999"]
LAYOUT = dict(margin=dict(l=40, r=20, t=30, b=40), colorway=PALETTE, paper_bgcolor="#ffffff",
              plot_bgcolor="#ffffff", font=dict(family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif",
                                                 size=13), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), height=380)


def _empty(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font=dict(size=15, color="#666"))
    figure.update_layout(**LAYOUT, xaxis=dict(visible=False), yaxis=dict(visible=False))
    return figure


def needs_by_month(data: pd.DataFrame, split: str, labels: dict) -> go.Figure:
    """Stacked bars: needs per month, split by ``split`` (category, area or channel)."""
    if data.empty:
        return _empty(labels["empty"])
    table = data.groupby(["month", split])["needs"].sum().unstack(fill_value=0).sort_index()
    figure = go.Figure([go.Bar(name=str(column), x=table.index, y=table[column]) for column in table.columns])
    figure.update_layout(**LAYOUT, barmode="stack", yaxis_title=labels["needs"], xaxis_title=labels["month"],
                         xaxis=dict(type="category"))
    return figure


def funnel(data: pd.DataFrame, labels: dict) -> go.Figure:
    if data.empty or data["count"].sum() == 0:
        return _empty(labels["empty"])
    figure = go.Figure(go.Funnel(y=[labels[s] for s in data["stage"]], x=data["count"],
                                 marker=dict(color=[RED] * 4 + [GOLD] * 3), textinfo="value+percent initial"))
    figure.update_layout(**LAYOUT)
    return figure


def step_durations(data: pd.DataFrame, labels: dict) -> go.Figure:
    if data.empty:
        return _empty(labels["empty"])
    figure = go.Figure(go.Bar(x=data["days"], y=[labels.get(s, s) for s in data["step"]], orientation="h",
                              marker_color=RED, text=data["days"], textposition="auto"))
    figure.update_layout(**LAYOUT, xaxis_title=labels["days"], yaxis=dict(autorange="reversed"))
    return figure


def satisfaction(data: pd.DataFrame, key: str, labels: dict) -> go.Figure:
    if data.empty:
        return _empty(labels["empty"])
    figure = go.Figure(go.Bar(x=data[key], y=data["rate"], marker_color=GOLD, text=data["rate"],
                              textposition="outside"))
    figure.update_layout(**LAYOUT, yaxis=dict(range=[0, 105], title=labels["rate"]))
    return figure


def contributions(data: pd.DataFrame, labels: dict) -> go.Figure:
    if data.empty or data[["projects", "volunteer_hours", "beneficiaries"]].to_numpy().sum() == 0:
        return _empty(labels["empty"])
    top = data.head(12)
    figure = go.Figure([
        go.Bar(name=labels["projects"], x=top["unit"], y=top["projects"], marker_color=RED),
        go.Bar(name=labels["party_members"], x=top["unit"], y=top["party_members"], marker_color="#8c0f15"),
        go.Bar(name=labels["volunteer_hours"], x=top["unit"], y=top["volunteer_hours"], marker_color=GOLD),
        go.Bar(name=labels["beneficiaries"], x=top["unit"], y=top["beneficiaries"], marker_color="#e07b39"),
    ])
    figure.update_layout(**LAYOUT, barmode="group", xaxis=dict(tickangle=-30, automargin=True))
    return figure


def question_means(questions: list[dict], labels: dict) -> go.Figure:
    rows = [q for q in questions if q["kind"] == "likert" and q["mean"] is not None]
    if not rows:
        return _empty(labels["empty"])
    figure = go.Figure(go.Bar(x=[q["mean"] for q in rows], y=[q["text"] for q in rows], orientation="h",
                              marker_color=RED, text=[q["mean"] for q in rows], textposition="auto"))
    figure.update_layout(**LAYOUT, xaxis=dict(range=[0, 5], title=labels["mean"]), yaxis=dict(autorange="reversed",
                                                                                               automargin=True))
    return figure


def indicator_means(breakdown: list[dict], labels: dict) -> go.Figure:
    rows = [row for row in breakdown if row["mean"] is not None]
    if not rows:
        return _empty(labels["empty"])
    figure = go.Figure(go.Bar(x=[r["mean"] for r in rows], y=[r["name"] for r in rows], orientation="h",
                              marker_color=GOLD, text=[r["mean"] for r in rows], textposition="auto"))
    figure.update_layout(**LAYOUT, xaxis=dict(range=[0, 100], title=labels["mean"]),
                         yaxis=dict(autorange="reversed", automargin=True))
    return figure
