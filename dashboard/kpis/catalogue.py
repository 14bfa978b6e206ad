"""The KPI catalogue: every KPI of KPIS.md with its label, unit, direction, target and thresholds.

The definitions are data, in ``catalogue.toml`` next to this file; this module gives them a type.

Targets and thresholds are defaults that a customer overrides with the ``kpi_overrides`` setting:
``{"oee": {"target": 0.8, "amber": 0.7, "red": 0.55, "sites": {"3": {"amber": 0.65}}}}``.
For a "higher is better" KPI a value below ``amber`` is a warning and below ``red`` critical; for
"lower is better", above. Equal to the threshold is not a breach (KPIS.md writes ``<0.90``).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = ["KpiDef", "CATALOGUE", "Catalogue", "HEADLINE_SITE_KPIS", "HEADLINE_COMPANY_KPIS", "DOMAIN_TTL"]

# Seconds a cached result of each data domain is served before it is recomputed (after that it is served
# stale while one caller refreshes it, see dashboard.cache): the shop floor moves by the minute, purchases
# and quality by the hour, accounting by the day; "dimensions" (companies, sites, work centers and their
# sites, partner names) and "health" (replica lag, table sizes) are read by every page. A domain not named
# here uses the cache_ttl_s setting.
DOMAIN_TTL = {"production": 60, "supply": 300, "quality": 300, "finance": 3600, "dimensions": 10800, "health": 60}


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


def _load(path: Path) -> dict[str, KpiDef]:
    """The catalogue from its TOML table (lists become tuples: KpiDef is frozen and hashable)."""
    out = {}
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["kpi"]:
        entry["scopes"] = tuple(entry["scopes"])
        entry["scope_thresholds"] = tuple(tuple(t) for t in entry.get("scope_thresholds", ()))
        out[entry["id"]] = KpiDef(**entry)
    return out


CATALOGUE: dict[str, KpiDef] = _load(Path(__file__).with_name("catalogue.toml"))

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
