"""The built-in KPI families: importing a domain module registers its families (as a new one would)."""
from dashboard.kpis import finance, production, quality, supply  # noqa: F401
