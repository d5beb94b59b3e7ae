# Two commands on a fresh machine: `make run` (set up, build the sample data, summary) and
# `make test` (lint, dbt build with every data and unit test, pytest). See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
DB ?= warehouse/lead_scoring.duckdb
TEST_DB := out/test/warehouse.duckdb
# Optional Spark stack (requirements-spark.txt: dbt-spark + pyspark, ~400 MB; Java 17+ needed).
SPARK_STAMP := $(VENV)/.spark-installed-$(shell cat requirements.txt requirements-spark.txt | cksum | cut -d' ' -f1)

.PHONY: setup run build test lint dbt-test pytest pytest-all sample-data lock clean setup-spark run-spark test-spark test-spark-full semantic

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: setup
	$(BIN)/python scripts/build.py --db $(DB)
	$(BIN)/python scripts/check_metrics.py --db $(DB) --json out/metrics/check_metrics.json
	$(BIN)/python scripts/report.py --db $(DB) --out out/report --checks-json out/metrics/check_metrics.json
	LEAD_SCORING_DB=$(DB) $(BIN)/dbt docs generate --static --profiles-dir . --target-path out/docs --log-path out/docs/logs --quiet
	@echo "docs: $(CURDIR)/out/docs/static_index.html"
	@echo "report: $(CURDIR)/out/report/report.html"

build: run

setup-spark: $(SPARK_STAMP)

# requirements-spark.txt includes requirements.txt: one pip run installs both (what `setup` does too).
$(SPARK_STAMP): requirements.txt requirements-spark.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	@rm -f $(VENV)/.installed-* $(VENV)/.spark-installed-*
	@touch $(STAMP) $(SPARK_STAMP)

# The sample on Spark (dbt-spark session, local pyspark); tables under warehouse/spark/.
run-spark: setup-spark
	$(BIN)/python scripts/build.py --target spark

# lint, dbt-test and one pytest session side by side (each target's output printed whole when it
# ends): each of them alone leaves one of the two cores idle much of the time.
test: setup-spark
	@$(MAKE) --no-print-directory -j3 --output-sync=target lint dbt-test pytest-all

# `make test`'s pytest session: the tests of `make pytest`, `make test-spark` and `make test-postgres`
# in one xdist session (a Spark build keeps about one core busy; the DuckDB tests fill the other).
pytest-all: setup-spark
	@$(BIN)/python -m lead_scoring.spark
	scripts/postgres_test_server.sh
	$(BIN)/python -m pytest -q -m "not spark_full and not postgres_full" -n 3 --dist loadscope

lint: setup
	$(BIN)/ruff check lead_scoring scripts tests benchmarks
	$(BIN)/sqlfluff lint models tests/dbt --disable-progress-bar --nocolor
	$(BIN)/dbt parse --profiles-dir . --quiet --target-path target/lint --log-path target/lint/logs
	$(BIN)/dbt-score lint --manifest target/lint/manifest.json

# The sample built from scratch with every test; then built again incrementally (data tests only) and its docs
# generated, as `make run` does after its build: both run code paths a first build does not.
# dbt's debug log file is off here unless DBT_LOG_LEVEL_FILE is set, as in pytest (tests/conftest.py):
# 5-10% of a build's CPU.
dbt-test: export DBT_LOG_LEVEL_FILE ?= none
dbt-test: setup
	$(BIN)/python scripts/build.py --db $(TEST_DB) --quiet --full-refresh
	$(BIN)/python scripts/build.py --db $(TEST_DB) --quiet --skip-unit-tests
	LEAD_SCORING_DB=$(TEST_DB) $(BIN)/dbt docs generate --static --profiles-dir . --target-path out/test/docs --log-path out/test/docs/logs --quiet

pytest: setup
	$(BIN)/python -m pytest -q -m "not spark and not postgres" -n 3 --dist loadscope

# Cross-engine parity (DuckDB vs Spark). Fails, never skips, without Java 17+ (one line says why).
test-spark: setup-spark
	@$(BIN)/python -m lead_scoring.spark
	$(BIN)/python -m pytest -q -m "spark and not spark_full"

# The sample on Spark with every data and unit test too, compared with DuckDB (slower: not in `make test`).
test-spark-full: setup-spark
	@$(BIN)/python -m lead_scoring.spark
	$(BIN)/python -m pytest -q -m spark_full

# After `make run`: validate the semantic layer against $(DB) and show the monthly funnel.
semantic: setup
	LEAD_SCORING_DB=$(DB) $(BIN)/dbt parse --profiles-dir . --quiet
	LEAD_SCORING_DB=$(DB) DBT_PROFILES_DIR=$(CURDIR) DBT_PROJECT_DIR=$(CURDIR) $(BIN)/mf validate-configs
	LEAD_SCORING_DB=$(DB) DBT_PROFILES_DIR=$(CURDIR) DBT_PROJECT_DIR=$(CURDIR) $(BIN)/mf query --saved-query monthly_funnel

# The postgres target (docs/postgres.md): a local PostgreSQL 15 (apt-get install if missing;
# needs root), then its tests. Fails, never skips, when the server cannot be reached.
test-postgres: setup
	scripts/postgres_test_server.sh
	$(BIN)/python -m pytest -q -m postgres

sample-data: setup
	$(BIN)/python scripts/generate_data.py --preset sample --out seeds/sample --file-prefix raw_

lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i -E '^(dbt-spark|pyspark|py4j|sqlparams)==' > requirements.txt

clean:
	rm -rf target logs out warehouse
