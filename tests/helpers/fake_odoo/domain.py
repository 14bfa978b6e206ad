"""Odoo domains evaluated in Python over the fake endpoint's rows.

Follows ``odoo/osv/expression.py`` (17.0 and 18.0): prefix notation with ``'&'`` (the default between
terms), ``'|'`` and ``'!'``; leaves ``(path, operator, value)`` with the operators ``= != < <= > >= in
not in like not like ilike not ilike =like =ilike child_of parent_of``; ``False`` compared with ``=``
means "is not set" and with ``!=`` "is set"; ``!=``, ``not in`` and ``not like`` also match unset
values (Odoo's ``x != v OR x IS NULL``); a dotted path follows many2one fields. Constants
``(1, '=', 1)`` / ``(0, '=', 1)`` are Odoo's TRUE/FALSE leaves.
"""
from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["matches", "normalize", "AND", "DomainError"]

OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "not like", "ilike", "not ilike",
             "=like", "=ilike", "child_of", "parent_of"}


class DomainError(ValueError):
    """A malformed domain (Odoo raises ValueError: ``Invalid leaf ...``)."""


def _is_leaf(term) -> bool:
    return isinstance(term, (list, tuple)) and len(term) == 3


def normalize(domain) -> list:
    """Odoo's ``normalize_domain``: explicit ``'&'`` between consecutive terms."""
    if not domain:
        return [(1, "=", 1)]
    result, expected = [], 1
    for term in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if _is_leaf(term):
            expected -= 1
            result.append(tuple(term) if isinstance(term, list) else term)
        elif term in ("&", "|"):
            expected += 1
            result.append(term)
        elif term == "!":
            result.append(term)
        else:
            raise DomainError(f"Invalid domain term {term!r}")
    if expected != 0:
        raise DomainError(f"Invalid domain {domain!r}")
    return result


def AND(domains) -> list:
    """Odoo's ``expression.AND``: empty domains are dropped, the rest joined with ``'&'``."""
    result, count = [], 0
    for domain in domains:
        if not domain:
            continue
        result += [list(t) if _is_leaf(t) else t for t in normalize(domain)]
        count += 1
    return ["&"] * (count - 1) + result if count else []


def _like(pattern: str, value, case: bool, exact: bool) -> bool:
    if value is None or value is False:
        return False
    text = str(value)
    pat = str(pattern)
    if not exact:
        pat = f"%{pat}%"
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pat)
    return re.fullmatch(regex, text, 0 if case else re.IGNORECASE | re.DOTALL) is not None


class Evaluator:
    """``resolve(row, path) -> list of values`` (a dotted path may reach several rows);
    ``coerce(model, path, value)`` turns a domain value into the field's Python type;
    ``closure(model, ids, parent)`` gives child_of / parent_of sets."""

    def __init__(self, resolve, coerce, closure):
        self.resolve = resolve
        self.coerce = coerce
        self.closure = closure
        self._wanted: dict = {}  # id of an in/not in list -> (the list, its coerced set): built once, not per row

    def _wanted_set(self, model: str, left, right) -> tuple[bool, set]:
        key = (model, left, id(right))
        cached = self._wanted.get(key)
        if cached is not None and cached[0] is right:
            return cached[1]
        if len(self._wanted) > 64:
            self._wanted.clear()
        wanted = (any(r is False or r is None for r in right),
                  {self.coerce(model, left, r) for r in right if r is not False and r is not None})
        self._wanted[key] = (right, wanted)  # holding the list keeps its id from being reused meanwhile
        return wanted

    def matches(self, model: str, row: dict, domain) -> bool:
        stack: list[bool] = []
        for term in reversed(normalize(domain)):
            if term == "!":
                stack.append(not stack.pop())
            elif term == "&":
                a, b = stack.pop(), stack.pop()
                stack.append(a and b)
            elif term == "|":
                a, b = stack.pop(), stack.pop()
                stack.append(a or b)
            else:
                stack.append(self._leaf(model, row, term))
        return stack[0]

    def _leaf(self, model: str, row: dict, leaf) -> bool:
        left, op, right = leaf
        if left in (0, 1) and op == "=" and right == 1:
            return bool(left)
        if op not in OPERATORS:
            raise DomainError(f"Invalid leaf {leaf!r}")
        values = self.resolve(model, row, left)
        if op in ("child_of", "parent_of"):
            ids = right if isinstance(right, (list, tuple)) else [right]
            wanted = self.closure(model, left, [int(i) for i in ids], op == "parent_of")
            return any(v in wanted for v in values)
        if op in ("in", "not in"):
            if not isinstance(right, (list, tuple)):
                right = [right]
            allow_null, wanted = self._wanted_set(model, left, right)
            hit = any((v is None and allow_null) or (v is not None and v in wanted) for v in values)
            return hit if op == "in" else not hit
        negative = op in ("!=", "not like", "not ilike")
        positive = {"!=": "=", "not like": "like", "not ilike": "ilike"}.get(op, op)
        hit = any(self._compare(model, left, v, positive, right) for v in values)
        return not hit if negative else hit

    def _compare(self, model, path, value, op, right) -> bool:
        if op in ("like", "ilike", "=like", "=ilike"):
            return _like(right, value, case=op in ("like", "=like"), exact=op.startswith("="))
        if right is False or right is None:
            if op == "=":
                return value is None or value is False
            return False
        if value is None:
            return False
        target = self.coerce(model, path, right)
        if op == "=":
            return value == target
        try:
            return {"<": value < target, "<=": value <= target, ">": value > target, ">=": value >= target}[op]
        except TypeError:
            raise DomainError(f"cannot compare {value!r} with {right!r}") from None


def parse_date(text: str, kind: str):
    """A domain's ``'YYYY-MM-DD[ HH:MM:SS]'`` as a date or datetime (Odoo's ``fields.Date/Datetime.to_date``)."""
    if isinstance(text, datetime):
        return text if kind == "datetime" else text.date()
    if isinstance(text, date):
        return datetime(text.year, text.month, text.day) if kind == "datetime" else text
    text = str(text)
    if kind == "date":
        return date.fromisoformat(text[:10])
    return datetime.fromisoformat(text if len(text) > 10 else text + " 00:00:00")


def matches(evaluator: Evaluator, model: str, row: dict, domain) -> bool:
    """Whether ``row`` of ``model`` satisfies ``domain``."""
    return evaluator.matches(model, row, domain)
