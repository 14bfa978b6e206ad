"""The one URL-state parser and its validators: ids, dates, periods, choices and limits.

A page declares its query parameters once (``{"site": id_param("site"), "days": days_param(), ...}``);
``parse_query`` returns the clean values and one notice per bad value, each naming the value and what
is shown instead. Callbacks re-validate the stores the browser holds with the same validators
(``Invalid`` -> refuse the update). Nothing from a URL reaches a query without passing through here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

__all__ = ["Invalid", "Param", "as_id", "parse_id", "parse_date", "parse_days", "parse_choice", "parse_limit",
           "id_param", "date_param", "days_param", "choice_param", "parse_query", "href", "period_days",
           "MIN_DAYS", "MAX_DAYS", "PERIOD_CHOICES", "DEFAULT_DAYS", "MAX_PAST_DAYS", "MAX_ID"]

MIN_DAYS, MAX_DAYS = 1, 90  # every page accepts any period in this range
PERIOD_CHOICES = (7, 14, 28, 30, 90)  # what the period pickers offer
DEFAULT_DAYS = 30
MAX_PAST_DAYS = 3650
MAX_ID = 2**31 - 1  # Odoo ids are PostgreSQL integers


class Invalid(ValueError):
    """A value that does not pass a validator; ``str`` says why, for a notice."""


def _shown(raw) -> str:
    text = str(raw)
    return repr(text if len(text) <= 24 else text[:21] + "...")


def parse_id(raw) -> int:
    """A record id: a positive integer (or its decimal text) below 2^31. Raises ``Invalid``."""
    if isinstance(raw, bool):
        raise Invalid(f"{_shown(raw)} is not an id")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 10:
        value = int(raw.strip())
    else:
        raise Invalid(f"{_shown(raw)} is not an id")
    if not 0 < value <= MAX_ID:
        raise Invalid(f"{_shown(raw)} is not an id")
    return value


def as_id(raw) -> int | None:
    """``parse_id`` that answers None instead of raising."""
    try:
        return parse_id(raw)
    except Invalid:
        return None


def parse_date(raw, today: date) -> date:
    """An ISO day from ``today - MAX_PAST_DAYS`` to ``today``. Raises ``Invalid``."""
    try:
        day = date.fromisoformat(str(raw)) if not isinstance(raw, date) else raw
    except ValueError:
        raise Invalid(f"{_shown(raw)} is not a date (YYYY-MM-DD)") from None
    if day > today:
        raise Invalid(f"{day.isoformat()} is in the future")
    if day < today - timedelta(days=MAX_PAST_DAYS):
        raise Invalid(f"{day.isoformat()} is more than {MAX_PAST_DAYS // 365} years ago")
    return day


def parse_days(raw, low: int = MIN_DAYS, high: int = MAX_DAYS) -> int:
    """A period length in whole days from ``low`` to ``high``. Raises ``Invalid``."""
    try:
        value = parse_id(raw)
    except Invalid:
        raise Invalid(f"{_shown(raw)} is not a number of days") from None
    if not low <= value <= high:
        raise Invalid(f"{value} days is outside {low} to {high} days")
    return value


def parse_choice(raw, allowed: Iterable[str], what: str = "choice") -> str:
    """One of ``allowed`` (an allow-list). Raises ``Invalid``."""
    if not isinstance(raw, str) or raw not in set(allowed):
        raise Invalid(f"{_shown(raw)} is not a known {what}")
    return raw


def parse_limit(raw, high: int) -> int:
    """A row limit from 1 to ``high``. Raises ``Invalid``."""
    value = parse_id(raw)
    if value > high:
        raise Invalid(f"{value} rows is more than {high}")
    return value


@dataclass(frozen=True)
class Param:
    """One query parameter: its validator, its default and the words for what is shown instead."""

    parse: Callable[[Any, date], Any]
    default: Callable[[date], Any]
    fallback: str  # "showing today", "no site filter", ...


def id_param(what: str, fallback: str | None = None) -> Param:
    return Param(lambda raw, _today: parse_id(raw), lambda _today: None, fallback or f"no {what} chosen")


def date_param() -> Param:
    return Param(parse_date, lambda today: today, "showing today")


def days_param(default: int = DEFAULT_DAYS) -> Param:
    return Param(lambda raw, _today: parse_days(raw), lambda _today: default, f"showing {default} days")


def choice_param(allowed: Iterable[str], default: str | None, what: str, fallback: str | None = None) -> Param:
    allowed = tuple(allowed)
    return Param(lambda raw, _today: parse_choice(raw, allowed, what), lambda _today: default,
                 fallback or (f"showing {default}" if default else f"no {what}"))


def parse_query(query: Mapping[str, Any], params: Mapping[str, Param], today: date) -> tuple[dict, list[str]]:
    """``(values, notices)``: each declared parameter validated (blank or absent -> its default), one
    notice per bad value that names it ("Ignored site 'abc': 'abc' is not an id; no site chosen.").
    Parameters the page does not declare are ignored."""
    values, notices = {}, []
    for name, param in params.items():
        raw = query.get(name)
        if raw in (None, ""):
            values[name] = param.default(today)
            continue
        try:
            values[name] = param.parse(raw, today)
        except Invalid as why:
            values[name] = param.default(today)
            notices.append(f"Ignored {name}={_shown(raw)}: {why}; {param.fallback}.")
    return values, notices


def href(path: str, **query) -> str:
    """``path?query`` with the parameters that are set, in the order given (stable links)."""
    clean = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in query.items() if v is not None}
    return f"{path}?{urlencode(clean)}" if clean else path


def period_days(as_of: date, days: int) -> list[str]:
    """The ISO days of a period of ``days`` whole days ending at ``as_of`` (oldest first)."""
    return [(as_of - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
