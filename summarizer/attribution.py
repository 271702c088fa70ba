"""Stage `attribution`: find each quotation's speaker and cue verb.

Rules with `context: after` are matched from the closing mark; rules with `context: before` must
end at the opening mark (and, with `set: {anchor: start}`, start where the window starts). The
best-priority match wins. Its speaker words are trimmed to the mention that names the speaker
("Later she" -> "she") and resolved to an entity. A quotation with no match of its own takes
the speaker of the attributed quotation before it in the same paragraph, of the paragraph that
introduced it with a colon ("He said:"), or of the previous paragraph when it opens its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from . import engine, patterns
from .article import Article, ends_with_abbreviation
from .entities import Entities
from .model import Entity, Span, Yield
from .packs import Rule, RuleSet
from .quotes import Quote, scan
from .resolve import Resolver

_SENTENCE_END = patterns.compile(r"[.!?…]['\"’”»)]*\s*$")
_MAX_AFTER = 260
_MAX_BEFORE = 400  # an attribution sits close to its quote; a cap keeps nested quotes from going quadratic
_TOKEN = patterns.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-.&/]*")
_LOWER_AFTER = patterns.compile(r"\s*[,:]?\s*[-—–]*\s*\p{Ll}")
_CLAUSE_STOP = patterns.compile(r"[.!?](?=\s|$)|\n|$")
_QUOTE_OR_THAT = patterns.compile(r"[“”\"«»]|\bthat\b")
_WORD_CHAR = patterns.compile(r"[\p{L}\p{N}]")
_LEADING_PRONOUN = patterns.compile(r"\s*(?:(?:But|And|Yet|So|Then|Now)\s+)?([Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?![\p{L}])")

_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you"}
# Words that open a speaker phrase without being part of the speaker: "Later she", "But Smith".
_LEADING = {"but", "and", "yet", "so", "still", "later", "earlier", "then", "now", "meanwhile",
            "however", "also", "instead", "again", "previously", "separately", "finally",
            "today", "yesterday", "tonight", "afterward", "afterwards", "or", "as", "when", "while",
            "on", "in", "at", "last", "this", "that", "after", "before", "since", "during", "if",
            "where", "because", "though", "although", "here", "there", "first", "asked", "indeed"}
_DETERMINERS = {"the", "a", "an"}


@dataclass
class Speaker:
    """The words that name a speaker, trimmed, and what they resolve to."""

    text: str
    span: Span
    entity: Entity | None

    @property
    def name(self) -> str:
        if self.entity is not None:
            return self.entity.name
        words = self.text.split()
        if words and words[0].casefold() in _DETERMINERS:
            words = words[1:]
        return " ".join(words).strip(" ,")


def _windows(article: Article, quotes: list[Quote], i: int, kept: set[int]) -> tuple[Span | None, Span]:
    """(after, before) windows of quotation i; set-aside quoted words ("reckless") do not cut them."""
    q = quotes[i]
    prev = next((quotes[k] for k in range(i - 1, -1, -1) if id(quotes[k]) in kept), None)
    nxt = next((quotes[k] for k in range(i + 1, len(quotes)) if id(quotes[k]) in kept), None)
    open_start = q.open_span[0]
    para_a, _ = article.paragraph_at(open_start)
    sent_a, _ = article.sentence_at(open_start)
    before_a = max(sent_a, para_a)
    # never read back past the previous quotation's closing mark
    if prev is not None:
        prev_end = (prev.close_span or prev.span)[1]
        if prev_end <= open_start:
            before_a = max(before_a, prev_end)
    before_a = max(before_a, open_start - _MAX_BEFORE)
    before = (before_a, open_start)
    if q.close_span is None:
        return None, before
    close_end = q.close_span[1]
    _, last_para_b = article.paragraph_at(q.close_span[0])
    after_b = min(last_para_b, close_end + _MAX_AFTER)
    if nxt is not None and nxt.open_span[0] < after_b:
        after_b = nxt.open_span[0]
    return (close_end, after_b), before

def _in_one_sentence(article: Article, m: engine.Match | None) -> engine.Match | None:
    """A speaker read after a quotation is named within one sentence. A match whose cue lies in a
    later sentence than its speaker's start ("... in relations. He added") is none; a speaker
    phrase that runs on past its sentence ("said Mr. Litvack. The fund") ends with it."""
    speaker = m.span_of("speaker") if m is not None else None
    if speaker is None:
        return m
    sent_a, sent_b = article.sentence_at(speaker[0])
    if not sent_a < sent_b < speaker[1]:
        return m
    cue = m.span_of("cue")
    if cue is not None and cue[0] >= sent_b:
        return None
    end = sent_b
    while end > speaker[0] and not _WORD_CHAR.match(article.text, end - 1):
        end -= 1  # the sentence's closing mark and spaces
    if end <= speaker[0]:
        return None
    groups = dict(m.groups)
    groups["speaker"] = (article.text[speaker[0]:end], speaker[0], end)
    return engine.Match(m.rule, m.start, max(end, cue[1]) if cue is not None else end, groups)


def _after_ok(article: Article, q: Quote, m: engine.Match) -> bool:
    """After a quotation that ends its sentence, a new sentence ("He said the talks ...") is about
    what follows; only a short attribution that closes its own sentence ("Smith said on Monday.")
    belongs to the quotation before it."""
    text = article.text
    if q.close_span is None or not _SENTENCE_END.search(text[q.span[0]:q.close_span[1]]):
        return True
    if _LOWER_AFTER.match(text[q.close_span[1]:m.end]):
        return True
    rest = text[m.end:m.end + 90]
    stop = _CLAUSE_STOP.search(rest)
    tail = rest[:stop.start()] if stop else rest
    return not _QUOTE_OR_THAT.search(tail) and len(tail.split()) <= 10


def _anchored(article: Article, m: engine.Match, window: Span) -> bool:
    """A rule with `anchor: start` must begin where its window begins (past marks and spaces)."""
    if m.rule.set.get("anchor") != "start":
        return True
    lead = article.text[window[0]:m.start]
    return not _WORD_CHAR.search(lead)


class Attributor:
    """Runs the attribution rules over one article's quotations."""

    def __init__(self, article: Article, quotes: list[Quote], ents: Entities, rules: RuleSet,
                 run: engine.Run, kept: set[int]) -> None:
        self.article, self.quotes, self.ents, self.run = article, quotes, ents, run
        self.kept = kept
        stage = rules.stage("attribution")
        # best priority first, `after` before `before` on a tie, then pack order: the order in
        # which candidates are tried, so that the first with a speaker ends the search
        self.rules = sorted((r for r in stage if r.context in ("after", "before")),
                            key=lambda r: (-r.priority, r.context == "before", r.index))
        self.before_rules = [r for r in self.rules if r.context == "before"]
        self.resolver = Resolver(article, ents, rules, [(q.open_span[0], (q.close_span or q.span)[1])
                                                        for q in quotes])

    def candidates(self, i: int) -> Iterator[tuple[engine.Match, Span | None]]:
        """Every rule match around quotation i, best priority first (after before before on a tie).

        Lazy: a rule is matched only when every better one has failed to give a speaker."""
        q, text = self.quotes[i], self.article.text
        after, before = _windows(self.article, self.quotes, i, self.kept)
        for rule in self.rules:
            if rule.context == "after":
                if after is None:
                    continue
                m = _in_one_sentence(self.article, engine.match_at(self.run, rule, text, after[0], after[1]))
                if m and m.span_of("speaker") and _after_ok(self.article, q, m):
                    yield m, None
            elif before[1] > before[0]:
                hit = self._before_rule(rule, before)
                if hit is not None:
                    yield hit

    def _before_rule(self, rule: Rule, window: Span) -> tuple[engine.Match, Span] | None:
        latest = None
        if rule.set.get("anchor") == "start":  # only a match from the window's first word can count
            first_word = _WORD_CHAR.search(self.article.text, window[0], window[1])
            latest = first_word.start() if first_word else window[1]
        m = engine.match_ending(self.run, rule, self.article.text, window[0], window[1], latest)
        if m and (m.span_of("speaker") or rule.set.get("subject")) and _anchored(self.article, m, window):
            return m, window
        return None

    def _before(self, window: Span) -> Iterator[tuple[engine.Match, Span | None]]:
        """The `before` rules' matches ending at window's end, best priority first, lazily."""
        for rule in self.before_rules:
            hit = self._before_rule(rule, window)
            if hit is not None:
                yield hit

    def intro(self, q: Quote) -> Iterator[tuple[engine.Match, Span | None]]:
        """A paragraph that ends with a colon ("Smith said:") introduces the quotation that opens
        the next one."""
        paras = self.article.paragraphs
        para = self.article.paragraph_at(q.open_span[0])
        if para not in paras or q.open_span[0] != para[0]:
            return iter(())
        idx = paras.index(para)
        if idx == 0:
            return iter(())
        pa, pb = paras[idx - 1]
        if not self.article.text[pa:pb].rstrip().endswith(":"):
            return iter(())
        sa, _ = self.article.sentence_at(pb - 1)
        return self._before((max(pa, sa), pb))

    def previous_sentence(self, q: Quote) -> "Speaker | None":
        """A quotation that stands as its own sentence, with no attribution, most often gives the
        words of the person the sentence before it is about ("Ruiz visited the site. '…'")."""
        text = self.article.text
        sa, _ = self.article.sentence_at(q.open_span[0])
        if _WORD_CHAR.search(text[sa:q.open_span[0]]):
            return None
        para = self.article.paragraph_at(q.open_span[0])
        k = self.article.sentences.index((sa, _)) if (sa, _) in self.article.sentences else -1
        if k <= 0:
            return None
        pa, pb = self.article.sentences[k - 1]
        if pa < self.article.body_start or (pa < para[0] and self.article.paragraph_at(pa) == (pa, pb)
                                               and len(text[pa:pb].split()) < 6):
            return None  # a headline or a one-line caption does not introduce a quotation
        if any(self.resolver.in_quote(x) for x in (pa, max(pa, pb - 2))):
            return None
        hit = self.first_speaker(self._before((pa, pb)))
        if hit is not None and hit[1].entity is not None:
            return hit[1]
        sub = self.subject((pa, pb))
        if sub is None:
            return None
        entity, _how = self.resolver.speaker(text[sub[0]:sub[1]], sub)
        # only a person or body the article names takes an unattributed quotation
        return Speaker(text[sub[0]:sub[1]], sub, entity) if entity is not None else None

    def first_speaker(self, found: Iterable[tuple[engine.Match, Span | None]]) -> tuple[engine.Match, "Speaker"] | None:
        for m, window in found:
            sp = self.speaker(m, window)
            if sp is not None:
                return m, sp
        return None

    def subject(self, window: Span) -> Span | None:
        """The first name in a clause-opening position of the window: "With X worried, Obama
        said" gives Obama; a name after a lowercase word ("for Clinton") is not the subject."""
        text = self.article.text
        for (a, b), _e in self.ents.mentions_from(window[0], window[1]):
            if self.resolver.in_quote(a):
                continue
            prev = _TOKEN.findall(text, max(window[0], a - 40), a)
            gap = text[max(window[0], a - 3):a]
            if prev and prev[-1][:1].islower() and prev[-1] not in ("and", "but", "the") and "," not in gap:
                continue
            return a, b
        m = _LEADING_PRONOUN.match(text, window[0], window[1])
        if m:
            return m.start(1), m.end(1)
        return None

    def speaker(self, m: engine.Match, window: Span | None = None) -> Speaker | None:
        sp = m.span_of("speaker")
        if m.rule.set.get("subject") == "sentence" and window is not None:
            cue = m.span_of("cue")
            sp = self.subject((window[0], cue[0] if cue else m.start)) or sp
        if sp is None:
            return None
        a, b = _trim(self.article.text, sp, self.ents)
        if window is not None and (b <= a or _is_verb_phrase(self.article.text[a:b])):
            # "… opponent, bemoaned the unrest and said": the words before the verb are not its
            # subject; the clause's first name is
            found = self.subject((window[0], sp[0]))
            if found:
                a, b = found
        if b <= a:
            return None
        raw = self.article.text[a:b]
        entity, _how = self.resolver.speaker(raw, (a, b))
        return Speaker(raw, (a, b), entity)


