"""Executive page state and data, pure: the view a URL names, its scope check, drill targets, result
indexing and the worst-exceptions ranking.

No database and no Dash components here (see ``executive_panels`` for those): the page hands in results
and names and gets plain data back. The URL is the one source of truth of the view; ``read_query`` checks
its form, ``in_scope`` checks it against what the caller may see.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dashboard.kpis.catalogue import HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS
from dashboard.urlstate import (
    DEFAULT_DAYS,
    Invalid,
    choice_param,
    date_param,
    days_param,
    href,
    id_param,
    parse_choice,
    parse_date,
    parse_days,
    parse_id,
    parse_query,
)

__all__ = ["HEADLINE", "SCOPES", "TREND_DAYS", "PLANT_METRICS", "PARTNER_KPIS", "NO_TREND_KPIS", "BREACH", "PARAMS", "View",
           "read_query", "in_scope", "drill_href", "cell_target", "index_results", "previous_values", "site_label",
           "series_points", "breach_age", "breach_distance", "exceptions", "trend_scope", "visible_rows"]

HEADLINE = HEADLINE_SITE_KPIS + HEADLINE_COMPANY_KPIS
SCOPES = ("warehouse", "company")
TREND_DAYS = 399  # 57 whole weeks: about 13 months ending as-of
# Headline KPIs owned by the plant page, and the plant page's metric for each (adherence has its tile there).
PLANT_METRICS = {"oee": "oee", "schedule_adherence": "oee", "downtime_hours": "downtime"}
# The page that explains each headline KPI further (the detail panel stays for a KPI without one).
DOMAIN_PAGES = {**dict.fromkeys(("supplier_otif", "late_po_lines", "customer_otif", "late_so_lines", "stockout_rate"),
                                "/supply"),
                "first_pass_yield": "/quality",
                **dict.fromkeys(("inventory_turns", "dio", "gross_margin_pct", "overdue_receivables"), "/finance")}
# KPIs with a per-partner breakdown, and what the partner is called.
PARTNER_KPIS = {"supplier_otif": "Vendor", "late_po_lines": "Vendor", "customer_otif": "Customer",
                "late_so_lines": "Customer", "gross_margin_pct": "Customer", "overdue_receivables": "Customer"}
# No weekly series: 365-day measures and snapshots of now.
NO_TREND_KPIS = ("inventory_turns", "dio", "stockout_rate", "overdue_receivables")
BREACH = ("critical", "warning")

PARAMS = {"as_of": date_param(), "days": days_param(),
          "company": id_param("company", "showing all companies"), "site": id_param("site", "showing all sites"),
          "kpi": choice_param(HEADLINE, None, "headline KPI", "no KPI detail")}


@dataclass(frozen=True)
class View:
    """What the executive page shows: the period, optional company/site filters and a drilled KPI."""

    as_of: date
    days: int = DEFAULT_DAYS
    company: int | None = None
    site: int | None = None
    kpi: str | None = None

    def as_data(self) -> dict:
        """JSON-able form for a ``dcc.Store``."""
        return {"as_of": self.as_of.isoformat(), "days": self.days, "company": self.company, "site": self.site,
                "kpi": self.kpi}

    @classmethod
    def from_data(cls, data, today: date) -> View:
        """The view from a store the browser holds, re-validated with the URL's validators; raises ``Invalid``."""
        if not isinstance(data, Mapping):
            raise Invalid("not a view")
        opt = lambda name, parse: None if data.get(name) is None else parse(data[name])
        return cls(parse_date(data.get("as_of"), today), parse_days(data.get("days")), opt("company", parse_id),
                   opt("site", parse_id), opt("kpi", lambda k: parse_choice(k, HEADLINE, "headline KPI")))

    def href(self, **changes) -> str:
        """``/executive?...`` of this view with ``changes`` (only what is set; stable parameter order)."""
        v = replace(self, **changes)
        return href("/executive", as_of=v.as_of, days=v.days, company=v.company, site=v.site, kpi=v.kpi)


def read_query(query: Mapping, today: date) -> tuple[View, list[str]]:
    """The view a URL query names, checked for form, and one notice per bad value (naming it)."""
    values, notices = parse_query(query, PARAMS, today)
    return View(**values), notices


