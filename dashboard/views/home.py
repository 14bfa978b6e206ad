"""The home page's pure builders: which KPIs a role watches, its KPI tiles per company, a sites x KPIs
heat map of the site-scoped ones, the cards of the pages it may open and a one-line data health summary
(with the replica's own age in the user's scope).

Data in, components and figures out: tested without a browser (``tests/dashboard/test_views_home.py``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from dashboard.components import empty_state, kpi_tile, stale_badge, tile_grid
from dashboard.figures import Cell, heatmap, kpi_cell
from dashboard.figures.heatmap import wrap_label
from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS
from dashboard.shell import ROLE_LABELS

__all__ = ["OVERVIEW_KPIS", "home_kpis", "site_kpis", "kpi_heading", "company_tiles", "site_heatmap",
           "page_cards", "health_line"]

# What an executive (or admin) watches first: the big production and delivery ratios and the company KPIs.
OVERVIEW_KPIS = ("oee", "schedule_adherence", "supplier_otif", "customer_otif", *HEADLINE_COMPANY_KPIS)


def home_kpis(role: str, catalogue) -> list[str]:
    """The KPIs a role acts on: those it owns (catalogue ``owner``); executives and admins get the
    overview set."""
    if role in ("executive", "admin"):
        return list(OVERVIEW_KPIS)
    return [d.id for d in catalogue if d.owner == role]


def site_kpis(kpis: Sequence[str], catalogue) -> list[str]:
    """Those of ``kpis`` that are measured per site (warehouse) too."""
    return [k for k in kpis if "warehouse" in catalogue[k].scopes]


def kpi_heading(role: str, kpis: Sequence[str], catalogue, days: int) -> str:
    """"Supply chain KPIs, last 30 days: Supplier OTIF, Late PO lines, ..." (names the role's KPIs)."""
    names = ", ".join(catalogue[k].label for k in kpis)
    who = ROLE_LABELS.get(role, role)
    return f"{who} KPIs, last {days} days: {names}." if names else f"No KPIs are owned by the {who.lower()} role."


def _by_scope(results: Sequence[Mapping], kind: str) -> dict[tuple[str, int], Mapping]:
    return {(r["kpi"], r["scope_id"]): r for r in results if r["scope_kind"] == kind}


def company_tiles(kpis: Sequence[str], results: Sequence[Mapping], companies: Mapping[int, Mapping], catalogue,
                  days: int, *, id_prefix: str) -> html.Div:
    """Per company (a heading when there are several), one tile per KPI: value with the company's
    currency, the status phrase true to the value, the thresholds it was judged by. Tile values carry
    the id ``<id_prefix>-<kpi>-<company id>``."""
    if not companies:
        return empty_state("No company in your scope has data yet.")
    found = _by_scope(results, "company")
    blocks = []
    for cid, company in companies.items():
        currency = company.get("currency")
        tiles = [kpi_tile(catalogue.for_scope(kpi, "company", cid, days), found.get((kpi, cid)), currency=currency,
                          tile_id=f"{id_prefix}-{kpi}-{cid}")
                 for kpi in kpis if "company" in catalogue[kpi].scopes]
        if len(companies) > 1:
            blocks.append(html.H5(company["name"], className="home-company"))
        blocks.append(tile_grid(tiles))
    return html.Div(blocks)


def site_heatmap(kpis: Sequence[str], results: Sequence[Mapping], sites: Mapping[int, Mapping],
                 companies: Mapping[int, Mapping], catalogue, days: int):
    """Sites x the site-scoped ``kpis``: each cell the site's value, coloured and worded by its grade
    against the site's own thresholds. A ``go.Figure`` still (``tests/dashboard/test_views_home.py`` reads its
    attributes); the page caches what it renders, so its validation is paid once per scope and data refresh."""
    found = _by_scope(results, "warehouse")
    several = len(companies) > 1
    rows = []
    for sid, site in sorted(sites.items(), key=lambda item: item[1]["name"]):
        company = companies.get(site.get("company_id"), {})
        rows.append((sid, f"{site['name']} · {company['name']}" if several and company else site["name"]))
    columns = [(k, wrap_label(catalogue[k].label)) for k in kpis]
    cells: dict[tuple[int, str], Cell] = {}
    for sid, label in rows:
        currency = companies.get(sites[sid].get("company_id"), {}).get("currency")
        for kpi in kpis:
            definition = catalogue.for_scope(kpi, "warehouse", sid, days)
            cells[(sid, kpi)] = kpi_cell(definition, found.get((kpi, sid)), label, currency=currency)
    return go.Figure(heatmap(rows, columns, cells, empty_message="No site in your scope."))


def page_cards(pages: Sequence[Mapping], *, id_prefix: str) -> dbc.Row | None:
    """A card with an "Open" button per page (registry entries: name, description, relative_path,
    page_key); None when there is nothing to open."""
    if not pages:
        return None
    return dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([
        html.H5(p["name"], className="card-title"),
        html.P(p.get("description") or "", className="card-text text-muted"),
        dbc.Button("Open", href=p["relative_path"], color="primary", size="sm", id=f"{id_prefix}-{p['page_key']}"),
    ]), className="h-100 home-card"), xs=12, md=6, xl=4, className="mb-3") for p in pages], className="home-cards")


def _written(at: str, zone: ZoneInfo, now: datetime) -> str:
    local = datetime.fromisoformat(at).astimezone(zone)
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%Y-%m-%d %H:%M")


def health_line(health: Mapping, zone: ZoneInfo = ZoneInfo("UTC"), *, now: datetime | None = None) -> list:
    """One short line: the Odoo version, how many of the apps that matter are installed, the replica's own
    age (its newest Odoo write among the caller's companies and sites, in ``zone``) and a standby's replay lag;
    the stale badge when the health figures themselves are stale."""
    now = now or datetime.now(UTC)
    apps = health["apps"]
    installed = sum(1 for a in apps if a["installed"])
    parts = [f"Odoo {health['odoo_series']} {health['edition']}", f"{installed} of {len(apps)} apps installed"]
    if "newest_write" in health:
        newest = health["newest_write"]
        parts.append(f"newest Odoo write in your scope {_written(newest, zone, now)}" if newest
                     else f"no Odoo write in your scope for {health.get('write_window_days', 30)} days")
    if health.get("standby"):
        lag = health.get("lag_seconds")
        parts.append("replica lag unknown" if lag is None else f"replica lag {lag:.0f} s")
    line = [html.Strong("Data: "), " · ".join(parts)]
    if health.get("stale_since"):
        line += [" ", stale_badge(health["stale_since"], zone, refresh_failed=bool(health.get("refresh_failed")), now=now)]
    return line
