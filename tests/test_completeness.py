"""Meta-tests: every page module is declared in ``PAGES`` and has a browser test and a README row."""
import re
from pathlib import Path

import pytest

from dashboard.auth.roles import PAGES

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
# What a browser test opens for a page whose own path is not the point: the 404 page answers any unknown path.
VISITED = {"notfound": "/nope"}


def _key(module: Path) -> str | None:
    """The page key a module registers with: ``register(__name__, "<key>")``."""
    found = re.search(r'register\(__name__,\s*"([^"]+)"\)', module.read_text())
    return found.group(1) if found else None


def _route(key: str) -> str:
    """The page's path up to its first placeholder (``/plant/workcenter/`` for ``/plant/workcenter/<id>``)."""
    return PAGES[key].path.split("<", 1)[0]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.stem)
def test_every_page_module_registers_a_declared_page(module):
    assert _key(module) in PAGES, f"{module.name}: register(__name__, '<key>') with a key of dashboard.auth.roles.PAGES"
    # Dash Pages imports only the files in pages/ whose text says register_page.
    assert "register_page" in module.read_text(), f"{module.name} must mention register_page or Dash skips it"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.stem)
def test_page_has_a_browser_test_and_a_readme_row(module):
    key = _key(module)
    e2e = " ".join(p.read_text() for p in (ROOT / "tests" / "e2e").glob("test_*.py"))
    path = VISITED.get(key, _route(key))
    visited = f'"{path}' in e2e or f"server_url}}{path}" in e2e or f"'{path}" in e2e or f"next_path=\"{path}" in e2e or f"{path}?" in e2e or (
        key == "home" and "home-card" in e2e)
    assert visited, f"no browser test opens {path}"
    readme = (ROOT / "README.md").read_text()
    assert f"`{_route(key).rstrip('/') or '/'}" in readme, f"README has no row for {PAGES[key].path}"
