"""Loading articles: formats, headers, offsets, and errors that name the file and where."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.article import decode, ends_with_abbreviation, from_text, load_bytes, load_inputs
from summarizer.errors import ArticleError


def test_date_header_on_its_own_line_sets_the_date_and_starts_the_body_after_it() -> None:
    art = from_text("date 2024-05-06\n\nStorm hits coast\n\nThe storm hit the coast on Sunday night.")
    assert art.date == "2024-05-06"
    assert art.text[art.body_start:].startswith("Storm hits coast")


def test_inline_date_header_before_the_first_sentence_is_read() -> None:
    art = from_text(" date 2024-10-01 Ministers met in Lima. They talked for hours.")
    assert art.date == "2024-10-01"
    assert art.body.lstrip().startswith("Ministers met")


def test_first_short_line_followed_by_a_blank_line_is_the_headline() -> None:
    art = from_text("date 2024-05-06\n\nStorm hits coast\n\nThe storm hit the coast on Sunday night.")
    assert art.headline == "Storm hits coast"


def test_a_long_first_paragraph_is_not_a_headline() -> None:
    art = from_text("The storm hit the coast on Sunday night, flooding roads and cutting power to "
                    "thousands of homes across three counties, officials said on Monday morning.\n\nMore.")
    assert art.headline is None


def test_markdown_front_matter_is_metadata_and_dates_stay_iso_strings() -> None:
    art = from_text("---\ndate: 2024-05-06\nheadline: Storm\npeople: [Ana Ruiz]\n---\nAna Ruiz spoke.\n", "a.md")
    assert art.date == "2024-05-06"
    assert art.metadata["date"] == "2024-05-06"
    assert art.headline == "Storm"
    assert art.metadata["people"] == ["Ana Ruiz"]
    assert art.text[art.body_start:] == "Ana Ruiz spoke.\n"


def test_spans_index_the_original_text_of_a_markdown_file() -> None:
    text = "---\ndate: 2024-05-06\n---\nAna Ruiz said: \"We will rebuild the bridge by June.\"\n"
    art = from_text(text, "a.md")
    start = art.sentences[0][0]
    assert text[start:].startswith("Ana Ruiz said")


def test_json_record_gives_text_and_metadata() -> None:
    record = {"id": "x1", "date": "2024-01-02", "text": "Ana Ruiz spoke in Lima."}
    [art] = list(load_bytes(json.dumps(record).encode(), "a.json"))
    assert art.id == "x1" and art.date == "2024-01-02" and art.text == "Ana Ruiz spoke in Lima."


def test_a_broken_jsonl_line_is_an_error_with_its_line_and_the_other_lines_still_load() -> None:
    data = b'{"text": "First story."}\n{broken\n{"text": "Third story."}\n'
    items = list(load_bytes(data, "batch.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "Article"]
    assert items[1].line == 2 and "batch.jsonl:2" in str(items[1])


def test_utf8_bom_is_accepted() -> None:
    assert decode("\ufeffdate 2024-01-01\n\nHello.".encode("utf-8"), "a.txt").startswith("date")


def test_invalid_utf8_names_the_file_and_byte_offset() -> None:
    with pytest.raises(ArticleError) as err:
        decode("caf\u00e9 au lait".encode("latin-1"), "latin.txt")
    assert err.value.offset == 3 and "latin.txt" in str(err.value) and "byte 3" in str(err.value)


def test_binary_input_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ArticleError, match="binary"):
        decode(b"\x00\x01\x02PNG", "image.png")


def test_sentences_do_not_end_at_abbreviations() -> None:
    art = from_text("Mr. Smith met U.S. officials on Jan. 5 in Washington. They talked.")
    texts = [art.text[a:b] for a, b in art.sentences]
    assert texts == ["Mr. Smith met U.S. officials on Jan. 5 in Washington.", "They talked."]


def test_a_folder_is_read_in_sorted_order_and_golden_outputs_and_readmes_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "a.facts.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("# About these articles", encoding="utf-8")
    sources = [a.source for a in load_inputs([str(tmp_path)])]
    assert [Path(s).name for s in sources] == ["a.txt", "b.txt"]


def test_a_missing_file_is_an_error_and_the_next_file_is_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Fine.", encoding="utf-8")
    items = list(load_inputs([str(tmp_path / "missing.txt"), str(good)]))
    assert isinstance(items[0], ArticleError) and "no such file" in str(items[0])
    assert items[1].text == "Fine."


@pytest.mark.parametrize("text,closes", [
    ("said Tom Okoro Jr.", True), ("in the U.S.", True), ("said Del.", True), ("by Kodo Inc.", True),
    ("the Grain Board.", False), ("said Ann Cole.", False),
])
def test_a_full_stop_closes_an_abbreviation_or_not(text: str, closes: bool) -> None:
    assert ends_with_abbreviation(text, len(text)) is closes

