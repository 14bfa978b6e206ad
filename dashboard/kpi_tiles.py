"""KPI tiles: one card per KPI and company with value, status in words, target and formula (pure)."""
from __future__ import annotations

from typing import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ui
from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS

__all__ = ["owned_kpis", "kpi_tiles"]

STATUS_WORDS = {"ok": "On target", "warning": "Warning", "critical": "Critical", "no_data": "No data",
                "unavailable": "Unavailable"}


# What an executive (or admin) watches first: the company band of the heat map and the big three ratios.
OVERVIEW_KPIS = ("oee", "schedule_adherence", "supplier_otif", "customer_otif", *HEADLINE_COMPANY_KPIS)


def owned_kpis(role: str, catalogue) -> list[str]:
    """The KPIs a role acts on: those it owns; executives and admins get the overview set."""
    if role in ("executive", "admin"):
        return list(OVERVIEW_KPIS)
    return [d.id for d in catalogue if d.owner == role]



def _threshold_text(d) -> str:
    sign = "<" if d.direction == "higher" else ">"
    parts = []
    if d.target is not None:
        parts.append(f"target {ui.fmt_value(d.target, d.unit)}")
    if d.amber is not None:
        parts.append(f"amber {sign} {ui.fmt_value(d.amber, d.unit)}")
    if d.red is not None:
        parts.append(f"red {sign} {ui.fmt_value(d.red, d.unit)}")
    return " · ".join(parts)


def kpi_tiles(kpis: Sequence[str], results: Sequence[Mapping], company_names: Mapping[int, str], catalogue,
              *, id_prefix: str) -> html.Div:
    """A grid of tiles, one per (KPI, company) result; the status is written out, never colour alone."""
    by_key = {(r["kpi"], r["scope_id"]): r for r in results if r["scope_kind"] == "company"}
    cols = []
    for kpi in kpis:
        for company_id, company in company_names.items():
            d = catalogue.for_scope(kpi, "company", company_id)  # the thresholds the status was judged by
            r = by_key.get((kpi, company_id))
            status = r["status"] if r else "no_data"
            sub = r.get("reason") if r and r.get("reason") else _threshold_text(d)
            cols.append(dbc.Col(html.Div([
                html.Div(d.label, className="kpi-label"),
                html.Div(ui.fmt_value(r["value"] if r else None, d.unit), className="kpi-value",
                         id=f"{id_prefix}-{kpi}-{company_id}"),
                html.Div([html.Span(STATUS_WORDS[status], className=f"status-{status} fw-semibold"),
                          f" · {company}" if len(company_names) > 1 else ""], className="kpi-sub"),
                html.Div(sub, className="kpi-sub"),
            ], className=f"kpi-tile status-{status}", title=d.formula), md=4, xl=3, className="mb-3"))
    if not cols:
        return ui.empty_state("No company in your scope has data yet.")
    return dbc.Row(cols)
