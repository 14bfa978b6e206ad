"""received(L, T) / delivered(L, T) of KPIS.md v2 in plain Python: the twin of
``data_access.queries.supply_qty.line_quantities`` for the API path, rule for rule (see that module's
docstring for Odoo's source of each rule; each function here names the SQL piece it mirrors).

Pure: ``line_quantities(lines, side, data, ctx_end, major=..., kits=...)`` takes the lines and the rows
read from Odoo (``KitData``) and returns, per line id, the same columns as the SQL subquery. Floats are
computed in the SQL's order of operations (the same doubles), NULLs propagate as the SQL's do.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from data_access.queries.supply_qty import MAX_KIT_DEPTH, SIDES

__all__ = ["KitData", "line_quantities", "half_up", "round_up"]

_EPS = 1e-9  # supply_qty._EPS


def half_up(x, rounding):
    """``supply_qty.half_up``: Odoo's ``float_round`` HALF-UP; as is when the rounding is unknown."""
    if x is None:
        return None
    if rounding is None or rounding <= 0:
        return float(x)
    r = float(rounding)
    if x >= 0:
        return math.floor(float(x) / r + 0.5 + _EPS) * r
    return -math.floor(-float(x) / r + 0.5 + _EPS) * r


def round_up(x, rounding):
    """``supply_qty.round_up``: Odoo's ``float_round`` UP (away from zero)."""
    if x is None:
        return None
    if rounding is None or rounding <= 0:
        return float(x)
    r = float(rounding)
    if x >= 0:
        return math.ceil(float(x) / r - _EPS) * r
    return -math.ceil(-float(x) / r - _EPS) * r


@dataclass
class KitData:
    """What the computation reads, keyed by id (missing rows behave as the SQL's joins: an inner join drops,
    an outer join gives NULLs). ``moves``: per line id, its stock moves of any state and date."""

    moves: dict[int, list[dict]]
    usage: dict[int, str | None]                      # stock.location id -> usage
    origins: dict[int, dict]                          # returned-from stock.move id -> its locations
    uoms: dict[int, dict]                             # uom.uom id -> {factor, rounding}
    product_tmpl: dict[int, int]                      # product.product id -> template id
    templates: dict[int, dict]                        # product.template id -> {type, uom_id}
    boms: dict[int, dict] = field(default_factory=dict)         # kit mrp.bom id -> row
    bom_lines: dict[int, list[dict]] = field(default_factory=dict)  # kit mrp.bom id -> its lines, id order
    line_values: dict[int, set[int]] = field(default_factory=dict)  # mrp.bom.line id -> restricted-to value ids
    value_attribute: dict[int, int | None] = field(default_factory=dict)  # value id -> attribute id
    attribute_kind: dict[int, str | None] = field(default_factory=dict)   # attribute id -> create_variant
    variant_values: dict[int, set[int]] = field(default_factory=dict)     # product id -> its value ids


def _uom(data: KitData, uid):
    return data.uoms.get(uid) if uid is not None else None


def convert(qty, from_id, to_id, data: KitData):
    """``supply_qty.convert``: ``qty / from.factor * to.factor``; as is for the same or an unknown unit."""
    if qty is None:
        return None
    f, t = _uom(data, from_id), _uom(data, to_id)
    if f is None or t is None or from_id == to_id or not f.get("factor") or not t.get("factor"):
        # as the SQL does for a NULL factor (the API reads it 0.0; Odoo forbids a 0 ratio)
        return float(qty)
    return float(qty) / float(f["factor"]) * float(t["factor"])


def convert_rounded(qty, from_id, to_id, how, data: KitData):
    """``supply_qty.convert_rounded``: converted and rounded to ``to``'s rounding when the units differ."""
    if qty is None:
        return None
    f, t = _uom(data, from_id), _uom(data, to_id)
    if f is None or t is None or from_id == to_id:
        return float(qty)
    return how(convert(qty, from_id, to_id, data), t.get("rounding"))


def _refund(m) -> bool:
    return bool(m.get("to_refund"))  # NULL (False over the API) is false, as the SQL's coalesce


