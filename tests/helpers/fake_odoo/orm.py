"""The fake endpoint's models: the demo replica's tables read as Odoo's ORM would answer over RPC.

Sources (odoo/odoo, branches 17.0 and 18.0):
- ``odoo/models.py``: ``search_read`` (domain, fields, offset, limit, order), ``search``, ``search_count``,
  ``read`` (an unknown field is ``ValueError("Invalid field ... on model ...")``), ``fields_get`` and
  ``read_group(domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)``: one dict per
  group holding each grouped spec under its own name (``date:month`` stays ``date:month``; dates as
  the locale's label, e.g. ``January 2024``, with ``__range`` {spec: {from, to}}), many2one values as
  ``(id, display_name)``, ``__count`` when ``lazy=False`` (``<field>_count`` and ``__context`` when lazy),
  aggregates (``field:agg``, ``alias:agg(field)``, a plain numeric field is summed) and ``__domain``
  (``expression.AND`` of the domain and the group's own terms).
- ``Field.convert_to_read``: many2one ``[id, display_name]`` or False, unset char/date False, unset
  integer 0 and float 0.0, dates ``YYYY-MM-DD``, datetimes ``YYYY-MM-DD HH:MM:SS`` (UTC).
- ``odoo/service/model.py`` ``execute_cr``: an unknown model is ``UserError("Object x doesn't exist")``;
  ``check_method_name``: private methods are refused with AccessError.
- ``ir.model.access`` / ``ir.rule``: a model the user may not read is ``AccessError`` ("You are not
  allowed to access ... records"); the multi-company rules ``['|', ('company_id', '=', False),
  ('company_id', 'in', company_ids)]`` hide other companies' records (``env.companies`` defaults to all
  of the user's allowed companies when the context has no ``allowed_company_ids``); ``res.company`` is
  limited to those companies; ``read`` of a hidden record is an AccessError.
- ``res.users``: ``groups_id`` (17.0 and 18.0; renamed ``group_ids`` only after 18.0, in saas-18.x),
  ``company_ids``, ``company_id``, ``context_get``, ``has_group(xmlid)``; groups' XML ids are rows of
  ``ir.model.data`` (module, name, model, res_id); ``check_access_rights(operation, raise_exception)``
  (18.0 adds ``has_access(operation)``).
- The ``active`` field: searches skip archived rows unless the domain names ``active`` or the context
  says ``active_test: False``.

Approximations, said here so a test does not lean on them: many2one groups and orders follow the
display name then id (Odoo follows the comodel's ``_order``); only stored columns of the replica exist.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import create_engine, select

from data_access.schema import _raw, odoo_schema
from helpers.fake_odoo.domain import AND, DomainError, Evaluator, normalize, parse_date

__all__ = ["FakeUser", "OdooData", "Odoo", "AccessDenied", "AccessError", "UserError", "DatabaseMissing"]


class AccessDenied(Exception):
    """odoo.exceptions.AccessDenied"""

    def __init__(self, message="Access Denied"):
        super().__init__(message)


class AccessError(Exception):
    """odoo.exceptions.AccessError"""


class UserError(Exception):
    """odoo.exceptions.UserError"""


class DatabaseMissing(Exception):
    """psycopg2.OperationalError raised when the registry of a missing database is opened."""


for _cls in (AccessDenied, AccessError, UserError):
    _cls.__module__ = "odoo.exceptions"
DatabaseMissing.__module__ = "psycopg2"
DatabaseMissing.__name__ = DatabaseMissing.__qualname__ = "OperationalError"


@dataclass
class FakeUser:
    """An Odoo user of the fake: groups by XML id, allowed companies, models it may not read."""

    login: str
    password: str
    groups: tuple[str, ...] = ("base.group_user",)
    company_ids: tuple[int, ...] = (1,)
    company_id: int | None = None
    denied_models: frozenset[str] = frozenset()
    name: str = ""
    uid: int = 0
    active: bool = True

    def __post_init__(self):
        self.groups = tuple(self.groups)
        self.company_ids = tuple(self.company_ids)
        self.denied_models = frozenset(self.denied_models)
        self.company_id = self.company_id or self.company_ids[0]
        self.name = self.name or self.login.title()


_NUMERIC = {"integer", "float"}
_GRANULARITY = ("day", "week", "month", "quarter", "year")


def _field_type(pg_type: str, fk: str | None) -> str:
    if fk:
        return "many2one"
    base = pg_type.split(" ")[0]
    if base.startswith("varchar"):
        return "char"
    return {"int4": "integer", "text": "text", "bool": "boolean", "date": "date", "timestamp": "datetime",
            "numeric": "float", "float8": "float", "jsonb": "char", "bytea": "binary"}.get(base, "char")


# many2many fields served from the replica's relation tables: (model, field) -> (table, own column, other
# column, comodel), as Odoo 17.0/18.0 declare them (mrp ``MrpBomLine.bom_product_template_attribute_value_ids``,
# product ``ProductProduct.product_template_attribute_value_ids``)
_MANY2MANY = {
    ("mrp.bom.line", "bom_product_template_attribute_value_ids"): (
        "mrp_bom_line_product_template_attribute_value_rel", "mrp_bom_line_id", "product_template_attribute_value_id",
        "product.template.attribute.value"),
    ("product.product", "product_template_attribute_value_ids"): (
        "product_variant_combination", "product_product_id", "product_template_attribute_value_id",
        "product.template.attribute.value"),
}


class OdooData:
    """The replica's rows, loaded once per (url, version), with each model's fields."""

    def __init__(self, url: str, version: str):
        self.version = version
        self.schema = odoo_schema(version)
        raw = _raw()
        self.model_table = {spec["model"]: name for name, spec in raw.items()
                            if spec["model"] and name in self.schema.metadata.tables}
        self.table_model = {t: m for m, t in self.model_table.items()}
        self.fields: dict[str, dict[str, dict]] = {}
        for model, table in self.model_table.items():
            cols = self.schema.table(table).c
            spec = raw[table]["columns"]
            self.fields[model] = {
                c.name: {"type": _field_type(spec[c.name]["type"], spec[c.name]["fk"] if c.name != "id" else None),
                         "relation": self.table_model.get(spec[c.name]["fk"]) if spec[c.name]["fk"] else False,
                         "json": spec[c.name]["type"] == "jsonb"}
                for c in cols
            }
        for (model, name), (table, _, _, comodel) in _MANY2MANY.items():  # the relation tables' m2m fields
            if model in self.fields and table in self.schema.metadata.tables:
                self.fields[model][name] = {"type": "many2many", "relation": comodel, "json": False}
        self._engine = create_engine(url)
        self._rows: dict[str, list[dict]] = {}
        self._by_id: dict[str, dict[int, dict]] = {}

    def rows(self, model: str) -> list[dict]:
        if model not in self._rows:
            table = self.schema.table(self.model_table[model])
            with self._engine.connect() as conn:
                rows = [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]
            for (m2m_model, name), (rel, own, other, _) in _MANY2MANY.items():
                if m2m_model == model and name in self.fields[model]:
                    linked: dict[int, list[int]] = {}
                    for r in self.rel(rel):
                        linked.setdefault(r[own], []).append(r[other])
                    for row in rows:
                        row[name] = sorted(linked.get(row["id"], []))
            self._rows[model] = rows
            self._by_id[model] = {r["id"]: r for r in rows}
        return self._rows[model]

    def by_id(self, model: str) -> dict[int, dict]:
        self.rows(model)
        return self._by_id[model]

    def rel(self, table: str) -> list[dict]:
        t = self.schema.table(table)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(t))]


@lru_cache(maxsize=4)
def load(url: str, version: str) -> OdooData:
    """Shared per (url, version): the demo replica is read once per test session."""
    return OdooData(url, version)


def _text(value):
    if isinstance(value, dict):
        return value.get("en_US") or next(iter(value.values()), False)
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        try:
            return _text(json.loads(value))
        except ValueError:
            return value
    return value


# --- the users' side: res.users, res.groups, ir.model.data (not replica tables) ---------------------
_VIRTUAL = {"res.users", "res.groups", "ir.model.data"}
_VIRTUAL_FIELDS = {
    "res.users": {"id": "integer", "login": "char", "name": "char", "active": "boolean", "company_id": "many2one",
                  "company_ids": "many2many", "groups_id": "many2many", "share": "boolean"},
    "res.groups": {"id": "integer", "name": "char", "full_name": "char"},
    "ir.model.data": {"id": "integer", "module": "char", "name": "char", "model": "char", "res_id": "integer",
                      "complete_name": "char"},
}
_RELATION = {("res.users", "company_id"): "res.company", ("res.users", "company_ids"): "res.company",
             ("res.users", "groups_id"): "res.groups"}
DESCRIPTIONS = {"stock.move": "Stock Move", "sale.order.line": "Sales Order Line", "account.move.line": "Journal Item"}


class Odoo:
    """One fake Odoo database: the replica's data plus configured users."""

    def __init__(self, data: OdooData, users: list[FakeUser]):
        self.data = data
        self.version = data.version
        self.users: dict[int, FakeUser] = {}
        for i, user in enumerate(users):
            user.uid = user.uid or 2 + i
            self.users[user.uid] = user
        xmlids = sorted({g for u in users for g in u.groups} | {"base.group_user", "base.group_system"})
        self.group_ids = {x: 10 + i for i, x in enumerate(xmlids)}
        self.evaluator = Evaluator(self._resolve, self._coerce, self._closure)

    # --- users --------------------------------------------------------------------------
    def login(self, login: str, password: str) -> int | bool:
        """``common.login``: the uid, or False for wrong credentials (``exp_authenticate`` swallows
        AccessDenied)."""
        try:
            return self.authenticate(login, password)
        except AccessDenied:
            return False

    def authenticate(self, login: str, password: str) -> int:
        for user in self.users.values():
            if user.login == login and user.active and user.password == password:
                return user.uid
        raise AccessDenied()

    def check(self, uid, password) -> FakeUser:
        """``res.users.check``: AccessDenied unless uid and password match an active user."""
        user = self.users.get(int(uid)) if str(uid).lstrip("-").isdigit() else None
        if user is None or not user.active or user.password != password:
            raise AccessDenied()
        return user

    def set_groups(self, login: str, groups) -> None:
        """Change a user's groups, as an Odoo admin would (new XML ids get new group ids)."""
        for x in groups:
            self.group_ids.setdefault(x, 10 + len(self.group_ids))
        next(u for u in self.users.values() if u.login == login).groups = tuple(groups)

    # --- dispatch -----------------------------------------------------------------------
    def execute_kw(self, user: FakeUser, model: str, method: str, args=None, kwargs=None):
        args, kwargs = list(args or []), dict(kwargs or {})
        if model not in self.data.model_table and model not in _VIRTUAL:
            raise UserError(f"Object {model} doesn't exist")
        if method.startswith("_"):
            raise AccessError(f"Private methods (such as {model}.{method}) cannot be called remotely.")
        context = kwargs.pop("context", None) or {}
        if method == "check_access_rights":
            return self._check_rights(user, model, *args, **kwargs)
        if method == "has_access" and self.version.startswith("18"):
            return model not in user.denied_models
        self._require(user, model)
        if model == "res.users" and method == "context_get":
            return {"lang": "en_US", "tz": "Europe/Brussels", "uid": user.uid}
        if model == "res.users" and method == "has_group":
            ids, xmlid = args if len(args) == 2 else ([user.uid], args[0] if args else kwargs.get("group_ext_id"))
            target = self.users.get(int((ids or [user.uid])[0]))
            return bool(target and xmlid in target.groups)
        handler = {"search_read": self.search_read, "search": self.search, "search_count": self.search_count,
                   "read": self.read, "read_group": self.read_group, "fields_get": self.fields_get}.get(method)
        if handler is None:
            raise AttributeError(f"The method '{method}' does not exist on the model '{model}'")
        return handler(user, model, *args, context=context, **kwargs)

    def _check_rights(self, user, model, operation="read", raise_exception=True):
        allowed = model not in user.denied_models and operation == "read"
        if not allowed and raise_exception:
            self._require(user, model)
            raise AccessError(f"You are not allowed to modify '{model}' ({model}) records.")
        return allowed

    def _require(self, user: FakeUser, model: str) -> None:
        if model in user.denied_models:
            desc = DESCRIPTIONS.get(model, model.replace(".", " ").title())
            raise AccessError(
                f"You are not allowed to access '{desc}' ({model}) records.\n\n"
                "This operation is allowed for the following groups:\n\t- Inventory/User\n\n"
                "Contact your administrator to request access if necessary.")

    # --- rows ---------------------------------------------------------------------------
    def _fields(self, model: str) -> dict[str, str]:
        if model in _VIRTUAL:
            return _VIRTUAL_FIELDS[model]
        return {name: f["type"] for name, f in self.data.fields[model].items()}

    def _relation(self, model: str, name: str):
        if model in _VIRTUAL:
            return _RELATION.get((model, name))
        f = self.data.fields[model].get(name)
        return f and f["relation"]

    def _all_rows(self, model: str) -> list[dict]:
        if model == "res.users":
            return [{"id": u.uid, "login": u.login, "name": u.name, "active": u.active, "company_id": u.company_id,
                     "company_ids": list(u.company_ids), "share": False,
                     "groups_id": sorted(self.group_ids[g] for g in u.groups)} for u in self.users.values()]
        if model == "res.groups":
            return [{"id": i, "name": x.split(".")[1].replace("group_", "").replace("_", " ").title(),
                     "full_name": x} for x, i in sorted(self.group_ids.items(), key=lambda kv: kv[1])]
        if model == "ir.model.data":
            return [{"id": 1000 + i, "module": x.split(".")[0], "name": x.split(".")[1], "model": "res.groups",
                     "res_id": i, "complete_name": x} for x, i in self.group_ids.items()]
        return self.data.rows(model)

    def _row(self, model: str, rid: int) -> dict | None:
        if model in _VIRTUAL:
            return next((r for r in self._all_rows(model) if r["id"] == rid), None)
        return self.data.by_id(model).get(rid)

    def _visible(self, user: FakeUser, model: str, row: dict) -> bool:
        if model == "res.company":
            return row["id"] in user.company_ids
        if model in _VIRTUAL:
            return True
        company = row.get("company_id")
        return company is None or company in user.company_ids

    def _records(self, user: FakeUser, model: str, domain, context) -> list[dict]:
        try:
            domain = normalize(domain or [])
        except DomainError as error:
            raise ValueError(str(error)) from None
        fields = self._fields(model)
        names = {t[0].split(".")[0] for t in domain if isinstance(t, tuple) and isinstance(t[0], str)}
        if "active" in fields and "active" not in names and context.get("active_test", True):
            domain = ["&", ("active", "=", True)] + domain
        for leaf in domain:
            if isinstance(leaf, tuple) and isinstance(leaf[0], str) and leaf[0].split(".")[0] not in fields:
                raise ValueError(f"Invalid field {model}.{leaf[0].split('.')[0]} in leaf {leaf!r}")
        return [r for r in self._all_rows(model)
                if self._visible(user, model, r) and self.evaluator.matches(model, r, domain)]

    def _resolve(self, model: str, row: dict, path: str) -> list:
        head, _, rest = path.partition(".")
        value = row.get(head)
        if isinstance(value, list):
            values = value or [None]
        else:
            value = _text(value) if head == "name" or (model not in _VIRTUAL and self.data.fields[model].get(head, {}).get("json")) else value
            values = [value]
        if not rest:
            return values
        comodel = self._relation(model, head)
        out = []
        for v in values:
            target = self._row(comodel, v) if v is not None else None
            out += self._resolve(comodel, target, rest) if target else [None]
        return out

    def _coerce(self, model: str, path: str, value):
        for part in path.split(".")[:-1]:
            model = self._relation(model, part)
        kind = self._fields(model).get(path.split(".")[-1])
        if kind in ("date", "datetime") and isinstance(value, (str, date)):
            return parse_date(value, kind)
        if kind == "float" and isinstance(value, (int, float)):
            return float(value)
        return value

    def _closure(self, model: str, path: str, ids: list[int], upward: bool) -> set[int]:
        for part in path.split("."):
            model = self._relation(model, part) or model
        rows = self._all_rows(model)
        if not rows or "parent_id" not in rows[0]:
            return set(ids)
        found, frontier = set(ids), set(ids)
        while frontier:
            if upward:
                step = {r["parent_id"] for r in rows if r["id"] in frontier and r.get("parent_id")}
            else:
                step = {r["id"] for r in rows if r.get("parent_id") in frontier}
            frontier = step - found
            found |= step
        return found

    # --- conversion ---------------------------------------------------------------------
    def display_name(self, model: str, rid: int) -> str:
        row = self._row(model, rid)
        if row is None:
            return f"{model},{rid}"
        if model == "product.product":
            tmpl = self.data.by_id("product.template").get(row.get("product_tmpl_id"), {})
            name = _text(tmpl.get("name")) or ""
            code = row.get("default_code")
            return f"[{code}] {name}" if code else name
        for key in ("complete_name", "name", "full_name", "login"):
            if row.get(key):
                return _text(row[key])
        return f"{model},{rid}"

    def _convert(self, model: str, name: str, value):
        kind = self._fields(model).get(name)
        if kind == "many2one":
            return [value, self.display_name(self._relation(model, name), value)] if value is not None else False
        if kind == "many2many":
            return list(value or [])
        if value is None:
            return 0 if kind == "integer" else 0.0 if kind == "float" else False
        if kind == "date" or isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()[:10] if isinstance(value, date) else str(value)[:10]
        if kind == "datetime" or isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else str(value)[:19]
        if kind == "float":
            return float(value)
        if model not in _VIRTUAL and self.data.fields[model].get(name, {}).get("json"):
            return _text(value)
        return value

    def _check_fields(self, model: str, fields) -> list[str]:
        known = self._fields(model)
        names = list(fields) if fields else list(known)
        for name in names:
            if name not in known and name != "display_name":
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
        return names

    def _present(self, model: str, rows: list[dict], fields) -> list[dict]:
        names = self._check_fields(model, fields)
        out = []
        for row in rows:
            record = {"id": row["id"]}
            for name in names:
                if name == "display_name":
                    record[name] = self.display_name(model, row["id"])
                elif name != "id":
                    record[name] = self._convert(model, name, row.get(name))
            out.append(record)
        return out

    def _order(self, model: str, rows: list[dict], order: str | None) -> list[dict]:
        terms = [t.split() for t in (order or "id").split(",") if t.strip()]
        for term in reversed(terms):
            name, desc = term[0], len(term) > 1 and term[1].lower() == "desc"
            if name not in self._fields(model):
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
            present = [r for r in rows if r.get(name) is not None]
            missing = [r for r in rows if r.get(name) is None]
            present.sort(key=lambda r, n=name: self._sort_key(model, n, r[n]), reverse=desc)
            rows = missing + present if desc else present + missing  # PostgreSQL: NULLS LAST on ASC
        return rows

    def _sort_key(self, model, name, value):
        if self._fields(model).get(name) == "many2one":
            return (self.display_name(self._relation(model, name), value), value)
        return _text(value) if isinstance(value, dict) else value

    # --- ORM methods --------------------------------------------------------------------
    def _ordered(self, user, model, domain, context, order) -> list[dict]:
        """The matching rows in order; the last answer is kept so paging through it stays cheap."""
        key = (user.uid, model, repr(domain), repr(sorted((context or {}).items())), order, tuple(user.groups),
               user.company_ids, user.denied_models)
        last = getattr(self, "_last", None)
        if last is None or last[0] != key:
            last = self._last = (key, self._order(model, self._records(user, model, domain, context or {}), order))
        return last[1]

    def search_read(self, user, model, domain=None, fields=None, offset=0, limit=None, order=None, context=None):
        rows = self._ordered(user, model, domain, context, order)
        rows = rows[int(offset or 0):][: limit if limit else None]
        return self._present(model, rows, fields)

    def search(self, user, model, domain=None, offset=0, limit=None, order=None, context=None):
        rows = self._order(model, self._records(user, model, domain, context or {}), order)
        return [r["id"] for r in rows[int(offset or 0):][: limit if limit else None]]

    def search_count(self, user, model, domain=None, limit=None, context=None):
        count = len(self._records(user, model, domain, context or {}))
        return min(count, limit) if limit else count

    def read(self, user, model, ids, fields=None, context=None, load="_classic_read"):
        ids = [ids] if isinstance(ids, int) else list(ids)
        rows = []
        for rid in ids:
            row = self._row(model, rid)
            if row is None:
                continue  # read() of a deleted record is silently skipped
            if not self._visible(user, model, row):
                raise AccessError(
                    f"Due to security restrictions, you are not allowed to access '{model}' ({model}) records.")
            rows.append(row)
        return self._present(model, rows, fields)

    def fields_get(self, user, model, allfields=None, attributes=None, context=None):
        out = {}
        for name, kind in self._fields(model).items():
            if allfields and name not in allfields:
                continue
            spec = {"type": kind, "string": name.replace("_", " ").title(), "store": True, "readonly": name == "id",
                    "searchable": True, "sortable": True}
            relation = self._relation(model, name)
            if relation:
                spec["relation"] = relation
            out[name] = {k: v for k, v in spec.items() if not attributes or k in attributes}
        return out

    def read_group(self, user, model, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True,
                   context=None):
        groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
        kinds = self._fields(model)
        specs = []
        for spec in groupby:
            name, _, gran = spec.partition(":")
            if name not in kinds:
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
            if kinds[name] in ("date", "datetime"):
                gran = gran or "month"
                if gran not in _GRANULARITY:
                    raise ValueError(f"Invalid granularity {gran!r}")
            specs.append((spec, name, gran))
        used = specs[:1] if lazy else specs
        aggregates = self._aggregates(model, fields, {n for _, n, _ in specs})
        rows = self._records(user, model, domain, context or {})
        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            key = tuple(self._bucket(row.get(name), gran) if gran else row.get(name) for _, name, gran in used)
            groups.setdefault(key, []).append(row)
        keys = sorted(groups, key=lambda k: tuple(self._group_sort(model, n, v) for (_, n, _), v in zip(used, k)))
        out = []
        for key in keys:
            members = groups[key]
            entry: dict = {}
            terms = []
            for (spec, name, gran), value in zip(used, key):
                entry[spec], term, span = self._group_value(model, name, gran, kinds[name], value)
                terms.append(term)
                if span:
                    entry.setdefault("__range", {})[spec] = span
            if lazy:
                entry[f"{used[0][1]}_count"] = len(members)
            else:
                entry["__count"] = len(members)
            for alias, agg, fname in aggregates:
                entry[alias] = self._aggregate(agg, [r.get(fname) for r in members], kinds.get(fname))
            entry["__domain"] = AND([list(domain or [])] + terms)
            if lazy and len(specs) > 1:
                entry["__context"] = {"group_by": [s for s, _, _ in specs[1:]]}
            out.append(entry)
        return out[int(offset or 0):][: limit if limit else None]

    def _aggregates(self, model, fields, grouped) -> list[tuple[str, str, str]]:
        kinds = self._fields(model)
        out = []
        for spec in fields or []:
            if spec == "__count":
                continue
            alias, _, rest = spec.partition(":")
            if rest and "(" in rest:
                agg, fname = rest.rstrip(")").split("(")
            elif rest:
                agg, fname = rest, alias
            else:
                fname = alias
                if fname in grouped or kinds.get(fname) not in _NUMERIC:
                    if fname not in kinds:
                        raise ValueError(f"Invalid field {fname!r} on model {model!r}")
                    continue
                agg = "sum"
            if fname not in kinds:
                raise ValueError(f"Invalid field {fname!r} on model {model!r}")
            out.append((alias, agg, fname))
        return out

    @staticmethod
    def _aggregate(agg: str, values: list, kind):
        present = [v for v in values if v is not None]
        if agg == "count":
            return len(present)
        if agg == "count_distinct":
            return len(set(present))
        if agg == "array_agg":
            return values
        if not present:
            return None
        if kind == "float" and agg in ("sum", "min", "max"):
            present = [float(v) for v in present]
        if agg == "sum":
            return sum(present)
        if agg == "avg":
            return sum(present) / len(present)
        if agg == "min":
            return min(present)
        if agg == "max":
            return max(present)
        if agg == "bool_and":
            return all(present)
        if agg == "bool_or":
            return any(present)
        raise ValueError(f"Invalid aggregation function {agg!r}.")

    @staticmethod
    def _bucket(value, gran: str):
        if value is None:
            return None
        day = value.date() if isinstance(value, datetime) else value
        if gran == "day":
            return day
        if gran == "week":
            return day - timedelta(days=day.weekday())  # PostgreSQL date_trunc('week'): Monday
        if gran == "month":
            return day.replace(day=1)
        if gran == "quarter":
            return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return date(day.year, 1, 1)

    @staticmethod
    def _next(start: date, gran: str) -> date:
        if gran == "day":
            return start + timedelta(days=1)
        if gran == "week":
            return start + timedelta(days=7)
        months = {"month": 1, "quarter": 3, "year": 12}[gran]
        month = start.month - 1 + months
        return date(start.year + month // 12, month % 12 + 1, 1)

    def _group_sort(self, model, name, value):
        if value is None:
            return (1, "")
        if self._fields(model).get(name) == "many2one":
            return (0, (self.display_name(self._relation(model, name), value), value))
        return (0, _text(value) if isinstance(value, dict) else value)

    def _group_value(self, model, name, gran, kind, value):
        if value is None:
            return False, [(name, "=", False)], None
        if kind == "many2one":
            return [value, self.display_name(self._relation(model, name), value)], [(name, "=", value)], None
        if gran:
            end = self._next(value, gran)
            fmt = (lambda d: d.isoformat()) if kind == "date" else (lambda d: f"{d.isoformat()} 00:00:00")
            label = {"day": value.strftime("%d %b %Y"), "week": f"W{value.isocalendar()[1]} {value.isocalendar()[0]}",
                     "month": value.strftime("%B %Y"), "quarter": f"Q{(value.month - 1) // 3 + 1} {value.year}",
                     "year": str(value.year)}[gran]
            span = {"from": fmt(value), "to": fmt(end)}
            return label, ["&", (name, ">=", span["from"]), (name, "<", span["to"])], span
        return self._convert(model, name, value), [(name, "=", value)], None
