"""Pure helpers of the executive page: URL state, drill targets, result indexing and the exceptions list.

No database and no Dash here: the page hands in results and names and gets plain data back.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterable, Mapping
from urllib.parse import urlencode

__all__ = ["DAYS_CHOICES", "DEFAULT_DAYS", "TREND_DAYS", "PLANT_METRICS", "BREACH", "ViewState", "parse_query",
           "scope_view", "view_href", "drill_href", "index_results", "previous_values", "site_label",
           "series_points", "breach_age", "breach_distance", "exceptions"]

DAYS_CHOICES = (7, 14, 28, 30, 90)
DEFAULT_DAYS = 30
TREND_DAYS = 399  # 57 whole weeks: about 13 months ending as-of
EARLIEST = date(2000, 1, 1)
# Headline KPIs owned by the plant page, and the plant page's metric for each.
PLANT_METRICS = {"oee": "oee", "schedule_adherence": "oee", "downtime_hours": "downtime"}
BREACH = ("critical", "warning")


@dataclass(frozen=True)
class ViewState:
    """What the executive page shows: the period, optional company/site filters and a drilled KPI."""

    as_of: date
    days: int = DEFAULT_DAYS
    company: int | None = None
    site: int | None = None
    kpi: str | None = None
    notices: tuple[str, ...] = field(default=())
    blocked: str | None = None  # a filter names something outside the scope: show nothing but this

    def as_data(self) -> dict:
        """JSON-able form for a ``dcc.Store``."""
        return {"as_of": self.as_of.isoformat(), "days": self.days, "company": self.company, "site": self.site,
                "kpi": self.kpi, "notices": list(self.notices), "blocked": self.blocked}

    @classmethod
    def from_data(cls, data: Mapping) -> "ViewState":
        return cls(as_of=date.fromisoformat(data["as_of"]), days=int(data["days"]), company=data.get("company"),
                   site=data.get("site"), kpi=data.get("kpi"), notices=tuple(data.get("notices") or ()),
                   blocked=data.get("blocked"))


def _int_or_none(raw) -> tuple[int | None, bool]:
    """(value, ok): blank is (None, True); a non-integer is (None, False)."""
    if raw in (None, ""):
        return None, True
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None, False
    return (value, True) if value > 0 else (None, False)


def parse_query(query: Mapping[str, str], *, today: date, kpis: Iterable[str]) -> ViewState:
    """The view named by a URL query (``as_of``, ``days``, ``company``, ``site``, ``kpi``), checked for form.

    Bad values fall back to the defaults (today, 30 days, no filter) with a notice each. Scope is not
    checked here (no database): see ``scope_view``.
    """
    notices = []
    as_of = today
    raw = query.get("as_of")
    if raw:
        try:
            as_of = date.fromisoformat(str(raw))
        except ValueError:
            notices.append(f"'{raw}' is not a date (YYYY-MM-DD): showing today.")
        else:
            if not EARLIEST <= as_of <= today:
                notices.append(f"{as_of.isoformat()} is outside {EARLIEST.isoformat()}..today: showing today.")
                as_of = today
    days = DEFAULT_DAYS
    raw = query.get("days")
    if raw:
        value, ok = _int_or_none(raw)
        if ok and value in DAYS_CHOICES:
            days = value
        else:
            notices.append(f"'{raw}' days is not one of {', '.join(map(str, DAYS_CHOICES))}: showing {DEFAULT_DAYS}.")
    ids = {}
    for name in ("company", "site"):
        value, ok = _int_or_none(query.get(name))
        if not ok:
            notices.append(f"'{query.get(name)}' is not a {name} id: filter ignored.")
        ids[name] = value
    kpi = query.get("kpi") or None
    if kpi is not None and kpi not in set(kpis):
        notices.append(f"'{kpi}' is not a headline KPI: detail ignored.")
        kpi = None
    return ViewState(as_of, days, ids["company"], ids["site"], kpi, tuple(notices))


def scope_view(view: ViewState, sites: Mapping[int, Mapping], companies: Mapping[int, Mapping]) -> ViewState:
    """``view`` checked against the caller's scope (``sites``/``companies`` hold only what it may see).

    A company or site outside it blocks the view with a "not found or not allowed" message (the page then
    shows no data at all). A site implies its company.
    """
    if view.company is not None and view.company not in companies:
        return replace(view, blocked=f"Company {view.company}")
    if view.site is not None:
        if view.site not in sites:
            return replace(view, blocked=f"Site {view.site}")
        site_company = sites[view.site]["company_id"]
        if view.company is not None and view.company != site_company:
            return replace(view, company=site_company,
                           notices=view.notices + ("The site belongs to another company: company filter changed.",))
        return replace(view, company=site_company)
    return view


def view_href(as_of: date | str, days: int, *, company: int | None = None, site: int | None = None,
              kpi: str | None = None) -> str:
    """``/executive?...`` for a view (only the filters that are set)."""
    query = {"as_of": str(as_of), "days": int(days)}
    for key, value in (("company", company), ("site", site), ("kpi", kpi)):
        if value is not None:
            query[key] = value
    return "/executive?" + urlencode(query)


def drill_href(kpi: str, *, as_of: date | str, days: int, site: int | None = None,
               company: int | None = None) -> str:
    """Where a click on (site or company, KPI) goes: the plant page for plant KPIs of a site, else the
    executive page narrowed to that site or company with the KPI's detail panel open."""
    if site is not None and kpi in PLANT_METRICS:
        return "/plant?" + urlencode({"site": site, "metric": PLANT_METRICS[kpi], "as_of": str(as_of), "days": int(days)})
    return view_href(as_of, days, company=company, site=site, kpi=kpi)


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


