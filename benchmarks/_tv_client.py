"""A wall TV's traffic over plain HTTP, for the load benchmarks: displays added to the app store, a TV that
opens its board with its token and refreshes it as the browser does.

What the browser does (pages/tv.py, assets/tv.js), and so what this client does:
- ``GET /tv/<token>``: the token is exchanged for the display session cookie, redirect to ``/tv``.
- ``/tv``'s HTML, ``/_dash-layout``, ``/_dash-dependencies``; Dash Pages' router callback for ``/tv`` (the
  board's layout: no server callback fires on arrival).
- Every refresh interval the clientside gate writes the time into ``tv-tick``; that fires the board's one
  server callback (``tv-deck.children``, ``tv-fresh.children``, ``tv-state.data``) with the ``tv-query`` store
  as state. Its ``tv-state.ok`` says whether the panels were refreshed (false: the last values stay, stale).
The rotation, the clock and the banners are clientside: they never reach the server.
"""
from __future__ import annotations

import time
from datetime import date

from _dash_client import Client, Outcome, Page

__all__ = ["REFRESH_LABEL", "site_companies", "add_displays", "TvClient"]

REFRESH_LABEL = "TV board refresh"
REFRESH_OUTPUT = "tv-deck.children"


def site_companies(replica_url: str) -> dict[int, int | None]:
    """``{site id: company id}`` of every active site (stock.warehouse) on the replica, as
    ``python -m dashboard displays add`` checks a display's site."""
    from dashboard.kpis.period import Period
    from data_access.engine import Replica
    from data_access.queries.dimensions import warehouses

    replica = Replica(replica_url, 15000, pool_size=1)
    try:
        found = replica.run(warehouses, Period(date.today(), 1, "UTC").context())
    finally:
        replica.dispose()
    return {site: row["company_id"] for site, row in found.items()}


def add_displays(store_url: str, sites: dict[int, int | None], count: int, refresh_s: int) -> list[tuple[int, str]]:
    """Add ``count`` displays (every panel, ``refresh_s``) round robin over ``sites`` through the same checks as
    the displays command; returns ``[(site id, token), ...]``."""
    from dashboard import displays
    from data_access.app_store import AppStore

    store = AppStore(store_url)
    order = sorted(sites)
    out = []
    try:
        for i in range(count):
            site = order[i % len(order)]
            checked = displays.spec(f"Bench TV {i + 1}", site, refresh_s=refresh_s)
            _display, token = displays.add(checked, sites[site], actor="benchmark", store=store)
            out.append((site, token))
    finally:
        store.dispose()
    return out


class TvClient:
    """One wall TV: a ``Client`` holding its display session (or a signed-in user's, for ``/tv?site=..``)."""

    def __init__(self, client: Client):
        self.client = client
        self.page: Page | None = None

    def exchange(self, token: str) -> Outcome:
        """``GET /tv/<token>``: keep the display session cookie the redirect sets."""
        outcome = self.client.request("TV token exchange", "GET", f"/tv/{token}", keep_body=True, expect=(302, 303))
        if outcome.ok:
            self.client.cookies = {**self.client.cookies, **dict(outcome.body.cookies)}
            if not self.client.cookies:
                outcome.error = "no display session cookie"
        outcome.body = None
        return outcome

    def open(self, search: str = "") -> list[Outcome]:
        """The board's HTML, Dash's layout and dependencies, and the router callback for ``/tv?search``."""
        outcomes = self.client.app_shell("/tv" + search)
        page, layout = self.client.open("/tv", search)
        layout.label = "TV board layout"
        if page is not None and "tv-tick" not in page.components:
            layout.error, page = "no board in the layout (refused?)", None
        self.page = page
        return [*outcomes, layout]

    def refresh(self) -> Outcome:
        """One refresh tick; an answer whose ``tv-state`` is not ok (the panels kept, stale) is an error."""
        call = self.client.triggered_call(self.page, REFRESH_OUTPUT, {("tv-tick", "data"): int(time.time() * 1000)})
        call.label = REFRESH_LABEL
        outcome = self.client.callback(call, keep_body=True)
        if outcome.ok:
            state = ((outcome.body or {}).get("response") or {}).get("tv-state", {}).get("data") or {}
            if not state.get("ok"):
                outcome.error = f"not refreshed: {state.get('message') or 'no state'}"
        outcome.body = None
        return outcome
