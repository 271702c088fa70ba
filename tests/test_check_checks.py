"""Each shipped check, on articles written to break it (and on good ones that must stay clean)."""
from __future__ import annotations

import pytest
from test_check_helpers import DATA, run_cli


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch):
    monkeypatch.chdir(DATA)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SUMMARIZER_TODAY", raising=False)


def test_good_articles_have_no_findings_and_exit_zero(capsys):
    result = run_cli(capsys, "check", "good.md", "good.txt")
    assert result.lines() == []
    assert result.code == 0


@pytest.mark.parametrize("fixture, check, severity, line", [
    ("missing-date.md", "date-missing", "error", 1),
    ("future-date.md", "date-future", "error", 2),
    ("old-date.txt", "date-too-old", "warning", 1),
    ("bad-language.md", "language-invalid", "error", 3),
    ("underscore-language.md", "language-invalid", "error", 3),
    ("unattributed.md", "quote-unattributed", "warning", 6),
    ("unbalanced.md", "quote-unbalanced", "error", 6),
    ("dateline-mismatch.md", "dateline-date-mismatch", "warning", 4),
    ("empty-body.md", "body-empty", "error", 5),
    ("broken-front-matter.md", "article-unreadable", "error", 4),
    ("region-unknown.md", "region-unknown", "warning", 3),
    ("latin1.txt", "encoding-invalid", "error", 3),
    ("mojibake.txt", "encoding-mojibake", "warning", 3),
])
def test_bad_article_gets_the_finding_of_its_check_at_its_line(capsys, fixture, check, severity, line):
    result = run_cli(capsys, "check", fixture)
    found = [ln for ln in result.lines() if f"[{check}]" in ln]
    assert found, result.out
    assert found[0].startswith(f"{fixture}:{line}:")
    assert f": {severity} [{check}] " in found[0]


def test_finding_line_has_file_line_column_severity_id_and_message(capsys):
    result = run_cli(capsys, "check", "future-date.md")
    assert result.lines() == ["future-date.md:2:7: error [date-future] publication date 2031-05-04 is after "
                              "today (2025-01-15); fix the date or hold the article until then"]


def test_future_date_depends_on_the_injected_today(capsys):
    assert run_cli(capsys, "check", "future-date.md", today="2031-05-04").code == 0
    assert run_cli(capsys, "check", "future-date.md", today="2031-05-03").code == 1


def test_today_comes_from_the_environment_when_no_flag(capsys, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_TODAY", "2032-01-01")
    result = run_cli(capsys, "check", "future-date.md", today=None)
    assert "date-future" not in result.out


def test_underscore_language_tag_message_suggests_the_hyphen(capsys):
    result = run_cli(capsys, "check", "underscore-language.md")
    assert "'en-US'" in result.out


def test_well_formed_regional_language_tag_passes(capsys):
    assert "language-invalid" not in run_cli(capsys, "check", "good.md").out


def test_unbalanced_quote_is_an_error_that_fails_the_run(capsys):
    result = run_cli(capsys, "check", "unbalanced.md")
    assert "quote-unbalanced" in result.checks()
    assert result.code == 1


def test_unattributed_quote_is_a_warning_that_does_not_fail_by_default(capsys):
    result = run_cli(capsys, "check", "unattributed.md")
    assert result.checks() == ["quote-unattributed"]
    assert result.code == 0


def test_duplicate_body_names_the_first_file(capsys):
    result = run_cli(capsys, "check", "dupes")
    assert result.lines() == [
        "dupes/second.txt:5:1: warning [body-duplicate] the body is the same as that of dupes/first.md:6; "
        "remove one of them or give them different texts"]


def test_latin1_bytes_are_reported_and_the_rest_is_still_checked(capsys):
    result = run_cli(capsys, "check", "latin1.txt")
    assert "byte 24, 0xe9; 2 bad sequence(s)" in result.out
    assert result.checks() == ["encoding-invalid"]


def test_people_and_places_the_text_never_mentions(capsys):
    result = run_cli(capsys, "check", "people-not-mentioned.md")
    assert "'Victor Osei' is listed under people" in result.out
    assert "'Port Elwyn' is listed under places" in result.out
    assert "Lena Park'" not in result.out and "'Northgate'" not in result.out


def test_quoted_person_missing_from_people_metadata_is_info(capsys):
    result = run_cli(capsys, "check", "people-not-mentioned.md")
    line = next(ln for ln in result.lines() if "[quote-speaker-not-in-metadata]" in ln)
    assert ": info [" in line and "Samuel Reyes is quoted" in line


def test_surname_alone_counts_as_a_mention_of_a_listed_person(capsys):
    # good.md lists Marta Lindqvist and later says only "Lindqvist said"
    assert "metadata-person-not-in-text" not in run_cli(capsys, "check", "good.md").out


def test_jsonl_findings_point_at_the_record_line(capsys):
    result = run_cli(capsys, "check", "records.jsonl")
    assert "records.jsonl:2:1: error [date-missing]" in result.out
    assert "records.jsonl:3:1: error [article-unreadable]" in result.out
    assert not any(ln.startswith("records.jsonl:1:") for ln in result.lines())


def test_facts_min_quotes_is_off_until_enabled(capsys):
    assert "facts-min-quotes" not in run_cli(capsys, "check", "unattributed.md").out
    result = run_cli(capsys, "check", "--enable", "facts-min-quotes", "unattributed.md")
    assert "found 0 attributed quotations, at least 1 expected" in result.out
    assert result.code == 1


def test_optional_required_fields_are_off_by_default_and_can_be_enabled(capsys):
    assert "language-missing" not in run_cli(capsys, "check", "unattributed.md").out
    result = run_cli(capsys, "check", "--enable", "language-missing", "--enable", "id-missing", "unattributed.md")
    assert {"language-missing", "id-missing"} <= set(result.checks())


def test_a_rule_that_ran_out_of_time_is_a_finding_naming_it(capsys, tmp_path):
    pack = tmp_path / "slow"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: slow\nextends: core\n", encoding="utf-8")
    (pack / "r.yaml").write_text(
        "rules:\n  add:\n    - id: figures.slow\n      stage: figures\n      description: backtracks\n"
        "      pattern: '(?P<number>\\d+)\\s+(?P<unit>tonnes)(?!\\s+(?:a|a)+$)'\n", encoding="utf-8")
    article = tmp_path / "catch.txt"
    article.write_text("date 2024-05-02\n\nThe boats landed 40 tonnes " + "a" * 60 + "!\n", encoding="utf-8")
    result = run_cli(capsys, "check", "--rules", str(pack), "--timeout", "0.2", str(article))
    found = [ln for ln in result.lines() if "[rule-timeout]" in ln]
    assert found and "rule figures.slow ran past its time limit" in found[0], result.out