def _plain_sign(side: str, m, src, dst, osrc, odst) -> int:
    """``supply_qty._plain_sign``: sale_stock ``_get_outgoing_incoming_moves`` / purchase_stock
    ``_compute_qty_received``."""
    returned = m.get("origin_returned_move_id") is not None
    if side == "sale":
        if dst == "customer":
            return 1 if (not returned or _refund(m)) else 0
        if src == "customer":
            return -1 if _refund(m) else 0
        return 0
    if dst == "supplier":
        return -1 if (not returned or _refund(m)) else 0
    if osrc == "supplier" and odst == "customer" and not (src == "customer" and dst == "supplier"):
        return 0  # a dropship returned into stock
    if odst == "supplier":
        return 1 if _refund(m) else 0  # sent again after a return to the vendor
    return 1


def _unrefunded_return(side: str, m, src, dst) -> bool:
    if side == "sale":
        return src == "customer" and not _refund(m)
    return dst == "supplier" and m.get("origin_returned_move_id") is not None and not _refund(m)


def _kit_sign(side: str, m, src, dst) -> int:
    """``supply_qty._kit_sign``: the move filters sale_mrp / purchase_mrp give ``_compute_kit_quantities``."""
    fwd_ok = m.get("origin_returned_move_id") is None or _refund(m)
    if side == "sale":
        if dst == "customer" and fwd_ok:
            return 1
        return -1 if src == "customer" and _refund(m) else 0
    if src == "supplier" and fwd_ok:
        return 1
    return -1 if dst == "supplier" and _refund(m) else 0


def _done_moves(line: dict, data: KitData, ctx_end: datetime):
    """``supply_qty._moves``: the line's done moves before the end of D whose two locations exist."""
    for m in data.moves.get(line["line_id"], ()):
        if m.get("state") != "done" or m.get("date") is None or not m["date"] < ctx_end:
            continue
        if m.get("location_id") not in data.usage or m.get("location_dest_id") not in data.usage:
            continue
        yield m, data.usage[m["location_id"]], data.usage[m["location_dest_id"]]


def _add(total, value):
    return total if value is None else total + value  # SQL SUM skips NULLs


def plain_sums(line: dict, side: str, data: KitData, ctx_end: datetime) -> tuple[float, float, float]:
    """``supply_qty._plain_sums`` for one line: (on time, by the end of D, unrefunded returns)."""
    on_time = by_end = unref = 0.0
    for m, src, dst in _done_moves(line, data, ctx_end):
        if line["product_id"] is None or m.get("product_id") != line["product_id"]:
            continue
        if side == "sale" and m.get("scrapped"):
            continue
        orig = data.origins.get(m.get("origin_returned_move_id")) or {}
        osrc, odst = data.usage.get(orig.get("location_id")), data.usage.get(orig.get("location_dest_id"))
        qty = convert_rounded(m.get("quantity"), m.get("product_uom"), line.get("line_uom"), half_up, data)
        signed = None if qty is None else _plain_sign(side, m, src, dst, osrc, odst) * qty
        by_end = _add(by_end, signed)
        if m["date"] < line["day_end"]:
            on_time = _add(on_time, signed)
        if _unrefunded_return(side, m, src, dst):
            unref = _add(unref, qty)
    return on_time, by_end, unref


# --- kits ---------------------------------------------------------------------------------------------

def _for_product(bom: dict, product_id, tmpl_id) -> bool:
    return bom.get("product_id") == product_id if bom.get("product_id") is not None else \
        (tmpl_id is not None and bom.get("product_tmpl_id") == tmpl_id)


def _find_order(major: int):
    """``supply_qty._bom_find_order``: sequence (NULL last), the product tie (17: template-wide first,
    18: the variant's own first), id."""
    template_first = major < 18

    def key(bom):
        seq = bom.get("sequence")
        wide = bom.get("product_id") is None
        tie = (0 if template_first else 1) if wide else (1 if template_first else 0)
        return (seq is None, seq if seq is not None else 0, tie, bom["id"])
    return key


def _kit_candidates(data: KitData, product_id):
    """Active kit BoMs of a non-service product, for it or its template (``_kit_bom_search``)."""
    tmpl = data.product_tmpl.get(product_id)
    t = data.templates.get(tmpl)
    if tmpl is None or t is None or t.get("type") is None or t.get("type") == "service":
        return []
    return [b for b in data.boms.values()
            if b.get("type") == "phantom" and b.get("active") and _for_product(b, product_id, tmpl)]


