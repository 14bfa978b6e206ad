"""The built-in KPI families: importing a domain module registers its families (as a new one would)."""
from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)

BUILTIN = ("production", "quality", "supply", "finance")

for _name in BUILTIN:
    try:
        importlib.import_module(f"dashboard.kpis.{_name}")
    except ModuleNotFoundError as error:  # only "this module is absent", never an error inside it
        if error.name != f"dashboard.kpis.{_name}":
            raise
        log.error("KPI family module dashboard.kpis.%s is missing; its KPIs are not computed", _name)
