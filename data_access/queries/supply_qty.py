"""received(L, T) / delivered(L, T) of KPIS.md v2: the quantity Odoo shows in
``purchase_order_line.qty_received`` / ``sale_order_line.qty_delivered``, recomputed from the line's
done stock moves dated before an instant T, for every line of a lines CTE in ONE grouped subquery.

``line_quantities`` answers two instants per line at once: the end of its planned / promise day
(``day_end``, for OTIF) and the end of D (``ctx.end``, for the late-line counts and the drills).

What Odoo does, and so what this module does (17.0 and 18.0 alike unless said):
- sale_stock ``SaleOrderLine._get_outgoing_incoming_moves``: moves of the line's product, not
  scrapped; a move to a ``customer`` location counts "if not move.origin_returned_move_id or
  (move.origin_returned_move_id and move.to_refund)"; a move back from a customer is subtracted only
  "and move.to_refund". So a return without "Update quantities on SO/PO" (stock_account's
  ``to_refund``, NULL read as false) leaves the line delivered, and goods sent again after it count
  once more (Odoo can show more delivered than ordered).
- purchase_stock ``PurchaseOrderLine._compute_qty_received``: moves of the line's product; a move to a
  ``supplier`` location is subtracted "if not move.origin_returned_move_id or move.to_refund"; a move
  whose origin is a dropship (supplier -> customer) returned into stock is skipped; goods sent again
  after a return to the vendor are skipped "if not move.to_refund"; every other move adds.
- Every move is converted to the line's unit one by one, rounded half-up to that unit's rounding
  (``uom.uom._compute_quantity(..., rounding_method='HALF-UP')``), then summed.
- Kits (``mrp_bom.type = 'phantom'``): mrp ``StockMove.action_explode`` replaced the kit's move by
  component moves that keep the order line and carry ``bom_line_id``. sale_mrp / purchase_mrp count
  whole kits with mrp ``StockMove._compute_kit_quantities``: ``kit_qty = kit_qty /
  kit_bom.product_qty``; ``explode``; per component line (service components and zero quantities
  skipped) ``qty_per_kit = bom_line.product_uom_id._compute_quantity(qty / original_qty /
  kit_bom.product_qty, component uom, round=False)``; ratio = (incoming - outgoing) / qty_per_kit
  rounded (half-up) to the component unit's rounding; "the lowest one is kept" and floored ("a
  'partial kit' doesn't make sense"); a component with no move gives 0 kits.
  * Which BoM: for a sale line the kit BoM its not-cancelled moves name (for the line's product or
    its template), else ``_bom_find``; for a purchase line that has moves, ``_bom_find`` (purchase_mrp
    does not look at the moves' BoM). ``MrpBom._bom_find`` searches active kit BoMs of the product or
    its template in the company (or none) ordered ``sequence, product_id, id``: ordering on the
    many2one ``product_id`` sorts by product.product's own order, under which a template-wide BoM
    (product_id NULL) comes first in 17 (``priority desc``: NULL first) and the variant's own BoM
    first in 18 (``is_favorite desc`` read false for both, then ``default_code, name``: NULL last).
    Only these two kinds of BoM compete for one product, so the tie is decided by that rule alone.
  * Nested kits: ``MrpBom.explode`` replaces a component that has a kit BoM of its own (``_bom_find``
    in the top BoM's company, with its picking type) by that BoM's lines; the quantity passed down is
    ``parent_line_uom._compute_quantity(line_qty / sub_bom.product_qty, sub_bom uom)`` (rounded UP to
    the sub BoM unit), and a leaf line's quantity is rounded UP to its own unit. This module unrolls
    the nesting with a RECURSIVE CTE (PostgreSQL and SQLite both have WITH RECURSIVE), bounded at
    ``MAX_KIT_DEPTH`` levels: Odoo refuses a BoM cycle when it is saved, the bound only guards a
    replica whose data would loop.
  * ``_skip_bom_line``: a BoM line restricted to attribute values applies only when the variant has,
    for each attribute among them, one of the values (``product._match_all_variant_values``); 18 also
    skips a line restricted to a ``no_variant`` attribute's value (no "never" values on an order line).
  * Sale: delivered = kit count in the BoM's unit converted to the line's unit (rounded up), plus the
    plain rule over moves of the kit product itself. Purchase: received = the kit count as is (Odoo
    stores it without converting it from the BoM's unit to the line's: KPIS.md keeps that quirk).
Not covered (KPIS.md's rarer kit cases): a dropshipped kit sold (all or nothing) and a sale line whose
moves name only other products' kit BoMs; such lines are counted by the component rule above, which
gives 0 kits when no component move is done.
"""
from __future__ import annotations

