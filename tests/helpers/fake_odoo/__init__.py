"""A test Odoo endpoint (JSON-RPC and XML-RPC over real HTTP) serving the demo replica's data.

See ``server`` (routes, error objects, modes) and ``orm`` (models, domains, company rules, read_group)
for the Odoo sources each part follows.
"""
from helpers.fake_odoo.orm import FakeUser
from helpers.fake_odoo.server import FakeOdoo

__all__ = ["FakeOdoo", "FakeUser", "demo_replica_url"]


def demo_replica_url(directory, version: str = "17.0") -> str:
    """Build the demo replica (scale 1, seed 42, a fixed clock) as SQLite in ``directory``; its URL."""
    from datetime import datetime

    from data_access.demo import build_demo

    url = f"sqlite:///{directory}/demo{version.replace('.', '')}.sqlite"
    build_demo(url, scale=1, seed=42, version=version, now=datetime(2026, 6, 30, 14, 0))
    return url
