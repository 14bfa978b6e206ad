"""Meta-tests: every page has a browser test and a README entry; every setting is documented."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
PATHS = {"home": "/", "health": "/health", "executive": "/executive", "plant": "/plant", "workcenter": "/plant/workcenter/"}


def test_every_page_module_is_known_here():
    assert set(PAGES) == set(PATHS), "a new page needs a path here, a browser test and a README row"


@pytest.mark.parametrize("page", PAGES)
def test_page_has_a_browser_test_and_a_readme_row(page):
    e2e = " ".join(p.read_text() for p in (ROOT / "tests" / "e2e").glob("test_*.py"))
    path = PATHS[page]
    visited = f'"{path}' in e2e or f"'{path}" in e2e or f"next_path=\"{path}" in e2e or f"{path}?" in e2e or (
        page == "home" and "home-card" in e2e)
    assert visited, f"no browser test opens {path}"
    readme = (ROOT / "README.md").read_text()
    assert f"`{path.rstrip('/') or '/'}" in readme
