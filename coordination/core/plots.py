"""The house style of every plotly figure (the dashboard's and the evaluation report's). No
Flask here, and plotly is imported where a figure is drawn: it takes ~0.5 s to import."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

RED, GOLD = "#b3131b", "#f6c344"
PALETTE = ["#b3131b", "#f6c344", "#8c0f15", "#e07b39", "#5b8c5a", "#3f6fb5", "#7d5ba6", "#999999"]
LAYOUT = dict(margin=dict(l=40, r=20, t=30, b=40), colorway=PALETTE, paper_bgcolor="#ffffff",
              plot_bgcolor="#ffffff", font=dict(family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif",
                                                 size=13), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), height=380)


def empty_figure(message: str) -> go.Figure:
    import plotly.graph_objects as go  # ~0.5 s to import: only when a figure is drawn

    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font=dict(size=15, color="#666"))
    figure.update_layout(**LAYOUT, xaxis=dict(visible=False), yaxis=dict(visible=False))
    return figure
