"""Stage `quotes`: pair quotation marks into quotations, and find transcript turns.

The marks come from the `quote_marks` lexicon, so a region pack can add „ “ or « ». A quotation
left open at the end of a paragraph continues when the next paragraph opens with a mark (the
news convention for multi-paragraph quotes); otherwise it is closed there and reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from . import engine, patterns
from .article import Article
from .model import Span, Yield
from .packs import RuleSet


@dataclass
class Quote:
    text: str
    span: Span  # from the first quoted character to the last
    open_span: Span  # the opening mark
    close_span: Span | None  # the closing mark, None when left open
    segments: list[Span] = field(default_factory=list)  # one per paragraph
    speaker: dict | None = None
    cue: str | None = None
    rule: str = "quotes.marks"
    attribution_rule: str | None = None


@dataclass
class Statement:
    speaker_text: str
    speaker_span: Span
    text: str
    span: Span
    rule: str
    name: str = ""
    ref: str | None = None


def _marks(rules: RuleSet, name: str) -> dict[str, set[str]]:
    lex = rules.lexicon(name)
    out = {}
    for opening in lex:
        close = lex.entries[opening].get("close") or [opening]
        out[opening] = set(close if isinstance(close, list) else [close])
    return out


def _quote_marks(rules: RuleSet) -> tuple[dict[str, set[str]], regex.Pattern | None]:
    """The opening marks with what closes each, and one pattern for every mark (built once per rule set)."""
    openers = _marks(rules, "quote_marks")
    marks = set(openers)
    for closers in openers.values():
        marks |= closers
    if not marks:
        return openers, None
    return openers, regex.compile("|".join(regex.escape(m) for m in sorted(marks, key=lambda m: (-len(m), m))))


def _is_apostrophe(text: str, i: int, mark: str) -> bool:
    """’ or ' between letters (don’t, Iran’s) or after s (the ministers’) is an apostrophe."""
    if mark not in ("’", "'"):
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalpha()


_SPACE_LOWER = patterns.compile(r"\s\p{Ll}")
_SECTION_BREAK = patterns.compile(r"\n\s*(?:\*\s*){3,}\s*\n")


def _plural_possessive(text: str, i: int, mark: str, end: int) -> bool:
    """’ after an s and before a lowercase word ("the ministers’ plan") is an apostrophe when a
    later ’ in the paragraph can close the quotation instead."""
    if mark not in ("’", "'") or i == 0 or text[i - 1] != "s" or not _SPACE_LOWER.match(text, i + 1, i + 3):
        return False
    for m in regex.finditer(regex.escape(mark), text[i + 1:end]):
        j = i + 1 + m.start()
        if not _is_apostrophe(text, j, mark) and not (text[j - 1] == "s" and _SPACE_LOWER.match(text, j + 1, j + 3)):
            return True
    return False


def scan(article: Article, rules: RuleSet, run: engine.Run) -> list[Quote]:
    openers, pattern = rules.derived(_quote_marks, _quote_marks)
    if pattern is None:
        return []
    text = article.text
    quotes: list[Quote] = []
    current: Quote | None = None
    cur_open = ""
    seg_start = 0
    paragraphs = article.paragraphs
    for pi, (pa, pb) in enumerate(paragraphs):
        read_from = pa
        if current is not None:
            # a quotation left open: it goes on only if this paragraph opens with a mark
            m = pattern.match(text, pa)
            first = pattern.search(text, pa, pb)
            if m and m.group() in openers:
                seg_start = read_from = m.end()  # that mark reopens it: a straight one closes nothing
            elif first is not None and first.group() in openers[cur_open] and first.group() not in openers \
                    and not _is_apostrophe(text, first.start(), first.group()):
                seg_start = pa  # no mark opens it, but one closes it here: the quotation runs on
            else:
                _finish(current, text, None)
                run.problem("unbalanced-quote", f"quotation opened with {cur_open} at line "
                            f"{article.line_of(current.open_span[0])[0]} is never closed",
                            current.open_span)
                quotes.append(current)
                current = None
        for m in patterns.finditer(pattern, text, read_from, pb):
            mark, i = m.group(), m.start()
            if current is None:
                if mark in openers and not _is_apostrophe(text, i, mark):
                    # an opening mark needs something to quote: not followed by space then end
                    nxt = text[m.end():m.end() + 1]
                    if mark == '"' and (not nxt or nxt.isspace()) and i > pa and text[i - 1].isalnum():
                        continue  # a stray closing straight quote
                    current = Quote(text="", span=(m.end(), m.end()), open_span=(i, m.end()), close_span=None)
                    cur_open = mark
                    seg_start = m.end()
                continue
            if mark in openers[cur_open] and not _is_apostrophe(text, i, mark):
                if mark == cur_open and mark in ("‘",):
                    continue
                if mark == '"' == cur_open and _opens_sentence(text, i, pa):
                    # '... 26 weeks. "We are going ...': a straight mark after a sentence's end and
                    # before a word opens; inside an open quotation it marks a paragraph the page
                    # flattened, so the quotation goes on (as across real paragraphs)
                    current.segments.append((seg_start, i))
                    seg_start = m.end()
                    continue
                if _plural_possessive(text, i, mark, pb):
                    continue
                current.segments.append((seg_start, i))
                _finish(current, text, (i, m.end()))
                quotes.append(current)
                current = None
        if current is not None:
            current.segments.append((seg_start, pb))
    if current is not None:
        _finish(current, text, None)
        run.problem("unbalanced-quote", f"quotation opened with {cur_open} at line "
                    f"{article.line_of(current.open_span[0])[0]} is never closed", current.open_span)
        quotes.append(current)
    return [q for q in quotes if q.text]


