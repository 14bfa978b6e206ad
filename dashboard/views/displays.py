"""The displays page's builders (pure): the add form, the grid's columns and rows (a preview link each, never a
token) and the one-time notice with a new display URL."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import Column, filter_field
from dashboard.tv_panels import DEFAULT_DWELL_S, DEFAULT_PLAYLIST, DEFAULT_REFRESH_S, MIN_DWELL_S, MIN_REFRESH_S, PANELS, THEMES

__all__ = ["COLUMNS", "grid_rows", "add_form", "url_notice", "preview_href"]

COLUMNS = (
    Column("name", "Display", pinned=True, width=180),
    Column("site", "Site", width=150),
    Column("panels", "Playlist", width=260, tooltip="Panels in order, each with its dwell time"),
    Column("refresh", "Refresh", width=100),
    Column("status", "Status", width=110),
    Column("token", "Token", width=110, tooltip="The token's first characters: the token itself is shown once"),
    Column("last_seen", "Last seen (UTC)", width=160),
    Column("preview", "Preview", kind="link", width=110),
)


def preview_href(display_id: int) -> str:
    """Where an admin previews a display's board."""
    return f"/tv?display={int(display_id)}"


def grid_rows(rows: Sequence[Mapping]) -> list[dict]:
    """The grid's rows from ``dashboard.displays.rows``: playlist with dwell times, refresh in seconds, a preview
    link for active displays."""
    return [{**r, "id": str(r["id"]), "panels": r["playlist"], "refresh": f"{r['refresh_s']} s",
             "preview": f"[Preview]({preview_href(r['id'])})" if r["status"] == "active" else ""} for r in rows]


def add_form(id_of, sites: Mapping[int, Mapping]) -> html.Div:
    """Name, site, panels, dwell, refresh and theme of a new display, and its Add button (ids from ``id_of``)."""
    site_options = [{"label": f"{s['name']} ({s['code']})" if s.get("code") else s["name"], "value": sid}
                    for sid, s in sites.items()]
    return html.Div([
        filter_field("Name", dbc.Input(id=id_of("name"), placeholder="Assembly hall TV", maxLength=64, type="text")),
        filter_field("Site", dcc.Dropdown(id=id_of("site"), options=site_options, clearable=False,
                                          value=site_options[0]["value"] if site_options else None)),
        filter_field("Panels", dcc.Checklist(id=id_of("panels"), options=[{"label": f" {t}", "value": k} for k, t in PANELS.items()],
                                             value=list(DEFAULT_PLAYLIST), inline=True, inputClassName="me-1",
                                             labelClassName="me-3")),
        filter_field("Seconds per panel", dbc.Input(id=id_of("dwell"), type="number", min=MIN_DWELL_S, step=1,
                                                    value=DEFAULT_DWELL_S)),
        filter_field("Refresh every (s)", dbc.Input(id=id_of("refresh"), type="number", min=MIN_REFRESH_S, step=1,
                                                    value=DEFAULT_REFRESH_S)),
        filter_field("Theme", dcc.RadioItems(id=id_of("theme"), options=list(THEMES), value=THEMES[0], inline=True,
                                             inputClassName="me-1", labelClassName="me-3")),
        html.Button("Add display", id=id_of("add"), n_clicks=0, className="btn btn-primary"),
    ], className="displays-form d-flex flex-wrap gap-3 align-items-end mb-3")


def url_notice(message: str, url: str, url_id: str) -> dbc.Alert:
    """The new URL of a display, shown this once (the store keeps only a hash of its token)."""
    return dbc.Alert([
        html.P(message, className="mb-1"),
        html.Code(url, id=url_id, className="d-block user-select-all mb-1"),
        html.Small("Open it on the display now: it is not shown again. A new token can be made at any time."),
    ], color="success", className="msg-display-url")
