"""The shop-floor TV board (/tv): one site's panels in large type, rotating and refreshing without a reload.

A wall display's session opens its own board (``display_session.current_board``); a signed-in user opens
``/tv?site=<id>[&panels=a,b][&dwell=S][&refresh=S]`` or an admin ``/tv?display=<id>`` (``board_for_user``).
The board has no navigation (full screen). In the browser (``assets/tv.js``): a one-second tick draws the
clock, rotates the panels and shows the stale banner; the refresh interval fires ``tv-tick`` unless the
previous refresh is still running; a failed refresh (server restarting, network down) keeps the last
values, a 401 "display revoked" shows "This display was revoked", and the page reloads itself once a night.
One server callback per refresh tick renders every panel of the playlist from the cached site data, read
as the board's access (every TV of a site shares it), and rendered once per site and minute.
"""
import logging
from datetime import UTC, datetime
from typing import Annotated

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from pydantic import AfterValidator

from dashboard import service, service_tv
from dashboard.auth import guarded, page_access
from dashboard.auth.display_session import board_access, board_for_user, current_board, is_display_access, touch
from dashboard.components import empty_state, freshness, not_permitted, problem_page, signed_out
from dashboard.pages_registry import register
from dashboard.shifts import seconds_until
from dashboard.tv_panels import PANELS
from dashboard.validation import accepts
from dashboard.views.tv import (
    downtime_panel,
    exceptions_panel,
    oee_panel,
    output_panel,
    status_panel,
    workcenter_states,
)

spec = register(__name__, "tv")  # dash.register_page (Dash Pages imports only files that name it)
ID = spec.id
log = logging.getLogger(__name__)
QUERY_KEYS = ("display", "site", "panels", "dwell", "refresh")
LATE_LIMIT = service_tv.LATE_LIMIT


def _query_only(raw: dict | None) -> dict:
    """The board's URL query as the browser holds it: only the board's keys, as short text."""
    return {k: str(v)[:200] for k, v in (raw or {}).items() if k in QUERY_KEYS and v is not None}


TvQuery = Annotated[dict[str, str | int] | None, AfterValidator(_query_only)]
Tick = int | float | None


def _board(query: dict):
    """``(board, access, None)``: a display session's own board, or the board a signed-in user's query names
    (the user first, as ``current_access``); else ``(None, None, page)`` with the reason shown instead. The
    access is the board's (``board_access``), so every viewer of a site's board shares its cache entries."""
    access, reason = page_access(spec.key)
    if access is None:
        return None, None, signed_out() if reason == "signed_out" else not_permitted("TV boards")
    if is_display_access(access):
        board = current_board()
        touch(board)
    else:
        board, message = board_for_user(access, query)
        if board is None:
            return None, None, problem_page("TV board", empty_state(message), back=("/", "Home"))
    return board, board_access(board), None


def _section(i: int, count: int, panel: str, body) -> html.Section:
    dots = html.Div([html.Span(className="tv-dot tv-dot-on" if j == i else "tv-dot") for j in range(count)],
                    className="tv-dots", title=f"Panel {i + 1} of {count}")
    return html.Section([html.Div([html.H2(PANELS[panel], className="tv-panel-title"), dots], className="tv-panel-head"),
                         body], className=f"tv-panel tv-panel-{panel}", id=ID(f"panel-{i}"))


def layout(**query):
    board, access, refused = _board(query)
    if refused is not None:
        return html.Div(refused, className="tv-refused")
    settings = service.settings()
    now = datetime.now(UTC)
    config = {"playlist": list(board.playlist), "refresh_s": board.refresh_s, "zone": settings.timezone,
              "reload_in_s": seconds_until(settings.tv_reload_hour, now, settings.zone), "preview": board.preview}
    count = len(board.playlist)
    loading = [_section(i, count, p["panel"], empty_state("Loading…"))
               for i, p in enumerate(board.playlist)]
    title = [html.Span(board.name, className="tv-site")]
    return html.Div([
        dcc.Store(id=ID("query"), data=None if board.display_id is not None and not board.preview else _query_only(query)),
        dcc.Store(id=ID("config"), data=config),
        dcc.Store(id=ID("tick")),
        dcc.Store(id=ID("state")),
        dcc.Interval(id=ID("refresh"), interval=board.refresh_s * 1000),
        dcc.Interval(id=ID("second"), interval=1000),
        html.Header([html.Div(title, className="tv-title"),
                     html.Div(id=ID("clock"), className="tv-clock"),
                     html.Div("Loading data…", id=ID("fresh"), className="tv-fresh")], className="tv-header"),
        html.Div(id=ID("stale"), className="tv-stale tv-hidden", role="alert"),
        html.Main(loading, id=ID("deck"), className="tv-deck tv-show-0"),
        html.Div([html.Div("This display was revoked", className="tv-revoked-title"),
                  html.Div("Ask an administrator for a new link to this board.")],
                 id=ID("revoked"), className="tv-revoked tv-hidden", role="alert"),
    ], id=ID("board"), className=f"tv-board tv-theme-{board.theme}")


