"""The API path's received / delivered quantities (families.received / families.supply) on the hand-built kit
and return rows of test_supply_kits.py, served by the test Odoo endpoint: the same hand values and exactly the
SQL path's sums at every scope and bucket, Odoo 17 and 18 (the BoM tie order differs), plus a BoM line
restricted to a variant's attribute value (mrp ``_skip_bom_line``), which the demo does not have."""
from __future__ import annotations

import pytest

from data_access.odoo_api import OdooClient
from data_access.odoo_api.kpi_source import ApiSource
from data_access.queries import supply
from helpers.fake_odoo import FakeOdoo, FakeUser
from helpers.kit_rows import kit_purchases, kit_sales
from helpers.odoo_db import DEFAULT_MODULES, OdooTestDB
from helpers.supply_rows import JUNE, JUNE_ALL

PASSWORD = "kits-Pa55word"
USER = FakeUser("api.kits", PASSWORD, company_ids=(1, 2))
SIDES = {"purchase": (kit_purchases, supply.supplier_otif_sums_by_kinds),
         "sale": (kit_sales, supply.customer_otif_sums_by_kinds)}
KINDS = ("partner", "warehouse", "company")


@pytest.fixture(params=["17.0", "18.0"])
def kit_db(request, tmp_path):
    db = OdooTestDB(f"sqlite:///{tmp_path / 'odoo.sqlite'}", request.param, "sqlite").create().reset()
    yield db
    db.close()


def _both(db, fn, ctx, **kw):
    with FakeOdoo(db.url, db.version, db="kits", users=[USER]) as server:
        client = OdooClient(server.url, "kits")
        client.authenticate(USER.login, PASSWORD)
        api = ApiSource(client).run(fn, ctx, KINDS, **kw)
    return db.replica.run(fn, ctx, KINDS, **kw), api


@pytest.mark.parametrize("side", sorted(SIDES))
def test_kits_and_returns_equal_the_sql_path(kit_db, side):
    load, fn = SIDES[side]
    load(kit_db)
    for ctx in (JUNE, JUNE_ALL):
        for bucket in (None, "day", "week"):
            sql, api = _both(kit_db, fn, ctx, bucket=bucket)
            assert api == sql, (ctx, bucket)
            assert sql["partner"], (ctx, bucket)  # the lines are there: not a comparison of empty lists


def test_the_hand_values_through_the_api_sales(kit_db):
    """test_supply_kits.py's hand counts: 11 sale lines, 6 OTIF, 6 late."""
    kit_sales(kit_db)
    _, sales = _both(kit_db, supply.customer_otif_sums_by_kinds, JUNE)
    assert [(r["scope_id"], r["lines"], r["otif_lines"], r["late_lines"]) for r in sales["partner"]] == [(22, 11, 6, 6)]


def test_the_hand_values_through_the_api_purchases(kit_db):
    """Per series, Kit K's BoM: 17 the template-wide one (4 kits on time), 18 the variant's own (2 kits: late)."""
    kit_purchases(kit_db)
    _, buys = _both(kit_db, supply.supplier_otif_sums_by_kinds, JUNE)
    otif, late = (4, 1) if kit_db.version == "17.0" else (3, 2)
    assert [(r["lines"], r["otif_lines"], r["late_lines"]) for r in buys["partner"]] == [(5, otif, late)]


def _restrict(db, *, variant_has: bool, no_variant: bool = False) -> None:
    """Kit A's BoM line of C1 (101) restricted to the value 'Blue' of an attribute of Kit A's template; the
    Kit A variant (product 10) has that value or the other one ('Red')."""
    db.insert("product_attribute", {"id": 1, "name": {"en_US": "Colour"}, "sequence": 1, "display_type": "radio",
                                    "create_variant": "no_variant" if no_variant else "always"})
    db.insert("product_template_attribute_value", {"id": 1, "product_tmpl_id": 10, "attribute_id": 1, "ptav_active": True},
              {"id": 2, "product_tmpl_id": 10, "attribute_id": 1, "ptav_active": True})
    db.insert("mrp_bom_line_product_template_attribute_value_rel",
              {"mrp_bom_line_id": 101, "product_template_attribute_value_id": 1})
    db.insert("product_variant_combination",
              {"product_product_id": 10, "product_template_attribute_value_id": 1 if variant_has else 2})


@pytest.mark.parametrize("variant_has", [True, False], ids=["variant-has-the-value", "variant-lacks-it"])
def test_a_variant_restricted_bom_line_equals_the_sql_path(kit_db, variant_has):
    """Restricted to a value the kit variant lacks, C1's line is skipped (mrp ``_skip_bom_line``): the kits
    count without C1, which changes the short lines' figures; both paths agree."""
    kit_sales(kit_db)
    _restrict(kit_db, variant_has=variant_has)
    sql, api = _both(kit_db, supply.customer_otif_sums_by_kinds, JUNE)
    assert api == sql
    (row,) = sql["partner"]
    # without C1: 1006 (1 Dozen = 12 kits; C2 144/12, C3 18/1.5: 12 kits) is complete on the day, OTIF and not
    # late; 1008 (C2 24/12, C3 3/1.5: 2 kits; only C1 was returned after the day) is no longer late
    assert (row["otif_lines"], row["late_lines"]) == ((6, 6) if variant_has else (7, 4))


def test_a_line_restricted_to_a_no_variant_value_is_skipped_in_18_only(kit_db):
    """18's ``_skip_bom_line`` also skips a line restricted to a value of a ``no_variant`` attribute (an order
    line has no such values); 17 applies it when the variant has the value."""
    kit_sales(kit_db)
    _restrict(kit_db, variant_has=True, no_variant=True)
    sql, api = _both(kit_db, supply.customer_otif_sums_by_kinds, JUNE)
    assert api == sql
    (row,) = sql["partner"]
    assert (row["otif_lines"], row["late_lines"]) == ((6, 6) if kit_db.version == "17.0" else (7, 4))


@pytest.mark.parametrize("side", sorted(SIDES))
def test_without_mrp_no_line_is_a_kit_on_either_path(kit_db, side):
    """mrp not installed: no BoM is read (stock.move has no ``bom_line_id`` then), a kit product's line counts
    only moves of its own product (none here: short), as the SQL path counts it."""
    kit_db.reset(modules=tuple(m for m in DEFAULT_MODULES if m != "mrp"))
    load, fn = SIDES[side]
    load(kit_db)
    sql, api = _both(kit_db, fn, JUNE)
    assert api == sql
    with_kits = {"sale": (6, 6), "purchase": ((4, 1) if kit_db.version == "17.0" else (3, 2))}[side]
    (row,) = sql["partner"]
    assert (row["otif_lines"], row["late_lines"]) != with_kits  # the kit lines are short without mrp
