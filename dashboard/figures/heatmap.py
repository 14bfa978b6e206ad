"""Heat maps: KPI status grids (rows x KPIs, coloured by status) and entity x day matrices.

Colour is never the only signal: every cell carries its formatted value, and status cells an arrow
for the change against the previous period (▲/▼ in the direction of the value, coloured by better or
worse). Each cell's ``customdata`` is ``[row id, column key]`` so a click handler knows what was hit.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import plotly.graph_objects as go

from dashboard.figures.theme import BETTER_COLOUR, MUTED, WORSE_COLOUR, base_layout, empty_figure
from dashboard.ui import fmt_value

__all__ = ["CELL_FILLS", "STATUS_Z", "status_heatmap", "change_arrow", "wrap_label", "entity_day_heatmap"]

# Cell fills per status: light enough for dark text and coloured arrows, distinct in greyscale too.
CELL_FILLS = {
    "ok": "#a5d6a7",
    "warning": "#ffd180",
    "critical": "#ef9a9a",
    "no_data": "#e2e5e9",
    "unavailable": "#f1f2f4",
}
STATUS_Z = {status: i for i, status in enumerate(CELL_FILLS)}
_STATUS_SCALE = [[i / (len(CELL_FILLS) - 1), colour] for i, colour in enumerate(CELL_FILLS.values())]
_STATUS_WORDS = {"ok": "OK", "warning": "Warning", "critical": "Critical", "no_data": "No data",
                 "unavailable": "Unavailable"}


def change_arrow(definition, new: float | None, old: float | None) -> tuple[str, str | None]:
    """``(arrow, verdict)``: ▲ when the value rose, ▼ when it fell, "" otherwise; verdict ``better``,
    ``worse`` or None (no previous value, or unchanged)."""
    if new is None or old is None or new == old:
        return "", None
    verdict = definition.better(new, old)
    return ("▲" if new > old else "▼"), ("better" if verdict else "worse")


def _threshold_text(d) -> str:
    sign = "<" if d.direction == "higher" else ">"
    target = fmt_value(d.target, d.unit) if d.target is not None else "–"
    amber = f"{sign} {fmt_value(d.amber, d.unit)}" if d.amber is not None else "–"
    red = f"{sign} {fmt_value(d.red, d.unit)}" if d.red is not None else "–"
    return f"Target {target} · amber {amber} · red {red}"


def _definition(catalogue, kpi: str, row_kind: str, row_id, days: int):
    for_scope = getattr(catalogue, "for_scope", None)
    return for_scope(kpi, row_kind, row_id, days) if for_scope else catalogue[kpi]


def _cell(d, result: Mapping | None, previous: float | None, row_label: str) -> tuple[int, str, str]:
    """(z, text, hover) of one status cell."""
    status = (result or {}).get("status") or "no_data"
    value = (result or {}).get("value")
    if status == "unavailable":
        text = "n/a"
    else:
        text = fmt_value(value, d.unit)
    arrow, verdict = change_arrow(d, value, previous)
    if arrow:
        colour = BETTER_COLOUR if verdict == "better" else WORSE_COLOUR
        text = f"{text} <span style='color:{colour}'>{arrow}</span>"
    change = ("no previous value" if previous is None
              else f"previous {fmt_value(previous, d.unit)}" + (f" ({verdict})" if verdict else " (unchanged)"))
    hover = [f"<b>{d.label}</b> · {row_label}",
             f"Value: <b>{fmt_value(value, d.unit)}</b> · {_STATUS_WORDS.get(status, status)}",
             f"Change: {change}",
             _threshold_text(d),
             f"Owner: {d.owner.replace('_', ' ')}",
             f"<i>{d.formula}</i>"]
    reason = (result or {}).get("reason")
    if reason:
        hover.insert(2, f"Why: {reason}")
    return STATUS_Z.get(status, STATUS_Z["no_data"]), text, "<br>".join(hover)


def status_heatmap(rows: Sequence[tuple[int, str]], kpis: Sequence[str], current: Mapping[tuple[int, str], Mapping],
                   previous: Mapping[tuple[int, str], float | None], catalogue, *, row_kind: str = "warehouse",
                   days: int = 30, empty_message: str = "No sites in your scope.",
                   height: int | None = None) -> go.Figure:
    """A status heat map of ``rows`` (``(id, label)``, top to bottom) x ``kpis`` (KPI ids, left to right).

    ``current[(row id, kpi)]`` is a KPI result dict (``value``, ``status``, optional ``reason``); a
    missing cell is "no data". ``previous[(row id, kpi)]`` is the previous period's value for the
    arrow. ``catalogue`` gives definitions (``for_scope(kpi, kind, id, days)`` for a ``days``-long
    period, or ``[kpi]``). Returns a figure whose only
    trace is a ``go.Heatmap``; with no rows or KPIs, an empty-state figure saying ``empty_message``.
    """
    if not rows or not kpis:
        return empty_figure(empty_message)
    z, text, hover, custom = [], [], [], []
    for row_id, row_label in rows:
        zr, tr, hr, cr = [], [], [], []
        for kpi in kpis:
            d = _definition(catalogue, kpi, row_kind, row_id, days)
            cz, ct, ch = _cell(d, current.get((row_id, kpi)), previous.get((row_id, kpi)), row_label)
            zr.append(cz), tr.append(ct), hr.append(ch), cr.append([row_id, kpi])
        z.append(zr), text.append(tr), hover.append(hr), custom.append(cr)
    # Positions, not labels, on the axes: two sites may share a name.
    trace = go.Heatmap(z=z, x=list(range(len(kpis))), y=list(range(len(rows))), text=text, texttemplate="%{text}", textfont=dict(size=14),
                       hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", customdata=custom,
                       colorscale=_STATUS_SCALE, zmin=0, zmax=len(CELL_FILLS) - 1, showscale=False,
                       xgap=3, ygap=3)
    fig = go.Figure(trace)
    fig.update_layout(**base_layout(height=height or (90 + 46 * len(rows)), margin=dict(l=10, r=10, t=64, b=10)))
    fig.update_xaxes(side="top", tickfont=dict(size=13), fixedrange=True, tickmode="array", tickangle=0,
                     tickvals=list(range(len(kpis))), ticktext=[wrap_label(catalogue[k].label) for k in kpis],
                     showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=13), fixedrange=True, ticksuffix="  ", tickmode="array",
                     tickvals=list(range(len(rows))), ticktext=[label for _, label in rows], showgrid=False)
    return fig


def wrap_label(label: str, width: int = 12) -> str:
    """A column label broken onto two lines (``<br>``) at the space nearest its middle when longer than
    ``width``: headers stay horizontal and legible in narrow columns."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return label[:cut] + "<br>" + label[cut + 1:]


