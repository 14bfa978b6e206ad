"""The one input schema of the server: every value a URL or a callback hands in passes a pydantic type here.

- The value validators (``parse_id``, ``parse_date``, ``parse_days``, ``parse_choice``, ``parse_limit``) raise
  ``Invalid`` with words for a notice. The pydantic types (``RecordId``, ``Day``, ``Days``, ``choice(...)``,
  ``Scale``, ``Click``, ``Rows``, ``store(...)``) are built on them, so a URL and a callback refuse the same
  values for the same reasons.
- URL parameters: ``dashboard.urlstate`` declares each page's query with these types; a bad value becomes a
  notice and the default.
- Callback inputs and states: ``@accepts(name=type, ...)`` beside each callback declares every argument;
  a value that does not pass answers 400 "That request was not understood." (``BadInput``, one log line),
  before the callback runs. The browser never sends such values: only a forged or broken request does.
- The Dash request itself (its ``inputs``/``state``/``changedPropIds`` shape): ``CallbackRequest``, which
  the guard checks before Dash sees the body.
"""
from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    create_model,
)
from werkzeug.exceptions import BadRequest

__all__ = ["Invalid", "BadInput", "parse_id", "as_id", "parse_date", "parse_days", "parse_choice", "parse_limit",
           "RecordId", "OptionalId", "Day", "Days", "choice", "Scale", "Click", "Rows", "Flag", "Anything", "store",
           "accepts", "accepted_inputs", "first_reason", "CallbackRequest", "ROUTER_INPUTS", "json_depth",
           "MIN_DAYS", "MAX_DAYS", "MAX_PAST_DAYS", "MAX_ID", "NOT_UNDERSTOOD"]

MIN_DAYS, MAX_DAYS = 1, 90  # every page accepts any period in this range
MAX_PAST_DAYS = 3650
MAX_ID = 2**31 - 1  # Odoo ids are PostgreSQL integers
NOT_UNDERSTOOD = "That request was not understood."


class Invalid(ValueError):
    """A value that does not pass a validator; ``str`` says why, for a notice."""


def _shown(raw) -> str:
    text = str(raw)
    return repr(text if len(text) <= 24 else text[:21] + "...")


# --- value validators (plain functions: a URL notice quotes their words) ---

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
        if not isinstance(raw, (str, date)):
            raise ValueError(raw)
        day = raw if isinstance(raw, date) else date.fromisoformat(raw)
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


# --- pydantic types on those validators ---

def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    if "today" not in context:
        raise TypeError("a Day is validated with context={'today': ...}")
    return context["today"]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise Invalid("not a finite number")
    return value


RecordId = Annotated[int, BeforeValidator(parse_id)]
OptionalId = RecordId | None
Day = Annotated[date, BeforeValidator(lambda raw, info: parse_date(raw, _today(info)))]
Days = Annotated[int, BeforeValidator(parse_days)]
Scale = Annotated[float, Field(strict=True), AfterValidator(_finite)] | None  # the browser's type scale (a number)
Click = dict[str, Any] | None  # a plotly clickData: read defensively by the callback
Rows = list[Any] | None  # row ids a page wrote into a store, or AG Grid's selected rows
Flag = Annotated[bool, Field(strict=True)] | None  # true or false, not "yes"
Anything = Any  # an argument only used to fire the callback (a mounted component's id)


def choice(allowed: Iterable[str], what: str):
    """The type of one of ``allowed`` (an allow-list); ``what`` names it in a notice."""
    allowed = tuple(allowed)
    return Annotated[str, BeforeValidator(lambda raw: parse_choice(raw, allowed, what))]


def store(name: str, schema: Mapping[str, Any], **extra) -> Any:
    """The type of a page's ``dcc.Store`` written from its URL ``schema`` (``{param: urlstate.Param}``) plus
    ``extra`` fields (``partner_id=RecordId``): a dict (or None) whose every present value passes its type.
    Validated, it is a dict of the fields the store holds (dates as ``date``); other keys are dropped."""
    fields = {key: (param.type | None, None) for key, param in schema.items()}
    fields.update({key: (kind | None, None) for key, kind in extra.items()})
    model = create_model(name, __config__=ConfigDict(extra="ignore"), **fields)
    return Annotated[model, AfterValidator(lambda m: m.model_dump(exclude_unset=True))] | None


