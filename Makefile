# `make demo` and `make test` do all the set-up they need; set-up is idempotent and quick when already done.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WIDGET := widget/node_modules/@okta/okta-signin-widget/package.json
CHROMIUM ?= /usr/bin/chromium

# The test targets keep Python's bytecode caches, and pytest's rewritten test and plugin modules, even where the
# environment turns them off (PYTHONDONTWRITEBYTECODE=1, as on this project's CI machines): otherwise every xdist
# worker, child pytest run and `mock-okta` process compiles them from source again (measured on 2 cores: collecting
# the suite 9.8 s -> 4.8 s, a child `pytest --pyargs mock_okta.testing.signup_cases` run 3.8 s -> 1.9 s).
CACHED := PYTHONDONTWRITEBYTECODE=

.PHONY: setup widget browser demo check test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The genuine Okta Sign-In Widget, pinned by widget/package-lock.json.
$(WIDGET): widget/package.json widget/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the Sign-In Widget: apt-get install -y nodejs npm"; exit 1; }
	npm ci --prefix widget --no-audit --no-fund --silent
	@touch $(WIDGET)

widget: $(WIDGET)

# Debian's Chromium (Playwright cannot download browsers here).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' or set CHROMIUM=/path/to/chrome"; exit 1; \
	  fi; \
	fi

setup: $(STAMP) widget browser

demo: setup
	$(BIN)/mock-okta demo

# ruff (style), mypy (types; strict for the hook layer and the org's state), import-linter (the layering).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check -q .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The edit loop, under a minute on 2 shared cores: lint and the unit tier, in one process (two xdist workers would
# each pay the collection, which is most of its time). The server tier (`pytest -n 2 -m server`, 467 tests) alone
# takes well over a minute there; it runs in `make test` with the subprocess and browser tiers.
check: lint
	$(CACHED) $(BIN)/pytest -q -m unit

# What CI runs: lint and every tier. Three workers on 2 cores: a third of the suite's time is spent waiting (hook
# deadlines, browsers, child processes), so a third worker fills the idle core (measured: 238 s against 253 s).
test: setup lint
	$(CACHED) CHROMIUM_PATH=$(CHROMIUM) $(BIN)/pytest -n 3 -q

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) widget/node_modules test-results demo-output benchmarks/.work
