"""The data health page's pure builders (dashboard.views.health): tiles and grids, no browser."""
from zoneinfo import ZoneInfo

from dashboard.views.health import health_grids, health_tiles
from helpers.tree import texts as _texts

HEALTH = {"odoo_series": "18.0", "edition": "Enterprise", "base_version": "18.0.1.3", "standby": True,
          "lag_seconds": 640.0, "computed_at": "2026-12-01T13:05:00+00:00",
          "apps": [{"name": "mrp", "purpose": "Manufacturing", "installed": True},
                   {"name": "quality", "purpose": "Quality alerts", "installed": False}],
          "newest_writes": {"production": "2026-11-30 23:30", "quality": None},
          "tables": {"mrp_production": {"rows": 1200, "estimate": True}, "quality_alert": {"rows": None, "estimate": False}}}



def _grids(component) -> dict:
    found = {}
    if getattr(component, "rowData", None) is not None:
        found[component.id] = component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, str):
            found.update(_grids(child))
    return found


def test_tiles_grade_the_lag_and_count_missing_apps():
    texts = _texts(health_tiles(HEALTH, id_prefix="health-tile"))
    assert "18.0" in texts and "Enterprise edition · base module 18.0.1.3" in texts
    assert "1 of 2" in texts and "⊘ 1 not installed: their KPIs read n/a" in texts
    assert "640 s" in texts and "! More than 300 s behind" in texts


def test_a_primary_has_no_lag():
    texts = _texts(health_tiles({**HEALTH, "standby": False, "lag_seconds": None}, id_prefix="health-tile"))
    assert "✓ Not a standby: reads are current" in texts


def test_write_times_are_shown_in_the_display_zone():
    row = health_grids(HEALTH, ZoneInfo("Europe/Berlin"), id_prefix="health")
    grids = _grids(row)
    assert set(grids) == {"health-apps", "health-fresh", "health-tables"}
    assert grids["health-fresh"].rowData == [{"id": "production", "domain": "production", "newest": "2026-12-01 00:30"},
                                             {"id": "quality", "domain": "quality", "newest": "no rows"}]
    assert [r["state_grade"] for r in grids["health-apps"].rowData] == ["on_target", "unavailable"]
    assert [(r["rows"], r["counted"]) for r in grids["health-tables"].rowData] == [(1200, "planner estimate"),
                                                                                  (None, "table missing")]
    assert "Newest change per domain (Europe/Berlin)" in _texts(row)


ROLE = {"role": "odoo_ro", "can_write": False, "allowed": False, "reason": "replica role 'odoo_ro' is read-only (SELECT on 9 of 9 Odoo tables)"}


def test_the_replica_role_tile_grades_what_the_role_may_do():
    assert "Replica role" not in _texts(health_tiles(HEALTH, id_prefix="health-tile"))  # SQLite: nothing checked
    texts = _texts(health_tiles(HEALTH, id_prefix="health-tile", role=ROLE))
    assert "read-only" in texts and "✓ replica role 'odoo_ro' is read-only (SELECT on 9 of 9 Odoo tables)" in texts
    writer = {**ROLE, "can_write": True, "reason": "replica role 'postgres' is a superuser"}
    texts = _texts(health_tiles(HEALTH, id_prefix="health-tile", role=writer))
    assert "✕ replica role 'postgres' is a superuser" in texts and "Not allowed: use a SELECT-only role" in texts
    texts = _texts(health_tiles(HEALTH, id_prefix="health-tile", role={**writer, "allowed": True}))
    assert "! replica role 'postgres' is a superuser" in texts and "Allowed by ODOO_DASH_ALLOW_WRITABLE_REPLICA_ROLE" in texts
