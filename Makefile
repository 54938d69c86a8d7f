# `make demo` and `make test` do all the set-up they need; set-up is idempotent and quick when already done.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/mock-okta demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check -q .

test: lint
	$(BIN)/pytest -n 2 -q

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) test-results demo-output benchmarks/.work
