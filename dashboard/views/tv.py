"""The TV board's panels (pure): rows and KPI results in, large-type components out.

Words, icons and colours come from ``dashboard.vocab`` (a work center's state borrows the grade of what it
means: running on target, blocked critical, idle no data), numbers from ``dashboard.formats``, tiles and
status text from ``dashboard.components``; sizes come from ``assets/tv.css`` (type in viewport widths, so a
1080p and a 4K screen show the same board). Times are shown in the display zone; durations are counted
to ``now`` (an aware instant) at render time, so the cached rows never carry the moment of a request.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dash import html

from dashboard.components import empty_state, kpi_tile, status_badge, status_text, tile
from dashboard.figures import pareto_rows
from dashboard.formats import fmt_minutes, fmt_qty, fmt_value, to_local
from dashboard.views.executive import exceptions
from dashboard.views.plant import index_results, late_tile
from dashboard.vocab import GRADES, grade_of, status_phrase

__all__ = ["STATES", "workcenter_states", "status_panel", "output_panel", "oee_panel", "downtime_panel",
           "exceptions_panel", "minutes_since"]

# A work center's state: its word and the grade whose icon and colour it takes.
STATES = {"running": ("Running", "on_target"), "blocked": ("Blocked", "critical"), "idle": ("Idle", "no_data")}
_ATTENTION = {"blocked": 0, "running": 1, "idle": 2}
PARETO_TOP = 6
EXCEPTIONS_SHOWN = 6


def _utc(value) -> datetime | None:
    local = to_local(value, ZoneInfo("UTC"))
    return local.astimezone(UTC) if local else None


def minutes_since(value, now: datetime) -> float | None:
    """Whole minutes from ``value`` (naive UTC from Odoo, or ISO text) to ``now``; never negative."""
    start = _utc(value)
    return None if start is None else max((now - start).total_seconds() // 60, 0.0)


def _clock(value, zone: ZoneInfo, now: datetime) -> str:
    """'09:30' today in ``zone``, '09 Jun 22:00' another day."""
    local = to_local(value, zone)
    if local is None:
        return "–"
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%d %b %H:%M")


def workcenter_states(workcenters: Sequence[tuple[int, str]], activity: Mapping) -> list[dict]:
    """One row per work center (in the given order): ``id``, ``name``, ``state`` (running / blocked / idle),
    ``reason``, ``since`` (naive UTC or None) and ``workorder`` ("MO2 · Bracket" or None).

    Odoo's rule: an open time log whose loss blocks (``blocks``) makes the work center blocked, since the
    newest such log, with its loss as the reason; else an open productive or performance log makes it
    running, since the oldest; else it is idle since its last closed log ("Paused" when a work order is
    still in progress there)."""
    logs: dict[int, list] = {}
    for r in activity.get("open_logs", ()):
        logs.setdefault(int(r["workcenter_id"]), []).append(r)
    progress: dict[int, list] = {}
    for r in activity.get("progress", ()):
        progress.setdefault(int(r["workcenter_id"]), []).append(r)
    last_end = {int(k): v for k, v in (activity.get("last_end") or {}).items()}
    out = []
    for wc, name in workcenters:
        open_logs = logs.get(wc, [])
        blocking = [r for r in open_logs if r.get("blocks")]
        running = [r for r in open_logs if not r.get("blocks")]
        orders = progress.get(wc, [])
        order = orders[0] if orders else None
        doing = " · ".join(str(x) for x in (order.get("production"), order.get("product")) if x) if order else None
        if blocking:
            newest = blocking[-1]
            row = {"state": "blocked", "reason": newest.get("loss") or "Blocked", "since": newest["date_start"]}
        elif running:
            row = {"state": "running", "reason": running[0].get("loss") or "Productive", "since": running[0]["date_start"]}
        else:
            row = {"state": "idle", "reason": f"Paused: {order.get('name') or 'work order'}" if order else "No time logged now",
                   "since": last_end.get(wc)}
        out.append({"id": wc, "name": name, "workorder": doing, **row})
    return out


def _since_line(row: Mapping, zone: ZoneInfo, now: datetime) -> str:
    if row.get("since") is None:
        return ""
    return f"since {_clock(row['since'], zone, now)} · {fmt_minutes(minutes_since(row['since'], now))}"


def status_panel(states: Sequence[Mapping], zone: ZoneInfo, now: datetime) -> html.Div:
    """A card per work center: its state in a large word with the grade's icon and colour, the reason (the
    loss, or what it runs) and since when."""
    if not states:
        return empty_state("No work center belongs to this site yet.")
    counts = {key: sum(1 for s in states if s["state"] == key) for key in STATES}
    summary = html.Div([status_badge(GRADES[STATES[key][1]], f"{counts[key]} {STATES[key][0].lower()}")
                        for key in STATES if counts[key]], className="tv-summary")
    cards = []
    # what needs someone first: blocked, then running, then idle (each in the given order: sorted is stable)
    for s in sorted(states, key=lambda s: _ATTENTION.get(s["state"], len(_ATTENTION))):
        word, grade_key = STATES[s["state"]]
        g = GRADES[grade_key]
        lines = [s["workorder"] if s["state"] == "running" else None, _since_line(s, zone, now)]
        cards.append(html.Div(tile(s["name"], f"{g.icon} {word}", g, phrase=s["reason"], lines=lines,
                                   tile_id=f"tv-status-{s['id']}"), className=f"tv-cell tv-state-{s['state']}"))
    return html.Div([summary, html.Div(cards, className="tv-grid")], className="tv-panel-body")


def _progress_bar(done: float, planned: float) -> html.Div:
    share = min(done / planned, 1.0) if planned else 0.0
    g = GRADES["on_target" if planned and done >= planned else "warning" if planned else "measure"]
    return html.Div(html.Div(className=f"tv-bar-fill grade-fill-{g.key}", style={"width": f"{share * 100:.0f}%"}),
                    className="tv-bar", title=f"{share:.0%} of plan")


def output_panel(workcenters: Sequence[tuple[int, str]], output: Mapping) -> html.Div:
    """Today's output: per product, produced against the quantity of the MOs due today (and how many of them
    are done); per work center, produced by its work orders done today and what of today's plan it finished."""
    products = output.get("products") or []
    per_wc = {int(r["workcenter_id"]): r for r in output.get("workcenters") or []}
    if not products and not per_wc:
        return empty_state("Nothing produced and no MO due today at this site.")
    head = html.Tr([html.Th("Product"), html.Th("Produced", className="num"), html.Th("Plan", className="num"),
                    html.Th("MOs done", className="num"), html.Th("")])
    rows = [html.Tr([html.Td(p["product"]), html.Td(fmt_qty(p["produced"]), className="num tv-strong"),
                     html.Td(fmt_qty(p["planned"]), className="num"),
                     html.Td(f"{p['mos_done']} / {p['mos_due']}", className="num"),
                     html.Td(_progress_bar(p["produced"], p["planned"]), className="tv-bar-cell")])
            for p in sorted(products, key=lambda p: (-p["planned"], p["product"]))]
    names = dict(workcenters)
    wc_rows = [html.Tr([html.Td(names.get(wc, f"Work center {wc}")), html.Td(fmt_qty(r["produced"]), className="num tv-strong"),
                        html.Td(fmt_qty(r["planned"]), className="num"), html.Td(fmt_qty(r["planned_done"]), className="num"),
                        html.Td(_progress_bar(r["planned_done"], r["planned"]), className="tv-bar-cell")])
               for wc, r in sorted(per_wc.items(), key=lambda item: names.get(item[0], ""))]
    wc_head = html.Tr([html.Th("Work center"), html.Th("Produced", className="num"), html.Th("Plan", className="num"),
                       html.Th("Plan done", className="num"), html.Th("")])
    return html.Div([
        html.Div([html.H3("By product: produced today vs MOs due today", className="tv-sub"),
                  html.Table([html.Thead(head), html.Tbody(rows)], className="tv-table")], className="tv-half"),
        html.Div([html.H3("By work center: work orders done today", className="tv-sub"),
                  html.Table([html.Thead(wc_head), html.Tbody(wc_rows)], className="tv-table")], className="tv-half"),
    ], className="tv-panel-body tv-columns")