_NP_OPENERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "one", "another",
               "two", "three", "several", "some", "many", "most", "other", "others", "both", "each",
               "this", "that", "these", "those", "all", "former", "top", "senior", "local", "federal",
               "state", "police", "experts", "officials", "critics", "supporters", "analysts",
               "sources", "people", "voters", "residents", "democrats", "republicans", "aides",
               "advisers", "activists", "economists", "lawmakers", "leaders", "protesters"}


def _is_verb_phrase(words: str) -> bool:
    """A speaker phrase that opens with a lowercase word other than a determiner or a plural
    noun ("bemoaned the unrest and", "of Republican") is a stretch of predicate, not a speaker."""
    first = words.split()[0] if words.split() else ""
    return bool(first) and first[:1].islower() and first.casefold() not in _NP_OPENERS \
        and first.casefold() not in _PRONOUNS


def _trim(text: str, span: Span, ents: Entities) -> Span:
    """The part of a speaker phrase that names the speaker: a name mention inside it, a pronoun,
    or the phrase without leading adverbs and its trailing apposition."""
    a, b = span
    for kind in ("person", "organization"):
        for (ma, mb), e in ents.mentions_from(a, b + 1):
            if e.kind == kind and mb <= b:
                return ma, mb
    tokens = [(t.start(), t.end(), t.group()) for t in patterns.finditer(_TOKEN, text, a, b)]
    for ta, tb, w in tokens:
        if w.casefold() in _PRONOUNS and (w[0].islower() or ta == tokens[0][0] or w == "I"):
            return ta, tb
    comma = text.find(",", a, b)
    if comma > a:
        b = comma
        tokens = [t for t in tokens if t[1] <= b]
    while tokens and tokens[0][2].casefold().rstrip(",") in _LEADING:
        tokens.pop(0)
    if not tokens:
        return a, a
    end = tokens[-1][1]
    if text[end - 1] == "." and not ends_with_abbreviation(text, end):
        end -= 1  # the sentence's full stop ("according to the Grain Board."), not "Jr." or "U.S."
    return tokens[0][0], end


