"""Property tests over the loader and the whole pipeline: no traceback, spans index the text, same bytes out.

Inputs mix news words that make rules fire (titles, names, cue verbs, numbers, dates) with quotation
marks, punctuation, white space and arbitrary characters, so the odd corners are reached quickly.
"""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.api import Summarizer
from summarizer.article import Article, load_bytes
from summarizer.errors import ArticleError

WORDS = ["President", "Prime", "Minister", "Mr", "Mrs.", "Dr.", "Ana", "Torres", "Jonas", "Berg", "Lena", "Dahl",
         "said", "told", "added", "met", "talks", "visited", "called", "with", "in", "Oslo", "Russia", "Iranian",
         "the", "ministry", "he", "she", "percent", "million", "$5", "3.5", "1,200", "Monday", "January", "2024",
         "last", "week", "on", "date", "2024-03-05", "U.S.", "---", "#", ":", "and"]
MARKS = list("\"'“”‘’«»„‚‹›") + ["\n", "\n\n", " ", ". ", ", ", ": ", "\t", "—", "(", ")"]
PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.text(max_size=4))
TEXTS = st.lists(PIECE, max_size=60).map(lambda parts: " ".join(parts))
SOURCES = st.sampled_from(["a.txt", "a.md", "a.json", "a.jsonl", "a"])

FAST = settings(max_examples=150, deadline=timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_SUMMARIZER = Summarizer(timeout=0.5)


QUOTE_MARKS = str.maketrans("", "", "\"'“”‘’«»„‚‹›")


def words_of(text: str) -> list[str]:
    """A quote's words: its text is the span without marks, with white space normalised across paragraphs."""
    return text.translate(QUOTE_MARKS).split()


def spans_in(sheet: dict) -> list[tuple[list[int], str | None]]:
    """Every (span, exact words) pair in a fact sheet; words None where the sheet gives none."""
    out: list[tuple[list[int], str | None]] = []
    for kind in ("figures", "dates", "meetings"):
        for item in sheet[kind]:
            out.append((item["span"], item.get("text") if kind != "meetings" else None))
    for kind in ("people", "organizations", "places"):
        for item in sheet.get(kind, []):
            out.extend((span, None) for span in item.get("mentions", []))
    for item in sheet["quotes"] + sheet["statements"]:
        if item.get("speaker") and item["speaker"].get("span"):
            out.append((item["speaker"]["span"], None))
    return out


@FAST
@given(data=st.one_of(TEXTS.map(lambda t: t.encode("utf-8")), st.binary(max_size=300)), source=SOURCES)
def test_the_loader_yields_articles_or_errors_never_raises(data, source):
    for item in load_bytes(data, source):
        assert isinstance(item, (Article, ArticleError))
        if isinstance(item, Article):
            size = len(item.text)
            assert all(0 <= a < b <= size for a, b in item.paragraphs + item.sentences)
            assert item.sentences == sorted(item.sentences)


@FAST
@given(text=TEXTS)
def test_every_span_indexes_the_text_it_claims(text):
    sheet = _SUMMARIZER.facts(text)
    for (start, end), words in spans_in(sheet):
        assert 0 <= start <= end <= len(text)
        if words is not None:  # the sheet may fold a line break inside a figure or date into a space
            assert text[start:end].split() == words.split()


@FAST
@given(text=TEXTS)
def test_quote_spans_hold_the_quoted_words(text):
    sheet = _SUMMARIZER.facts(text)
    for item in sheet["quotes"] + sheet["statements"]:
        start, end = item["span"]
        assert 0 <= start <= end <= len(text)
        assert words_of(text[start:end]) == words_of(item["text"])


@FAST
@given(text=TEXTS)
def test_the_same_text_gives_the_same_fact_sheet(text):
    assert _SUMMARIZER.facts(text) == _SUMMARIZER.facts(text)


@FAST
@given(text=TEXTS, fmt=st.sampled_from(["markdown", "text"]))
def test_briefs_render_for_any_text(text, fmt):
    assert _SUMMARIZER.brief(text, fmt).endswith("\n")
