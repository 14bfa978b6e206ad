"""Finance and customer pages in a real browser on the demo: one block per company with its currency, the
cable harnesses are the lowest-margin column, the oldest receivables are in 90+, a heat map cell opens the
customer page for that category with its invoices, valuation and open invoices, and back returns."""
import re
import time
from urllib.parse import quote

from selenium.webdriver.common.actions.action_builder import ActionBuilder

from data_access.demo.scenario import STORY
from helpers.browser import clear_viewport, login, page_overflow_x, resize_to, screenshot

HARNESS = STORY["poor_margin_category_id"]
MAIN, DIST = STORY["company_main"], STORY["company_distribution"]
GRID_ROW = "#{} .ag-center-cols-container .ag-row"


def _wait_url(duo, fragment: str, timeout: float = 20) -> None:
    end = time.time() + timeout
    while fragment not in duo.driver.current_url:
        if time.time() > end:
            raise AssertionError(f"url {duo.driver.current_url!r} never contained {fragment!r}")
        time.sleep(0.2)


def _heatmap(duo, company: int, timeout: float = 30) -> dict:
    end = time.time() + timeout
    while time.time() < end:
        found = duo.driver.execute_script(
            "const el = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.parentElement.id && "
            "g.parentElement.id.includes('\"company\":' + arguments[0]) && g.parentElement.id.includes('finance-heatmap'));"
            "if (!el || !el.data || !el.data[0] || el.data[0].type !== 'heatmap') { return null; }"
            "return {text: el.data[0].text, ticks: el.layout.xaxis.ticktext, custom: el.data[0].customdata,"
            " hover: el.data[0].hovertext};", company)
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"the heat map of company {company} was never drawn")


def _column(duo, grid_id: str, col_id: str) -> list[str]:
    return duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText);",
        f"#{grid_id} .ag-row [col-id='{col_id}']")


def _pct(text: str) -> float:
    return float(text.split(" %")[0])


