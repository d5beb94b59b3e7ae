"""The Spark target (`--target spark`, dbt-spark `method: session`): environment checks and paths.

Spark runs inside the dbt process through pyspark, which starts a Java 17+ JVM. What is missing
is reported as one line saying how to install it (docs/spark.md), never as a JVM stack trace.
`python -m lead_scoring.spark` runs the same checks (the Makefile's test-spark step uses it).
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from lead_scoring.contract import PROJECT_DIR
from lead_scoring.errors import UserError, check_main

MIN_JAVA = 17
INSTALL_JAVA = "install OpenJDK 17+ (e.g. apt-get install openjdk-17-jre-headless) and put it on PATH or set JAVA_HOME"
INSTALL_SPARK = "run `make setup-spark` (pip install -r requirements-spark.txt, or pip install -e '.[spark]')"
# profiles.yml reads these; the metastore (Derby, one process at a time) and tables go under SPARK_DIR_ENV.
SPARK_DIR_ENV = "LEAD_SCORING_SPARK_DIR"
DEFAULT_SPARK_DIR = PROJECT_DIR / "warehouse" / "spark"
SCHEMA_ENV = "LEAD_SCORING_SPARK_SCHEMA"
DEFAULT_SCHEMA = "lead_scoring"


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def java_executable() -> str | None:
    """The java pyspark will start: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def java_major_version(java: str) -> int | None:
    """The major version `java -version` reports (8 for "1.8.0_392", 17 for "17.0.15"); None if unknown."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_environment() -> None:
    """Raise UserError (one line: what is missing, how to install it) unless Spark can run here."""
    missing = [name for module, name in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark"))
               if not _importable(module)]
    if missing:
        raise UserError(f"--target spark needs {' and '.join(missing)}, not installed in {sys.prefix}: {INSTALL_SPARK}")
    java = java_executable()
    if java is None:
        where = f"JAVA_HOME={os.environ['JAVA_HOME']} has no bin/java" if os.environ.get("JAVA_HOME") \
            else "no `java` on PATH"
        raise UserError(f"--target spark needs Java {MIN_JAVA}+ ({where}): {INSTALL_JAVA}")
    version = java_major_version(java)
    if version is None:
        raise UserError(f"--target spark needs Java {MIN_JAVA}+; `{java} -version` did not say which Java it is: "
                        f"{INSTALL_JAVA}")
    if version < MIN_JAVA:
        raise UserError(f"--target spark needs Java {MIN_JAVA}+, found Java {version} ({java}): {INSTALL_JAVA}")


def check_target(target: str) -> None:
    """scripts/build.py's target check: for spark the environment, then one line on where the tables go."""
    if target != "spark":
        return
    check_environment()
    schema = os.environ.get(SCHEMA_ENV, DEFAULT_SCHEMA)
    print(f"spark: tables go to schema {schema} under {spark_dir()} ({SPARK_DIR_ENV}); the end-of-build "
          "summary is DuckDB-only (query the marts as in docs/spark.md)", flush=True)


def spark_dir() -> Path:
    """Where profiles.yml puts the Spark metastore and tables (LEAD_SCORING_SPARK_DIR)."""
    configured = os.environ.get(SPARK_DIR_ENV)
    return Path(configured).resolve() if configured else DEFAULT_SPARK_DIR


def table_dir(table: str, base: Path | None = None) -> Path:
    """The folder of Parquet files a model's table is made of in the local warehouse."""
    schema = os.environ.get(SCHEMA_ENV, DEFAULT_SCHEMA)
    return (base or spark_dir()) / "spark-warehouse" / f"{schema}.db" / table


def main() -> int:
    def ready() -> str:
        return f"spark: ready (Java {java_major_version(java_executable() or 'java')}, pyspark and dbt-spark installed)"

    return check_main(check_environment, ready)

if __name__ == "__main__":
    sys.exit(main())