from sqlalchemy import Float, and_, case, cast, exists, false, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Subquery

from data_access import sqlfuncs

__all__ = ["line_quantities", "kits_enabled", "MAX_KIT_DEPTH", "SIDES"]

SIDES = ("sale", "purchase")
MAX_KIT_DEPTH = 8
_EPS = 1e-9  # on a value already divided by the rounding: Odoo's float_round adds a similar epsilon


def kits_enabled(conn) -> bool:
    """True when the replica has mrp installed (kit BoMs exist): read from the connection's Odoo info
    that ``Replica.run`` attaches, else from ``ir_module_module``."""
    info = conn.info.get("odoo_info")
    if info is None:
        from data_access.odoo_meta import detect

        info = detect(conn)
        conn.info["odoo_info"] = info
    return info.has("mrp")


def _f(x) -> ColumnElement:
    return cast(x, Float)


def half_up(x, rounding, dialect: str) -> ColumnElement:
    """``x`` rounded half away from zero to a multiple of ``rounding`` (Odoo's ``float_round`` HALF-UP);
    as is when the rounding is unknown."""
    r = _f(rounding)
    n = _f(x) / r
    return case((or_(rounding.is_(None), rounding <= 0), _f(x)),
                (x >= 0, sqlfuncs.floor_(n + 0.5 + _EPS, dialect) * r),
                else_=-sqlfuncs.floor_(-n + 0.5 + _EPS, dialect) * r)


def round_up(x, rounding, dialect: str) -> ColumnElement:
    """``x`` rounded away from zero to a multiple of ``rounding`` (Odoo's ``float_round`` UP)."""
    r = _f(rounding)
    n = _f(x) / r
    return case((or_(rounding.is_(None), rounding <= 0), _f(x)),
                (x >= 0, sqlfuncs.ceil_(n - _EPS, dialect) * r),
                else_=-sqlfuncs.ceil_(-n - _EPS, dialect) * r)


def convert(qty, from_u, to_u) -> ColumnElement:
    """``qty`` from unit row ``from_u`` to unit row ``to_u`` (``qty / from.factor * to.factor``), without
    rounding; as is for the same or an unknown unit."""
    same = or_(from_u.c.id == to_u.c.id, from_u.c.id.is_(None), to_u.c.id.is_(None),
               from_u.c.factor.is_(None), to_u.c.factor.is_(None), from_u.c.factor == 0)
    return case((same, _f(qty)), else_=_f(qty) / _f(from_u.c.factor) * _f(to_u.c.factor))


def convert_rounded(qty, from_u, to_u, how, dialect: str) -> ColumnElement:
    """``qty`` converted and rounded (``how``: ``half_up`` / ``round_up``) to ``to_u``'s rounding when the
    units differ (Odoo rounds a same-unit quantity too; it is already a multiple of the rounding)."""
    same = or_(from_u.c.id == to_u.c.id, from_u.c.id.is_(None), to_u.c.id.is_(None))
    return case((same, _f(qty)), else_=how(convert(qty, from_u, to_u), to_u.c.rounding, dialect))


def _refund(m) -> ColumnElement:
    return func.coalesce(m.c.to_refund, false()).is_(True)


def _plain_sign(side: str, m, src, dst, osrc, odst) -> ColumnElement:
    """+1 / -1 / 0: how a move of the line's own product counts (the tables of KPIS.md v2)."""
    returned = m.c.origin_returned_move_id.is_not(None)
    if side == "sale":
        return case((dst.c.usage == "customer", case((or_(~returned, _refund(m)), 1), else_=0)),
                    (src.c.usage == "customer", case((_refund(m), -1), else_=0)),
                    else_=0)
    return case((dst.c.usage == "supplier", case((or_(~returned, _refund(m)), -1), else_=0)),
                (and_(osrc.c.usage == "supplier", odst.c.usage == "customer",
                      ~and_(src.c.usage == "customer", dst.c.usage == "supplier")), 0),
                (odst.c.usage == "supplier", case((_refund(m), 1), else_=0)),
                else_=1)


