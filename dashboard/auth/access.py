"""Who is asking: role and company/site scope, derived on the server for every request."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["Access", "ROLES"]

ROLES = ("plant", "supply_chain", "quality", "finance", "executive", "admin")


@dataclass(frozen=True)
class Access:
    """The authorisation of one request. ``None`` scopes mean 'all'; a tuple restricts.

    Built from the app store's user row on the server (never from anything the browser sends).
    """

    user_id: int
    username: str
    role: str
    company_ids: tuple[int, ...] | None = None
    warehouse_ids: tuple[int, ...] | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    def fingerprint(self) -> str:
        """A stable key part for caches: role + sorted scopes (two users with the same scope share it)."""
        raw = f"{self.role}|{self._ids(self.company_ids)}|{self._ids(self.warehouse_ids)}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @staticmethod
    def _ids(ids) -> str:
        return "*" if ids is None else ",".join(str(i) for i in sorted(ids))

    def allows_company(self, company_id: int) -> bool:
        return self.company_ids is None or int(company_id) in self.company_ids

    def allows_warehouse(self, warehouse_id: int) -> bool:
        return self.warehouse_ids is None or int(warehouse_id) in self.warehouse_ids
