"""How fresh what a page shows is: "Data as of <when the aggregates were computed>" in the display zone and,
when any of it is stale, a warning badge "Stale since HH:MM" (its last refresh failed, or it is older than
twice its domain's TTL: see ``dashboard.cache.Hit.stale_since``). The one builder of that line, for every
page header, tile block, chart and table."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dash import html

from dashboard.components.status import status_badge
from dashboard.vocab import grade

__all__ = ["freshness", "stale_badge"]

FAILED_NOTE = "The Odoo replica could not refresh these figures: they are the last good values."
OLD_NOTE = "These figures have not been refreshed for over twice their usual interval: they are the last good values."


def _instant(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _clock(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """'14:05' today (in ``zone``), '28 Nov 14:05' another day."""
    local = at.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == now.astimezone(zone).date() else local.strftime("%d %b %H:%M")


def _payloads(data) -> list[Mapping]:
    if data is None:
        return []
    if isinstance(data, str):
        return [{"computed_at": data}]
    if isinstance(data, Mapping):
        return [data]
    return [d for d in data if isinstance(d, Mapping)]


def stale_badge(stale_since: str, zone: ZoneInfo, *, refresh_failed: bool = False, now: datetime | None = None) -> html.Span:
    """The warning badge 'Stale since HH:MM' (icon and word, never colour alone), its reason as a tooltip."""
    now = now or datetime.now(UTC)
    return status_badge(grade("warning"), f"Stale since {_clock(_instant(stale_since), zone, now)}",
                        title=FAILED_NOTE if refresh_failed else OLD_NOTE)


def freshness(data: str | Mapping | Sequence[Mapping] | None, zone: ZoneInfo, *, now: datetime | None = None) -> html.Span:
    """'Data as of 2026-12-01 14:05 · times in Europe/Berlin' for the oldest ``computed_at`` of ``data`` (service
    payloads: KPI results, data health, a lot's detail; or one ``computed_at`` string), with ``stale_badge`` for
    the earliest ``stale_since`` among them; 'No data yet' when none carries a time."""
    payloads = [p for p in _payloads(data) if p.get("computed_at")]
    if not payloads:
        return html.Span("No data yet", className="freshness")
    oldest = min(_instant(p["computed_at"]) for p in payloads)
    children = [f"Data as of {oldest.astimezone(zone).strftime('%Y-%m-%d %H:%M')} · times in {zone.key}"]
    stale = sorted((_instant(p["stale_since"]), bool(p.get("refresh_failed"))) for p in payloads if p.get("stale_since"))
    if stale:
        since, failed = stale[0][0], any(f for _, f in stale)
        children += [" ", stale_badge(since.isoformat(), zone, refresh_failed=failed, now=now)]
    return html.Span(children, className="freshness freshness-stale" if stale else "freshness")
