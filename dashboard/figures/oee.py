"""The OEE decomposition of one work center or site: a waterfall from the logged time down to OEE (a figure
dict, see ``figures.theme``)."""
from __future__ import annotations

from dashboard.figures.theme import base_layout, empty_figure
from dashboard.formats import fmt_points, fmt_value
from dashboard.vocab import GRADES, LINE, SERIES

__all__ = ["oee_decomposition"]


def oee_decomposition(availability: float | None, performance: float | None, quality: float | None) -> dict:
    """Waterfall from 100 % of the logged time down to OEE: the loss of availability, then performance,
    then quality, each measured on what the previous factor left (so the bars add up exactly to OEE)."""
    factors = (availability, performance, quality)
    if any(f is None for f in factors):
        missing = [n for n, f in zip(("availability", "performance", "quality"), factors) if f is None]
        return empty_figure(f"No OEE: no data for {', '.join(missing)} in this period", height=300)
    a, p, q = (float(f) for f in factors)
    losses = (1.0 - a, a * (1.0 - p), a * p * (1.0 - q))
    oee = a * p * q
    labels = ["Logged time", "Availability loss", "Performance loss", "Quality loss", "OEE"]
    values = [1.0, *(-loss for loss in losses), oee]
    texts = [fmt_value(1.0, "ratio"), *(fmt_points(-loss) for loss in losses), fmt_value(oee, "ratio")]
    hover = ["All time logged at the work center (time logs of the period)",
             f"Availability {fmt_value(a, 'ratio')}: downtime of the logged time",
             f"Performance {fmt_value(p, 'ratio')}: slower than the expected duration",
             f"Quality {fmt_value(q, 'ratio')}: scrapped share of the produced quantity",
             f"OEE = {fmt_value(a, 'ratio')} × {fmt_value(p, 'ratio')} × {fmt_value(q, 'ratio')}"]
    waterfall = dict(
        type="waterfall", x=labels, y=values, measure=["absolute", "relative", "relative", "relative", "total"],
        text=texts, textposition="outside", hovertext=hover, hoverinfo="text", connector=dict(line=dict(color=LINE)),
        increasing=dict(marker=dict(color=SERIES)), decreasing=dict(marker=dict(color=GRADES["critical"].strong)),
        totals=dict(marker=dict(color=SERIES)))
    layout = base_layout(height=320, margin=dict(l=10, r=10, t=20, b=10),
                         yaxis=dict(range=[0, 1.12], tickformat=".0%", gridcolor=LINE), xaxis=dict(tickangle=0))
    return {"data": [waterfall], "layout": layout}