def _unrefunded_return(side: str, m, src, dst) -> ColumnElement:
    """A return that did not update the order (no ``to_refund``): shown in the drills."""
    returned = m.c.origin_returned_move_id.is_not(None)
    if side == "sale":
        return and_(src.c.usage == "customer", ~_refund(m))
    return and_(dst.c.usage == "supplier", returned, ~_refund(m))


def _kit_sign(side: str, m, src, dst) -> ColumnElement:
    """+1 / -1 / 0 for a component move (the filters sale_mrp / purchase_mrp give
    ``_compute_kit_quantities``)."""
    fwd_ok = or_(m.c.origin_returned_move_id.is_(None), _refund(m))
    if side == "sale":
        return case((and_(dst.c.usage == "customer", fwd_ok), 1),
                    (and_(src.c.usage == "customer", _refund(m)), -1), else_=0)
    return case((and_(src.c.usage == "supplier", fwd_ok), 1),
                (and_(dst.c.usage == "supplier", _refund(m)), -1), else_=0)


def _moves(schema, lines, link: str, ctx, *, where=()):
    """The joins every move sum needs: line -> done move before the end of D -> its locations."""
    m = schema.stock_move
    src, dst = schema.stock_location.alias("src"), schema.stock_location.alias("dst")
    lowest = select(func.min(lines.c.line_id)).scalar_subquery()
    frm = (lines.join(m, m.c[link] == lines.c.line_id)
           .join(src, src.c.id == m.c.location_id).join(dst, dst.c.id == m.c.location_dest_id))
    conds = [m.c.state == "done", m.c.date < ctx.end, m.c[link] >= lowest, *where]
    return m, src, dst, frm, conds


def _plain_sums(schema, lines, side: str, link: str, ctx, dialect: str) -> Subquery:
    """Per line: on-time / by-the-end-of-D net quantity of the moves of its own product, in its unit,
    and the quantity of returns that did not update the order (by the end of D)."""
    m, src, dst, frm, conds = _moves(schema, lines, link, ctx, where=())
    orig = schema.stock_move.alias("orig")
    osrc, odst = schema.stock_location.alias("osrc"), schema.stock_location.alias("odst")
    mu, lu = schema.uom_uom.alias("mu"), schema.uom_uom.alias("lu")
    frm = (frm.outerjoin(orig, orig.c.id == m.c.origin_returned_move_id)
           .outerjoin(osrc, osrc.c.id == orig.c.location_id).outerjoin(odst, odst.c.id == orig.c.location_dest_id)
           .outerjoin(mu, mu.c.id == m.c.product_uom).outerjoin(lu, lu.c.id == lines.c.line_uom))
    qty = convert_rounded(m.c.quantity, mu, lu, half_up, dialect)
    signed = _plain_sign(side, m, src, dst, osrc, odst) * qty
    conds.append(m.c.product_id == lines.c.product_id)
    if side == "sale":
        conds.append(func.coalesce(m.c.scrapped, false()).is_(False))
    return (
        select(lines.c.line_id,
               func.sum(case((m.c.date < lines.c.day_end, signed), else_=0)).label("on_time_qty"),
               func.sum(signed).label("by_end_qty"),
               func.sum(case((_unrefunded_return(side, m, src, dst), qty), else_=0)).label("unrefunded_qty"))
        .select_from(frm).where(*conds).group_by(lines.c.line_id)
        .subquery(f"plain_{side}")
    )


# --- kits --------------------------------------------------------------------------------------------

def _for_product(b, product_id, tmpl_id) -> ColumnElement:
    """The BoM ``b`` is for this product: its variant BoM, or a template-wide one."""
    return or_(b.c.product_id == product_id, and_(b.c.product_id.is_(None), b.c.product_tmpl_id == tmpl_id))


def _bom_find_order(schema, b) -> list:
    """``_bom_find``'s order among one product's kit BoMs: ``sequence`` (NULL last), then the product
    tie (17: template-wide first; 18: the variant's own first), then ``id``."""
    template_first = schema.major < 18
    tie = case((b.c.product_id.is_(None), 0 if template_first else 1), else_=1 if template_first else 0)
    return [b.c.sequence.asc().nulls_last(), tie, b.c.id]


