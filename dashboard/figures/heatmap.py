"""The one heat map: rows (entities) x columns (KPIs or days), each cell coloured by its status grade.

Colour is never the only signal: a cell shows its formatted value (and, for period comparisons, an
arrow ▲/▼ coloured better or worse), its hover says the status in words with the thresholds. Cells
without a value show nothing but the "no data" fill. The axes are positions (two rows may share a name),
and Dash hands a click over as the cell's ``x``/``y`` positions (column, row): a click handler maps them
back to its own row and column lists. Each cell's ``customdata`` also names ``[row id, column key]``, for
readers of the figure (browser tests, exports). ``kpi_cell`` builds a cell from a KPI result.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dashboard.figures.theme import base_layout, empty_figure
from dashboard.formats import fmt_value
from dashboard.vocab import BETTER, GRADES, WORSE, grade_of, status_phrase, threshold_text

__all__ = ["Cell", "heatmap", "kpi_cell", "change_arrow", "wrap_label"]

_KEYS = list(GRADES)
_SCALE = []
for _i, _g in enumerate(GRADES.values()):  # a step per grade: z = the grade's index
    _SCALE += [[_i / len(GRADES), _g.fill], [(_i + 1) / len(GRADES), _g.fill]]


@dataclass(frozen=True)
class Cell:
    text: str  # what the cell shows (plotly pseudo-HTML allowed: the change arrow)
    grade: str  # a key of dashboard.vocab.GRADES
    hover: str


def change_arrow(definition, new: float | None, old: float | None) -> tuple[str, str | None]:
    """``(arrow, verdict)``: ▲ when the value rose, ▼ when it fell, "" otherwise; verdict ``better``,
    ``worse`` or None (no previous value, or unchanged)."""
    if new is None or old is None or new == old:
        return "", None
    return ("▲" if new > old else "▼"), ("better" if definition.better(new, old) else "worse")


def kpi_cell(definition, result: Mapping | None, where: str, *, previous: float | None = None, compare: bool = False,
             currency: str | None = None) -> Cell:
    """A heat map cell of one KPI result for ``where`` (row and column in words). ``compare``: add the
    change arrow against ``previous`` (the previous period's value)."""
    value = (result or {}).get("value")
    status = (result or {}).get("status") or "no_data"
    g = grade_of(definition, value, status)
    shown = fmt_value(value, definition.unit, currency)
    text = "n/a" if status == "unavailable" else ("" if value is None else shown)
    hover = [f"<b>{html.escape(definition.label)}</b> · {html.escape(where)}",
             f"<b>{shown}</b> · {g.icon} {status_phrase(definition, value, status)}"]
    reason = (result or {}).get("reason")
    if reason:
        hover.append(f"Why: {html.escape(reason)}")
    if compare:
        arrow, verdict = change_arrow(definition, value, previous)
        if arrow:
            text = f"{text} <span style='color:{BETTER if verdict == 'better' else WORSE}'>{arrow}</span>"
        hover.append("Previous period: " + ("no value" if previous is None else
                                            f"{fmt_value(previous, definition.unit, currency)} ({verdict or 'unchanged'})"))
    hover += [threshold_text(definition, currency), f"Owner: {definition.owner.replace('_', ' ')}",
              f"<i>{html.escape(definition.formula)}</i>"]
    return Cell(text, g.key, "<br>".join(hover))


def wrap_label(label: str, width: int = 12) -> str:
    """A column label broken onto two lines (``<br>``) at the space nearest its middle when longer than
    ``width``: headers stay horizontal and legible in narrow columns."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return label[:cut] + "<br>" + label[cut + 1:]


def _safe_href(href: str) -> str:
    """An href for plotly's pseudo-HTML: characters that could end the attribute or tag percent-encoded."""
    return href.replace('"', "%22").replace("<", "%3C").replace(">", "%3E").replace("'", "%27")


def heatmap(rows: Sequence[tuple[int, str]], columns: Sequence[tuple[str, str]], cells: Mapping[tuple[int, str], Cell],
            *, empty_message: str, links: Mapping[int, str] | None = None, row_height: int = 44,
            font_size: int = 14, header_height: int = 64) -> dict:
    """Rows (``(id, label)``, top to bottom) x columns (``(key, label)``, left to right) coloured by each
    cell's grade; a missing cell is "no data". ``links`` (row id -> href) turns row labels into links.
    With no rows or columns, an empty-state figure saying ``empty_message``. A figure dict (``figures.theme``)."""
    if not rows or not columns:
        return empty_figure(empty_message)
    z, text, hover, custom = [], [], [], []
    for row_id, row_label in rows:
        zr, tr, hr, cr = [], [], [], []
        for key, col_label in columns:
            cell = cells.get((row_id, key)) or Cell("", "no_data", f"<b>{html.escape(row_label)}</b> · {col_label}<br>No data")
            zr.append(_KEYS.index(cell.grade) + 0.5), tr.append(cell.text), hr.append(cell.hover)
            cr.append([row_id, key])
        z.append(zr), text.append(tr), hover.append(hr), custom.append(cr)
    # Positions, not labels, on the axes: two rows may share a name.
    trace = dict(type="heatmap", z=z, x=list(range(len(columns))), y=list(range(len(rows))), text=text,
                 texttemplate="%{text}", textfont=dict(size=font_size), hovertext=hover,
                 hovertemplate="%{hovertext}<extra></extra>", customdata=custom, colorscale=_SCALE, zmin=0,
                 zmax=len(GRADES), showscale=False, xgap=3, ygap=3)
    labels = [html.escape(label) for _, label in rows]
    if links:
        labels = [f'<a href="{_safe_href(links[rid])}" target="_self">{label}</a>' if rid in links else label
                  for (rid, _), label in zip(rows, labels)]
    layout = base_layout(
        height=header_height + 16 + row_height * len(rows), margin=dict(l=10, r=10, t=header_height, b=10),
        xaxis=dict(side="top", tickfont=dict(size=13), fixedrange=True, tickmode="array", tickangle=0,
                   tickvals=list(range(len(columns))), ticktext=[label for _, label in columns], showgrid=False,
                   zeroline=False),
        yaxis=dict(autorange="reversed", tickfont=dict(size=13), fixedrange=True, ticksuffix="  ", tickmode="array",
                   tickvals=list(range(len(rows))), ticktext=labels, showgrid=False, zeroline=False))
    return {"data": [trace], "layout": layout}
