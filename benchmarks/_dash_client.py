"""A browser's Dash traffic over plain HTTP: sign in, open a page, fire the callbacks the page fires.

What a browser does, and so what this client does:
- ``/login``: GET the form (CSRF token in it), POST it; the session cookie comes back with the redirect.
- A page: Dash Pages' router callback (``_pages_content.children``) with the path and query the
  ``_pages_location`` component reports on mount; it returns the page's layout.
- Then every server-side callback of ``/_dash-dependencies`` whose inputs are all in that layout and
  which is not ``prevent_initial_call``: the renderer fires them at once (``changedPropIds: []``), with
  the input and state values of the layout. The screen-scale store is filled in the browser (1.0 on a
  16 px root font); clientside callbacks never reach the server.
The request body has the renderer's shape: ``output`` (Dash's output string), ``outputs`` (a list of
``{id, property}``, or one dict for a single output), ``inputs``/``state`` (``{id, property, value}``),
``changedPropIds``.

Only the session cookie is kept, and every request sends it explicitly, so one ``Client`` may fire
several callbacks from several threads at once (as a browser does).
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field

import requests

__all__ = ["Client", "Page", "Call", "Outcome", "label_of", "SCREEN_SCALE", "SCROLLED"]

SCREEN_SCALE = 1.0
SCALE_STORE = "screen-scale"  # dashboard.figures.SCALE_STORE (the benchmarks talk HTTP, not Python)
# Callbacks a page fires only once a person scrolls to them: label -> (output, the inputs the browser sets).
# The executive trends wait for their section to come into view (assets/executive.js sets the store).
SCROLLED = {"executive trends": ("executive-trends.children", {("executive-trends-shown", "data"): True})}
ROUTER_OUTPUT = "_pages_content.children"
# Friendly names of the callbacks the benchmarks report, by an output the callback writes.
LABELS = {
    "executive-heatmap.figure": "executive heat maps",
    "executive-trends.children": "executive trends",
    "executive-detail.children": "executive detail",
    "executive-exceptions.children": "executive exceptions",
    "plant-heatmap.figure": "plant body",
    "workcenter-oee.figure": "work center body",
    "workcenter-wo-panel.children": "work center work order",
    "home-kpis.children": "home KPIs",
    "home-health.children": "home health",
    "health-body.children": "data health",
    "supply-heatmap.figure": "supply body",
    "vendor-trend.figure": "vendor body",
    "quality-pareto.figure": "quality body",
    "finance-blocks.children": "finance body",
    "customer-blocks.children": "customer body",
}


def label_of(output: str) -> str:
    for key, label in LABELS.items():
        if key in output:
            return label
    return output.strip(".").split("...")[0]


def _parse_outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") and output.endswith("..") else [output]
    out = []
    for part in parts:
        cid, _, prop = part.rpartition(".")
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return out


def _outputs_field(output: str):
    """The request's ``outputs``: a list for a multi-output callback (``..a.b...c.d..``), else one dict."""
    parsed = _parse_outputs(output)
    return parsed if output.startswith("..") else parsed[0]


def _key(cid) -> str:
    return json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else str(cid)


def _components(tree, found: dict) -> dict:
    """``{id: props}`` of every component with an id in a layout (Dash's JSON form)."""
    if isinstance(tree, list):
        for item in tree:
            _components(item, found)
    elif isinstance(tree, dict):
        props = tree.get("props") if "namespace" in tree and "type" in tree else None
        if isinstance(props, dict):
            if props.get("id") is not None:
                found[_key(props["id"])] = props
            for value in props.values():
                _components(value, found)
        else:
            for value in tree.values():
                _components(value, found)
    return found


@dataclass
class Outcome:
    """One HTTP request: what, when (monotonic start), how long, the status (0: no response) and the error."""

    label: str
    start: float
    seconds: float
    status: int
    error: str | None = None
    body: object = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Call:
    """A callback request ready to send, with its report label."""

    label: str
    body: dict


@dataclass
class Page:
    """An opened page: its layout's components and the initial callbacks a browser fires."""

    path: str
    search: str
    components: dict
    calls: list[Call] = field(default_factory=list)

    def prop(self, cid: str, name: str, default=None):
        return self.components.get(cid, {}).get(name, default)