def _kit_bom_search(schema, b):
    """Conditions every ``_bom_find`` candidate meets: an active kit BoM."""
    return [b.c.type == "phantom", func.coalesce(b.c.active, false()).is_(True)]


def _skip_line(schema, bl, variant) -> ColumnElement:
    """mrp ``MrpBomLine._skip_bom_line`` for ``variant``: True when the BoM line does not apply to it."""
    rel, ptav = schema.mrp_bom_line_product_template_attribute_value_rel, schema.product_template_attribute_value
    pvc, attr = schema.product_variant_combination, schema.product_attribute
    r, a = rel.alias("r_skip"), ptav.alias("a_skip")
    r2, a2, v2 = rel.alias("r_has"), ptav.alias("a_has"), pvc.alias("v_has")
    has_one = exists(select(literal(1)).select_from(
        r2.join(a2, a2.c.id == r2.c.product_template_attribute_value_id)
        .join(v2, and_(v2.c.product_template_attribute_value_id == r2.c.product_template_attribute_value_id,
                       v2.c.product_product_id == variant)))
        .where(r2.c.mrp_bom_line_id == bl.c.id, a2.c.attribute_id == a.c.attribute_id))
    frm = r.join(a, a.c.id == r.c.product_template_attribute_value_id)
    if schema.major >= 18:  # 18: a value of a no_variant attribute can only match "never" values: none here
        at = attr.alias("at_skip")
        frm = frm.outerjoin(at, at.c.id == a.c.attribute_id)
        no_variant = func.coalesce(at.c.create_variant, "always") == "no_variant"
        return exists(select(literal(1)).select_from(frm)
                      .where(r.c.mrp_bom_line_id == bl.c.id, or_(no_variant, ~has_one)))
    return exists(select(literal(1)).select_from(frm).where(r.c.mrp_bom_line_id == bl.c.id, ~has_one))


def _kit_lines(schema, lines, side: str, link: str, dialect: str):
    """CTE: the kit lines (``line_id, bom_id, n``): n = the line's quantity in the BoM's unit (rounded
    up) / the BoM's quantity, the ``kit_qty`` ``explode`` gets."""
    pp, pt = schema.product_product, schema.product_template
    b = schema.mrp_bom.alias("bf")
    found = (
        select(lines.c.line_id, b.c.id.label("bom_id"),
               func.row_number().over(partition_by=lines.c.line_id, order_by=_bom_find_order(schema, b)).label("rn"))
        .select_from(lines.join(pp, pp.c.id == lines.c.product_id).join(pt, pt.c.id == pp.c.product_tmpl_id)
                     .join(b, _for_product(b, pp.c.id, pt.c.id)))
        .where(*_kit_bom_search(schema, b), pt.c.type != "service",
               or_(b.c.company_id.is_(None), b.c.company_id == lines.c.company_id))
    )
    m = schema.stock_move
    if side == "purchase":  # purchase_mrp: only a line with moves (any state) is counted as a kit
        found = found.where(exists(select(literal(1)).where(m.c[link] == lines.c.line_id)))
    found = found.cte(f"bom_found_{side}")
    chosen = select(found.c.line_id, found.c.bom_id).where(found.c.rn == 1)
    if side == "sale":  # sale_mrp: the kit BoM the line's moves name wins over _bom_find
        bl, mb = schema.mrp_bom_line.alias("mbl"), schema.mrp_bom.alias("mb")
        pp2 = schema.product_product.alias("pp_m")
        named = (
            select(lines.c.line_id, func.min(mb.c.id).label("bom_id"))
            .select_from(lines.join(m, m.c[link] == lines.c.line_id).join(bl, bl.c.id == m.c.bom_line_id)
                         .join(mb, mb.c.id == bl.c.bom_id).join(pp2, pp2.c.id == lines.c.product_id))
            .where(m.c.state != "cancel", mb.c.type == "phantom", _for_product(mb, pp2.c.id, pp2.c.product_tmpl_id))
            .group_by(lines.c.line_id)
            .cte("bom_named_sale")
        )
        chosen = (select(named.c.line_id, named.c.bom_id)
                  .union_all(select(found.c.line_id, found.c.bom_id)
                             .where(found.c.rn == 1, found.c.line_id.not_in(select(named.c.line_id)))))
    chosen = chosen.cte(f"bom_chosen_{side}")
    kb, lu, bu = schema.mrp_bom.alias("kb"), schema.uom_uom.alias("klu"), schema.uom_uom.alias("kbu")
    in_bom_unit = convert_rounded(lines.c.order_qty, lu, bu, round_up, dialect)
    return (
        select(chosen.c.line_id, chosen.c.bom_id, kb.c.product_uom_id.label("bom_uom"),
               (in_bom_unit / func.nullif(_f(kb.c.product_qty), 0)).label("n"),
               _f(kb.c.product_qty).label("bom_qty"))
        .select_from(chosen.join(lines, lines.c.line_id == chosen.c.line_id).join(kb, kb.c.id == chosen.c.bom_id)
                     .outerjoin(lu, lu.c.id == lines.c.line_uom).outerjoin(bu, bu.c.id == kb.c.product_uom_id))
        .cte(f"kit_lines_{side}")
    )


