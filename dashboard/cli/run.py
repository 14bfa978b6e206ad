"""``python -m dashboard run``: serve the app (the embedded demo replica when no replica URL is set).

Refuses (exit status 3, one line) when the replica's role can write, unless allowed by a setting.
"""
from __future__ import annotations

import sys

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="serve the dashboards")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.set_defaults(func=run)


def run(args) -> int:
    from dashboard import create_app
    from dashboard.health import startup_refusal
    from dashboard.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    app = create_app(settings)
    refusal = startup_refusal(app)
    if refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 3
    where = ("the embedded demo replica" if settings.demo_mode else
             f"Odoo's API at {settings.odoo_url} (no replica)" if settings.api_only else "the configured Odoo replica")
    print(f"Serving Odoo Operations on http://{args.host}:{args.port} from {where}", flush=True)
    # Werkzeug's threaded server is fine for a local demo; production uses gunicorn (Procfile).
    app.server.run(host=args.host, port=args.port, debug=False, threaded=True, use_reloader=False)
    return 0