def in_scope(view: View, sites: Mapping[int, Mapping], companies: Mapping[int, Mapping]
             ) -> tuple[View | None, str | None, list[str]]:
    """``(view, None, notices)`` checked against what the caller may see (``sites``/``companies`` hold only
    that), or ``(None, "Site 999", [])`` for a company or site outside it. A site implies its company."""
    if view.company is not None and view.company not in companies:
        return None, f"Company {view.company}", []
    if view.site is None:
        return view, None, []
    if view.site not in sites:
        return None, f"Site {view.site}", []
    owner = sites[view.site]["company_id"]
    notes = []
    if view.company is not None and view.company != owner:
        notes.append(f"Site {site_label(sites[view.site])} belongs to another company: showing its company.")
    return replace(view, company=owner), None, notes


def drill_href(kpi: str, view: View, *, site: int | None = None, company: int | None = None) -> str:
    """Where a click on (site or company, KPI) goes, for the same period: the page that explains the KPI
    (plant, supply chain, quality for a site; finance for a company), else this page narrowed to that site
    or company with the KPI's detail open."""
    page = DOMAIN_PAGES.get(kpi)
    if site is not None and kpi in PLANT_METRICS:
        return href("/plant", site=site, metric=PLANT_METRICS[kpi], days=view.days, as_of=view.as_of)
    if page == "/supply":
        return href(page, company=company, site=site, days=view.days, as_of=view.as_of)
    if page == "/quality" and site is not None:
        return href(page, site=site, days=view.days, as_of=view.as_of)
    if page == "/finance":
        return href(page, company=company, days=view.days, as_of=view.as_of)
    return view.href(company=company, site=site, kpi=kpi)


def cell_target(view: View, click, kind: str, sites: Mapping[int, Mapping], companies: Mapping[int, Mapping]) -> str | None:
    """The drill target of a clicked heat map cell, or None when the click names no visible cell of
    ``kind``. Dash hands a heat map click over as the cell's x/y positions (column, row: the heat map's
    axes are positions), mapped back here to the KPI and the row of the view's visible rows."""
    site_rows, company_rows = visible_rows(view, sites, companies)
    rows, kpis = (site_rows, HEADLINE_SITE_KPIS) if kind == "warehouse" else (company_rows, HEADLINE_COMPANY_KPIS)
    try:
        point = click["points"][0]
        x, y = point["x"], point["y"]
    except (KeyError, IndexError, TypeError):
        return None
    if not (type(x) is int and type(y) is int and 0 <= x < len(kpis) and 0 <= y < len(rows)):  # never a bool
        return None
    row_id, kpi = rows[y][0], kpis[x]
    if kind == "warehouse":
        return drill_href(kpi, view, site=row_id, company=sites[row_id]["company_id"])
    return drill_href(kpi, view, company=row_id, site=view.site)


