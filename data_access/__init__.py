"""The only package that talks to a database: the Odoo replica (read-only) and the app's own store."""
