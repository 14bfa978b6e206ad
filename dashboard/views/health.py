"""The data health page's pure builders: tiles (Odoo version, apps, replica lag) and AG Grid tables
(apps, newest change per domain in the display zone, key table sizes)."""
from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components import Column, data_grid, tile, tile_grid
from dashboard.formats import fmt_datetime
from dashboard.health import LAG_WARNING_SECONDS
from dashboard.vocab import grade

__all__ = ["health_tiles", "health_grids", "lag_tile", "role_tile"]


def lag_tile(health: Mapping, tile_id: str):
    """Replica lag: on target under ``LAG_WARNING_SECONDS``, a warning above, "not a standby" when the
    replica is the primary itself."""
    if not health.get("standby"):
        return tile("Replica lag", "none", grade("on_target"), phrase="Not a standby: reads are current",
                    tile_id=tile_id)
    lag = health.get("lag_seconds")
    if lag is None:
        return tile("Replica lag", "unknown", grade("no_data"), phrase="The standby does not report its lag",
                    tile_id=tile_id)
    late = lag > LAG_WARNING_SECONDS
    return tile("Replica lag", f"{lag:.0f} s", grade("warning" if late else "on_target"),
                phrase=f"More than {LAG_WARNING_SECONDS} s behind" if late else f"Under {LAG_WARNING_SECONDS} s",
                tile_id=tile_id)


def role_tile(role: Mapping, tile_id: str):
    """The replica's database role: read-only on target; one that can write is a warning when a setting
    allows it, critical otherwise (the app refuses to start on it)."""
    if not role["can_write"]:
        return tile("Replica role", "read-only", grade("on_target"), phrase=role["reason"], tile_id=tile_id)
    allowed = role["allowed"]
    return tile("Replica role", "can write", grade("warning" if allowed else "critical"), phrase=role["reason"],
                lines=["Allowed by ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE" if allowed else "Not allowed: use a SELECT-only role"],
                tile_id=tile_id)


def health_tiles(health: Mapping, *, id_prefix: str, role: Mapping | None = None) -> dbc.Row:
    """Odoo version and edition, apps installed (missing ones make their KPIs read n/a), replica lag, and
    the replica role's check when there is one (``dashboard.health.replica_role``: PostgreSQL only)."""
    apps = health["apps"]
    missing = [a["name"] for a in apps if not a["installed"]]
    apps_tile = tile("Apps that matter", f"{len(apps) - len(missing)} of {len(apps)}",
                     grade("unavailable" if missing else "on_target"),
                     phrase=f"{len(missing)} not installed: their KPIs read n/a" if missing else "All installed",
                     tile_id=f"{id_prefix}-apps")
    odoo = tile("Odoo version", health["odoo_series"], grade("on_target"), phrase="Supported series",
                lines=[f"{health['edition']} edition · base module {health.get('base_version') or 'version unknown'}"],
                tile_id=f"{id_prefix}-version")
    tiles = [odoo, apps_tile, lag_tile(health, f"{id_prefix}-lag")]
    if role is not None:
        tiles.append(role_tile(role, f"{id_prefix}-role"))
    return tile_grid(tiles)


def _rows_note(info: Mapping) -> str:
    if info["rows"] is None:
        return "table missing"
    return "planner estimate" if info["estimate"] else "exact count"


def health_grids(health: Mapping, zone: ZoneInfo, *, id_prefix: str) -> dbc.Row:
    """Apps (installed or not, what each is used for) on the left; the newest change per domain (in
    ``zone``) and the key tables' sizes on the right."""
    apps = [{"id": a["name"], "name": a["name"], "purpose": a["purpose"],
             "state": "installed" if a["installed"] else "not installed",
             "state_grade": "on_target" if a["installed"] else "unavailable"} for a in health["apps"]]
    fresh = [{"id": domain, "domain": domain, "newest": fmt_datetime(at, zone) if at else "no rows"}
             for domain, at in health["newest_writes"].items()]
    tables = [{"id": name, "table": name, "rows": info["rows"], "counted": _rows_note(info)}
              for name, info in health["tables"].items()]
    return dbc.Row([
        dbc.Col([html.H5("Apps", className="section-title"),
                 data_grid(f"{id_prefix}-apps", [Column("name", "App", width=170, pinned=True), Column("purpose", "Used for"),
                                                 Column("state", "State", kind="status", width=130)], apps)], lg=6),
        dbc.Col([html.H5(f"Newest change per domain ({zone.key})", className="section-title"),
                 data_grid(f"{id_prefix}-fresh", [Column("domain", "Domain"), Column("newest", "Newest change")], fresh),
                 html.H5("Key tables", className="section-title"),
                 data_grid(f"{id_prefix}-tables", [Column("table", "Table", pinned=True), Column("rows", "Rows", kind="number"),
                                                   Column("counted", "Counted by")], tables)], lg=6),
    ], className="g-4")
