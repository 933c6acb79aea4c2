# Hotline: `make demo` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The test database (test_hotline) is created and dropped by pytest-django.
PG_URL ?= postgres://postgres@127.0.0.1:5432/hotline

.PHONY: demo test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Hotline needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/hotline demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest
	@if $(BIN)/python -m tests.postgres_available "$(PG_URL)"; then \
		echo "== again on PostgreSQL: the database-dependent tests =="; \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser" tests/integration; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required in CI, and $(PG_URL) does not answer" >&2; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run ($(PG_URL) does not answer)"; \
	fi

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.customer_search

clean:
	rm -rf $(VENV) var test-artifacts