def oee_panel(workcenters: Sequence[tuple[int, str]], shift: Mapping, today: Mapping, catalogue, shift_label: str) -> html.Div:
    """A tile per work center: OEE of this shift (judged by the work center's 1-day thresholds), with today's
    OEE and this shift's availability, performance and quality under it."""
    if not workcenters:
        return empty_state("No work center belongs to this site yet.")
    kpis = ("oee", "oee_availability", "oee_performance", "oee_quality")
    now_r = index_results(shift.get("results") or [], "workcenter", kpis)
    day_r = index_results(today.get("results") or [], "workcenter", kpis)
    tiles = []
    for wc, name in workcenters:
        definition = catalogue.for_scope("oee", "workcenter", wc, 1)
        day = day_r.get(("oee", wc)) or {}
        g = grade_of(definition, day.get("value"), day.get("status"))
        factors = " · ".join(f"{label} {fmt_value((now_r.get((k, wc)) or {}).get('value'), 'ratio')}"
                             for k, label in (("oee_availability", "A"), ("oee_performance", "P"), ("oee_quality", "Q")))
        today_line = (html.Span(["Today ", html.Strong(fmt_value(day["value"], "ratio")), " ", status_text(g)])
                      if day.get("value") is not None else "Today: no OEE yet")
        lines = [today_line, f"This shift: {factors}"]
        tiles.append(html.Div(kpi_tile(definition, now_r.get(("oee", wc)), label=name, lines=lines,
                                       tile_id=f"tv-oee-{wc}"), className="tv-cell"))
    return html.Div([html.Div(f"This shift {shift_label} · closed time logs and finished work orders",
                              className="tv-note"), html.Div(tiles, className="tv-grid")], className="tv-panel-body")


