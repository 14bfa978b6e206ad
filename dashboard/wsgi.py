"""The WSGI entry point (gunicorn dashboard.wsgi:server). The only module that builds an app at import."""
from dashboard import create_app

app = create_app()
server = app.server