def visible_rows(view: View, sites: Mapping[int, Mapping], companies: Mapping[int, Mapping]
                 ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """``(site rows, company rows)`` (``(id, label)``) the view's filters leave in the heat maps."""
    site_rows = [(i, site_label(s)) for i, s in sites.items()
                 if (view.company is None or s["company_id"] == view.company) and (view.site is None or i == view.site)]
    company_rows = [(i, c["name"]) for i, c in companies.items() if view.company is None or i == view.company]
    return site_rows, company_rows


def trend_scope(view: View, sites: Mapping[int, Mapping], companies: Mapping[int, Mapping]
                ) -> tuple[int | None, int | None, str]:
    """``(site id or None, company id or None, words)``: trends follow the site, else the company, else the
    first company in scope (the company filter changes it)."""
    if view.site is not None:
        return view.site, sites[view.site]["company_id"], site_label(sites[view.site])
    company = view.company if view.company is not None else next(iter(companies), None)
    if company is None:
        return None, None, ""
    note = "" if view.company is not None or len(companies) == 1 else " (pick a company to change)"
    return None, company, companies[company]["name"] + note


def index_results(results: Iterable[Mapping], scope_kind: str) -> dict[tuple[int, str], Mapping]:
    """``{(scope id, kpi): result}`` of the un-bucketed results of one scope kind."""
    return {(r["scope_id"], r["kpi"]): r for r in results if r["scope_kind"] == scope_kind and not r.get("bucket")}


def previous_values(results: Iterable[Mapping], scope_kind: str) -> dict[tuple[int, str], float | None]:
    """``{(scope id, kpi): value}`` of the previous period's results (for change arrows)."""
    return {key: r["value"] for key, r in index_results(results, scope_kind).items()}


def site_label(site: Mapping) -> str:
    """'PLZ plant (PLZ)': name with the short code when there is one."""
    code = site.get("code")
    return f"{site['name']} ({code})" if code and code not in str(site["name"]) else str(site["name"])


def series_points(results: Iterable[Mapping], kpi: str, scope_kind: str, scope_id: int | None) -> list[dict]:
    """The bucketed points (``{"bucket", "value", "status"}``, oldest first) of one KPI for one entity."""
    pts = [{"bucket": r["bucket"], "value": r["value"], "status": r["status"]} for r in results
           if r.get("bucket") and r["kpi"] == kpi and r["scope_kind"] == scope_kind and r["scope_id"] == scope_id]
    return sorted(pts, key=lambda p: p["bucket"])


def breach_age(points: list[dict], as_of: date | None = None) -> int | None:
    """Consecutive most recent weeks in breach (warning or critical), or None without a series.

    A week with no value ends the run, as does a missing week (weeks are ISO Mondays); the run counts
    back from the newest week present, or, given ``as_of``, from its week (from the week before when
    the as-of week, still young, has no value yet).
    """
    if not points:
        return None
    by_week = {p["bucket"]: p["status"] for p in points}
    if as_of is None:
        week = date.fromisoformat(max(by_week))
    else:
        week = as_of - timedelta(days=as_of.weekday())
        if by_week.get(week.isoformat()) is None:
            week -= timedelta(days=7)
    age = 0
    while by_week.get(week.isoformat()) in BREACH:
        age += 1
        week -= timedelta(days=7)
    return age


def breach_distance(definition, value: float | None, status: str) -> float:
    """How far past the breached threshold (red for critical, amber for warning) ``value`` lies, relative
    to the threshold (absolute when the threshold is 0); 0 when not in breach."""
    if value is None or status not in BREACH:
        return 0.0
    threshold = definition.red if status == "critical" else definition.amber
    if threshold is None:
        return 0.0
    gap = (threshold - value) if definition.direction == "higher" else (value - threshold)
    return max(gap, 0.0) / abs(threshold) if threshold else max(gap, 0.0)


def exceptions(current: Iterable[Mapping], weekly: Iterable[Mapping], catalogue, names: Mapping[tuple[str, int], str],
               *, days: int = DEFAULT_DAYS, as_of: date | None = None, limit: int = 12) -> list[dict]:
    """The worst current breaches, worst first: critical before warning, then by ``breach_distance``.

    ``current``: un-bucketed results of a ``days``-long period (thresholds of additive KPIs scale with
    it); ``weekly``: the same KPIs by week (for the age); ``names`` maps ``(scope kind, id)`` to a display
    name, and only those entities are listed, with the headline KPIs of their kind. Each row: ``kpi``,
    ``scope_kind``, ``scope_id``, ``entity``, ``value``, ``status``, ``distance``, ``age_weeks`` (None
    for snapshot KPIs without history) and ``definition`` (the scoped definition the status was judged by).
    """
    weekly = list(weekly)
    allowed = {"warehouse": set(HEADLINE_SITE_KPIS), "company": set(HEADLINE_COMPANY_KPIS)}
    rows = []
    for r in current:
        if r.get("bucket") or r["status"] not in BREACH or (r["scope_kind"], r["scope_id"]) not in names:
            continue
        if r["kpi"] not in allowed.get(r["scope_kind"], ()):
            continue
        d = catalogue.for_scope(r["kpi"], r["scope_kind"], r["scope_id"], days)
        rows.append({
            "kpi": r["kpi"], "scope_kind": r["scope_kind"], "scope_id": r["scope_id"],
            "entity": names[(r["scope_kind"], r["scope_id"])], "value": r["value"], "status": r["status"],
            "distance": breach_distance(d, r["value"], r["status"]), "definition": d,
            "age_weeks": breach_age(series_points(weekly, r["kpi"], r["scope_kind"], r["scope_id"]), as_of),
        })
    rows.sort(key=lambda row: (BREACH.index(row["status"]), -row["distance"], row["definition"].label, row["entity"]))
    return rows[:limit]
