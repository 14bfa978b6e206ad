"""The status vocabulary: words true to the value (the "On target below target" defect), one palette."""
import re
from pathlib import Path

import pytest

from dashboard.kpis.catalogue import Catalogue
from dashboard.vocab import GRADES, grade_of, status_phrase, threshold_text

CSS = Path(__file__).resolve().parents[2] / "assets" / "app.css"


@pytest.mark.parametrize("kpi,value,phrase", [
    # the values a new user saw called "On target" on the home page
    ("oee", 0.827, "Below target, within tolerance"),
    ("first_pass_yield", 0.974, "Below target, within tolerance"),
    ("oee_availability", 0.897, "Below target, within tolerance"),
    ("oee", 0.85, "On target"),  # equal to the target meets it
    ("oee", 0.91, "On target"),
    ("oee", 0.70, "Warning"),
    ("oee", 0.50, "Critical"),
    ("dio", 75.0, "Above target, within tolerance"),  # lower is better: the mirror words
    ("dio", 60.0, "On target"),
    ("dio", 100.0, "Warning"),
    ("late_po_lines", 0, "On target"),
    ("late_po_lines", 3, "Above target, within tolerance"),
])
def test_status_phrase_is_true_to_the_value(kpi, value, phrase):
    d = Catalogue()[kpi]
    assert status_phrase(d, value, d.status(value)) == phrase


def test_missing_and_unavailable_values_say_so():
    d = Catalogue()["oee"]
    assert status_phrase(d, None, "no_data") == "No data"
    assert status_phrase(d, None, "unavailable") == "Unavailable"
    assert grade_of(d, None, "ok").key == "no_data"


def test_no_target_means_within_tolerance_never_on_target():
    from dataclasses import replace

    d = replace(Catalogue()["oee"], target=None)
    assert status_phrase(d, 0.99, "ok") == "Within tolerance"


def test_threshold_text_is_direction_aware_with_currency():
    cat = Catalogue()
    assert threshold_text(cat["oee"]) == "Target ≥ 85.0 % · warning < 75.0 % · critical < 60.0 %"
    assert threshold_text(cat["overdue_receivables"], "EUR") == "Target ≤ 0 EUR · warning > 50.0 k EUR · critical > 200.0 k EUR"


def test_css_variables_are_the_vocabulary_colours():
    css = CSS.read_text()
    for g in GRADES.values():
        assert re.search(rf"--{g.key}:\s*{g.strong};", css), g.key
        assert re.search(rf"--{g.key}-fill:\s*{g.fill};", css), g.key


def test_every_grade_has_a_word_and_an_icon_and_distinct_fills():
    assert len({g.fill for g in GRADES.values()}) == len(GRADES)
    assert all(g.word and g.icon for g in GRADES.values())


def test_the_plain_measure_grade_is_not_a_status_in_the_legend():
    from dashboard.vocab import STATUS_KEYS, legend_grades
    assert [g.key for g in legend_grades()] == list(STATUS_KEYS) and "measure" not in STATUS_KEYS
    assert GRADES["measure"].icon != GRADES["no_data"].icon  # a quantity never reads as "no data"