def _sub_kits(schema, kits, side: str):
    """CTE ``(ctx_bom, product_id, sub_bom)``: for each top kit BoM and each product that is a component
    somewhere and has a kit BoM, the one ``_bom_find`` gives in that top BoM's company (any when it has
    none) and picking type (``explode`` passes the top BoM's to every level)."""
    top, s = schema.mrp_bom.alias("top"), schema.mrp_bom.alias("sub")
    pp, pt, comp = schema.product_product.alias("sub_pp"), schema.product_template.alias("sub_pt"), schema.mrp_bom_line
    ranked = (
        select(top.c.id.label("ctx_bom"), pp.c.id.label("product_id"), s.c.id.label("sub_bom"),
               func.row_number().over(partition_by=(top.c.id, pp.c.id), order_by=_bom_find_order(schema, s)).label("rn"))
        .select_from(top.join(s, or_(top.c.company_id.is_(None), s.c.company_id.is_(None),
                                     s.c.company_id == top.c.company_id))
                     .join(pp, _for_product(s, pp.c.id, pp.c.product_tmpl_id))
                     .join(pt, pt.c.id == pp.c.product_tmpl_id))
        .where(top.c.id.in_(select(kits.c.bom_id)), *_kit_bom_search(schema, s), pt.c.type != "service",
               or_(top.c.picking_type_id.is_(None), s.c.picking_type_id.is_(None),
                   s.c.picking_type_id == top.c.picking_type_id),
               pp.c.id.in_(select(comp.c.product_id)))
        .cte(f"sub_ranked_{side}")
    )
    return select(ranked.c.ctx_bom, ranked.c.product_id, ranked.c.sub_bom).where(ranked.c.rn == 1).cte(f"sub_kits_{side}")


def _explode(schema, lines, kits, subs, side: str, dialect: str):
    """RECURSIVE CTE: every BoM line reached from each kit line (``line_id, ctx_bom, bom_line_id,
    product_id, uom, qty, depth``); ``qty`` is ``explode``'s quantity before a leaf's rounding."""
    bl = schema.mrp_bom_line.alias("x0")
    anchor = (
        select(kits.c.line_id, kits.c.bom_id.label("ctx_bom"), bl.c.id.label("bom_line_id"), bl.c.product_id,
               bl.c.product_uom_id.label("uom"), (kits.c.n * _f(bl.c.product_qty)).label("qty"),
               literal(1).label("depth"))
        .select_from(kits.join(bl, bl.c.bom_id == kits.c.bom_id).join(lines, lines.c.line_id == kits.c.line_id))
        .where(~_skip_line(schema, bl, lines.c.product_id))
        .cte(f"kit_explode_{side}", recursive=True)
    )
    e = anchor.alias("xe")
    sb, child = schema.mrp_bom.alias("xsb"), schema.mrp_bom_line.alias("x1")
    pu, su = schema.uom_uom.alias("xpu"), schema.uom_uom.alias("xsu")
    passed = convert_rounded(e.c.qty / func.nullif(_f(sb.c.product_qty), 0), pu, su, round_up, dialect)
    step = (
        select(e.c.line_id, e.c.ctx_bom, child.c.id, child.c.product_id, child.c.product_uom_id,
               passed * _f(child.c.product_qty), e.c.depth + 1)
        .select_from(e.join(subs, and_(subs.c.ctx_bom == e.c.ctx_bom, subs.c.product_id == e.c.product_id))
                     .join(sb, sb.c.id == subs.c.sub_bom).join(child, child.c.bom_id == sb.c.id)
                     .outerjoin(pu, pu.c.id == e.c.uom).outerjoin(su, su.c.id == sb.c.product_uom_id))
        .where(e.c.depth < MAX_KIT_DEPTH, ~_skip_line(schema, child, e.c.product_id))
    )
    return anchor.union_all(step)


