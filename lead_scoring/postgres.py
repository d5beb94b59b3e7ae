"""The Postgres target (`--target postgres`, dbt-postgres): connection settings and checks.

profiles.yml's `postgres` output reads the same LEAD_SCORING_PG_* variables as `connection_settings()`,
with the same defaults (the local server scripts/postgres_test_server.sh sets up). What is missing is
reported as one line saying how to fix it (docs/postgres.md), never as a driver stack trace.
`python -m lead_scoring.postgres` runs the same checks.
"""

import importlib.util
import os
import sys

from lead_scoring.errors import UserError, check_main

# profiles.yml key -> (environment variable, default).
SETTINGS = {
    "host": ("LEAD_SCORING_PG_HOST", "localhost"),
    "port": ("LEAD_SCORING_PG_PORT", "5432"),
    "user": ("LEAD_SCORING_PG_USER", "lead_scoring"),
    "password": ("LEAD_SCORING_PG_PASSWORD", "lead_scoring"),
    "dbname": ("LEAD_SCORING_PG_DBNAME", "lead_scoring"),
}
SCHEMA_ENV = "LEAD_SCORING_PG_SCHEMA"
DEFAULT_SCHEMA = "lead_scoring"
START_SERVER = ("start a local server with scripts/postgres_test_server.sh (as root; `make test-postgres` runs it) "
                "or point LEAD_SCORING_PG_HOST/_PORT/_USER/_PASSWORD/_DBNAME at yours")
CONNECT_TIMEOUT_SECONDS = 5


def connection_settings() -> dict[str, str]:
    """psycopg2.connect() keyword arguments for the database profiles.yml's postgres output uses."""
    return {key: os.environ.get(env, default) for key, (env, default) in SETTINGS.items()}


def schema() -> str:
    """The schema dbt builds into (LEAD_SCORING_PG_SCHEMA)."""
    return os.environ.get(SCHEMA_ENV, DEFAULT_SCHEMA)


def describe(settings: dict[str, str] | None = None) -> str:
    settings = settings or connection_settings()
    return f"{settings['user']}@{settings['host']}:{settings['port']}/{settings['dbname']}"


def connect(**overrides):
    """A psycopg2 connection to the target database; UserError (one line) when it cannot be made."""
    import psycopg2

    settings = {**connection_settings(), **overrides}
    try:
        return psycopg2.connect(connect_timeout=CONNECT_TIMEOUT_SECONDS, **settings)
    except psycopg2.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise UserError(f"cannot connect to PostgreSQL {describe(settings)} ({reason}): {START_SERVER}") from None


def check_environment() -> None:
    """Raise UserError unless dbt-postgres is installed, the schema name is usable and the server answers."""
    missing = [name for module, name in (("dbt.adapters.postgres", "dbt-postgres"), ("psycopg2", "psycopg2"))
               if not _importable(module)]
    if missing:
        raise UserError(f"--target postgres needs {' and '.join(missing)}, not installed in {sys.prefix}: "
                        "run `make setup` (requirements.txt pins dbt-postgres)")
    if schema().lower().startswith("pg_"):
        raise UserError(f"{SCHEMA_ENV}={schema()}: Postgres reserves schema names starting with pg_")
    connect().close()


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def check_target(target: str, raw_dir=None) -> None:
    """scripts/build.py's target check: for postgres no --raw-dir, the server, then one line on where
    the tables go."""
    if target != "postgres":
        return
    if raw_dir is not None:
        # Before dbt starts: the server cannot read files here (macro postgres__read_raw_file says the
        # same to a dbt run started by hand, but only once the seeds are already loaded).
        raise UserError("--raw-dir is not supported on the postgres target (the server cannot read files on this "
                        "machine): build from the sample seeds (no --raw-dir), or load your raw tables into Postgres "
                        "as raw_<table> tables of text columns (docs/postgres.md, 'Raw files')")
    check_environment()
    print(f"postgres: tables go to schema {schema()} of {describe()}, built and tested in place (no "
          "write-audit-publish); the end-of-build summary is DuckDB-only (docs/postgres.md)", flush=True)


def main() -> int:
    return check_main(check_environment, lambda: f"postgres: ready ({describe()}, schema {schema()})")

if __name__ == "__main__":
    sys.exit(main())
