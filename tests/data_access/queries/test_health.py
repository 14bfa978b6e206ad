"""The replica's own age in a user's scope, on the four backends (SQLite/PostgreSQL x Odoo 17/18): the newest
write per domain among the records of the user's companies (and sites), since a bound; a company-2 user never
learns company 1's newest write time."""
from data_access.queries.health import newest_writes
from helpers.odoo_db import dt

SINCE = dt("2026-06-01 00:00")


def _seed(db):
    db.insert("res_company", {"id": 1, "name": "One"}, {"id": 2, "name": "Two"})
    db.insert("stock_warehouse", {"id": 1, "name": "W1", "company_id": 1}, {"id": 2, "name": "W2", "company_id": 2},
              {"id": 3, "name": "W3", "company_id": 2})
    db.insert("stock_picking_type", {"id": 10, "warehouse_id": 1, "company_id": 1},
              {"id": 20, "warehouse_id": 2, "company_id": 2}, {"id": 30, "warehouse_id": 3, "company_id": 2})
    db.insert("mrp_production",
              {"id": 1, "state": "done", "company_id": 1, "picking_type_id": 10, "write_date": dt("2026-06-30 13:10")},
              {"id": 2, "state": "done", "company_id": 2, "picking_type_id": 20, "write_date": dt("2026-06-29 08:00")},
              {"id": 3, "state": "done", "company_id": 2, "picking_type_id": 30, "write_date": dt("2026-06-29 09:30")},
              {"id": 4, "state": "done", "company_id": 2, "picking_type_id": 20, "write_date": dt("2026-05-01 08:00")})
    db.insert("mrp_workorder", {"id": 1, "production_id": 2, "write_date": dt("2026-06-29 10:00")},
              {"id": 2, "production_id": 1, "write_date": dt("2026-06-30 14:00")})
    db.insert("account_move", {"id": 1, "company_id": 1, "write_date": dt("2026-06-30 15:00")},
              {"id": 2, "company_id": 2, "write_date": dt("2026-06-28 07:00")})


def _writes(db, company_ids=None, warehouse_ids=None, since=SINCE):
    with db.replica.connect("test") as conn:
        return newest_writes(conn, db.replica.schema, since, company_ids, warehouse_ids)


def test_newest_writes_are_scoped_to_the_users_companies(odoo_db):
    _seed(odoo_db)
    everyone = _writes(odoo_db)
    assert (everyone["production"], everyone["accounting"]) == (dt("2026-06-30 14:00"), dt("2026-06-30 15:00"))
    two = _writes(odoo_db, company_ids=(2,))
    assert (two["production"], two["accounting"]) == (dt("2026-06-29 10:00"), dt("2026-06-28 07:00"))  # never company 1's
    one = _writes(odoo_db, company_ids=(1,))
    assert (one["production"], one["accounting"]) == (dt("2026-06-30 14:00"), dt("2026-06-30 15:00"))
    assert set(_writes(odoo_db, company_ids=()).values()) == {None}  # an empty scope matches nothing


def test_a_site_user_sees_its_sites_writes_only_and_no_siteless_tables(odoo_db):
    _seed(odoo_db)
    site_3 = _writes(odoo_db, company_ids=(2,), warehouse_ids=(3,))
    assert site_3["production"] == dt("2026-06-29 09:30")  # MO 3 of W3; MO 2's work order is W2's
    assert site_3["accounting"] is None  # journal entries have no site: left out rather than another site's
    assert _writes(odoo_db, company_ids=(2,), warehouse_ids=(2,))["production"] == dt("2026-06-29 10:00")


def test_writes_before_the_bound_are_not_read(odoo_db):
    _seed(odoo_db)
    assert _writes(odoo_db, company_ids=(2,), since=dt("2026-06-29 12:00"))["production"] is None
