# The two front-door commands: `make run` (demo on http://127.0.0.1:8050) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test env browsers bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "python3 is required"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

env: $(STAMP)

run: env
	$(PY) -m dashboard run --host 127.0.0.1 --port 8050

# Browser tests drive Debian's chromium through chromedriver (dash[testing]).
browsers:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; fi

# Lint first (seconds), then two pytest processes at once: the browser tests (tests/e2e: Dash's test server,
# headless Chromium, the embedded demo) and everything else (PostgreSQL, Redis, gunicorn). They share no port,
# database or Redis database, and much of each is waiting (browsers drawing, timeouts under test), so two
# cores run both in about the time of the longer. The browser tests' output follows the others'; make fails
# when either fails.
test: env browsers
	$(PY) -m ruff check .
	@log=$$(mktemp); \
	DASH_TEST_CHROMEPATH=$$(command -v chromium) $(PY) -m pytest --headless -p no:cacheprovider tests/e2e $(PYTEST_ARGS) \
		> $$log 2>&1 & browser=$$!; \
	$(PY) -m pytest --ignore=tests/e2e $(PYTEST_ARGS); rest=$$?; \
	wait $$browser; e2e=$$?; \
	echo "----- browser tests (tests/e2e) -----"; cat $$log; rm -f $$log; \
	test $$rest -eq 0 && test $$e2e -eq 0

bench: env
	$(PY) benchmarks/kpis_bench.py
