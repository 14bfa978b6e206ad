"""The one status vocabulary: grades, words, icons and colours of every status shown anywhere.

The KPI engine judges a value ``ok``, ``warning``, ``critical``, ``no_data`` or ``unavailable``. What a
person reads says what is true: an ``ok`` value is either **on target** or only **within tolerance**
(below the target of a higher-is-better KPI, above it for lower-is-better, but not past the warning
threshold). Heat maps, tiles, badges, tables, trends and the TV boards take their words and colours from
here and nowhere else; ``assets/app.css`` carries the same colours as CSS variables (a test keeps them
equal).
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.formats import fmt_value

__all__ = ["Grade", "GRADES", "STATUS_KEYS", "grade", "grade_of", "status_phrase", "threshold_text", "legend_grades", "BETTER", "WORSE",
           "INK", "MUTED", "LINE", "SERIES"]


@dataclass(frozen=True)
class Grade:
    """How one status looks: ``key`` (CSS suffix), short ``word``, ``icon``, ``strong`` colour (text,
    badges, borders, markers) and ``fill`` (heat map cells, table cells; dark text stays readable)."""

    key: str
    word: str
    icon: str
    strong: str
    fill: str


GRADES: dict[str, Grade] = {g.key: g for g in (
    Grade("on_target", "On target", "✓", "#2e7d32", "#8fcf92"),
    Grade("tolerance", "Within tolerance", "○", "#4e7d1e", "#d4e9b8"),
    Grade("warning", "Warning", "!", "#a85a00", "#ffc680"),
    Grade("critical", "Critical", "✕", "#c62828", "#f19999"),
    Grade("no_data", "No data", "–", "#6b7280", "#e2e5e9"),
    Grade("unavailable", "Unavailable", "⊘", "#6b7280", "#f1f2f4"),
    # Not a status: a plain measure no threshold judges (a quantity scrapped, a count), shown for information.
    Grade("measure", "For information", "Σ", "#3d5a80", "#dde6f1"),
)}
STATUS_KEYS = ("on_target", "tolerance", "warning", "critical", "no_data", "unavailable")

BETTER = "#1b5e20"  # a change for the better (arrows)
WORSE = "#b71c1c"
INK = "#1f2933"
MUTED = "#6b7280"
LINE = "#e3e7ec"
SERIES = "#714b67"  # the measured series in trends and Pareto bars


def grade(key: str) -> Grade:
    """The grade of a presentation key (unknown keys read as no data)."""
    return GRADES.get(key, GRADES["no_data"])


def _meets_target(definition, value: float) -> bool:
    if definition.target is None:
        return False
    return value >= definition.target if definition.direction == "higher" else value <= definition.target


def grade_of(definition, value: float | None, status: str | None) -> Grade:
    """The grade of an engine ``status`` for ``value`` judged by ``definition`` (a catalogue KpiDef
    already scoped and scaled to the period): ``ok`` splits into on target / within tolerance."""
    status = status or "no_data"
    if status == "ok":
        if value is None:
            return GRADES["no_data"]
        return GRADES["on_target" if _meets_target(definition, value) else "tolerance"]
    return grade(status)


def status_phrase(definition, value: float | None, status: str | None) -> str:
    """The status in words, true to the value: "On target", "Below target, within tolerance" ("Above
    target" for lower-is-better), "Warning", "Critical", "No data", "Unavailable"."""
    g = grade_of(definition, value, status)
    if g.key == "tolerance":
        if definition.target is None:
            return "Within tolerance"
        side = "Below" if definition.direction == "higher" else "Above"
        return f"{side} target, within tolerance"
    return g.word


def threshold_text(definition, currency: str | None = None) -> str:
    """"Target ≥ 85.0 % · warning < 75.0 % · critical < 60.0 %" (direction-aware; missing levels left out)."""
    good, bad = ("≥", "<") if definition.direction == "higher" else ("≤", ">")
    parts = []
    for name, level, sign in (("Target", definition.target, good), ("warning", definition.amber, bad),
                              ("critical", definition.red, bad)):
        if level is not None:
            parts.append(f"{name} {sign} {fmt_value(level, definition.unit, currency)}")
    return " · ".join(parts) or "No thresholds set"


def legend_grades() -> list[Grade]:
    """The grades a status legend shows, in order (statuses only, not the plain measure)."""
    return [GRADES[k] for k in STATUS_KEYS]