def _kit_sums(schema, lines, side: str, link: str, ctx, dialect: str):
    """Per kit line: ``bom_id, bom_uom`` and the kit count (in the BoM's unit) on time and by the end
    of D; lines without a kit BoM are absent."""
    kits = _kit_lines(schema, lines, side, link, dialect)
    subs = _sub_kits(schema, kits, side)
    ex = _explode(schema, lines, kits, subs, side, dialect)
    pp, pt = schema.product_product.alias("leaf_pp"), schema.product_template.alias("leaf_pt")
    lu_, cu = schema.uom_uom.alias("leaf_lu"), schema.uom_uom.alias("leaf_cu")
    sub_of = subs.alias("leaf_sub")
    qty_r = round_up(ex.c.qty, lu_.c.rounding, dialect)
    need = convert(qty_r / kits.c.n / kits.c.bom_qty, lu_, cu)
    leaves = (
        select(ex.c.line_id, ex.c.bom_line_id, need.label("need"), cu.c.rounding.label("comp_rounding"))
        .select_from(ex.join(kits, kits.c.line_id == ex.c.line_id)
                     .outerjoin(sub_of, and_(sub_of.c.ctx_bom == ex.c.ctx_bom, sub_of.c.product_id == ex.c.product_id))
                     .join(pp, pp.c.id == ex.c.product_id).join(pt, pt.c.id == pp.c.product_tmpl_id)
                     .outerjoin(lu_, lu_.c.id == ex.c.uom).outerjoin(cu, cu.c.id == pt.c.uom_id))
        .where(sub_of.c.sub_bom.is_(None), pt.c.type != "service",
               qty_r > literal(_EPS), kits.c.n > 0)
        .cte(f"kit_leaves_{side}")
    )
    # the component moves of each kit line, per BoM line, in the component's unit (half-up per move)
    m, src, dst, frm, conds = _moves(schema, lines, link, ctx, where=())
    mu, cu2 = schema.uom_uom.alias("kmu"), schema.uom_uom.alias("kcu")
    mpp, mpt = schema.product_product.alias("kpp"), schema.product_template.alias("kpt")
    frm = (frm.join(mpp, mpp.c.id == m.c.product_id).join(mpt, mpt.c.id == mpp.c.product_tmpl_id)
           .outerjoin(mu, mu.c.id == m.c.product_uom).outerjoin(cu2, cu2.c.id == mpt.c.uom_id))
    signed = _kit_sign(side, m, src, dst) * convert_rounded(m.c.quantity, mu, cu2, half_up, dialect)
    on_time = m.c.date < lines.c.day_end
    comp = (
        select(lines.c.line_id, m.c.bom_line_id,
               func.sum(case((on_time, signed), else_=0)).label("done_on_time"),
               func.sum(signed).label("done_by_end"),
               func.sum(case((on_time, 1), else_=0)).label("moves_on_time"),
               func.count().label("moves_by_end"))
        .select_from(frm)
        .where(*conds, m.c.bom_line_id.is_not(None), func.coalesce(m.c.scrapped, false()).is_(False))
        .group_by(lines.c.line_id, m.c.bom_line_id)
        .cte(f"kit_moves_{side}")
    )
    joined = leaves.outerjoin(comp, and_(comp.c.line_id == leaves.c.line_id, comp.c.bom_line_id == leaves.c.bom_line_id))

    def ratio(done, count):
        return case((func.coalesce(count, 0) == 0, None),
                    else_=half_up(func.coalesce(done, 0) / leaves.c.need, leaves.c.comp_rounding, dialect))

    per_line = (
        select(leaves.c.line_id,
               func.min(ratio(comp.c.done_on_time, comp.c.moves_on_time)).label("r_on_time"),
               func.min(ratio(comp.c.done_by_end, comp.c.moves_by_end)).label("r_by_end"),
               func.sum(case((func.coalesce(comp.c.moves_on_time, 0) == 0, 1), else_=0)).label("missing_on_time"),
               func.sum(case((func.coalesce(comp.c.moves_by_end, 0) == 0, 1), else_=0)).label("missing_by_end"))
        .select_from(joined).where(leaves.c.need != 0).group_by(leaves.c.line_id)
        .cte(f"kit_ratio_{side}")
    )

    def kit_count(r, missing):
        return case((or_(per_line.c.line_id.is_(None), missing > 0, r.is_(None)), 0.0),
                    else_=sqlfuncs.floor_(r + _EPS, dialect))

    return (
        select(kits.c.line_id, kits.c.bom_id, kits.c.bom_uom,
               kit_count(per_line.c.r_on_time, per_line.c.missing_on_time).label("kits_on_time"),
               kit_count(per_line.c.r_by_end, per_line.c.missing_by_end).label("kits_by_end"))
        .select_from(kits.outerjoin(per_line, per_line.c.line_id == kits.c.line_id))
        .subquery(f"kit_sums_{side}")
    )


