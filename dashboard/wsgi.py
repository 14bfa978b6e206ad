"""The WSGI entry point (gunicorn dashboard.wsgi:server). The only module that builds an app at import.

A replica role that can write stops the worker with one line on stderr and exit status 4, which
gunicorn's master takes as "App failed to load" and halts instead of starting workers again.
"""
import sys

from dashboard import create_app
from dashboard.health import startup_refusal

app = create_app()
_refusal = startup_refusal(app)
if _refusal:
    print(f"error: {_refusal}", file=sys.stderr, flush=True)
    raise SystemExit(4)
server = app.server