def first_reason(error: ValidationError) -> str:
    """The first failure of ``error`` in words: where, and the validator's own reason."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    reason = first.get("ctx", {}).get("error") or first["msg"]
    return f"{where}: {reason}" if where else str(reason)


# --- callbacks ---

class BadInput(BadRequest):
    """A callback input or state that does not pass its declared type: 400 with ``NOT_UNDERSTOOD``."""

    description = NOT_UNDERSTOOD

    def __init__(self, reason: str):
        super().__init__(NOT_UNDERSTOOD)
        self.reason = reason


def _today_now() -> date:
    from dashboard import service  # the display zone's today (service imports pages' helpers: import late)

    return service.today()


def accepts(**types) -> Callable:
    """Declare a callback's arguments: each named input and state with its type (all of them: a callback
    with an undeclared argument is refused when it is defined). Before the callback runs, each value is
    validated and the callback gets the validated value; a value that does not pass raises ``BadInput``
    (400), naming the callback and the argument for the log. Goes under ``@guarded`` (which adds ``access``)."""
    adapters = {name: TypeAdapter(kind) for name, kind in types.items()}

    def decorate(func):
        signature = inspect.signature(func)
        declared = {n for n, p in signature.parameters.items()
                    if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)}
        if declared != set(adapters):
            raise TypeError(f"{func.__qualname__}: @accepts must declare exactly {sorted(declared)}, "
                            f"not {sorted(adapters)}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = signature.bind_partial(*args, **kwargs)
            context = {"today": _today_now()}
            for name, adapter in adapters.items():
                if name not in bound.arguments:
                    continue
                try:
                    bound.arguments[name] = adapter.validate_python(bound.arguments[name], context=context)
                except ValidationError as error:
                    raise BadInput(f"callback={func.__name__} {name}.{first_reason(error)}") from None
            return func(*bound.args, **bound.kwargs)

        wrapper.__accepts__ = dict(types)
        return wrapper

    return decorate


def accepted_inputs(func) -> dict | None:
    """The ``@accepts`` declaration of a (wrapped) callback function, or None when it has none."""
    while func is not None:
        if hasattr(func, "__accepts__"):
            return func.__accepts__
        func = getattr(func, "__wrapped__", None)
    return None


# --- the Dash request ---

_Scalar = str | int | float | bool | None


class _Prop(BaseModel):
    """One component property of a request: an output, or an input/state with its value."""

    model_config = ConfigDict(extra="allow")
    id: Annotated[str, Field(min_length=1, max_length=500)] | dict[str, _Scalar]
    property: Annotated[str, Field(min_length=1, max_length=100)]


_Props = list[_Prop | list[_Prop]]


class CallbackRequest(BaseModel):
    """The body of ``POST /_dash-update-component`` in the shape Dash's dispatcher reads."""

    model_config = ConfigDict(extra="allow")
    output: Annotated[str, Field(min_length=1, max_length=5000)]
    outputs: _Prop | _Props | None = None
    inputs: _Props = []
    state: _Props = []
    changedPropIds: list[Annotated[str, Field(max_length=1000)]] = []


class _Pathname(_Prop):
    value: Annotated[str, Field(pattern=r"^/", max_length=2000)]


class _Search(_Prop):
    value: Annotated[str, Field(max_length=8000)] | None = None


# Dash's own page router reads ``pathname`` (a path from the root) and ``search`` (text or nothing).
ROUTER_INPUTS = TypeAdapter(tuple[_Pathname, _Search])


def json_depth(value, limit: int) -> int:
    """How deeply ``value`` (parsed JSON) nests lists and objects, counted up to ``limit + 1`` (no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
