import re
from pathlib import Path

import pytest

from dashboard.kpis.catalogue import CATALOGUE, HEADLINE_COMPANY_KPIS, HEADLINE_SITE_KPIS, Catalogue

KPIS_MD = Path(__file__).resolve().parents[4] / "shared" / "KPIS.md"


def test_catalogue_has_exactly_the_kpis_of_the_contract():
    if not KPIS_MD.exists():
        pytest.skip("shared/KPIS.md is not beside this checkout")
    ids = set(re.findall(r"^\| `([a-z_]+)` \|", KPIS_MD.read_text(), flags=re.M))
    assert ids == set(CATALOGUE)


def test_headline_kpis_are_in_the_catalogue():
    assert set(HEADLINE_SITE_KPIS) | set(HEADLINE_COMPANY_KPIS) <= set(CATALOGUE)


@pytest.mark.parametrize("kpi, value, status", [
    ("oee", None, "no_data"),
    ("oee", 0.85, "ok"),
    ("oee", 0.75, "ok"),        # equal to amber is not below it
    ("oee", 0.7499, "warning"),
    ("oee", 0.60, "warning"),
    ("oee", 0.5999, "critical"),
    ("late_po_lines", 5, "ok"),
    ("late_po_lines", 6, "warning"),
    ("late_po_lines", 21, "critical"),
    ("stockout_rate", 0.0, "ok"),
    ("stockout_rate", 0.03, "warning"),
])
def test_status_against_default_thresholds(kpi, value, status):
    assert Catalogue()[kpi].status(value) == status


def test_overrides_globally_and_per_site():
    cat = Catalogue({"oee": {"amber": 0.70, "sites": {"3": {"red": 0.65}}}})
    assert cat["oee"].status(0.72) == "ok"
    assert cat.for_scope("oee", "warehouse", 3).status(0.64) == "critical"
    assert cat.for_scope("oee", "warehouse", 4).status(0.64) == "warning"
    assert cat.for_scope("oee", "workcenter", 3).status(0.64) == "warning"  # site overrides apply to sites only
    with pytest.raises(ValueError):
        Catalogue({"oee_typo": {"amber": 1}})


def test_better_follows_direction():
    cat = Catalogue()
    assert cat["oee"].better(0.8, 0.7) is True
    assert cat["downtime_hours"].better(10, 5) is False
    assert cat["oee"].better(None, 0.7) is None


def test_downtime_thresholds_per_scope_kind_and_scaled_to_the_window():
    cat = Catalogue()
    assert cat.for_scope("downtime_hours", "warehouse", 2).status(70) == "critical"
    assert cat.for_scope("downtime_hours", "workcenter", 6).status(40) == "critical"
    assert cat.for_scope("downtime_hours", "company", 1).status(160) == "warning"
    day = cat.for_scope("downtime_hours", "workcenter", 6, days=1)  # 1/30 of 16 h / 32 h
    assert day.amber == pytest.approx(16 / 30) and day.status(0.5) == "ok" and day.status(1.2) == "critical"
    assert cat.for_scope("oee", "workcenter", 6, days=1).amber == 0.75  # ratios do not scale


def test_customer_thresholds_apply_to_every_scope_kind():
    cat = Catalogue({"downtime_hours": {"amber": 10, "red": 20}})
    assert cat.for_scope("downtime_hours", "workcenter", 6).red == 20
    assert cat.for_scope("downtime_hours", "company", 1).red == 20