def test_finance_blocks_stories_drill_and_back(app_duo):
    duo = app_duo
    login(duo, "finance", next_path=quote("/finance?days=90", safe="/"))
    for company in (MAIN, DIST):  # a multi-company user sees one block per company, currency shown
        duo.wait_for_element(f"#finance-tile-margin-{company}", timeout=60)
        assert "amounts in EUR" in duo.find_element(f"#finance-company-{company}").text
    assert re.fullmatch(r"\d+\.\d %", duo.find_element(f"#finance-tile-margin-{MAIN}").text)
    assert duo.find_element(f"#finance-tile-overdue-{MAIN}").text.endswith(" EUR")
    assert re.fullmatch(r"[\d.]+×", duo.find_element(f"#finance-tile-turns-{MAIN}").text)
    assert re.fullmatch(r"[\d.,]+ d", duo.find_element(f"#finance-tile-dio-{MAIN}").text)
    # cable harnesses stand out: the first (lowest margin) column, every cell of it below the others
    trace = _heatmap(duo, MAIN)
    assert trace["ticks"][0].replace("<br>", " ") == "Cable Harnesses"
    assert trace["custom"][0][0][1] == str(HARNESS)
    harness = [_pct(row[0]) for row in trace["text"] if row[0].endswith("%")]
    others = [_pct(t) for row in trace["text"] for t in row[1:] if t.endswith("%")]
    assert harness and others and max(harness) < min(others)
    assert "Revenue <b>" in trace["hover"][0][0] and "COGS <b>" in trace["hover"][0][0]
    # the oldest receivables show in 90+: the first aging row has its money there
    duo.wait_for_element(GRID_ROW.format(f"finance-aging-{MAIN}"), timeout=30)
    first_90 = _column(duo, f"finance-aging-{MAIN}", "d90p")[0]
    assert first_90.endswith(" EUR")
    oldest = _column(duo, f"finance-aging-{MAIN}", "oldest")
    assert int(oldest[0].split()[0]) > 90
    assert "90+ days" in _column(duo, f"finance-overdue-{MAIN}", "age")[0]
    duo.wait_for_element(GRID_ROW.format(f"finance-stock-{MAIN}"), timeout=30)
    assert all(re.search(r" d · |None sold", t) for t in _column(duo, f"finance-stock-{MAIN}", "dio"))
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "finance")

    # a harness cell -> the customer page for that category
    cell = duo.driver.execute_script(
        "const el = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.parentElement.id.includes('finance-heatmap')"
        " && g.parentElement.id.includes('\"company\":' + arguments[0]));"
        "el.scrollIntoView({block: 'center'}); return el.querySelector('.nsewdrag');", MAIN)
    time.sleep(0.4)
    box = duo.driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                    "return [r.left, r.top, r.width, r.height];", cell)
    # the first row's cable harness cell (the top left cell of the plot area)
    x, y = box[0] + box[2] / len(trace["ticks"]) / 2, box[1] + box[3] / len(trace["text"]) / 2
    actions = ActionBuilder(duo.driver)
    actions.pointer_action.move_to_location(int(x), int(y)).click()
    actions.perform()
    _wait_url(duo, "/finance/customer/")
    assert f"category={HARNESS}" in duo.driver.current_url and "days=90" in duo.driver.current_url
    duo.wait_for_element(f"#customer-tile-margin-{MAIN}", timeout=60)
    duo.wait_for_element(GRID_ROW.format(f"customer-invoices-{MAIN}"), timeout=30)
    duo.wait_for_element(GRID_ROW.format(f"customer-layers-{MAIN}"), timeout=30)
    assert "Cable Harnesses" in duo.find_element(f"#customer-company-{MAIN}").text
    duo.wait_for_element(GRID_ROW.format(f"customer-categories-{MAIN}"), timeout=30)
    categories = _column(duo, f"customer-categories-{MAIN}", "category")
    assert "Cable Harnesses" in categories[0]
    assert all(t.endswith(" EUR") for t in _column(duo, f"customer-layers-{MAIN}", "cogs"))
    every = duo.find_element(f"#customer-every-{MAIN}").get_attribute("href")
    assert "category=" not in every and every.split("?")[0] == duo.driver.current_url.split("?")[0]
    duo.wait_for_element(GRID_ROW.format(f"customer-open-{MAIN}"), timeout=30)
    resize_to(duo, 1280, 800)
    assert page_overflow_x(duo) <= 0
    clear_viewport(duo)
    screenshot(duo, "customer")
    duo.driver.back()
    _wait_url(duo, "/finance?")
    duo.wait_for_element(f"#finance-tile-margin-{MAIN}", timeout=60)
    _heatmap(duo, MAIN)
    assert duo.get_logs() == []


def test_bad_values_are_named_and_unknown_records_have_a_way_back(app_duo):
    duo = app_duo
    login(duo, "finance", next_path=quote("/finance?company=abc&days=-5", safe="/"))
    duo.wait_for_element(f"#finance-tile-margin-{MAIN}", timeout=60)
    notice = duo.find_element("#finance-notice").text
    assert "Ignored company='abc'" in notice and "Ignored days='-5'" in notice
    duo.driver.get(f"{duo.server_url}/finance?company=99")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert duo.find_element(".problem-back").get_attribute("href").endswith("/finance")
    duo.driver.get(f"{duo.server_url}/finance/customer/abc")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert duo.find_element(".page-title").text == "Customer"
    duo.driver.get(f"{duo.server_url}/finance/customer/999999")
    duo.wait_for_element(".problem-page .msg-not-found", timeout=30)
    assert duo.get_logs() == []


def test_a_customer_in_two_currencies_reads_unavailable(app_duo):
    """KPIS.md v2: Cascadia Trucks buys from the main company (EUR) and the USD sales office: the finance
    page's cross-company grid says n/a and why, never a sum or 0."""
    duo = app_duo
    login(duo, "finance", next_path=quote("/finance?days=90", safe="/"))
    duo.wait_for_element(GRID_ROW.format("finance-across"), timeout=60)
    row = f"#finance-across .ag-row[row-id='{STORY['two_currency_customer_id']}']"
    duo.wait_for_element(row, timeout=30)
    text = duo.find_element(f"{row} [col-id='margin']").text
    assert text.startswith("⊘ n/a · amounts in more than one company currency: EUR, USD")
    assert "amounts in more than one company currency: EUR, USD" in duo.find_element(f"{row} [col-id='overdue']").text
    assert "amounts in USD" in duo.find_element(f"#finance-company-{STORY['company_usd']}").text
    assert duo.get_logs() == []
