"""The page for a URL no page answers (Dash Pages uses the module named ``not_found_404`` for every
unknown path): the page header, a notice naming the path, and a way back home. Registered
(``register_page``) from its declaration ``PAGES["notfound"]``."""
from dash import ctx, html
from dash.exceptions import MissingCallbackContextException

from dashboard import components as ui
from dashboard.auth import page_access
from dashboard.pages_registry import register

spec = register(__name__, "notfound")
_LONGEST = 80


def _requested_path() -> str:
    """The path the browser asked for (the page router's input); this page's own path outside a request."""
    try:
        path = ctx.inputs.get("_pages_location.pathname") or spec.path
    except MissingCallbackContextException:  # layout validation: nothing was asked for
        path = spec.path
    return path if len(path) <= _LONGEST else path[:_LONGEST - 1] + "…"


def layout(**_query):
    access, reason = page_access(spec.key)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted()
    message = html.P(f"The page {_requested_path()} does not exist.", id=spec.id("message"), className="notfound-message")
    return ui.problem_page("Page not found", message, back=("/", "Home"))
