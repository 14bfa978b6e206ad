"""The plant page's views (pure): its URL, the site tiles, the late MO list and the tile that counts it,
the work center table and the work centers x days heat map.

Everything a plant manager reads here takes its words and colours from ``dashboard.vocab`` and its numbers
from ``dashboard.formats``; the tiles show the site-scope KPI results of exactly the URL's period, so a
drill from the executive heat map lands on the same figure.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from dashboard.components import Column, kpi_tile, period_options, tile
from dashboard.figures import heatmap, kpi_cell
from dashboard.formats import fmt_date, fmt_datetime, fmt_day_short, fmt_delay, fmt_value
from dashboard.urlstate import choice_param, date_param, days_param, href, id_param
from dashboard.vocab import GRADES, grade_of

__all__ = ["METRICS", "METRIC_LABELS", "OEE_KPIS", "SITE_KPIS", "PLANT_QUERY", "plant_href", "workcenter_href",
           "period_options", "odoo_record_url", "md_link", "index_results", "site_tiles", "late_summary", "late_tile",
           "LATE_COLUMNS", "late_rows", "WC_COLUMNS", "workcenter_rows", "worst_first", "day_heatmap",
           "heatmap_min_width"]

# URL metric -> KPI of the catalogue (an allow-list: nothing else reaches the KPI layer)
METRICS = {"oee": "oee", "availability": "oee_availability", "performance": "oee_performance",
           "quality": "oee_quality", "downtime": "downtime_hours"}
METRIC_LABELS = {"oee": "OEE", "availability": "Availability", "performance": "Performance",
                 "quality": "Quality", "downtime": "Downtime hours"}
OEE_KPIS = ("oee", "oee_availability", "oee_performance", "oee_quality", "downtime_hours")
SITE_KPIS = OEE_KPIS + ("schedule_adherence",)

PLANT_QUERY = {"site": id_param("site", "showing the first site"),
               "metric": choice_param(METRICS, "oee", "metric", "showing OEE"),
               "days": days_param(), "as_of": date_param()}


def plant_href(site: int | None, metric: str, days: int, as_of) -> str:
    """The plant page for a site, metric and period."""
    return href("/plant", site=site, metric=metric, days=days, as_of=as_of)


def workcenter_href(workcenter_id: int, as_of, days: int, wo: int | None = None) -> str:
    """The work center page for one period (and an opened work order)."""
    return href(f"/plant/workcenter/{int(workcenter_id)}", as_of=as_of, days=days, wo=wo)


def odoo_record_url(base_url: str, model: str, record_id: int) -> str | None:
    """A link to an Odoo record's form view, or None when no (http/https) Odoo URL is configured."""
    base = (base_url or "").strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        return None
    return f"{base}/web#{urlencode({'id': int(record_id), 'model': model, 'view_type': 'form'})}"


def md_link(text: str, url: str | None) -> str:
    """A Markdown link for a grid ``link`` column (``text`` alone without a URL); brackets and
    parentheses escaped so a record name cannot forge a link."""
    safe = "".join("\\" + ch if ch in "[]()\\*_`" else ch for ch in str(text))
    return f"[{safe}]({url.replace(')', '%29').replace(' ', '%20')})" if url else safe


def index_results(results: Iterable[Mapping], scope_kind: str, kpis: Iterable[str]) -> dict:
    """``{(kpi, scope id): result}`` of one scope kind (period results, no buckets)."""
    wanted = set(kpis)
    return {(r["kpi"], r["scope_id"]): r for r in results
            if r["scope_kind"] == scope_kind and r["kpi"] in wanted and r.get("bucket") is None}


def _adherence_line(result: Mapping | None) -> str:
    parts = (result or {}).get("parts") or {}
    if not parts.get("total"):
        return "No MO deadlines in this period"
    return f"{parts.get('on_time', 0):.0f} of {parts['total']:.0f} MOs done by their deadline"


def site_tiles(catalogue, per_site: Mapping, site_id: int, days: int, *, site_name: str, workcenters: int,
               late: Mapping, tile_id: Callable[[str], str], drill: Callable[[str], str]) -> list:
    """The four site tiles: schedule adherence, site OEE, downtime (site-scope results of the period, judged
    by the site's thresholds for ``days``) and late MOs (``late``: a ``late_summary``). ``tile_id(name)``
    makes the value ids, ``drill(metric)`` the heat map link of a tile."""
    def kpi(kpi_id, name, lines, metric=None):
        definition = catalogue.for_scope(kpi_id, "warehouse", site_id, days)
        return kpi_tile(definition, per_site.get((kpi_id, site_id)), lines=lines, tile_id=tile_id(name),
                        href=drill(metric) if metric else None)

    return [
        kpi("schedule_adherence", "adherence", [_adherence_line(per_site.get(("schedule_adherence", site_id)))]),
        kpi("oee", "oee", [f"{workcenters} work centers at {site_name}"], "oee"),
        kpi("downtime_hours", "downtime", ["Availability losses, closed time logs"], "downtime"),
        late_tile(late, tile_id("late")),
    ]


# The late MO list: what the query calls each row, in words and a grade.
_LATE_STATUS = {"late": ("Open, past deadline", "critical"), "done_late": ("Done late", "warning"),
                "at_risk": ("At risk", "warning")}


