"""The demo writer reports its progress per table (rows written, chunk by chunk) to an optional object
with ``step(name, total)`` and ``advance(handle, n)``, without depending on how it is shown."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine

from data_access.demo.writer import RowWriter
from data_access.schema import odoo_schema


class Recorder:
    def __init__(self):
        self.steps: list[tuple[str, int | None]] = []
        self.done: dict[int, int] = {}

    def step(self, name, total=None):
        self.steps.append((name, total))
        self.done[len(self.steps) - 1] = 0
        return len(self.steps) - 1

    def advance(self, handle, n=1):
        self.done[handle] += n

    def rows(self) -> dict[str, int]:
        return {name: self.done[i] for i, (name, _) in enumerate(self.steps)}


def test_writer_reports_one_step_per_table_and_every_row(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    schema = odoo_schema("17.0")
    schema.metadata.create_all(engine, tables=[schema.uom_category, schema.res_currency])
    recorder = Recorder()
    with RowWriter(engine, schema, chunk=3, clock=datetime(2026, 6, 30, 14), progress=recorder) as w:
        for i in range(1, 8):
            w.add("uom_category", {"id": i, "name": {"en_US": f"c{i}"}})
        w.add("res_currency", {"id": 1, "name": "EUR", "symbol": "€", "rounding": 0.01, "active": True})
    assert recorder.steps == [("uom_category", None), ("res_currency", None)]
    assert recorder.rows() == {"uom_category": 7, "res_currency": 1} == dict(w.counts)
    engine.dispose()


def test_writer_without_progress_is_silent(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    schema = odoo_schema("17.0")
    schema.metadata.create_all(engine, tables=[schema.uom_category])
    with RowWriter(engine, schema, chunk=2) as w:
        for i in range(1, 4):
            w.add("uom_category", {"id": i, "name": {"en_US": f"c{i}"}})
    assert w.counts["uom_category"] == 3
    engine.dispose()
