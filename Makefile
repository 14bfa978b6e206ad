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

# Lint first (seconds), then the unit, database and browser tests.
test: env browsers
	$(PY) -m ruff check .
	DASH_TEST_CHROMEPATH=$$(command -v chromium) $(PY) -m pytest --headless $(PYTEST_ARGS)

bench: env
	$(PY) benchmarks/kpis_bench.py
