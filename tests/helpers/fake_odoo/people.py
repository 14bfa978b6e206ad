"""Odoo users the tests sign in as (one password for all of them)."""
from __future__ import annotations

from helpers.fake_odoo.orm import FakeUser

PASSWORD = "s3cret-Pa55word"


def standard_users() -> list[FakeUser]:
    """A plant manager of company 1, a finance manager of all three companies, and a user of all three
    companies who may not read stock moves nor ir.model.data, with no mapped group."""
    return [
        FakeUser("plant.lead", PASSWORD, groups=("base.group_user", "mrp.group_mrp_manager"), company_ids=(1,)),
        FakeUser("controller", PASSWORD, groups=("base.group_user", "account.group_account_manager"),
                 company_ids=(1, 2, 3)),
        FakeUser("no.moves", PASSWORD, company_ids=(1, 2, 3), denied_models={"stock.move", "ir.model.data"}),
    ]