def _chosen_bom(line: dict, side: str, data: KitData, major: int, line_by_id: dict):
    """``supply_qty._kit_lines``' BoM choice: a sale line's moves' kit BoM, else ``_bom_find``."""
    pid = line["product_id"]
    moves = data.moves.get(line["line_id"], ())
    if side == "sale" and pid in data.product_tmpl:
        tmpl = data.product_tmpl[pid]
        named = set()
        for m in moves:
            if m.get("state") in (None, "cancel") or m.get("bom_line_id") is None:
                continue
            bl = line_by_id.get(m["bom_line_id"])
            bom = data.boms.get(bl["bom_id"]) if bl else None
            if bom and bom.get("type") == "phantom" and _for_product(bom, pid, tmpl):
                named.add(bom["id"])
        if named:
            return min(named)
    if side == "purchase" and not moves:  # purchase_mrp: only a line with moves (any state)
        return None
    found = [b for b in _kit_candidates(data, pid)
             if b.get("company_id") is None or b.get("company_id") == line.get("company_id")]
    return min(found, key=_find_order(major))["id"] if found else None


def _sub_bom(top: dict, product_id, data: KitData, major: int):
    """``supply_qty._sub_kits``: the kit BoM ``_bom_find`` gives a component in the top BoM's company
    and picking type."""
    found = [s for s in _kit_candidates(data, product_id)
             if (top.get("company_id") is None or s.get("company_id") is None or s["company_id"] == top["company_id"])
             and (top.get("picking_type_id") is None or s.get("picking_type_id") is None
                  or s["picking_type_id"] == top["picking_type_id"])]
    return min(found, key=_find_order(major))["id"] if found else None


def _skip_line(bl: dict, variant, data: KitData, major: int) -> bool:
    """``supply_qty._skip_line`` (mrp ``_skip_bom_line``): a line restricted to attribute values applies
    only when the variant has one of them for each attribute; 18 also skips a no_variant attribute's."""
    values = [v for v in data.line_values.get(bl["id"], ()) if v in data.value_attribute]
    have = data.variant_values.get(variant, set())
    for v in values:
        attr = data.value_attribute[v]
        if major >= 18 and (data.attribute_kind.get(attr) or "always") == "no_variant":
            return True
        if attr is None or not any(w in have and data.value_attribute[w] == attr for w in values):
            return True
    return False


def _leaves(line: dict, bom_id: int, n, data: KitData, major: int):
    """``supply_qty._explode`` + ``_kit_sums``' leaves: (bom_line_id, need, component rounding) per leaf."""
    top = data.boms[bom_id]
    subs: dict = {}

    def sub(pid):
        if pid not in subs:
            subs[pid] = _sub_bom(top, pid, data, major)
        return subs[pid]

    rows = []
    stack = [(bl, None if n is None else n * float(bl["product_qty"] or 0.0), 1)
             for bl in data.bom_lines.get(bom_id, ()) if not _skip_line(bl, line["product_id"], data, major)]
    while stack:
        bl, qty, depth = stack.pop(0)
        sb_id = sub(bl.get("product_id"))
        if sb_id is not None:  # a nested kit: not a leaf; its lines replace it
            if depth >= MAX_KIT_DEPTH:
                continue
            sb = data.boms[sb_id]
            bq = float(sb["product_qty"]) if sb.get("product_qty") else None
            passed = None if qty is None or bq is None else \
                convert_rounded(qty / bq, bl.get("product_uom_id"), sb.get("product_uom_id"), round_up, data)
            stack += [(child, None if passed is None else passed * float(child["product_qty"] or 0.0), depth + 1)
                      for child in data.bom_lines.get(sb_id, ())
                      if not _skip_line(child, bl.get("product_id"), data, major)]
            continue
        rows.append((bl, qty))
    return rows


