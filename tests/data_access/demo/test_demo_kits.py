"""The kits and returns story (data_access.demo.kits) reads as KPIS.md v2 says, by hand: kit counts,
returns with and without "Update quantities", goods sent again, a return after the promise day; and
Odoo's stored qty_delivered / qty_received equal the v2 quantity as of now."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from data_access.context import QueryContext
from data_access.demo.kits import FASTENER_PACK_ID, SERVICE_KIT_ID
from data_access.queries import supply_drill

# per sale line of the story, in order: (product, ordered, on time, now, OTIF)
SOLD = [("kit", 5, 5, 5, True),  # complete
        ("kit", 5, 4, 4, False),  # a component short: 4 kits
        ("kit", 2, 2, 1, True),  # a component returned with "Update quantities" after the promise day
        ("plain", 10, 10, 13, True),  # returned without it, sent again: counted again, 13 of 10
        ("plain", 10, 10, 6, True)]  # returned with it after the day: OTIF, short now


def _ctx(demo) -> QueryContext:
    end = datetime.combine(demo.today + timedelta(days=1), time())
    return QueryContext(end - timedelta(days=30), end)


def _story_lines(conn, demo, table, product_ids):
    t = getattr(demo.schema, table)
    order = t.c.order_id
    first = conn.execute(select(order).where(t.c.product_id.in_(product_ids)).order_by(t.c.id).limit(1)).scalar()
    return list(conn.execute(select(t).where(order == first).order_by(t.c.id)))


def test_sold_kits_and_returns(demo):
    with demo.engine.connect() as conn:
        lines = _story_lines(conn, demo, "sale_order_line", [SERVICE_KIT_ID])
        rows = {r["line_id"]: r for r in supply_drill.customer_otif_lines(conn, demo.schema, _ctx(demo), limit=1000)}
        late = {r["line_id"]: r for r in supply_drill.late_so_lines(conn, demo.schema, _ctx(demo), limit=1000)}
    assert len(lines) == len(SOLD)
    for line, (kind, ordered, on_time, now, otif) in zip(lines, SOLD, strict=True):
        r = rows[line.id]
        assert (line.product_id == SERVICE_KIT_ID) == (kind == "kit")
        assert (r["product_uom_qty"], r["qty_on_time"], r["qty_delivered"], r["otif"]) == (ordered, on_time, now, otif)
        assert line.qty_delivered == now  # what Odoo stores is the v2 quantity as of now
        assert (line.id in late) == (now < ordered)
        if kind == "kit":
            assert r["kit_bom_id"] == 9001
    assert rows[lines[3].id]["qty_returned_not_updated"] == 3


def test_bought_kit_and_a_vendor_return_without_update(demo):
    with demo.engine.connect() as conn:
        lines = _story_lines(conn, demo, "purchase_order_line", [FASTENER_PACK_ID])
        rows = {r["line_id"]: r for r in supply_drill.supplier_otif_lines(conn, demo.schema, _ctx(demo), limit=1000)}
    kit, plain = (rows[line.id] for line in lines)
    assert (kit["kit_bom_id"], kit["qty_received"], kit["otif"]) == (9002, 4, True)  # 6 components, BoM makes 2
    assert (plain["qty_received"], plain["qty_returned_not_updated"], plain["otif"]) == (20, 5, True)