def late_summary(rows: Sequence[Mapping], limit: int | None = None) -> dict:
    """Counts of the late MO list: ``open`` (past deadline, not done), ``done`` (finished after the
    deadline), ``at_risk`` (deadline ahead), ``late`` = open + done (what the tile shows), ``capped`` when
    the list hit its ``limit``."""
    count = {key: sum(1 for r in rows if r.get("status") == key) for key in _LATE_STATUS}
    return {"open": count["late"], "done": count["done_late"], "at_risk": count["at_risk"],
            "late": count["late"] + count["done_late"], "capped": limit is not None and len(rows) >= limit}


def late_tile(summary: Mapping, tile_id: str | None = None, note: str = "Deadlines in the period, listed below"):
    """The late MOs tile: the count of late rows of the list, with their split, then ``note``."""
    g = GRADES["critical" if summary["open"] else "warning" if summary["done"] else "on_target"]
    phrase = {"critical": "Open MOs past their deadline", "warning": "Finished after their deadline",
              "on_target": "No MO late"}[g.key]
    more = "+" if summary.get("capped") else ""
    return tile("Late MOs", f"{summary['late']}{more}", g, phrase=phrase, tile_id=tile_id,
                lines=[f"{summary['open']} still open · {summary['done']} done late · {summary['at_risk']} at risk",
                       note])


LATE_COLUMNS = [Column("mo", "MO", "link", pinned=True, width=150), Column("product", "Product"),
                Column("deadline", "Deadline", width=150), Column("status", "Status", "status", width=170),
                Column("delay", "Delay", width=120)]


def late_rows(rows: Sequence[Mapping], zone: ZoneInfo, odoo_base_url: str = "") -> list[dict]:
    """Grid rows of the late MO list: MO (a link to Odoo when configured), product, deadline, status in
    words with its grade, delay ("25 min late", "1.5 d late", "due in 3 h")."""
    out = []
    for r in rows:
        word, grade_key = _LATE_STATUS.get(r.get("status"), ("Unknown", "no_data"))
        out.append({"id": str(r["id"]), "mo": md_link(r["name"], odoo_record_url(odoo_base_url, "mrp.production", r["id"])),
                    "product": r.get("product") or "", "deadline": fmt_datetime(r.get("date_deadline"), zone),
                    "status": f"{GRADES[grade_key].icon} {word}", "status_grade": grade_key,
                    "delay": fmt_delay(r.get("days_late"))})
    return out


WC_COLUMNS = [Column("name", "Work center", "link", pinned=True, width=210),
              *(Column(k, label, "status") for k, label in (("oee", "OEE"), ("oee_availability", "Availability"),
                                                            ("oee_performance", "Performance"),
                                                            ("oee_quality", "Quality"),
                                                            ("downtime_hours", "Downtime")))]


def workcenter_rows(workcenters: Sequence[tuple[int, str]], per_wc: Mapping, catalogue, days: int,
                    link: Callable[[int], str]) -> list[dict]:
    """Grid rows of the work center table: a link to the work center, then each OEE KPI's value and
    status word (``<kpi>_grade`` colours the cell), judged by the work center's thresholds for ``days``."""
    out = []
    for wc_id, name in workcenters:
        row = {"id": str(wc_id), "name": md_link(name, link(wc_id))}
        for kpi in OEE_KPIS:
            definition = catalogue.for_scope(kpi, "workcenter", wc_id, days)
            result = per_wc.get((kpi, wc_id)) or {}
            g = grade_of(definition, result.get("value"), result.get("status"))
            row[kpi] = f"{fmt_value(result.get('value'), definition.unit)} · {g.icon} {g.word}"
            row[f"{kpi}_grade"] = g.key
        out.append(row)
    return out


def worst_first(workcenters: Sequence[tuple[int, str]], per_wc: Mapping, kpi: str, direction: str) -> list:
    """Work centers ordered worst value of ``kpi`` first (lowest for higher-is-better, highest for
    lower-is-better), those without a value last, then by name."""
    def key(item):
        value = (per_wc.get((kpi, item[0])) or {}).get("value")
        if value is None:
            return (1, 0.0, item[1])
        return (0, value if direction == "higher" else -value, item[1])

    return sorted(workcenters, key=key)


def day_heatmap(workcenters: Sequence[tuple[int, str]], days: Sequence[str], daily: Iterable[Mapping], kpi: str,
                catalogue, links: Mapping[int, str], *, empty_message: str):
    """Work centers x days of ``kpi``: each cell graded by the work center's thresholds for one day, the
    value in its unit, no-data cells blank; columns "04 Nov", rows link to the work center."""
    names = dict(workcenters)
    cells = {}
    for r in daily:
        if r["kpi"] != kpi or r["scope_kind"] != "workcenter" or r["scope_id"] not in names or not r.get("bucket"):
            continue
        day = fmt_date(r["bucket"])
        definition = catalogue.for_scope(kpi, "workcenter", r["scope_id"], 1)
        cells[(r["scope_id"], day)] = kpi_cell(definition, r, f"{names[r['scope_id']]} · {day}")
    fig = heatmap(list(workcenters), [(d, fmt_day_short(d)) for d in days], cells, empty_message=empty_message,
                  links=links, font_size=12, header_height=36, row_height=40)
    # ticklabeloverflow: plotly measures labels in screen pixels, so on a zoomed 4K body it would drop
    # the later days' labels as "overflowing"
    fig["layout"]["xaxis"].update(tickfont=dict(size=12), ticklabeloverflow="allow")
    return fig


def heatmap_min_width(n_days: int) -> int:
    """The heat map's minimum width in px: room for "100.0 %" in each day column and the row labels, so a
    90-day map scrolls inside its frame instead of squeezing its numbers together."""
    return 200 + 50 * n_days
