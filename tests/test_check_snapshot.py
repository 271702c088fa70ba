"""`--expect FACTS.json`: differences from a committed fact sheet are findings at the fact's line."""
from __future__ import annotations

import json
import shutil

import pytest
from test_check_helpers import DATA, run_cli

from summarizer.checks.snapshot import differences


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "good.txt", tmp_path / "good.txt")


def committed(capsys) -> dict:
    from summarizer import cli
    assert cli.main(["facts", "good.txt"]) == 0
    return json.loads(capsys.readouterr().out)


def test_unchanged_fact_sheet_matches_its_snapshot(capsys, tmp_path):
    (tmp_path / "good.json").write_text(json.dumps(committed(capsys)))
    result = run_cli(capsys, "check", "--expect", "good.json", "good.txt")
    assert result.checks() == [] and result.code == 0


def test_changed_speaker_is_a_finding_on_the_quote_line(capsys, tmp_path):
    sheet = committed(capsys)
    sheet["quotes"][0]["speaker"]["name"] = "Someone Else"
    (tmp_path / "good.json").write_text(json.dumps(sheet))
    result = run_cli(capsys, "check", "--expect", "good.json", "good.txt")
    assert result.checks() == ["snapshot-mismatch"]
    assert result.lines()[0].startswith("good.txt:7:")
    assert 'quotes[0].speaker.name is "Peter Okafor", expected "Someone Else"' in result.out
    assert result.code == 1


def test_missing_snapshot_says_how_to_create_it(capsys):
    result = run_cli(capsys, "check", "--expect", "absent.json", "good.txt")
    assert "create it with 'summarizer facts ARTICLE > absent.json'" in result.out


def test_snapshot_folder_holds_one_sheet_per_article(capsys, tmp_path):
    (tmp_path / "expected").mkdir()
    (tmp_path / "expected" / "good.json").write_text(json.dumps(committed(capsys)))
    assert run_cli(capsys, "check", "--expect", "expected", "good.txt").code == 0


def test_expect_file_with_several_articles_is_a_usage_error(capsys):
    assert run_cli(capsys, "check", "--expect", "good.json", "good.txt", "other.txt").code == 2


def test_differences_report_added_and_removed_list_items_with_their_spans():
    old = {"quotes": [{"text": "a", "span": [1, 2]}]}
    new = {"quotes": [{"text": "a", "span": [1, 2]}, {"text": "b", "span": [10, 12]}]}
    added = differences(old, new)
    assert [(d.path, d.span) for d in added] == [("quotes[1]", (10, 12))]
    assert [d.text.split(" ")[1] for d in differences(new, old)] == ["is"]


def test_ignored_paths_are_left_out():
    assert differences({"article": {"id": "x"}}, {"article": {"id": "y"}}, ["article.id"]) == []
