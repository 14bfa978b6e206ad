"""Displays (admins): the wall TVs, each opening its site's board with its own token; add one, revoke one, give
one a new token, preview a board. Registered (``register_page``) from its declaration in ``PAGES``."""
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import components as ui
from dashboard import displays, service
from dashboard.auth import guarded, page_access
from dashboard.pages_registry import register
from dashboard.validation import Anything, Rows, accepts
from dashboard.views.displays import COLUMNS, add_form, grid_rows, url_notice

spec = register(__name__, "displays")


def _confirm(label: str, name: str, question: str, color: str) -> dcc.ConfirmDialogProvider:
    return dcc.ConfirmDialogProvider(html.Button(label, id=spec.id(f"{name}-button"), className=f"btn btn-sm btn-outline-{color} me-2"),
                                     id=spec.id(name), message=question)


def layout(**_query):
    access, reason = page_access(spec.key)
    if access is None:
        return ui.signed_out() if reason == "signed_out" else ui.not_permitted("the displays page")
    try:
        sites, problem = service.sites(access, service.today(), 1), None
    except service.DataError as error:
        sites, problem = {}, ui.error_alert(f"The sites cannot be listed: {error.user_message}")
    return html.Div([
        ui.page_header("Displays", "Wall TVs: each opens its site's board with its own token, no sign-in.", fresh=""),
        problem,
        add_form(spec.id, sites),
        html.Div(id=spec.id("message")),
        html.Div([
            _confirm("Revoke selected", "revoke", "Revoke this display? Its board stops at its next refresh.", "danger"),
            _confirm("New token for selected", "rotate", "Give this display a new token? The screen showing it stops "
                                                         "at its next refresh until the new URL is opened on it.", "secondary"),
        ], className="grid-tools mb-2"),
        ui.data_grid(spec.id("grid"), COLUMNS, [], selectable=True, empty_message="No displays yet."),
    ])


def _selected(selected) -> int | None:
    try:
        return int(selected[0]["id"])
    except (TypeError, IndexError, KeyError, ValueError):
        return None


@callback(output=dict(rows=Output(spec.id("grid"), "rowData"), message=Output(spec.id("message"), "children")),
          inputs=dict(_mounted=Input(spec.id("grid"), "id"), add=Input(spec.id("add"), "n_clicks"),
                      revoke=Input(spec.id("revoke"), "submit_n_clicks"), rotate=Input(spec.id("rotate"), "submit_n_clicks")),
          state=dict(name=State(spec.id("name"), "value"), site=State(spec.id("site"), "value"),
                     panels=State(spec.id("panels"), "value"), dwell=State(spec.id("dwell"), "value"),
                     refresh=State(spec.id("refresh"), "value"), theme=State(spec.id("theme"), "value"),
                     selected=State(spec.id("grid"), "selectedRows")))
@guarded(spec.key)
@accepts(_mounted=Anything, add=int | None, revoke=int | None, rotate=int | None, name=str | None, site=int | None,
         panels=list[str] | None, dwell=float | None, refresh=float | None, theme=str | None, selected=Rows)
def _update(_mounted, add, revoke, rotate, name, site, panels, dwell, refresh, theme, selected, *, access):
    message = None
    try:
        if ctx.triggered_id == spec.id("add") and add:
            message = _add(access, name, site, panels, dwell, refresh, theme)
        elif ctx.triggered_id in (spec.id("revoke"), spec.id("rotate")):
            message = _change(access, ctx.triggered_id == spec.id("revoke"), _selected(selected))
    except displays.DisplayError as error:
        message = ui.error_alert(str(error))
    try:
        sites = service.sites(access, service.today(), 1)
    except service.DataError:
        sites = {}
    names = {sid: s["name"] for sid, s in sites.items()}
    return dict(rows=grid_rows(displays.rows(site_names=names)), message=message)


def _add(access, name, site, panels, dwell, refresh, theme):
    sites = service.sites(access, service.today(), 1)
    if site not in sites:
        raise displays.DisplayError("Choose one of the sites in the list.")
    checked = displays.spec(name, site, ",".join(panels or []) or None, dwell, refresh, theme)
    display, token = displays.add(checked, sites[site].get("company_id"), actor=access.username)
    return url_notice(f"Display {display.name!r} added. Its URL:", displays.display_url(token, displays.request_base()),
                      spec.id("url"))


def _change(access, revoke: bool, display_id: int | None):
    if display_id is None:
        raise displays.DisplayError("Select a display in the table first.")
    if revoke:
        display = displays.revoke(display_id, actor=access.username)
        return ui.notice(f"Display {display.name!r} revoked: its board stops at its next refresh.")
    display, token = displays.rotate(display_id, actor=access.username)
    return url_notice(f"New token for {display.name!r}: the screen stops at its next refresh until it opens this URL.",
                      displays.display_url(token, displays.request_base()), spec.id("url"))
