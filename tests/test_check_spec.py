"""Declarative checks: users add their own in YAML; broken check files fail with file, line and id."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_check_helpers import DATA, run_cli

from summarizer.checks import values
from summarizer.checks.spec import CheckError, load_checks, load_file, shipped_dir


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(DATA)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "house.yaml"
    path.write_text(text)
    return path


def test_every_shipped_check_has_a_kebab_case_id_a_message_and_a_known_kind():
    checks = load_checks().checks
    assert len(checks) >= 15
    for check in checks.values():
        assert check.message and check.description, check.id


def test_shipped_checks_live_outside_the_core_rule_pack():
    assert shipped_dir().name == "checks"
    assert not list((shipped_dir().parent / "core").rglob("check*"))


def test_user_check_from_a_yaml_file_runs_without_python(capsys, tmp_path):
    house = write(tmp_path, """
checks:
  - id: house-style-percent
    severity: warning
    description: Our style writes "percent", never the sign.
    message: "write 'percent' instead of '{match}'"
    test: {kind: text-pattern, pattern: '\\d+\\s*%'}
""")
    article = tmp_path / "a.md"
    article.write_text("---\ndate: 2025-01-10\n---\nFares rose by 4% in January, the operator said.\n")
    result = run_cli(capsys, "check", "--checks", str(house), str(article))
    assert f"{article}:4:15: warning [house-style-percent] write 'percent' instead of '4%'" in result.out


def test_user_check_can_require_a_metadata_field_with_alternatives(capsys, tmp_path):
    house = write(tmp_path, """
checks:
  - id: byline-missing
    severity: error
    message: "add a byline: `author:` or `byline:`"
    test: {kind: required-field, field: [metadata.author, metadata.byline]}
""")
    result = run_cli(capsys, "check", "--checks", str(house), "good.md", "future-date.md")
    assert result.checks().count("byline-missing") == 2


def test_user_check_counting_facts_with_a_where_clause(capsys, tmp_path):
    house = write(tmp_path, """
checks:
  - id: single-source
    severity: info
    message: "only {count} quoted source(s); most stories need two"
    test: {kind: fact-count, facts: quotes, where: {speaker.name: present}, min: 2}
""")
    result = run_cli(capsys, "check", "--checks", str(house), "good.txt")
    assert "only 1 quoted source(s)" in result.out


@pytest.mark.parametrize("body, expected", [
    ("checks:\n  - {id: Bad_Id, severity: error, message: m, test: {kind: required-field, field: date}}\n",
     "must be kebab-case"),
    ("checks:\n  - {id: a-b, severity: fatal, message: m, test: {kind: required-field, field: date}}\n",
     "severity 'fatal' must be one of error, warning, info"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: required-feld, field: date}}\n",
     "did you mean 'required-field'"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: required-field}}\n",
     "needs the parameter 'field'"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: text-pattern, pattern: '(('}}\n",
     "is not a valid regular expression"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: date-range, field: date, max: soon}}\n",
     "must be an ISO date"),
    ("checks:\n  - {id: a-b, severity: error, message: m, colour: red, test: {kind: load-error}}\n",
     "unknown key(s) ['colour']"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: fact-count, facts: peoples, min: 1}}\n",
     "did you mean 'people'"),
    ("checks:\n  - {id: a-b, severity: error, message: m, test: {kind: fact-match, facts: quotez}}\n",
     "must be one of dates, figures"),
])
def test_broken_check_definition_names_file_line_and_cause(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(CheckError) as err:
        load_file(path)
    assert str(err.value).startswith(f"{path}:2")
    assert expected in str(err.value)


def test_user_check_reusing_a_shipped_id_is_a_configuration_error(capsys, tmp_path):
    house = write(tmp_path, "checks:\n  - {id: date-missing, severity: info, message: m, "
                            "test: {kind: required-field, field: date}}\n")
    result = run_cli(capsys, "check", "--checks", str(house), "good.md")
    assert result.code == 2 and "check id already exists" in result.err


@pytest.mark.parametrize("tag", ["en", "en-GB", "pt-BR", "zh-Hant-TW", "es-419", "sr-Latn", "yue", "x-newsroom"])
def test_valid_language_tags(tag):
    assert values.language_tag_problem(tag) is None


@pytest.mark.parametrize("tag", ["english", "en_US", "e", "zz", "en-", "fr--CA", "123"])
def test_invalid_language_tags(tag):
    assert values.language_tag_problem(tag)


@pytest.mark.parametrize("text, ok", [("2025-01-14", True), ("2025-01-14T09:30:00+02:00", True),
                                      ("2025-02-30", False), ("14/01/2025", False), ("January 14, 2025", False)])
def test_iso_dates(text, ok):
    assert (values.iso_date_problem(text) is None) is ok


def test_every_shipped_check_and_kind_is_documented():
    from summarizer.checks.kinds import KINDS
    docs = (Path(__file__).resolve().parent.parent / "docs" / "check.md").read_text()
    for name in [*load_checks().checks, *KINDS]:
        assert f"`{name}`" in docs, name
