"""Hostile and broken input: a clear error or a sensible result, never a hang or a traceback.

Every input here is made by the test itself. Where a run could hang, the test bounds it with a
small --timeout and checks the rule that ran out of time is reported by its id.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.api import Summarizer
from summarizer.cli import main

SLOW_RULE = "people.slow-pattern"


def facts_of(path: Path, capsys, *extra: str) -> tuple[int, dict | None, str]:
    """Run `summarizer facts` on one file: exit code, parsed fact sheet (if any), stderr."""
    code = main(["facts", *extra, str(path)])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else None), captured.err


def test_a_binary_file_is_refused_by_name(tmp_path, capsys):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    code, sheet, err = facts_of(path, capsys)
    assert code == 2 and sheet is None
    assert str(path) in err and "binary" in err


def test_invalid_utf8_names_the_line_and_byte(tmp_path, capsys):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"date 2024-02-01\n\nThe ferry left.\nThen \xc3\x28 happened.\n")
    code, sheet, err = facts_of(path, capsys)
    assert code == 2 and sheet is None
    assert f"{path}:4 (byte 38)" in err and "UTF-8" in err


def test_a_latin1_file_gets_an_error_that_says_how_to_convert_it(tmp_path, capsys):
    path = tmp_path / "latin.txt"
    path.write_bytes("date 2024-02-01\n\nThe café in Zürich reopened.\n".encode("latin-1"))
    code, _, err = facts_of(path, capsys)
    assert code == 2 and "iconv -f latin1" in err


def test_an_empty_file_gives_an_empty_fact_sheet(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    code, sheet, _ = facts_of(path, capsys)
    assert code == 0
    assert sheet["article"]["wordCount"] == 0 and sheet["quotes"] == [] and sheet["people"] == []


def test_a_file_of_nothing_but_quotation_marks_gives_no_quotes_with_words(tmp_path, capsys):
    path = tmp_path / "marks.txt"
    path.write_text('"' * 3000 + "“”" * 2000 + "‘’" * 1000 + "«»" * 500, encoding="utf-8")
    code, sheet, _ = facts_of(path, capsys)
    assert code == 0
    assert all(not any(ch.isalnum() for ch in q["text"]) for q in sheet["quotes"])
    assert sheet["people"] == []


def test_deeply_nested_quotes_give_spans_that_index_the_text(tmp_path, capsys):
    inner = "calm"
    for depth in range(120):
        inner = f"“we said ‘{inner}’ again”" if depth % 2 else f'"they wrote {inner} once"'
    text = f"date 2024-02-01\n\nThe mayor said {inner}.\n"
    path = tmp_path / "nested.txt"
    path.write_text(text, encoding="utf-8")
    code, sheet, _ = facts_of(path, capsys)
    assert code == 0
    for quote in sheet["quotes"]:
        start, end = quote["span"]
        assert text[start:end] == quote["text"]


def test_a_long_article_finishes_with_a_fact_sheet(tmp_path, capsys):
    paragraph = ("The council met on Tuesday. \"We will open the harbour in May,\" Mayor Lena Dahl said. "
                 "Trade rose 4 percent to 12 million dollars.\n\n")
    path = tmp_path / "long.txt"
    path.write_text("date 2024-03-05\n\n" + paragraph * (100_000 // len(paragraph)), encoding="utf-8")
    code, sheet, _ = facts_of(path, capsys, "--timeout", "0.05")
    assert code == 0
    assert len(sheet["quotes"]) > 500
    assert all(p.get("rule") for p in sheet["problems"] if p["kind"] == "timeout")


def test_one_endless_sentence_of_dates_and_quotations_gives_them_all(tmp_path, capsys):
    # each date once weighed every tense cue of its sentence: 500 of them took seconds, 2,000 minutes
    path = tmp_path / "endless.txt"
    path.write_text("date 2024-03-05\n\n" + 'President Ana Ruiz said "we will see" on Monday, and ' * 500,
                    encoding="utf-8")
    code, sheet, _ = facts_of(path, capsys)
    assert code == 0
    assert len(sheet["dates"]) == 500 and len(sheet["quotes"]) == 500


def test_a_ten_megabyte_article_is_an_error_record_in_batch_and_the_run_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dump.txt").write_text("date 2024-03-05\n\n" + "The port was busy. " * 550_000, encoding="utf-8")
    (folder / "small.txt").write_text("date 2024-03-05\n\nThe port was busy on Monday.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "--max-mb" in lines[0]["error"] and lines[0]["source"] == str(folder / "dump.txt")
    assert lines[1]["schema"] == "summarizer.factsheet/1"
    assert "1 done, 1 failed" in capsys.readouterr().err


@pytest.fixture(scope="module")
def slow_pack(tmp_path_factory) -> Path:
    """A user pack with one rule whose pattern backtracks catastrophically on runs of 'a'."""
    pack = tmp_path_factory.mktemp("slowpack")
    (pack / "slow.yaml").write_text(
        "rules:\n"
        f"  - id: {SLOW_RULE}\n"
        "    stage: entities\n"
        "    emit: person\n"
        "    description: Backtracks exponentially on a long run of the letter a not followed by b.\n"
        "    pattern: '(?P<name>(?:a|a)+b)'\n", encoding="utf-8")
    Summarizer([pack])  # compile once; the CLI below reads the rule cache
    return pack


SLOW_TEXT = "date 2024-03-05\n\nMayor Lena Dahl said the harbour opens in May. " + "a" * 60 + "c.\n"


def test_a_rule_that_times_out_is_reported_with_its_id(slow_pack, tmp_path, capsys):
    path = tmp_path / "slow.txt"
    path.write_text(SLOW_TEXT, encoding="utf-8")
    code, sheet, _ = facts_of(path, capsys, "--rules", str(slow_pack), "--timeout", "0.05")
    assert code == 0
    timeouts = [p for p in sheet["problems"] if p["kind"] == "timeout"]
    assert [p["rule"] for p in timeouts] == [SLOW_RULE]
    assert SLOW_RULE in timeouts[0]["message"]


def test_the_other_rules_still_run_when_one_times_out(slow_pack):
    sheet = Summarizer([slow_pack], timeout=0.05).facts(SLOW_TEXT)
    assert "Lena Dahl" in [p["name"] for p in sheet["people"]]


def test_a_timed_out_rule_is_skipped_only_for_that_article(slow_pack):
    summarizer = Summarizer([slow_pack], timeout=0.05)
    summarizer.facts(SLOW_TEXT)
    calm = summarizer.facts("date 2024-03-05\n\nMayor Lena Dahl said the harbour opens in May.\n")
    assert not [p for p in calm["problems"] if p["kind"] == "timeout"]
