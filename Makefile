# Two commands on a fresh machine: `make run` (set up, build the sample data, summary) and
# `make test` (lint, dbt build with every data and unit test, pytest). See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
DB ?= warehouse/lead_scoring.duckdb
TEST_DB := out/test/warehouse.duckdb

.PHONY: setup run build test lint dbt-test pytest sample-data lock clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: setup
	$(BIN)/python scripts/build.py --db $(DB)

build: run

test: setup lint dbt-test pytest

lint: setup
	$(BIN)/ruff check lead_scoring scripts tests
	$(BIN)/sqlfluff lint models tests/dbt --disable-progress-bar --nocolor

dbt-test: setup
	$(BIN)/python scripts/build.py --db $(TEST_DB) --quiet

pytest: setup
	$(BIN)/python -m pytest -q

sample-data: setup
	$(BIN)/python scripts/generate_data.py --preset sample --out seeds/sample --file-prefix raw_

lock: setup
	$(BIN)/python -m pip freeze --exclude-editable > requirements.txt

clean:
	rm -rf target logs out warehouse
