"""The KPI catalogue: every KPI of KPIS.md with its label, unit, direction, target and thresholds.

Targets and thresholds are defaults that a customer overrides with the ``kpi_overrides`` setting:
``{"oee": {"target": 0.8, "amber": 0.7, "red": 0.55, "sites": {"3": {"amber": 0.65}}}}``.
For a "higher is better" KPI a value below ``amber`` is a warning and below ``red`` critical; for
"lower is better", above. Equal to the threshold is not a breach (KPIS.md writes ``<0.90``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["KpiDef", "CATALOGUE", "Catalogue", "HEADLINE_SITE_KPIS", "HEADLINE_COMPANY_KPIS", "DOMAIN_TTL"]

# Seconds a cached aggregate of each data domain may be served before it is recomputed.
DOMAIN_TTL = {"production": 300, "supply": 900, "quality": 900, "finance": 1800}


@dataclass(frozen=True)
class KpiDef:
    id: str
    label: str
    unit: str  # ratio | hours | count | days | turns | amount
    direction: str  # higher | lower
    target: float | None
    amber: float | None
    red: float | None
    owner: str  # the role that acts on it
    domain: str  # production | supply | quality | finance
    scopes: tuple[str, ...]
    formula: str
    # (scope kind, target, amber, red) where one level of thresholds does not fit every scope
    scope_thresholds: tuple[tuple[str, float, float, float], ...] = ()
    # True for sums over time (hours): thresholds are per 30 days and scale with the window's length
    additive: bool = False

    def scaled(self, days: int) -> KpiDef:
        """This definition for a window of ``days`` days (unchanged unless ``additive``)."""
        if not self.additive or days == 30:
            return self
        f = days / 30.0
        return replace(self, **{k: (None if getattr(self, k) is None else getattr(self, k) * f) for k in ("target", "amber", "red")})

    def for_kind(self, scope_kind: str | None) -> KpiDef:
        for kind, target, amber, red in self.scope_thresholds:
            if kind == scope_kind:
                return replace(self, target=target, amber=amber, red=red)
        return self

    def status(self, value: float | None) -> str:
        """``ok``, ``warning``, ``critical`` or ``no_data`` for a value against these thresholds."""
        if value is None:
            return "no_data"
        worse = (lambda v, t: v < t) if self.direction == "higher" else (lambda v, t: v > t)
        if self.red is not None and worse(value, self.red):
            return "critical"
        if self.amber is not None and worse(value, self.amber):
            return "warning"
        return "ok"

    def better(self, new: float | None, old: float | None) -> bool | None:
        """Whether ``new`` is better than ``old`` (None when either is missing or they are equal)."""
        if new is None or old is None or new == old:
            return None
        return (new > old) == (self.direction == "higher")


_P, _S, _Q, _F = "production", "supply", "quality", "finance"
_WC3 = ("workcenter", "warehouse", "company")

CATALOGUE: dict[str, KpiDef] = {k.id: k for k in [
    KpiDef("schedule_adherence", "Schedule adherence", "ratio", "higher", 0.95, 0.90, 0.80, "plant", _P,
           ("warehouse", "company"),
           "MOs (not cancelled) with date_deadline in the period: share done with date_finished <= date_deadline."),
    # Availability, performance and quality have no thresholds in KPIS.md; these defaults are the usual
    # world-class OEE factors (90 % x 95 % x 99 %), with amber/red set a few points below.
    KpiDef("oee_availability", "Availability", "ratio", "higher", 0.90, 0.85, 0.75, "plant", _P, _WC3,
           "Closed time logs starting in the period: productive + performance minutes / all minutes."),
    KpiDef("oee_performance", "Performance", "ratio", "higher", 0.95, 0.90, 0.80, "plant", _P, _WC3,
           "Done work orders finished in the period: sum duration_expected / sum duration, capped at 1."),
    KpiDef("oee_quality", "Quality rate", "ratio", "higher", 0.99, 0.97, 0.95, "plant", _P, _WC3,
           "Same work orders: (qty_produced - scrapped) / qty_produced; scrap = done stock_scrap of those WOs."),
    KpiDef("oee", "OEE", "ratio", "higher", 0.85, 0.75, 0.60, "plant", _P, _WC3,
           "Availability x performance x quality."),
    # Downtime: KPIS.md sets per-site thresholds. Defaults are per 30 days (scaled to the window, so a
    # day cell of a heat map is judged against 1/30 of them) for a plant of four to six work centers,
    # with their own levels for a single work center and a whole company; override per site.
    KpiDef("downtime_hours", "Downtime", "hours", "lower", 0.0, 55.0, 65.0, "plant", _P, _WC3,
           "Closed time logs starting in the period with loss_type 'availability': sum duration / 60.",
           scope_thresholds=(("workcenter", 0.0, 16.0, 32.0), ("company", 0.0, 150.0, 250.0)), additive=True),
    KpiDef("supplier_otif", "Supplier OTIF", "ratio", "higher", 0.95, 0.90, 0.80, "supply_chain", _S,
           ("partner", "warehouse", "company"),
           "Confirmed PO lines planned in the period: share received in full (net of returns) by the end of the planned day."),
    KpiDef("late_po_lines", "Late PO lines", "count", "lower", 0, 5, 20, "supply_chain", _S,
           ("partner", "warehouse", "company"),
           "Confirmed PO lines planned before the as-of day and not received in full by its end."),
    KpiDef("customer_otif", "Customer OTIF", "ratio", "higher", 0.95, 0.90, 0.80, "supply_chain", _S,
           ("partner", "warehouse", "company"),
           "Confirmed sale lines promised in the period: share delivered in full (net of returns) by the end of the promise day."),
    KpiDef("late_so_lines", "Late SO lines", "count", "lower", 0, 5, 20, "supply_chain", _S,
           ("partner", "warehouse", "company"),
           "Confirmed sale lines promised before the as-of day and not delivered in full by its end."),
    KpiDef("stockout_rate", "Stockout rate", "ratio", "lower", 0.0, 0.02, 0.05, "supply_chain", _S,
           ("warehouse", "company"),
           "Active reordering rules whose product has on-hand <= 0 in the rule's warehouse (now)."),
    KpiDef("inventory_turns", "Inventory turns", "turns", "higher", 6.0, 4.0, 2.0, "finance", _F, ("company",),
           "COGS of the 365 days ending as-of / average inventory value over 13 month-ends."),
    KpiDef("dio", "Days inventory outstanding", "days", "lower", 60.0, 90.0, 120.0, "finance", _F, ("company",),
           "365 x average inventory value / COGS of the 365 days ending as-of."),
    KpiDef("first_pass_yield", "First pass yield", "ratio", "higher", 0.98, 0.97, 0.95, "quality", _Q,
           ("warehouse", "company"),
           "Done MOs finished in the period: (produced - scrapped) / produced, finished product only."),
    KpiDef("nc_closure_days", "NC closure time", "days", "lower", 5.0, 10.0, 20.0, "quality", _Q, ("company",),
           "Quality alerts closed in the period: mean days from creation to closing (quality app)."),
    KpiDef("gross_margin_pct", "Gross margin", "ratio", "higher", 0.30, 0.20, 0.10, "finance", _F,
           ("company", "product", "partner"),
           "(Invoiced revenue - COGS of customer moves) / revenue, posted customer invoices and refunds."),
    # No default thresholds in KPIS.md; these are starting points in company currency.
    KpiDef("overdue_receivables", "Overdue receivables", "amount", "lower", 0.0, 50000.0, 200000.0, "finance", _F,
           ("company", "partner"),
           "Open residual of posted customer invoices and refunds due before the as-of day (now)."),
]}

HEADLINE_SITE_KPIS = ("oee", "schedule_adherence", "downtime_hours", "supplier_otif", "late_po_lines",
                      "customer_otif", "late_so_lines", "stockout_rate", "first_pass_yield")
HEADLINE_COMPANY_KPIS = ("inventory_turns", "dio", "gross_margin_pct", "overdue_receivables")

_FIELDS = ("target", "amber", "red")


class Catalogue:
    """The catalogue with a customer's overrides applied, globally and per site (warehouse id)."""

    def __init__(self, overrides: dict | None = None):
        overrides = overrides or {}
        unknown = set(overrides) - set(CATALOGUE)
        if unknown:
            raise ValueError(f"kpi_overrides names unknown KPIs: {sorted(unknown)}")
        self._defs: dict[str, KpiDef] = {}
        self._sites: dict[tuple[str, int], KpiDef] = {}
        # a KPI whose thresholds the customer set: their levels apply to every scope kind
        self._overridden = {k for k, spec in overrides.items() if any(f in spec for f in _FIELDS)}
        for kpi_id, base in CATALOGUE.items():
            spec = overrides.get(kpi_id, {})
            merged = replace(base, **{k: float(spec[k]) for k in _FIELDS if k in spec})
            self._defs[kpi_id] = merged
            for site, site_spec in (spec.get("sites") or {}).items():
                self._sites[(kpi_id, int(site))] = replace(merged, **{k: float(site_spec[k]) for k in _FIELDS if k in site_spec})

    def __getitem__(self, kpi_id: str) -> KpiDef:
        return self._defs[kpi_id]

    def __iter__(self):
        return iter(self._defs.values())

    def ids(self) -> list[str]:
        return list(self._defs)

    def for_scope(self, kpi_id: str, scope_kind: str | None = None, scope_id: int | None = None,
                  days: int = 30) -> KpiDef:
        """The definition in force for one entity and window length: per-scope-kind defaults, then
        per-site overrides (warehouse scopes), scaled to ``days`` for additive KPIs."""
        definition = self._defs[kpi_id]
        if kpi_id not in self._overridden:
            definition = definition.for_kind(scope_kind)
        if scope_kind == "warehouse" and scope_id is not None:
            definition = self._sites.get((kpi_id, int(scope_id)), definition)
        return definition.scaled(days)
