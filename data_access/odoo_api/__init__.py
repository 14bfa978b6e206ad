"""Odoo's external API (JSON-RPC via odoorpc, or XML-RPC): the client, its transports and errors."""
from data_access.odoo_api.client import OdooClient, OdooUserInfo, OdooVersion
from data_access.odoo_api.errors import (
    ModelAccessDenied,
    OdooApiError,
    OdooServerError,
    OdooTimeout,
    OdooUnavailable,
    UnknownDatabase,
    UnsupportedVersion,
    WrongCredentials,
)

__all__ = [
    "OdooClient",
    "OdooUserInfo",
    "OdooVersion",
    "OdooApiError",
    "OdooUnavailable",
    "OdooTimeout",
    "UnknownDatabase",
    "WrongCredentials",
    "ModelAccessDenied",
    "UnsupportedVersion",
    "OdooServerError",
]