# In the browser (assets/tv.js): the refresh gate and the one-second tick (clock, rotation, banners, reload).
clientside_callback(ClientsideFunction("tv", "gate"), Output(ID("tick"), "data"),
                    Input(ID("refresh"), "n_intervals"), State(ID("config"), "data"))
clientside_callback(ClientsideFunction("tv", "tick"),
                    Output(ID("clock"), "children"), Output(ID("deck"), "className"), Output(ID("stale"), "children"),
                    Output(ID("stale"), "className"), Output(ID("revoked"), "className"),
                    Input(ID("second"), "n_intervals"), Input(ID("state"), "data"), State(ID("config"), "data"))


STAMPED = ("activity", "output", "today", "shift", "downtime", "period")


def _panels(board, data: dict, now: datetime) -> list:
    from dashboard.views.plant import late_summary

    zone, catalogue = service.settings().zone, service.catalogue()
    states = workcenter_states(data["workcenters"], data["activity"]["rows"]) if "activity" in data else []
    build = {
        "status": lambda: status_panel(states, zone, now),
        "output": lambda: output_panel(data["workcenters"], data["output"]["rows"]),
        "oee": lambda: oee_panel(data["workcenters"], data["shift"], data["today"], catalogue, data["shift_label"]),
        "downtime": lambda: downtime_panel(states, data["downtime"]["rows"], zone, now),
        "exceptions": lambda: exceptions_panel(board.site_id, data["site"], data["period"], data["today"],
                                               late_summary(data["late"], LATE_LIMIT), catalogue,
                                               service_tv.EXCEPTION_DAYS),
    }
    count = len(board.playlist)
    return [_section(i, count, p["panel"], build[p["panel"]]()) for i, p in enumerate(board.playlist)]


@callback(output=dict(deck=Output(ID("deck"), "children"), fresh=Output(ID("fresh"), "children"),
                      state=Output(ID("state"), "data")),
          inputs=dict(tick=Input(ID("tick"), "data")), state=dict(query=State(ID("query"), "data")),
          prevent_initial_call=True)
@guarded(spec.key)
@accepts(tick=Tick, query=TvQuery)
def _refresh(tick, query, *, access):
    """One refresh of the whole board: every panel of the playlist from the cached site data, rendered once per
    site, playlist and minute for all the TVs that show it. A failed read keeps the panels the board shows
    (``no_update``) and says so in ``state``; the browser shows the stale banner."""
    board, board_scope, refused = _board(query or {})
    playlist = [] if board is None else list(board.playlist)
    if refused is not None:
        return dict(deck=[refused], fresh="", state={"ok": False, "message": "This board cannot be shown.",
                                                     "playlist": playlist})
    now = datetime.now(UTC)
    try:
        data = service_tv.board_data(board_scope, board.site_id, board.name, [p["panel"] for p in board.playlist], now)
    except service.DataError as error:
        log.warning("tv board of site %s not refreshed: %s", board.site_id, error.reason)
        return dict(deck=no_update, fresh=no_update, state={"ok": False, "message": error.user_message, "playlist": playlist})
    stamped = [data[k] for k in STAMPED if data.get(k)]
    parts = {"board": [board.site_id, board.name, playlist], "minute": now.strftime("%Y-%m-%dT%H:%M"),
             "computed_at": {k: data[k]["computed_at"] for k in STAMPED if data.get(k)}, "late": data.get("late"),
             "workcenters": data["workcenters"], "shift": data.get("shift_label"), "site": data["site"]}
    deck = service.rendered("tv.board", board_scope, parts, lambda: _panels(board, data, now), domain="production")
    stale = sorted(p["stale_since"] for p in stamped if p.get("stale_since"))
    return dict(deck=deck, fresh=freshness(stamped, service.settings().zone),
                state={"ok": True, "playlist": playlist, "stale_since": stale[0] if stale else None,
                       "as_of": min((p["computed_at"] for p in stamped), default=None)})
