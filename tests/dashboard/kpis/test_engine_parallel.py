"""Families run at once give exactly what they give one by one, and a database error still reaches the caller."""
from datetime import date

import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.kpis.engine import evaluate
from dashboard.kpis.period import Period
from data_access.demo import build_demo
from data_access.engine import Replica
from data_access.errors import DataError


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("par") / "demo.sqlite"
    build_demo(f"sqlite:///{path}", today=date(2026, 11, 20))
    replica = Replica(f"sqlite:///{path}")
    yield replica
    replica.dispose()


def _key(r):
    return (r.kpi, r.scope_kind, r.scope_id, r.bucket or "")


@pytest.mark.parametrize("bucket", [None, "week"])
def test_parallel_families_give_the_same_results_as_one_by_one(demo, bucket):
    ctx = Period(date(2026, 11, 20), 30, "Europe/Berlin").context()
    one = sorted(evaluate(demo, ctx, Catalogue(), bucket=bucket), key=_key)
    many = sorted(evaluate(demo, ctx, Catalogue(), bucket=bucket, parallel=4), key=_key)
    assert one and [r.as_dict() for r in one] == [r.as_dict() for r in many]


def test_a_failing_family_raises_to_the_caller_when_run_in_parallel(demo, monkeypatch):
    from dashboard.kpis import registry

    def broken(*_a, **_k):
        raise DataError("boom", user_message="The replica failed.")

    family = registry.FAMILIES["customer_otif"]
    monkeypatch.setitem(registry.FAMILIES, "customer_otif", type(family)(**{**family.__dict__, "compute": broken}))
    with pytest.raises(DataError):
        evaluate(demo, Period(date(2026, 11, 20), 30, "UTC").context(), Catalogue(), parallel=4)
