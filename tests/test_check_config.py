"""Configuration: discovery from each file upwards, overrides per path, inline disabling, `config show`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_check_helpers import DATA, run_cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    """A newsroom repo: summarizer.yaml at the top, interviews/ and a desk with its own pyproject.toml."""
    (tmp_path / "summarizer.yaml").write_text(
        "fail-on: warning\n"
        "checks:\n"
        "  quote-unattributed: info\n"
        "  date-too-old: {min: 2020-01-01}\n"
        "overrides:\n"
        "  - paths: ['interviews/**']\n"
        "    checks:\n"
        "      facts-min-quotes: error\n")
    (tmp_path / "interviews").mkdir()
    shutil.copy(DATA / "unattributed.md", tmp_path / "interviews" / "ferry.md")
    shutil.copy(DATA / "unattributed.md", tmp_path / "ferry.md")
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "pyproject.toml").write_text(
        "[project]\nname = 'desk'\n\n[tool.summarizer.checks]\nquote-unattributed = 'error'\n")
    shutil.copy(DATA / "unattributed.md", tmp_path / "desk" / "ferry.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nearest_summarizer_yaml_sets_check_severity(capsys, tree):
    assert ": info [quote-unattributed]" in run_cli(capsys, "check", "ferry.md").out


def test_pyproject_tool_table_is_found_and_nearest_wins(capsys, tree):
    result = run_cli(capsys, "check", "desk/ferry.md")
    assert ": error [quote-unattributed]" in result.out
    assert result.code == 1


def test_override_applies_only_to_matching_paths(capsys, tree):
    assert "facts-min-quotes" in run_cli(capsys, "check", "interviews/ferry.md").out
    assert "facts-min-quotes" not in run_cli(capsys, "check", "ferry.md").out


def test_config_check_parameters_change_what_a_check_tests(capsys, tree):
    (tree / "old.txt").write_text("date 2019-06-01\n\nThe pier was painted blue, the harbour office said.\n")
    assert "before 2020-01-01" in run_cli(capsys, "check", "old.txt").out


def test_fail_on_from_the_config_file_is_the_policy(capsys, tree):
    result = run_cli(capsys, "check", "interviews/ferry.md", "--severity", "facts-min-quotes=warning")
    assert "policy: fails on warning or worse" in result.out
    assert result.code == 1


def test_command_line_policy_beats_the_config_file(capsys, tree):
    result = run_cli(capsys, "check", "--fail-on", "error", "ferry.md")
    assert result.code == 0


def test_explicit_config_is_used_for_every_file(capsys, tree):
    other = tree / "strict.yaml"
    other.write_text("checks:\n  quote-unattributed: error\n")
    result = run_cli(capsys, "check", "--config", str(other), "ferry.md", "interviews/ferry.md")
    assert result.out.count(": error [quote-unattributed]") == 2
    assert "facts-min-quotes" not in result.out


def test_no_config_uses_the_shipped_defaults(capsys, tree):
    assert ": warning [quote-unattributed]" in run_cli(capsys, "check", "--no-config", "ferry.md").out


def test_broken_config_is_a_configuration_error_naming_file_and_line(capsys, tree):
    (tree / "summarizer.yaml").write_text("checks:\n  quote-unattributed: loud\n")
    result = run_cli(capsys, "check", "ferry.md")
    assert result.code == 2
    assert "summarizer.yaml:2: check quote-unattributed: 'loud' is not a severity" in result.err


def test_unknown_setting_in_config_is_an_error_with_a_suggestion(capsys, tree):
    (tree / "summarizer.yaml").write_text("fail_on: warning\n")
    result = run_cli(capsys, "check", "ferry.md")
    assert result.code == 2 and "did you mean 'fail-on'" in result.err


def test_unknown_check_parameter_in_config_is_an_error(capsys, tree):
    (tree / "summarizer.yaml").write_text("checks:\n  date-too-old: {minimum: 2020-01-01}\n")
    result = run_cli(capsys, "check", "ferry.md")
    assert result.code == 2 and "has no parameter 'minimum'" in result.err


def test_invalid_toml_is_a_configuration_error(capsys, tree):
    (tree / "desk" / "pyproject.toml").write_text("[tool.summarizer]\nfail-on = \n")
    assert run_cli(capsys, "check", "desk/ferry.md").code == 2


def test_front_matter_disables_a_check_for_the_article(capsys, monkeypatch):
    monkeypatch.chdir(DATA)
    assert run_cli(capsys, "check", "disabled-front-matter.md").checks() == []


def test_html_comment_disables_a_check_for_the_file(capsys, monkeypatch):
    monkeypatch.chdir(DATA)
    assert run_cli(capsys, "check", "disabled-comment.md").checks() == []


def test_disable_next_line_comment_covers_only_the_next_line(capsys, monkeypatch):
    monkeypatch.chdir(DATA)
    result = run_cli(capsys, "check", "disabled-next-line.md")
    assert [ln.split(":")[1] for ln in result.lines()] == ["9"]


def test_inline_disable_with_a_typo_is_reported_not_silently_ignored(capsys, monkeypatch):
    monkeypatch.chdir(DATA)
    result = run_cli(capsys, "check", "disabled-typo.md")
    assert result.checks() == ["inline-disable-unknown", "quote-unattributed"]


def test_config_show_names_the_source_of_each_value(capsys, tree):
    result = run_cli(capsys, "config", "show", "interviews/ferry.md")
    lines = result.out.splitlines()
    assert "# config file: summarizer.yaml" in lines
    assert any(ln.startswith("fail-on:") and ln.endswith("# summarizer.yaml:1") for ln in lines)
    assert any(ln.strip().startswith("quote-unattributed:") and "info" in ln and "summarizer.yaml:3" in ln
               for ln in lines)
    assert any(ln.strip().startswith("facts-min-quotes:") and "override for interviews/**" in ln for ln in lines)
    assert any(ln.strip().startswith("date-missing:") and "# default (" in ln for ln in lines)


def test_config_show_json_lists_every_check_with_sources(capsys, tree):
    doc = json.loads(run_cli(capsys, "config", "show", "--format", "json", "desk").out)
    assert doc["config_file"] == "desk/pyproject.toml"
    item = doc["checks"]["quote-unattributed"]["severity"]
    assert item["value"] == "error" and item["source"].startswith("desk/pyproject.toml")
    assert doc["settings"]["fail-on"] == {"value": "error", "source": "default"}


def test_config_show_of_a_missing_path_is_a_usage_error(capsys, tree):
    assert run_cli(capsys, "config", "show", "nowhere").code == 2


def test_config_show_format_flag_does_not_leak_into_the_check_format(capsys, tree):
    doc = json.loads(run_cli(capsys, "config", "show", "--format", "json", ".").out)
    assert doc["settings"]["format"] == {"value": "text", "source": "default"}