def series_points(results: Iterable[Mapping], kpi: str, scope_kind: str, scope_id: int) -> list[dict]:
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
               *, days: int = 30, kpis_by_kind: Mapping[str, Iterable[str]] | None = None,
               as_of: date | None = None, limit: int = 15) -> list[dict]:
    """The worst current breaches, worst first: critical before warning, then by ``breach_distance``.

    ``current``: un-bucketed results of a ``days``-long period (thresholds of additive KPIs scale with
    it); ``weekly``: the same KPIs by week (for the age); ``names`` maps
    ``(scope kind, id)`` to a display name, and only those entities are listed; ``kpis_by_kind`` (scope
    kind -> KPI ids), when given, lists only those KPIs at that scope kind. Each row: ``kpi``,
    ``label``, ``scope_kind``, ``scope_id``, ``entity``, ``value``, ``unit``, ``status``, ``distance``,
    ``age_weeks`` (None for snapshot KPIs without history), ``owner``.
    """
    weekly = list(weekly)
    allowed = None if kpis_by_kind is None else {kind: set(k) for kind, k in kpis_by_kind.items()}
    rows = []
    for r in current:
        if r.get("bucket") or r["status"] not in BREACH or (r["scope_kind"], r["scope_id"]) not in names:
            continue
        if allowed is not None and r["kpi"] not in allowed.get(r["scope_kind"], ()):
            continue
        d = catalogue.for_scope(r["kpi"], r["scope_kind"], r["scope_id"], days)
        rows.append({
            "kpi": r["kpi"], "label": d.label, "scope_kind": r["scope_kind"], "scope_id": r["scope_id"],
            "entity": names[(r["scope_kind"], r["scope_id"])], "value": r["value"], "unit": d.unit,
            "status": r["status"], "distance": breach_distance(d, r["value"], r["status"]),
            "age_weeks": breach_age(series_points(weekly, r["kpi"], r["scope_kind"], r["scope_id"]), as_of),
            "owner": d.owner,
        })
    rows.sort(key=lambda row: (BREACH.index(row["status"]), -row["distance"], row["label"], row["entity"]))
    return rows[:limit]