def attribute(article: Article, quotes: list[Quote], ents: Entities, rules: RuleSet, run: engine.Run,
              trace: list[Yield]) -> None:
    kept = {id(q) for q in quotes}
    quotes = _with_rejected(article, quotes, rules, run)
    att = Attributor(article, quotes, ents, rules, run, kept)
    last_quote: Quote | None = None
    for i, q in enumerate(quotes):
        hit = att.first_speaker(att.candidates(i))
        if hit is None and (last_quote is None or not _continues(article, last_quote, q)):
            hit = att.first_speaker(att.intro(q))
        best, found = hit if hit is not None else (None, None)
        if found is not None:
            entity = found.entity
            q.speaker = {"name": found.name, "ref": entity.id if entity else None,
                         "span": [found.span[0], found.span[1]], "text": found.text}
            q.cue = " ".join((best.get("cue") or "").split()) or None
            q.attribution_rule = best.rule.id
            fields = {"text": q.text, "speaker": found.name, "speaker_text": found.text}
            if q.cue:
                fields["cue"] = q.cue
            trace.append(Yield(best.rule.id, "quote", (min(best.start, q.span[0]), max(best.end, q.span[1])), fields))
        elif last_quote is not None and last_quote.speaker and _continues(article, last_quote, q):
            q.speaker = dict(last_quote.speaker)
            q.cue = last_quote.cue
            q.attribution_rule = "attribution.continuation"
        else:
            prior = att.previous_sentence(q)
            if prior is not None:
                entity = prior.entity
                q.speaker = {"name": prior.name, "ref": entity.id if entity else None,
                             "span": [prior.span[0], prior.span[1]], "text": prior.text}
                q.attribution_rule = "attribution.previous-sentence"
        if q.speaker:
            last_quote = q


def _with_rejected(article: Article, quotes: list[Quote], rules: RuleSet, run: engine.Run) -> list[Quote]:
    """The kept quotations together with the quoted stretches the quote rules set aside ("I
    would," she said): those still carry a speaker on to the quotation that follows them."""
    kept = {q.open_span: q for q in quotes}
    found = run.memo.get("quotes.scan")
    if found is not None and found[0] is article:
        scanned = found[1]
    else:  # find_quotes did not run first on this article: scan again, its problems already reported
        scanned = scan(article, rules, engine.Run())
    out = [kept.get(c.open_span, c) for c in scanned]
    seen = {id(q) for q in out}
    out.extend(q for q in quotes if id(q) not in seen)
    return sorted(out, key=lambda q: q.open_span)


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
