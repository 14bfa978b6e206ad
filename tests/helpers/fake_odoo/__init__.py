"""A test Odoo endpoint (JSON-RPC and XML-RPC over real HTTP) serving the demo replica's data.

See ``server`` (routes, error objects, modes) and ``orm`` (models, domains, company rules, read_group)
for the Odoo sources each part follows.
"""
from helpers.fake_odoo.orm import FakeUser
from helpers.fake_odoo.server import FakeOdoo

__all__ = ["FakeOdoo", "FakeUser"]
