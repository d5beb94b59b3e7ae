"""--target spark without what Spark needs: one line saying what is missing and how to install it.

No Spark needed: the checks are run against fake `java` executables and a fake import check.
"""

import os
import stat
import sys

import pytest
from conftest import run_script

from lead_scoring import spark
from lead_scoring.errors import UserError


def fake_java(folder, version_line: str) -> str:
    """A JAVA_HOME whose bin/java prints `version_line` to stderr, as `java -version` does."""
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    return str(folder)


@pytest.fixture
def spark_installed(monkeypatch):
    monkeypatch.setattr(spark, "_importable", lambda module: True)


@pytest.mark.parametrize(("version_line", "major"), [
    ('openjdk version "17.0.15" 2025-04-15', 17),
    ('openjdk version "21" 2023-09-19', 21),
    ('java version "1.8.0_392"', 8),
    ('openjdk version "11.0.22" 2024-01-16', 11),
])
def test_java_major_version(tmp_path, version_line, major):
    java_home = fake_java(tmp_path, version_line)
    assert spark.java_major_version(os.path.join(java_home, "bin", "java")) == major


def test_old_java_is_one_line_naming_version_and_fix(tmp_path, monkeypatch, spark_installed):
    monkeypatch.setenv("JAVA_HOME", fake_java(tmp_path, 'openjdk version "11.0.22" 2024-01-16'))
    with pytest.raises(UserError) as caught:
        spark.check_environment()
    message = str(caught.value)
    assert "Java 17+" in message and "found Java 11" in message and "openjdk-17" in message
    assert "\n" not in message


def test_missing_java_is_one_line(tmp_path, monkeypatch, spark_installed):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-such-jdk"))
    with pytest.raises(UserError, match="needs Java 17\\+ .*has no bin/java.*openjdk-17"):
        spark.check_environment()


def test_missing_packages_name_the_install_command(monkeypatch):
    monkeypatch.setattr(spark, "_importable", lambda module: module != "pyspark")
    with pytest.raises(UserError, match="needs pyspark, not installed .*make setup-spark"):
        spark.check_environment()


def test_build_with_old_java_stops_with_exit_2(tmp_path):
    """The same line from scripts/build.py --target spark, before any dbt runs."""
    result = run_script("build.py", "--target", "spark", "--db", str(tmp_path / "w.duckdb"),
                        env={"JAVA_HOME": fake_java(tmp_path / "jdk", 'java version "1.8.0_392"')})
    assert result.returncode == 2
    error_lines = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, result.stdout
    if "pyspark" in error_lines[0] or "dbt-spark" in error_lines[0]:
        assert "make setup-spark" in error_lines[0]  # this environment has no Spark packages
    else:
        assert "found Java 8" in error_lines[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_check_module_exit_code(tmp_path):
    """`python -m lead_scoring.spark` (the Makefile's test-spark guard) exits 2 with one line."""
    import subprocess

    from conftest import PROJECT_DIR

    result = subprocess.run([sys.executable, "-m", "lead_scoring.spark"], cwd=PROJECT_DIR, capture_output=True,
                            text=True, env={**os.environ, "JAVA_HOME": str(tmp_path / "none")})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --target spark needs")
