"""One number everywhere: for each headline KPI and site (and company), the value and status shown on
home, the executive heat map and the plant page equal the ``kpis`` command's for the same period."""
import json
import re
from datetime import UTC, datetime

from dashboard.cli import main
from dashboard.formats import fmt_value
from dashboard.kpis.catalogue import HEADLINE_SITE_KPIS, Catalogue
from dashboard.vocab import status_phrase
from helpers.browser import login

DAYS = 30
PLANT_TILES = {"oee": "plant-tile-oee", "schedule_adherence": "plant-tile-adherence", "downtime_hours": "plant-tile-downtime"}
PLANT_SITES = (1, 2, 3)  # the demo's three plants


def _kpis(url: str, as_of: str) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["kpis", "--db-url", url, "--as-of", as_of, "--days", str(DAYS)]) == 0
    results = json.loads(out.getvalue())["results"]
    return {(r["kpi"], *next(iter(r["scope"].items()))): r for r in results}


def _strip(text: str) -> str:
    return re.sub(r"<[^>]+>[^<]*</span>", "", text).strip()


def test_one_number_on_every_page(app_duo, demo_settings):
    duo = app_duo
    as_of = datetime.now(UTC).astimezone(demo_settings.zone).date().isoformat()
    expected = _kpis(demo_settings.effective_replica_url, as_of)
    cat = Catalogue(demo_settings.kpi_overrides_dict())

    login(duo, "exec", next_path=f"/executive%3Fas_of%3D{as_of}%26days%3D{DAYS}")
    duo.wait_for_element("#executive-heatmap .heatmap, #executive-heatmap .hm", timeout=90)
    trace = duo.driver.execute_script(
        "const gd = document.querySelector('#executive-heatmap .js-plotly-plot');"
        "return {text: gd.data[0].text, hover: gd.data[0].hovertext, custom: gd.data[0].customdata};")
    seen = 0
    for r, row in enumerate(trace["custom"]):
        for c, (site, kpi) in enumerate(row):
            # a site without that activity (no production at a distribution centre) has no result: no data
            want = expected.get((kpi, "warehouse_id", site), {"value": None, "status": "no_data"})
            d = cat.for_scope(kpi, "warehouse", site, DAYS)
            shown = _strip(trace["text"][r][c])
            assert shown == ("" if want["value"] is None else fmt_value(want["value"], d.unit)), (site, kpi)
            assert status_phrase(d, want["value"], want["status"]) in trace["hover"][r][c], (site, kpi)
            seen += 1
    assert seen == 5 * len(HEADLINE_SITE_KPIS)

    for site in PLANT_SITES:
        duo.driver.get(f"{duo.server_url}/plant?site={site}&metric=oee&days={DAYS}&as_of={as_of}")
        for kpi, tile_id in PLANT_TILES.items():
            want = expected[(kpi, "warehouse_id", site)]
            d = cat.for_scope(kpi, "warehouse", site, DAYS)
            duo.wait_for_text_to_equal(f"#{tile_id}", fmt_value(want["value"], d.unit), timeout=60)
        assert duo.find_elements(".notice") == []

    duo.driver.get(f"{duo.server_url}/")
    for kpi in ("oee", "schedule_adherence", "supplier_otif", "customer_otif"):
        want = expected[(kpi, "company_id", 1)]
        d = cat.for_scope(kpi, "company", 1, DAYS)
        duo.wait_for_text_to_equal(f"#home-kpi-{kpi}-1", fmt_value(want["value"], d.unit), timeout=60)
    assert duo.get_logs() == []