def _kit_counts(line: dict, side: str, bom_id: int, data: KitData, ctx_end: datetime, major: int):
    """``supply_qty._kit_sums`` for one kit line: (kits on time, kits by the end of D), in the BoM's unit."""
    kb = data.boms[bom_id]
    bom_qty = float(kb["product_qty"]) if kb.get("product_qty") is not None else None
    in_bom_unit = convert_rounded(line.get("order_qty"), line.get("line_uom"), kb.get("product_uom_id"), round_up, data)
    n = None if in_bom_unit is None or not bom_qty else in_bom_unit / bom_qty
    comp: dict[int, list] = {}  # bom_line_id -> [done on time, done by end, moves on time, moves by end]
    for m, src, dst in _done_moves(line, data, ctx_end):
        if m.get("bom_line_id") is None or m.get("scrapped"):
            continue
        tmpl = data.product_tmpl.get(m.get("product_id"))
        if tmpl is None or tmpl not in data.templates:
            continue
        qty = convert_rounded(m.get("quantity"), m.get("product_uom"), data.templates[tmpl].get("uom_id"), half_up, data)
        signed = None if qty is None else _kit_sign(side, m, src, dst) * qty
        acc = comp.setdefault(m["bom_line_id"], [0.0, 0.0, 0, 0])
        acc[1] = _add(acc[1], signed)
        acc[3] += 1
        if m["date"] < line["day_end"]:
            acc[0] = _add(acc[0], signed)
            acc[2] += 1
    ratios: list[list] = [[], []]
    missing = [0, 0]
    any_leaf = False
    for bl, qty in _leaves(line, bom_id, n, data, major):
        pid = bl.get("product_id")
        tmpl = data.product_tmpl.get(pid)
        t = data.templates.get(tmpl)
        if tmpl is None or t is None or t.get("type") is None or t.get("type") == "service":
            continue
        lu = _uom(data, bl.get("product_uom_id"))
        qty_r = round_up(qty, lu.get("rounding") if lu else None)
        if qty_r is None or not qty_r > _EPS or n is None or not n > 0:
            continue
        need = convert(qty_r / n / bom_qty, bl.get("product_uom_id"), t.get("uom_id"), data)
        if need is None or need == 0:
            continue
        any_leaf = True
        cu = _uom(data, t.get("uom_id"))
        acc = comp.get(bl["id"], [0.0, 0.0, 0, 0])
        for i in (0, 1):
            if acc[2 + i] == 0:
                missing[i] += 1
            else:
                ratios[i].append(half_up(acc[i] / need, cu.get("rounding") if cu else None))
    out = []
    for i in (0, 1):
        r = min(ratios[i]) if ratios[i] else None
        out.append(0.0 if (not any_leaf or missing[i] > 0 or r is None) else float(math.floor(r + _EPS)))
    return kb.get("product_uom_id"), out[0], out[1]


def line_quantities(lines: list[dict], side: str, data: KitData, ctx_end: datetime, *, major: int,
                    kits: bool) -> dict[int, dict]:
    """``supply_qty.line_quantities`` per line id: ``on_time_qty, by_end_qty, kit_bom_id, kits_on_time,
    kits_by_end, unrefunded_qty``. ``lines``: dicts with ``line_id, product_id, line_uom, company_id,
    day_end, order_qty``."""
    if side not in SIDES:
        raise ValueError(f"unknown order side {side!r}")
    line_by_id = {bl["id"]: bl for bls in data.bom_lines.values() for bl in bls}
    out = {}
    for line in lines:
        p_on, p_end, unref = plain_sums(line, side, data, ctx_end)
        row = {"on_time_qty": p_on, "by_end_qty": p_end, "kit_bom_id": None, "kits_on_time": None,
               "kits_by_end": None, "unrefunded_qty": unref}
        bom_id = _chosen_bom(line, side, data, major, line_by_id) if kits else None
        if bom_id is not None:
            bom_uom, k_on, k_end = _kit_counts(line, side, bom_id, data, ctx_end, major)
            if side == "sale":
                row["on_time_qty"] = convert_rounded(k_on, bom_uom, line.get("line_uom"), round_up, data) + p_on
                row["by_end_qty"] = convert_rounded(k_end, bom_uom, line.get("line_uom"), round_up, data) + p_end
            else:  # a bought kit's received quantity stays in the BoM's unit, as Odoo stores it
                row["on_time_qty"], row["by_end_qty"] = k_on, k_end
            row.update(kit_bom_id=bom_id, kits_on_time=k_on, kits_by_end=k_end)
        out[line["line_id"]] = row
    return out
