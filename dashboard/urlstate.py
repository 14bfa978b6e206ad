"""The one URL-state parser: a page's query parameters, each with its type from ``dashboard.validation``.

A page declares its query parameters once (``{"site": id_param("site"), "days": days_param(), ...}``);
``parse_query`` returns the clean values and one notice per bad value, each naming the value and what
is shown instead. Callbacks declare the stores the browser holds with the same types
(``validation.store(name, schema)`` in ``@accepts``). Nothing from a URL reaches a query without passing here.
The value validators live in ``dashboard.validation`` and are re-exported here for the pages.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from pydantic import TypeAdapter, ValidationError

from dashboard.validation import (
    MAX_DAYS,
    MAX_ID,
    MAX_PAST_DAYS,
    MIN_DAYS,
    Day,
    Days,
    Invalid,
    RecordId,
    _shown,
    as_id,
    choice,
    first_reason,
    parse_choice,
    parse_date,
    parse_days,
    parse_id,
    parse_limit,
)

__all__ = ["Invalid", "Param", "as_id", "parse_id", "parse_date", "parse_days", "parse_choice", "parse_limit",
           "id_param", "date_param", "days_param", "choice_param", "parse_query", "href", "period_days",
           "MIN_DAYS", "MAX_DAYS", "PERIOD_CHOICES", "DEFAULT_DAYS", "MAX_PAST_DAYS", "MAX_ID"]

PERIOD_CHOICES = (7, 14, 28, 30, 90)  # what the period pickers offer
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Param:
    """One query parameter: its type (``dashboard.validation``), its default and the words for what is shown
    instead of a bad value."""

    type: Any
    default: Callable[[date], Any]
    fallback: str  # "showing today", "no site filter", ...
    adapter: TypeAdapter = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "adapter", TypeAdapter(self.type))

    def parse(self, raw, today: date):
        """The clean value of ``raw``; raises ``Invalid`` with the validator's words."""
        try:
            return self.adapter.validate_python(raw, context={"today": today})
        except ValidationError as error:
            raise Invalid(first_reason(error)) from None


def id_param(what: str, fallback: str | None = None) -> Param:
    return Param(RecordId, lambda _today: None, fallback or f"no {what} chosen")


def date_param() -> Param:
    return Param(Day, lambda today: today, "showing today")


def days_param(default: int = DEFAULT_DAYS) -> Param:
    return Param(Days, lambda _today: default, f"showing {default} days")


def choice_param(allowed: Iterable[str], default: str | None, what: str, fallback: str | None = None) -> Param:
    return Param(choice(allowed, what), lambda _today: default,
                 fallback or (f"showing {default}" if default else f"no {what}"))


def parse_query(query: Mapping[str, Any], params: Mapping[str, Param], today: date) -> tuple[dict, list[str]]:
    """``(values, notices)``: each declared parameter validated (blank or absent -> its default), one
    notice per bad value that names it ("Ignored site 'abc': 'abc' is not an id; no site chosen.").
    Parameters the page does not declare are ignored."""
    values, notices = {}, []
    for name, param in params.items():
        raw = query.get(name)
        if raw is None or raw == "":
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
