"""How every page's layout begins: who may see it, what its URL asks for, and which site it shows.

``open_page`` checks the caller on the server (signed in, role allowed) and parses the URL with the page's
validators; ``choose_site`` picks the site a site page shows from the caller's own sites, or says why it
cannot. Both return the page to show instead when there is nothing else to show, so a layout reads:

    access, params, notes, refused = open_page(spec.key, query, PLANT_QUERY, "the plant page")
    if refused is not None:
        return refused
"""
from __future__ import annotations

from dashboard import service
from dashboard.auth import page_access
from dashboard.components import empty_state, error_alert, not_found, not_permitted, problem_page, signed_out
from dashboard.urlstate import parse_query

__all__ = ["open_page", "choose_site"]


def open_page(key: str, query: dict, schema: dict, what: str):
    """``(access, params, notes, None)`` for a caller allowed on page ``key``; else ``(None, None, None,
    page)`` with the sign-in prompt or "not allowed" (``what`` names the page)."""
    access, reason = page_access(key)
    if access is None:
        return None, None, None, signed_out() if reason == "signed_out" else not_permitted(what)
    params, notes = parse_query(query, schema, service.today())
    return access, params, notes, None


def choose_site(access, title: str, params: dict, notes: list, back: tuple[str, str]):
    """``(sites, site, None)``: the caller's sites in the period and the one ``params["site"]`` names (the
    first when it names none; ``params["site"]`` is set to it). Else ``(None, None, page)``: the replica
    failed, the caller has no site, or the URL names a site outside their scope (told apart from unknown:
    never)."""
    try:
        sites = service.sites(access, params["as_of"], params["days"])
    except service.DataError as error:
        return None, None, problem_page(title, error_alert(error.user_message), back=("/", "Home"), notices=notes)
    if not sites:
        return None, None, problem_page(title, empty_state("There are no sites in your scope."), back=("/", "Home"),
                                        notices=notes)
    if params["site"] is None:
        params["site"] = next(iter(sites))
    elif params["site"] not in sites:
        return None, None, problem_page(title, not_found(f"Site {params['site']}"), back=back, notices=notes)
    return sites, sites[params["site"]], None
