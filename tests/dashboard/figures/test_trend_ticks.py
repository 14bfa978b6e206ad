"""Trend x-axis labels: days for daily points and for a quarter of weeks (no month repeated under two ticks),
months for a year of weeks."""
from __future__ import annotations

from datetime import date, timedelta

from dashboard.figures.trend import kpi_trend
from dashboard.kpis.catalogue import Catalogue


def _weeks(n: int) -> list[dict]:
    start = date(2026, 1, 5)
    return [{"bucket": (start + timedelta(weeks=i)).isoformat(), "value": 0.9} for i in range(n)]


def test_thirteen_weeks_are_labelled_by_day_and_a_year_of_weeks_by_month():
    otif = Catalogue()["supplier_otif"]
    assert kpi_trend(_weeks(13), otif)["layout"]["xaxis"]["tickformat"] == "%d %b"
    assert kpi_trend(_weeks(56), otif)["layout"]["xaxis"]["tickformat"] == "%b %Y"
    daily = [{"bucket": f"2026-03-{d:02d}", "value": 0.9} for d in range(1, 29)]
    assert kpi_trend(daily, otif, bucket="day")["layout"]["xaxis"]["tickformat"] == "%d %b"
