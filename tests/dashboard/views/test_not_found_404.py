"""pages/not_found_404.py, Dash Pages' page for a URL no page answers: signed in, it names the path (cut to a
readable length) and leads home; signed out, it says so instead."""
from __future__ import annotations

from unittest import mock

from helpers.matrix import matrix_app, page_module, signer
from helpers.tree import text_of


def test_the_unknown_path_is_named_and_leads_home(tmp_path):
    app = matrix_app(tmp_path, {})
    page = page_module("notfound")
    sign_in, close = signer(app)
    sign_in("m-plant")
    try:
        with mock.patch.object(page, "_requested_path", return_value="/nowhere"):
            shown = text_of(page.layout())
        assert "The page /nowhere does not exist." in shown and "Home" in shown
        long = "/x" * 100
        with mock.patch.object(page, "ctx") as fake:
            fake.inputs = {"_pages_location.pathname": long}
            assert len(page._requested_path()) == page._LONGEST and page._requested_path().endswith("…")
    finally:
        close()
