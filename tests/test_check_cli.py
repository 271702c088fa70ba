"""`summarizer check` as CI runs it: exit codes, thresholds kept apart, summary line, stdin, usage errors."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_check_helpers import DATA, run_cli


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch):
    monkeypatch.chdir(DATA)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_error_finding_exits_one(capsys):
    assert run_cli(capsys, "check", "missing-date.md").code == 1


def test_missing_file_is_a_usage_error_and_other_files_are_still_checked(capsys):
    result = run_cli(capsys, "check", "no-such-article.md", "missing-date.md")
    assert result.code == 2
    assert "no-such-article.md: no such file or folder" in result.err
    assert "missing-date.md:1:1: error [date-missing]" in result.out


def test_no_path_is_a_usage_error(capsys):
    assert run_cli(capsys, "check").code == 2


def test_bad_today_is_a_usage_error(capsys):
    result = run_cli(capsys, "check", "good.md", today="15/01/2025")
    assert result.code == 2 and "YYYY-MM-DD" in result.err


def test_fail_on_warning_makes_warnings_fail(capsys):
    assert run_cli(capsys, "check", "unattributed.md").code == 0
    assert run_cli(capsys, "check", "--fail-on", "warning", "unattributed.md").code == 1


def test_fail_on_none_never_fails_on_findings(capsys):
    assert run_cli(capsys, "check", "--fail-on", "none", "missing-date.md").code == 0


def test_min_severity_hides_findings_but_never_changes_the_exit_code(capsys):
    result = run_cli(capsys, "check", "--min-severity", "error", "--fail-on", "warning", "unattributed.md")
    assert result.lines() == []
    assert result.code == 1
    assert "1 below min-severity error not shown" in result.out


def test_severity_override_changes_the_printed_severity_and_the_outcome(capsys):
    result = run_cli(capsys, "check", "--severity", "date-missing=warning", "missing-date.md")
    assert ": warning [date-missing]" in result.out
    assert result.code == 0


def test_severity_off_and_disable_turn_a_check_off(capsys):
    assert run_cli(capsys, "check", "--severity", "date-missing=off", "missing-date.md").checks() == []
    assert run_cli(capsys, "check", "--disable", "date-missing", "missing-date.md").checks() == []


def test_unknown_check_id_on_the_command_line_is_a_usage_error_with_a_suggestion(capsys):
    result = run_cli(capsys, "check", "--disable", "date-mising", "good.md")
    assert result.code == 2
    assert "did you mean 'date-missing'" in result.err


def test_summary_line_gives_counts_and_policy(capsys):
    result = run_cli(capsys, "check", "missing-date.md", "unattributed.md", "good.md")
    last = result.out.splitlines()[-1]
    assert last == ("summarizer check: 3 files checked, 1 error, 1 warning, 0 info in 2 files; "
                    "policy: fails on error or worse; 1 finding(s) at or above error: exit 1")


def test_quiet_drops_the_summary_line(capsys):
    result = run_cli(capsys, "check", "-q", "missing-date.md")
    assert "summarizer check:" not in result.out + result.err


def test_stdin_is_checked_under_the_given_name(capsys, monkeypatch):
    import io
    data = (DATA / "missing-date.md").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = run_cli(capsys, "check", "--stdin-name", "drafts/bakery.md", "-")
    assert result.lines()[0].startswith("drafts/bakery.md:1:1: error [date-missing]")


def test_folder_is_checked_recursively_in_a_stable_order(capsys):
    result = run_cli(capsys, "check", "--fail-on", "none", ".")
    paths = [ln.split(":", 1)[0] for ln in result.lines()]
    assert paths == sorted(paths)
    assert "dupes/second.txt" in paths


def test_glob_selects_files(capsys):
    result = run_cli(capsys, "check", "disabled-*.md")
    assert "4 files checked" in result.out


def test_list_checks_prints_every_shipped_id(capsys):
    result = run_cli(capsys, "check", "--list-checks")
    ids = {ln.split()[0] for ln in result.out.splitlines()}
    assert {"date-missing", "quote-unattributed", "encoding-invalid", "snapshot-mismatch"} <= ids
    assert result.code == 0


def test_output_file_receives_the_report(capsys, tmp_path):
    target = tmp_path / "report.txt"
    result = run_cli(capsys, "check", "-o", str(target), "missing-date.md")
    assert "[date-missing]" in target.read_text()
    assert "[date-missing]" not in result.out


def test_installed_command_exits_with_the_documented_codes():
    env = {**os.environ, "SUMMARIZER_TODAY": "2025-01-15"}
    env.pop("GITHUB_ACTIONS", None)
    def code(*paths):
        return subprocess.run([sys.executable, "-m", "summarizer", "check", *paths], cwd=DATA, env=env,
                              capture_output=True, text=True).returncode
    assert code("good.md") == 0
    assert code("future-date.md") == 1
    assert code("absent.md") == 2


def test_github_annotations_are_chosen_when_github_actions_is_set(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli(capsys, "check", "missing-date.md")
    assert result.out.startswith("::error file=missing-date.md,line=1,col=1,title=summarizer date-missing::")


def test_explicit_format_wins_over_github_actions(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli(capsys, "check", "--format", "text", "missing-date.md")
    assert result.out.startswith("missing-date.md:1:1: error [date-missing]")