class Client:
    """One signed-in browser (one session cookie) talking to ``base``."""

    def __init__(self, base: str, timeout: float = 60.0):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._deps: list[dict] | None = None
        self._lock = threading.Lock()

    # --- plain requests ------------------------------------------------------------------
    def request(self, label: str, method: str, path: str, *, keep_body: bool = False, expect=(200, 204),
                **kwargs) -> Outcome:
        """Send one request; a status outside ``expect``, a timeout or a refused connection is an error."""
        t0 = time.monotonic()
        try:
            response = requests.request(method, self.base + path, cookies=self.cookies, timeout=self.timeout,
                                        allow_redirects=False, **kwargs)
            response.content  # noqa: B018  (the whole body is read inside the timing)
        except requests.RequestException as error:
            return Outcome(label, t0, time.monotonic() - t0, 0, type(error).__name__)
        seconds = time.monotonic() - t0
        error = None if response.status_code in expect else f"HTTP {response.status_code}"
        return Outcome(label, t0, seconds, response.status_code, error, response if keep_body else None)

    def sign_in(self, username: str, password: str) -> list[Outcome]:
        """GET and POST /login; on success the session cookie is kept. Returns both requests' outcomes."""
        form = self.request("sign-in form", "GET", "/login", keep_body=True)
        if not form.ok:
            return [form]
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.body.text)
        cookies = dict(form.body.cookies)
        self.cookies = cookies
        post = self.request("sign-in", "POST", "/login", keep_body=True, expect=(302, 303),
                            data={"csrf_token": found.group(1) if found else "", "username": username, "password": password})
        if post.ok:
            self.cookies = {**cookies, **dict(post.body.cookies)}
        return [form, post]

    def app_shell(self, path: str = "/") -> list[Outcome]:
        """What a browser loads once, on arrival: the page's HTML, Dash's layout and dependencies."""
        out = [self.request("page HTML", "GET", path), self.request("_dash-layout", "GET", "/_dash-layout")]
        deps = self.request("_dash-dependencies", "GET", "/_dash-dependencies", keep_body=True)
        if deps.ok:
            self._deps = deps.body.json()
        out.append(deps)
        return out

    def dependencies(self) -> list[dict]:
        if self._deps is None:
            outcome = self.request("_dash-dependencies", "GET", "/_dash-dependencies", keep_body=True)
            if not outcome.ok:
                raise RuntimeError(f"/_dash-dependencies: {outcome.error}")
            self._deps = outcome.body.json()
        return self._deps

    # --- callbacks -----------------------------------------------------------------------
    def callback(self, call: Call, keep_body: bool = False) -> Outcome:
        """POST one callback; its JSON answer is parsed into ``Outcome.body`` when ``keep_body``."""
        outcome = self.request(call.label, "POST", "/_dash-update-component", json=call.body, keep_body=keep_body)
        if keep_body and outcome.ok:
            outcome.body = outcome.body.json() if outcome.status == 200 else None
        return outcome

    def callbacks(self, calls: list[Call], keep_body: bool = False) -> list[Outcome]:
        """Fire ``calls`` at once, as the renderer does, and wait for all."""
        results: list[Outcome | None] = [None] * len(calls)

        def send(i: int) -> None:
            results[i] = self.callback(calls[i], keep_body)

        threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(len(calls))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results  # type: ignore[return-value]

    def router_call(self, path: str, search: str = "") -> Call:
        dep = next(d for d in self.dependencies() if ROUTER_OUTPUT in d["output"])
        values = {("_pages_location", "pathname"): path, ("_pages_location", "search"): search}
        inputs = [{**i, "value": values.get((i["id"], i["property"]))} for i in dep["inputs"]]
        page = "work center" if "/workcenter/" in path else (path.strip("/").split("/")[0] or "home")
        return Call(f"layout {page}",
                    {"output": dep["output"], "outputs": _outputs_field(dep["output"]), "inputs": inputs,
                     "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]], "state": []})

    def open(self, path: str, search: str = "") -> tuple[Page | None, Outcome]:
        """The router callback for ``path?search``; the page with its initial callbacks (None on failure)."""
        outcome = self.callback(self.router_call(path, search), keep_body=True)
        if not outcome.ok or not isinstance(outcome.body, dict):
            return None, outcome
        layout = outcome.body.get("response", {}).get("_pages_content", {}).get("children")
        page = Page(path, search, _components(layout, {}))
        page.calls = self.initial_calls(page)
        outcome.body = None
        return page, outcome

    def initial_calls(self, page: Page) -> list[Call]:
        """The server-side callbacks a browser fires when ``page``'s layout arrives."""
        calls = []
        for dep in self.dependencies():
            if dep.get("clientside_function") or dep.get("prevent_initial_call") or ROUTER_OUTPUT in dep["output"]:
                continue
            # the shell's screen-scale store is on every page (filled in the browser before any page callback)
            if not dep["inputs"] or not all(_key(i["id"]) in page.components or _key(i["id"]) == SCALE_STORE
                                            for i in dep["inputs"]):
                continue
            if not any(_key(o["id"]) in page.components for o in _parse_outputs(dep["output"])):
                continue
            calls.append(self._build(dep, page, {}))
        return calls

    def page_call(self, page: Page, label: str) -> Call | None:
        """The callback ``label`` of an opened page as a browser sends it: at once, or after the scroll of
        ``SCROLLED``; None when the page has no such callback."""
        found = next((c for c in page.calls if c.label == label), None)
        if found is None and label in SCROLLED:
            output, changes = SCROLLED[label]
            if all(_key(cid) in page.components for cid, _prop in changes):
                found = self.triggered_call(page, output, changes)
        return found

    def triggered_call(self, page: Page, output: str, changes: dict) -> Call | None:
        """The callback writing ``output`` (``"<id>.<property>"``) as the browser sends it once the inputs in
        ``changes`` (``{(id, property): value}``) took those values (a scroll, a click), else None."""
        dep = next((d for d in self.dependencies() if output in d["output"] and not d.get("clientside_function")), None)
        return None if dep is None else self._build(dep, page, changes)

    @staticmethod
    def _build(dep: dict, page: Page, changes: dict) -> Call:
        known = dict(page.components)
        known.setdefault(SCALE_STORE, {"data": SCREEN_SCALE})

        def values(items):
            out = []
            for item in items:
                entry = dict(item)
                where = (_key(item["id"]), item["property"])
                props = known.get(where[0], {})
                if where in changes:
                    entry["value"] = changes[where]
                elif item["property"] == "id":
                    entry["value"] = item["id"]
                elif item["property"] in props:
                    entry["value"] = props[item["property"]]
                out.append(entry)
            return out

        body = {"output": dep["output"], "outputs": _outputs_field(dep["output"]), "inputs": values(dep["inputs"]),
                "changedPropIds": [f"{cid}.{prop}" for cid, prop in changes]}
        if dep.get("state"):
            body["state"] = values(dep["state"])
        return Call(label_of(dep["output"]), body)
