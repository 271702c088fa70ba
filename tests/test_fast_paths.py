"""Shortcuts taken for speed give the same answers as the plain computations they replace."""
from __future__ import annotations

import copy
import dataclasses
import pickle
import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import engine, figures, packs, patterns
from summarizer.model import SpanIndex
from summarizer.temporal import DateFact, _Ctx, _TenseAt, tense_near


@pytest.fixture(scope="module")
def ruleset():
    return packs.build()


def test_date_spans_overlap_as_a_scan_would_find():
    rnd = random.Random(2)
    for _ in range(5000):
        spans = [(a, a + rnd.randint(0, 6)) for a in (rnd.randint(0, 40) for _ in range(rnd.randint(0, 6)))]
        start = rnd.randint(0, 45)
        end = start + rnd.randint(0, 6)
        expected = any(a < end and start < b for a, b in spans)
        assert SpanIndex(spans).overlap(start, end) == expected, (spans, start, end)


def test_change_search_is_skipped_only_where_it_would_find_no_change_verb(ruleset):
    changes = ruleset.lexicon("change_verb")
    words = list(changes)[:20] + ["by", "more", "than", "up", "to", "an", "estimated", "some", "the",
                                   "sales", "Rose", "x-y", "it's", ",", "5", "rosé", "  ", "\n"]
    rnd = random.Random(1)
    for _ in range(5000):
        clause = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8))) + rnd.choice(["", " ", "\n"])
        m = figures._CHANGE_BEFORE.search(clause)
        if m and m.group("change") in changes:
            assert figures._may_name_change(clause, changes), clause


def test_tense_is_looked_up_when_read():
    text = "The minister will fly to Oslo on Friday."
    start = text.index("Friday")
    lazy = _TenseAt(text, start, start + 6, 0, len(text))
    fact = DateFact("Friday", None, (start, start + 6), "r", "day", tense=lazy)
    assert fact.tense == tense_near(text, start, start + 6, 0, len(text)) == "future"
    assert copy.deepcopy(fact) == fact and pickle.loads(pickle.dumps(fact)).tense == "future"
    assert _Ctx(None, _TenseAt(text, start, start + 6, 0, len(text)), None, "mdy").tense == "future"
    assert DateFact("2024", "2024", (0, 4), "r", "year").tense is None


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])), max_size=12)


@settings(max_examples=300, deadline=None)
@given(spans=SPANS, span=st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])))
def test_a_place_inside_a_name_is_found_as_a_plain_scan_finds_it(spans, span) -> None:
    plain = any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in spans)
    assert SpanIndex(spans).hold(span) == plain


MENTION_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1])),
                         max_size=15).map(sorted)


@settings(max_examples=300, deadline=None)
@given(spans=MENTION_SPANS, span=st.tuples(st.integers(0, 70), st.integers(0, 15)).map(lambda t: (t[0], t[0] + t[1])))
def test_mentions_found_by_bisection_are_those_a_scan_finds(spans, span) -> None:
    from summarizer.entities import Entities
    from summarizer.model import Entity
    people = [Entity(id=f"p{i}", kind="person", name=f"P{i}", rule="r") for i in range(len(spans))]
    ents = Entities(mentions=list(zip(spans, people)))
    assert ents.mentions_from(span[0], span[1]) == [(s, e) for s, e in ents.mentions if span[0] <= s[0] < span[1]]
    assert ents.mentions_over(span) == [(s, e) for s, e in ents.mentions if s[0] < span[1] and span[0] < s[1]]


WORD_PIECES = ["said", "Minister", "minister", "al", "The", "Paris", "İ", "ı", "ß", "1990s", "McDonald", "e", "x", "7"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORD_PIECES), min_size=1, max_size=4).map("".join), max_size=30, unique=True))
def test_words_learnt_together_hold_the_anchors_each_holds_alone(ruleset, words) -> None:
    ruleset.scanner.learn([])  # its patterns and prefix table, made once and shared by the copies
    together, alone = (dataclasses.replace(ruleset.scanner, _memo={}) for _ in range(2))
    assert together.learn(words) == [alone.learn([word])[0] for word in words]


class _CountingPattern:
    """A compiled pattern that counts the attempts made with it."""

    def __init__(self, pattern: str) -> None:
        self.pattern = regex.compile(pattern)
        self.groupindex = self.pattern.groupindex
        self.tried: list[int] = []

    def match(self, text, pos, endpos, *limit):
        self.tried.append(pos)
        return self.pattern.match(text, pos, endpos, *limit)


def test_a_start_listed_twice_is_tried_once_and_finds_what_one_listing_finds():
    rule = packs.Rule(id="test.words", stage="entities", pattern=r"\w+")
    rule.compiled = _CountingPattern(r"\w+")
    text = "ab cd ef"
    found = engine._scan(engine.Run(), rule, text, [(0, len(text))], [0, 0, 3, 3, 4, 6, 6])
    assert [(m.start, m.end) for m in found] == [(0, 2), (3, 5), (6, 8)]
    assert rule.compiled.tried == [0, 3, 6]


@pytest.mark.parametrize("text", ["", "one", "Don't stop-it now ’ -- x2", "a  b\n\nc", "’’ -- ''", "naïve café 42"])
def test_a_count_of_matches_is_the_number_findall_finds(text: str) -> None:
    word = patterns.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")
    assert patterns.count(word, text) == len(patterns.findall(word, text))


