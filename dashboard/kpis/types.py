"""The values the KPI engine passes around: plain, JSON-able, immutable."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["SCOPE_KINDS", "STATUSES", "KpiPoint", "KpiResult", "KpiUnavailable"]

SCOPE_KINDS = ("company", "warehouse", "workcenter", "partner", "product")
STATUSES = ("ok", "warning", "critical", "no_data", "unavailable")


class KpiUnavailable(Exception):
    """A KPI cannot be computed on this database (an app is not installed...); ``str`` is the reason."""


@dataclass(frozen=True)
class KpiPoint:
    """One KPI value for one entity (and one time bucket, for series), before status.

    ``parts`` holds the raw numerator/denominator sums (for tooltips and for pooling rollups).
    ``reason``: why this entity's value cannot be given (the engine reports it ``unavailable``).
    """

    kpi: str
    scope_kind: str
    scope_id: int
    value: float | None
    bucket: str | None = None  # ISO date of the day or of the ISO week's Monday
    parts: dict = field(default_factory=dict, compare=False, hash=False)
    reason: str | None = None


@dataclass(frozen=True)
class KpiResult:
    """A KPI value with its status against the thresholds in force for its scope."""

    kpi: str
    scope_kind: str
    scope_id: int | None
    value: float | None
    status: str
    bucket: str | None = None
    reason: str | None = None
    parts: dict = field(default_factory=dict, compare=False, hash=False)

    def as_json(self) -> dict:
        """The ``kpis`` command's result object."""
        out = {"kpi": self.kpi, "scope": {f"{self.scope_kind}_id": self.scope_id}, "value": self.value, "status": self.status}
        if self.bucket is not None:
            out["bucket"] = self.bucket
        if self.reason:
            out["reason"] = self.reason
        return out

    def as_dict(self) -> dict:
        return asdict(self)
