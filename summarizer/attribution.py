"""Stage `attribution`: find each quotation's speaker and cue verb.

Rules with `context: after` are matched from the closing mark; rules with `context: before` must
end at the opening mark. The best-priority match wins; its speaker words are resolved to an
entity. A quotation with no match of its own continues the previous speaker when it follows an
attributed quotation in the same paragraph or opens the next paragraph.
"""
from __future__ import annotations

import regex

from . import engine
from .article import Article
from .entities import Entities
from .model import Entity, Yield
from .packs import RuleSet
from .quotes import Quote
from .resolve import Describer, resolve_speaker

_SENTENCE_END = regex.compile(r"[.!?]['\"’”»)]*\s*$")
_MAX_AFTER = 220


def _windows(article: Article, quotes: list[Quote], i: int) -> tuple[tuple[int, int] | None, tuple[int, int]]:
    q = quotes[i]
    text = article.text
    open_start = q.open_span[0]
    para_a, para_b = article.paragraph_at(open_start)
    sent_a, _ = article.sentence_at(open_start)
    before_a = max(sent_a, para_a)
    # never read back past the previous quotation's closing mark
    if i > 0:
        prev_end = (quotes[i - 1].close_span or quotes[i - 1].span)[1]
        if prev_end <= open_start:
            before_a = max(before_a, prev_end)
    before = (before_a, open_start)
    if q.close_span is None:
        return None, before
    close_end = q.close_span[1]
    _, last_para_b = article.paragraph_at(q.close_span[0])
    after_b = min(last_para_b, close_end + _MAX_AFTER)
    if i + 1 < len(quotes) and quotes[i + 1].open_span[0] < after_b:
        after_b = quotes[i + 1].open_span[0]
    return (close_end, after_b), before


def _after_ok(article: Article, q: Quote, m: engine.Match) -> bool:
    """After a quotation that ends its sentence, a new sentence ("He said, ...") introduces the
    next quotation; only an attribution that closes its own sentence ("Smith said.") belongs here."""
    if q.close_span is None or not _SENTENCE_END.search(article.text[q.span[0]:q.close_span[1]]):
        return True
    if regex.match(r"\s*[,:]?\s*[-—–]*\s*\p{Ll}", article.text[q.close_span[1]:m.end]):
        return True
    follow = article.text[m.end:m.end + 2].lstrip()
    return not follow or follow[:1] in ".!?"


def attribute(article: Article, quotes: list[Quote], ents: Entities, rules: RuleSet, run: engine.Run,
              trace: list[Yield]) -> None:
    describer = Describer(rules)
    stage = rules.stage("attribution")
    after_rules = [r for r in stage if r.context == "after"]
    before_rules = [r for r in stage if r.context == "before"]
    text = article.text
    last: Entity | None = None
    last_quote: Quote | None = None
    for i, q in enumerate(quotes):
        after, before = _windows(article, quotes, i)
        best: engine.Match | None = None
        if after is not None:
            for rule in after_rules:
                m = engine.match_at(run, rule, text, after[0], after[1])
                if m and _after_ok(article, q, m) and (best is None or rule.priority > best.rule.priority):
                    best = m
        if before[1] > before[0]:
            for rule in before_rules:
                m = engine.match_ending(run, rule, text, before[0], before[1])
                if m and (best is None or rule.priority > best.rule.priority):
                    best = m
        if best is not None and best.span_of("speaker"):
            sp = best.span_of("speaker")
            raw = best.get("speaker") or ""
            entity, how = resolve_speaker(raw, sp, q.span[0], ents, describer, last)
            name = entity.name if entity else _bare(raw)
            q.speaker = {"name": name, "ref": entity.id if entity else None, "span": [sp[0], sp[1]],
                         "text": raw}
            q.cue = " ".join((best.get("cue") or "").split()) or None
            q.attribution_rule = best.rule.id
            fields = {"text": q.text, "speaker": name, "speaker_text": raw}
            if q.cue:
                fields["cue"] = q.cue
            trace.append(Yield(best.rule.id, "quote", (min(best.start, q.span[0]), max(best.end, q.span[1])), fields))
            if entity is not None and entity.kind == "person" or entity is not None:
                last = entity
        elif last_quote is not None and last_quote.speaker and _continues(article, last_quote, q):
            q.speaker = dict(last_quote.speaker)
            q.attribution_rule = "attribution.continuation"
        if q.speaker:
            last_quote = q


def _continues(article: Article, prev: Quote, q: Quote) -> bool:
    """Same paragraph, or a paragraph that opens with the quotation right after the previous one's."""
    pa = article.paragraph_at(prev.span[1])
    qa = article.paragraph_at(q.open_span[0])
    if pa == qa:
        return True
    if q.open_span[0] != qa[0]:
        return False
    idx = article.paragraphs.index(qa) if qa in article.paragraphs else -1
    return idx > 0 and article.paragraphs[idx - 1] == pa


def _bare(raw: str) -> str:
    words = raw.split()
    if words and words[0].casefold() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words).strip(" ,")