_WORD_COUNT_CHARS = st.sampled_from(list("ab Z9'’-_.,\n\t\u00a0\u2009\u2014“”") + ["é", "ß", "²", "½", "\u0301", "Ⓐ", "日",
                                                                               "Ω", "ǅ", "\u2066", "ⁱ"])


@given(st.lists(_WORD_COUNT_CHARS, max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_word_count_is_the_regex_count(text):
    from summarizer.facts import _WORD, word_count
    assert word_count(text) == patterns.count(_WORD, text)


def test_pronouns_read_for_gender_votes_are_those_a_full_scan_would_count():
    """Resolver._pronouns_after reads only the stretches after unknown-gender mentions; it must
    give every pronoun of the body that has such a mention before it in its sentence or the one
    before (the only ones _genders counts), as a scan of the whole body would."""
    from summarizer.article import from_text
    from summarizer.resolve import _PRONOUN_TOKEN, Resolver
    rnd = random.Random(4)
    words = ["He", "he", "she", "Her", "herself", "his", "the", "Lee", "Ana", "said", "them", "ahe", "she's"]
    for _ in range(300):
        sentences = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 6))) + rnd.choice([".", "!", "?"])
                     for _ in range(rnd.randint(1, 7))]
        text = "date 2024-01-01\n\n" + " ".join(s[0].upper() + s[1:] for s in sentences) + "\n"
        article = from_text(text, "t.txt")
        resolver = object.__new__(Resolver)
        resolver.text, resolver.article = text, article
        resolver.sent_starts = [a for a, _ in article.sentences]
        candidates = [i for i in range(article.body_start, len(text)) if text[i].isupper()]
        unknown = sorted(rnd.sample(candidates, min(len(candidates), rnd.randint(0, 3))))

        def counted(x: int) -> bool:
            si = resolver.sentence_index(x)
            lo = resolver.sent_starts[si - 1] if si > 0 else 0
            return any(lo <= u < x for u in unknown)
        expected = [m.span() for m in _PRONOUN_TOKEN.finditer(text, article.body_start) if counted(m.start())]
        got = [m.span() for m in resolver._pronouns_after(unknown) if counted(m.start())]
        assert got == expected, (text, unknown)


def test_word_count_from_a_second_thread_while_the_first_builds_its_table_is_right(monkeypatch):
    """The table is shared once whole: a call that starts while another is still building it (a
    host running summarizer in threads) counts with a whole table of its own, not a half-made one."""
    from summarizer import facts
    text = "The minister's talks, in Paris; ended. Well-known x.y z"
    expected = patterns.count(facts._WORD, text)
    monkeypatch.setattr(facts, "_WORD_TABLE", None)
    real, seen, started = facts._WORD, [], []

    class Interrupted:  # _WORD, but the other call runs while the first is halfway through
        def fullmatch(self, ch):
            if not started:  # at the first character, with nothing of the table made yet
                started.append(True)
                seen.append(facts.word_count(text))
            return real.fullmatch(ch)

        def __getattr__(self, name):
            return getattr(real, name)
    monkeypatch.setattr(facts, "_WORD", Interrupted())
    assert facts.word_count(text) == expected
    assert seen == [expected]


def _tense_from_every_cue(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """tense_near as first written: every cue of the sentence weighed against the date."""
    from summarizer import temporal as t
    if t._DEADLINE.search(text, max(lo, start - 40), start) or (
            t._FOR_BEFORE.search(text, max(lo, start - 5), start) and t._FORWARD_MONTH.match(text, end, hi)):
        return "future"
    future, past, past_ed = t._cues(text, lo, hi)

    def apart(a: int, b: int) -> int:
        x, y = (b, start) if b <= start else (end, a)
        return y - x + (t._CLAUSE_PENALTY if t._CLAUSE_BREAK.search(text, x, y) else 0)
    best, spans = None, []
    for a, b in future:
        if not start <= a < end:
            spans.append((a, b))
            if best is None or apart(a, b) < best[0]:
                best = (apart(a, b), "future")
    for found, penalty in ((past, 0), (past_ed, t._ED_PENALTY)):
        for a, b in found:
            if start <= a < end or any(fa <= a < fb for fa, fb in spans):
                continue
            if best is None or apart(a, b) + penalty < best[0]:
                best = (apart(a, b) + penalty, "past")
    return best[1] if best else None


_TENSE_WORDS = ["will", "was to", "said", "expected to", "is to", "visited", "met", "fell", "would", "next",
                "planned", "is planned", "rose", "told", "earlier", "later this", "going to", "issued", "the",
                "vote", ",", ";", " - ", "in", "June", "on", "Monday", "by", "until", "delivery", "to be", "had",
                "ago", "approved", "was scheduled"]


def test_tense_from_the_nearest_cues_is_that_from_every_cue():
    rnd = random.Random(11)
    checked = 0
    for _ in range(4000):
        words = [rnd.choice(_TENSE_WORDS) for _ in range(rnd.randint(1, 30))]
        dates = [i for i, w in enumerate(words) if w in ("June", "Monday")]
        if not dates:
            continue
        i = rnd.choice(dates)
        text = " ".join(words)
        start = len(" ".join(words[:i])) + (1 if i else 0)
        end = start + len(words[i])
        assert tense_near(text, start, end, 0, len(text)) == _tense_from_every_cue(text, start, end, 0, len(text)), \
            (text, start)
        checked += 1
    assert checked > 1000

