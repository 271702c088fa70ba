"""Fact-sheet columns on a PySpark DataFrame, in Spark local mode (skipped without pyspark or Java)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

pyspark = pytest.importorskip("pyspark")

from summarizer.api import Summarizer  # noqa: E402
from summarizer.spark import COLUMNS, with_facts  # noqa: E402

TALKS = ("Talks in Oslo\n\nForeign Minister Ana Torres met Prime Minister Jonas Berg in Oslo on Monday. "
         "\"We agreed on the fishing quotas,\" Torres said.\n")
PORT = "The port authority said cargo volumes fell by 3 million tonnes last year.\n"


@pytest.fixture(scope="module")
def spark():
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java; install a JRE (e.g. apt-get install default-jre-headless)")
    from pyspark.sql import SparkSession
    try:
        session = (SparkSession.builder.master("local[1]").appName("summarizer-test")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
                   .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    except Exception as exc:  # a JVM that will not start is an environment problem, not ours
        pytest.skip(f"Spark local mode did not start: {exc}")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def articles(spark):
    rows = [("talks-1", "2024-05-14", TALKS), ("port-2", "2024-05-15", PORT), ("empty-3", None, None)]
    return spark.createDataFrame(rows, "id string, date string, text string").repartition(2)


@pytest.fixture(scope="module")
def result(articles):
    return {row["id"]: row for row in with_facts(articles).collect()}


def test_with_facts_keeps_the_rows_and_their_columns(articles, result):
    assert sorted(result) == ["empty-3", "port-2", "talks-1"]
    assert with_facts(articles).columns == articles.columns + list(COLUMNS)


def test_the_facts_column_equals_the_library_fact_sheet(result):
    expected = Summarizer().facts(TALKS, id="talks-1", date="2024-05-14")
    assert json.loads(result["talks-1"]["facts"]) == expected


def test_typed_columns_hold_names_quotes_and_meetings(result):
    row = result["talks-1"]
    assert "Ana Torres" in row["people"]
    assert row["quotes"][0]["speaker"] == "Ana Torres"
    assert row["meetings"][0]["date"] == "2024-05-13"


def test_a_row_without_text_gets_an_error_and_the_job_goes_on(result):
    row = result["empty-3"]
    assert row["facts"] is None and "text" in row["facts_error"]
    assert result["port-2"]["facts_error"] is None


def test_a_missing_text_column_is_named_before_any_job_runs(spark):
    df = spark.createDataFrame([("a", "words")], "id string, body string")
    with pytest.raises(ValueError, match="text_col"):
        with_facts(df)