def downtime_panel(states: Sequence[Mapping], pareto: Sequence[Mapping], zone: ZoneInfo, now: datetime) -> html.Div:
    """Downtime in progress (blocked work centers, longest first, with the minutes so far) and today's closed
    availability losses by reason, largest first, as bars."""
    down = sorted((s for s in states if s["state"] == "blocked"), key=lambda s: -(minutes_since(s["since"], now) or 0))
    g = GRADES["critical"]
    if down:
        live = [html.Li([html.Span(f"{g.icon} {s['name']}", className="tv-down-where grade-critical"),
                         html.Span(s["reason"], className="tv-down-why"),
                         html.Span(fmt_minutes(minutes_since(s["since"], now)), className="tv-down-for"),
                         html.Span(f"since {_clock(s['since'], zone, now)}", className="tv-down-since")],
                        className="tv-down") for s in down]
        in_progress = html.Ul(live, className="tv-down-list")
    else:
        ok = GRADES["on_target"]
        in_progress = html.Div(f"{ok.icon} No work center is down now", className=f"tv-all-clear grade-{ok.key}")
    lost = [(r.get("loss") or "Unknown reason", r["minutes"]) for r in pareto if r.get("loss_type") == "availability"]
    rows = pareto_rows(lost, PARETO_TOP)
    if rows:
        top = rows[0][1]
        bars = html.Div([html.Div([html.Span(label, className="tv-pareto-label"),
                                   html.Div(html.Div(className="tv-pareto-fill", style={"width": f"{value / top * 100:.0f}%"}),
                                            className="tv-pareto-bar"),
                                   html.Span(fmt_minutes(value), className="tv-pareto-value")], className="tv-pareto-row")
                         for label, value, _share in rows], className="tv-pareto")
    else:
        bars = empty_state("No downtime closed today.")
    return html.Div([html.Div([html.H3("Down now", className="tv-sub"), in_progress], className="tv-half"),
                     html.Div([html.H3("Today's downtime by reason (closed)", className="tv-sub"), bars], className="tv-half")],
                    className="tv-panel-body tv-columns")


def _breach(row: Mapping) -> str:
    """"Below the critical threshold 60.0 %": which threshold the value is past (direction-aware)."""
    d = row["definition"]
    level = d.red if row["status"] == "critical" else d.amber
    if level is None:
        return status_phrase(d, row["value"], row["status"])
    side = "Below" if d.direction == "higher" else "Above"
    return f"{side} the {GRADES[row['status']].word.lower()} threshold {fmt_value(level, d.unit)}"


def exceptions_panel(site_id: int, site_name: str, period: Mapping, today: Mapping, late: Mapping, catalogue,
                     days: int) -> html.Div:
    """The executive page's worst exceptions of this site over ``days`` (the headline site KPIs past their
    warning threshold), then schedule adherence of today and of the period and the late MOs."""
    names = {("warehouse", site_id): site_name}
    rows = exceptions(period.get("results") or [], [], catalogue, names, days=days, limit=EXCEPTIONS_SHOWN)
    if rows:
        items = [html.Li([status_badge(grade_of(r["definition"], r["value"], r["status"])),
                          html.Span(r["definition"].label, className="tv-exc-kpi"),
                          html.Span(fmt_value(r["value"], r["definition"].unit), className="tv-exc-value"),
                          html.Span(_breach(r), className="tv-exc-why")],
                         className="tv-exc") for r in rows]
        listed = html.Ul(items, className="tv-exceptions")
    else:
        listed = empty_state(f"No KPI of this site is past its warning threshold in the last {days} days.",
                             className="empty-state tv-empty")
    adherence_day = (index_results(today.get("results") or [], "warehouse", ("schedule_adherence",))
                     .get(("schedule_adherence", site_id)))
    adherence_period = (index_results(period.get("results") or [], "warehouse", ("schedule_adherence",))
                        .get(("schedule_adherence", site_id)))

    def adherence(result, label, window, tile_id):
        parts = (result or {}).get("parts") or {}
        line = (f"{parts.get('on_time', 0):.0f} of {parts['total']:.0f} MOs done by their deadline" if parts.get("total")
                else "No MO deadline in this period")
        return kpi_tile(catalogue.for_scope("schedule_adherence", "warehouse", site_id, window), result, label=label,
                        lines=[line], tile_id=tile_id)

    tiles = [adherence(adherence_day, "Schedule adherence today", 1, "tv-adherence-today"),
             adherence(adherence_period, f"Schedule adherence {days} days", days, "tv-adherence-period"),
             late_tile(late, "tv-late", note="Open past their deadline, or due today")]
    return html.Div([html.Div([html.H3(f"Worst exceptions · last {days} days", className="tv-sub"), listed],
                              className="tv-half"),
                     html.Div([html.Div(t, className="tv-cell") for t in tiles], className="tv-half tv-stack")],
                    className="tv-panel-body tv-columns")