def line_quantities(schema, lines, side: str, ctx, dialect: str, *, kits: bool) -> Subquery:
    """One row per line of the CTE ``lines`` (columns ``line_id, product_id, line_uom, company_id,
    day_end, order_qty``): ``on_time_qty`` = received / delivered as of ``day_end``, ``by_end_qty`` = as
    of the end of D (``ctx.end``), in the line's unit (a bought kit: in its BoM's unit, as Odoo stores
    it); ``kit_bom_id`` (NULL unless a kit line), ``kits_on_time`` / ``kits_by_end`` (whole kits in the
    BoM's unit) and ``unrefunded_qty`` (returns by the end of D that did not update the order).
    ``kits`` False (mrp not installed) reads no BoM table."""
    sqlfuncs.check_choice(side, SIDES, "order side")
    link = "sale_line_id" if side == "sale" else "purchase_line_id"
    plain = _plain_sums(schema, lines, side, link, ctx, dialect)
    frm = lines.outerjoin(plain, plain.c.line_id == lines.c.line_id)
    p_on, p_end = func.coalesce(plain.c.on_time_qty, 0), func.coalesce(plain.c.by_end_qty, 0)
    unref = func.coalesce(plain.c.unrefunded_qty, 0)
    if not kits:
        return (select(lines.c.line_id, _f(p_on).label("on_time_qty"), _f(p_end).label("by_end_qty"),
                       literal(None).label("kit_bom_id"), literal(None).label("kits_on_time"),
                       literal(None).label("kits_by_end"), _f(unref).label("unrefunded_qty"))
                .select_from(frm).subquery(f"qty_{side}"))
    k = _kit_sums(schema, lines, side, link, ctx, dialect)
    frm = frm.outerjoin(k, k.c.line_id == lines.c.line_id)
    if side == "sale":
        bu, lu = schema.uom_uom.alias("q_bu"), schema.uom_uom.alias("q_lu")
        frm = frm.outerjoin(bu, bu.c.id == k.c.bom_uom).outerjoin(lu, lu.c.id == lines.c.line_uom)

        def total(kit_count, plain_qty):
            return case((k.c.bom_id.is_(None), _f(plain_qty)),
                        else_=convert_rounded(kit_count, bu, lu, round_up, dialect) + _f(plain_qty))
    else:
        def total(kit_count, plain_qty):
            return case((k.c.bom_id.is_(None), _f(plain_qty)), else_=_f(kit_count))
    return (
        select(lines.c.line_id, total(k.c.kits_on_time, p_on).label("on_time_qty"),
               total(k.c.kits_by_end, p_end).label("by_end_qty"), k.c.bom_id.label("kit_bom_id"),
               k.c.kits_on_time, k.c.kits_by_end, _f(unref).label("unrefunded_qty"))
        .select_from(frm).subquery(f"qty_{side}")
    )
