"""The story stops at its clock: nothing is created, written, done or logged after the moment the demo
was built. Built here at 06:30, before most of the day's work (the default demo stops at 14:00)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, or_, select

from data_access.demo import build_demo, story_clock
from data_access.schema import odoo_schema

CLOCK = datetime(2026, 6, 30, 6, 30)


@pytest.fixture(scope="module")
def early(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo_0630.sqlite'}"
    stats = build_demo(url, version="17.0", now=CLOCK)
    engine = create_engine(url)
    yield engine, odoo_schema("17.0"), stats
    engine.dispose()


def _count(conn, table, *where) -> int:
    return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_no_record_is_created_or_written_after_the_clock(early):
    engine, schema, stats = early
    assert stats["clock"] == CLOCK
    late = {}
    with engine.connect() as conn:
        for name, t in schema.metadata.tables.items():
            for col in ("create_date", "write_date"):
                if col in t.c and (n := _count(conn, t, t.c[col] > CLOCK)):
                    late[(name, col)] = n
    assert late == {}


def test_nothing_is_done_or_logged_after_the_clock(early):
    engine, s, _ = early
    mo, wo, tl = s.mrp_production, s.mrp_workorder, s.mrp_workcenter_productivity
    pk, mv, ml, sc = s.stock_picking, s.stock_move, s.stock_move_line, s.stock_scrap
    so, po, qa, q = s.sale_order, s.purchase_order, s.quality_alert, s.stock_quant
    checks = {
        "done MO finished": (mo, mo.c.state == "done", mo.c.date_finished > CLOCK),
        "started MO start": (mo, mo.c.state.in_(("progress", "to_close", "done")), mo.c.date_start > CLOCK),
        "done WO finished": (wo, wo.c.state == "done", wo.c.date_finished > CLOCK),
        "started WO start": (wo, wo.c.state.in_(("progress", "done")), wo.c.date_start > CLOCK),
        "time log": (tl, or_(tl.c.date_start > CLOCK, tl.c.date_end > CLOCK)),
        "done picking": (pk, pk.c.state == "done", pk.c.date_done > CLOCK),
        "picking created": (pk, pk.c.date > CLOCK),
        "done move": (mv, mv.c.state == "done", mv.c.date > CLOCK),
        "done move line": (ml, ml.c.state == "done", ml.c.date > CLOCK),
        "scrap": (sc, sc.c.state == "done", sc.c.date_done > CLOCK),
        "sale ordered": (so, or_(so.c.date_order > CLOCK, so.c.effective_date > CLOCK)),
        "purchase ordered": (po, or_(po.c.date_order > CLOCK, po.c.date_approve > CLOCK, po.c.effective_date > CLOCK)),
        "quality alert": (qa, or_(qa.c.date_assign > CLOCK, qa.c.date_close > CLOCK)),
        "quant": (q, q.c.in_date > CLOCK),
    }
    with engine.connect() as conn:
        late = {name: n for name, (t, *where) in checks.items() if (n := _count(conn, t, *where))}
        assert late == {}
        assert _count(conn, s.account_move, s.account_move.c.invoice_date > CLOCK.date()) == 0
        mr = s.maintenance_request
        assert _count(conn, mr, mr.c.close_date > CLOCK.date()) == 0
        assert _count(conn, mr, mr.c.schedule_date > CLOCK, mr.c.stage_id != 1) == 0  # planned, not in progress


def test_the_morning_story_is_still_told(early):
    engine, s, _ = early
    mo, tl, wo = s.mrp_production, s.mrp_workcenter_productivity, s.mrp_workorder
    with engine.connect() as conn:
        assert _count(conn, tl, tl.c.date_end.is_(None), tl.c.workorder_id.is_(None)) >= 1   # the press is down
        assert _count(conn, mo, mo.c.state == "progress") >= 1                                # work under way
        assert _count(conn, wo, wo.c.state == "progress") >= 1
        assert _count(conn, mo, mo.c.state.in_(("confirmed", "draft")), mo.c.date_start > CLOCK) >= 10  # planned
        assert _count(conn, mo, mo.c.state == "done", mo.c.date_finished > CLOCK - timedelta(days=1)) >= 1


def test_the_clock_is_the_afternoon_of_a_past_day_and_never_after_the_build():
    assert story_clock(date(2026, 6, 30)) == datetime(2026, 6, 30, 14, 0)
    real = datetime.now(UTC).replace(tzinfo=None)
    clock = story_clock()  # the real today: 14:00, or the build moment when that is earlier
    assert clock <= real and clock <= datetime.combine(clock.date(), datetime.min.time()) + timedelta(hours=14)
    assert story_clock(now=datetime(2026, 6, 30, 6, 30, 59, 5)) == CLOCK
    assert story_clock(now=datetime(2026, 6, 30, 8, 30, tzinfo=timezone(timedelta(hours=2)))) == CLOCK
    with pytest.raises(ValueError):
        story_clock(date(2026, 6, 29), now=CLOCK)
