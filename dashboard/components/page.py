"""The top of every page: title, subtitle, freshness (``components.freshness``) always in view,
and the page's controls; and the one page shape for a URL that cannot be shown (header, why, a way back)."""
from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from dashboard.components.notices import notices as notices_block

__all__ = ["page_header", "page_frame", "problem_page"]


def page_header(title, subtitle=None, *, controls=None, fresh_id: str | None = None, fresh=None,
                back: tuple | None = None) -> html.Div:
    """Title and subtitle on the left, the freshness line on the right (``fresh_id`` lets a callback
    fill it; ``fresh`` is its first content), the page's controls below; ``back`` is ``(href, label)`` or
    ``(href, label, id)``: a link back up the drill chain."""
    left = [html.H2(title, className="page-title")]
    if subtitle:
        left.append(html.Div(subtitle, className="page-subtitle"))
    right = []
    if back:
        right.append(dcc.Link(f"← {back[1]}", href=back[0], className="page-back", id=back[2] if len(back) > 2 else None))
    right.append(html.Div(fresh if fresh is not None else "Loading data…", className="page-freshness",
                          **({"id": fresh_id} if fresh_id else {})))
    head = html.Div([html.Div(left, className="page-heading"), html.Div(right, className="page-header-right")],
                    className="page-header-top")
    parts = [head]
    if controls:
        parts.append(html.Div(controls, className="page-controls"))
    return html.Div(parts, className="page-header")


def page_frame(spec, title, subtitle, *, params: dict, notes: Sequence[str] = (), controls=None, back: tuple | None = None,
               stores: Sequence = (), body: Sequence = (), **attrs) -> html.Div:
    """The frame of a page whose view lives in its URL: ``<key>-nav`` (a Location its callbacks point to
    move the URL), ``<key>-params`` (the URL's parsed view, the store its body callback reads), any other
    ``stores``, the header with ``<key>-freshness``, the URL's notices (``<key>-notice``), ``<key>-message``
    (what the body cannot show, and why) and then ``body``; ``attrs`` go to the outer Div (``className``)."""
    return html.Div([
        dcc.Location(id=spec.id("nav"), refresh="callback-nav"),
        dcc.Store(id=spec.id("params"), data=params),
        *stores,
        page_header(title, subtitle, controls=controls, back=back, fresh_id=spec.id("freshness")),
        notices_block(notes, id=spec.id("notice")),
        html.Div(id=spec.id("message")),
        *body,
    ], **attrs)


def problem_page(title: str, message, *, back: tuple[str, str], notices: Sequence[str] = ()) -> html.Div:
    """A page that cannot show what the URL asks: its header, the notices, the message and a way back."""
    return html.Div([
        page_header(title, fresh=""),
        notices_block(notices),
        message,
        dcc.Link(f"← {back[1]}", href=back[0], className="btn btn-outline-secondary btn-sm problem-back"),
    ], className="problem-page")
