# gaizao — the two commands that matter: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOUSEHOLDS ?= 5000
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $@

install: $(STAMP)

demo: $(STAMP)
	scripts/install-system-deps runtime
	$(BIN)/gaizao demo --households $(HOUSEHOLDS) --port $(PORT)

test: $(TEST_STAMP)
	scripts/install-system-deps test
	$(MAKE) test-sqlite
	@if [ -n "$$GAIZAO_TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; \
	else echo "GAIZAO_TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)"; fi

test-sqlite: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench scripts
	GAIZAO_PRODUCTION=true GAIZAO_SECRET_KEY=ci-throwaway-not-secret-Yj5huYZAP9mInexF_ttXdZyvuhNkljQzKFGe-VDtglcEAyaZ GAIZAO_DATA_KEY=Y2ktdGhyb3dhd2F5LWRhdGEta2V5LW5vdC1zZWNyZXQ= $(BIN)/gaizao check --deploy --fail-level WARNING
	$(BIN)/pytest -n 2

test-postgres: $(TEST_STAMP)
	DATABASE_URL="$$GAIZAO_TEST_DATABASE_URL" $(BIN)/pytest -n 2 -m "not browser"

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench scripts

bench: $(TEST_STAMP)
	$(BIN)/python bench/import_ledger.py
	$(BIN)/python bench/compensation.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
