"""SQLAlchemy Core queries over Odoo tables, one module per domain.

Every query function has the signature ``fn(conn, schema, ctx, ...)``: an open connection, the
``OdooSchema`` of the detected Odoo series, a ``QueryContext``; it returns small, already
aggregated rows as plain dicts.
"""