def _opens_sentence(text: str, i: int, para_start: int) -> bool:
    """A straight mark after a space that follows sentence punctuation, right before a capital."""
    before = text[max(para_start, i - 3):i]
    after = text[i + 1:i + 2]
    return len(before) >= 2 and before[-1] == " " and before[-2] in ".!?" and after[:1].isupper()


def _finish(q: Quote, text: str, close: Span | None) -> None:
    q.close_span = close
    segs = []
    for a, b in q.segments:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            segs.append((a, b))
    q.segments = segs
    if segs:
        q.span = (segs[0][0], segs[-1][1])
        q.text = " ".join(" ".join(text[a:b].split()) for a, b in segs)


def _reject(q: Quote, rules: RuleSet, run: engine.Run, trace: list[Yield]) -> bool:
    for rule in rules.stage("quotes"):
        if rule.context != "inside":
            continue
        m = engine.match_at(run, rule, q.text, 0, len(q.text))
        if m is not None and m.end == len(q.text):
            trace.append(Yield(rule.id, "quote", q.span, {**rule.set, "text": q.text}))
            return True
    return False


def _statement_speaker(s: Statement, ents) -> tuple[str, str | None]:
    """The person a turn's speaker words name: "President of Russia Vladimir Putin", "PENCE"."""
    entity = ents.person_at(s.speaker_span)
    if entity is None:
        key = s.speaker_text.split()[-1].casefold() if s.speaker_text.split() else ""
        entity = next((p for p in ents.people if p.last_name.casefold() == key), None)
    if entity is not None:
        return entity.name, entity.id
    return (s.speaker_text.title() if s.speaker_text.isupper() else s.speaker_text), None


def find_statements(article: Article, rules: RuleSet, run: engine.Run, trace: list[Yield], ents) -> list[Statement]:
    text = article.text
    turns = [m for m in engine.run_stage(run, rules.stage("quotes"), text, article.body_start, emit="statement")]
    out = []
    for i, m in enumerate(turns):
        end = turns[i + 1].start if i + 1 < len(turns) else len(text)
        a, b = m.end, end
        # a turn runs until the next turn, or until a section break
        brk = _SECTION_BREAK.search(text, a, b)
        if brk:
            b = brk.start()
        while b > a and text[b - 1].isspace():
            b -= 1
        words = " ".join(text[a:b].split())
        sp = m.span_of("speaker") or (m.start, m.end)
        statement = Statement(m.get("speaker") or "", sp, words, (a, b), m.rule.id)
        statement.name, statement.ref = _statement_speaker(statement, ents)
        out.append(statement)
        trace.append(Yield(m.rule.id, "statement", (m.start, b), {"speaker": statement.name, "text": words}))
    return out


def find_quotes(article: Article, rules: RuleSet, run: engine.Run, trace: list[Yield],
                statements: list[Statement]) -> list[Quote]:
    quotes = []
    turns = {st.speaker_span[0] for st in statements}
    scanned = scan(article, rules, run)
    run.memo["quotes.scan"] = (article, scanned)  # attribution reads the set-aside ones
    for q in scanned:
        if q.span[0] in turns:
            continue  # '"PENCE: Well, …' is a transcript turn in marks: a statement, not a quote
        if article.headline_span and article.headline_span[0] <= q.span[0] < article.headline_span[1]:
            continue  # a headline's quoted words repeat (or trim) what the body quotes with its speaker
        if _reject(q, rules, run, trace):
            continue
        quotes.append(q)
    return quotes