def _diverging(direction: str) -> list:
    scale = [[0.0, "#c62828"], [0.5, "#ffd180"], [1.0, "#2e7d32"]]
    if direction == "lower":
        scale = [[1.0 - p, c] for p, c in scale][::-1]
    return scale


def entity_day_heatmap(rows: Sequence[Mapping], *, unit: str, label: str, direction: str = "higher",
                       zmin: float | None = None, zmax: float | None = None,
                       empty_message: str = "No data in this period.", height: int | None = None) -> go.Figure:
    """An entity x day matrix of one continuous metric (e.g. OEE per work center per day).

    ``rows``: dicts with ``id``, ``name``, ``day`` ('YYYY-MM-DD') and ``value`` (None allowed). Entities
    keep their first-seen order; days are sorted. Colours run red (worse) to green (better) following
    ``direction``; cells show the formatted value; ``customdata`` is ``[entity id, day]``. With no rows,
    an empty-state figure saying ``empty_message``.
    """
    if not rows:
        return empty_figure(empty_message)
    names: dict = {}
    for r in rows:
        names.setdefault(r["id"], r["name"])
    days = sorted({r["day"] for r in rows})
    values = {(r["id"], r["day"]): r["value"] for r in rows}
    ids = list(names)
    z = [[values.get((i, d)) for d in days] for i in ids]
    text = [[fmt_value(v, unit) if v is not None else "" for v in zr] for zr in z]
    custom = [[[i, d] for d in days] for i in ids]
    hover = [[f"<b>{names[i]}</b> · {d}<br>{label}: {fmt_value(values.get((i, d)), unit)}" for d in days] for i in ids]
    present = [v for zr in z for v in zr if v is not None]
    trace = go.Heatmap(z=z, x=days, y=list(range(len(ids))), text=text, texttemplate="%{text}",
                       textfont=dict(size=11), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                       customdata=custom, colorscale=_diverging(direction),
                       zmin=zmin if zmin is not None else (min(present) if present else 0),
                       zmax=zmax if zmax is not None else (max(present) if present else 1),
                       xgap=2, ygap=2, colorbar=dict(thickness=10, title=dict(text=label, side="right")),
                       hoverongaps=False)
    fig = go.Figure(trace)
    fig.update_layout(**base_layout(height=height or (80 + 34 * len(ids))))
    fig.update_xaxes(type="category", tickangle=-45, fixedrange=True, tickfont=dict(color=MUTED))
    fig.update_yaxes(autorange="reversed", fixedrange=True, ticksuffix="  ", tickmode="array",
                     tickvals=list(range(len(ids))), ticktext=[names[i] for i in ids], showgrid=False)
    return fig
