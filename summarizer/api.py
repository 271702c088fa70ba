"""The library API: build a Summarizer once, then call .facts() and .brief() many times.

Data flows one way: load article -> match rules -> resolve (speakers, dates) -> build facts -> render.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from . import article as article_mod
from . import engine, facts, packs, render, timelimit
from .article import Article
from .errors import RuleError
from .attribution import attribute
from .entities import Entities, entities_steps
from .figures import Figure, figures_steps
from .meetings import Meeting, meetings_steps
from .model import Yield
from .quotes import Quote, Statement, find_quotes, find_statements
from .temporal import DateFact, dates_steps


@dataclass
class Analysis:
    """Everything the stages found in one article, before it is shaped into a fact sheet."""

    article: Article
    rules: packs.RuleSet
    region: str | None
    entities: Entities
    dates: list[DateFact]
    quotes: list[Quote]
    statements: list[Statement]
    meetings: list[Meeting]
    figures: list[Figure]
    problems: list[dict[str, Any]] = field(default_factory=list)
    trace: list[Yield] = field(default_factory=list)


# How many articles are analysed together: enough that a rule's pattern serves many before it
# leaves the CPU's caches, few enough to hold (and, killed, to lose); and at most about this much
# text, so that a chunk of long articles holds no more than a few MB of text and anchors
CHUNK = 32
CHUNK_CHARS = 2_000_000


def chunks(items: Iterable[Any], text_of: Callable[[Any], str], size: int | None = None,
           chars: int | None = None) -> Iterator[list[Any]]:
    """items in lists of up to `size` (CHUNK), closed early once they hold about `chars`
    (CHUNK_CHARS) characters of text, as text_of reads each item's."""
    size, chars = size or CHUNK, chars or CHUNK_CHARS
    chunk: list[Any] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += len(text_of(item))
        if len(chunk) >= size or held >= chars:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


@dataclass
class _Work:
    """One article on its way through the stages, and what each stage found."""

    index: int
    article: Article
    rules: packs.RuleSet
    region: str | None
    run: engine.Run
    error: Exception | None = None
    trace: list[Yield] = field(default_factory=list)
    entities: Any = None
    dates: list[DateFact] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def analysis(self) -> Analysis:
        return Analysis(self.article, self.rules, self.region, self.entities, self.dates, self.quotes,
                        self.statements, self.meetings, self.figures, self.run.problems, self.trace)


def _prepare(w: _Work) -> None:
    w.run.prepare(w.rules, w.article.text, w.article.paragraphs)


def _entities(w: _Work) -> engine.Steps:
    w.entities = yield from entities_steps(w.article, w.rules, w.run, w.trace)


def _dates(w: _Work) -> engine.Steps:
    w.dates = yield from dates_steps(w.article, w.rules, w.run)
    for d in w.dates:
        w.trace.append(Yield(d.rule, "date", d.span, {"text": d.text, "value": d.value}))


def _statements(w: _Work) -> None:
    w.statements = find_statements(w.article, w.rules, w.run, w.trace, w.entities)


def _quotes(w: _Work) -> None:
    w.quotes = find_quotes(w.article, w.rules, w.run, w.trace, w.statements)


def _attribution(w: _Work) -> None:
    attribute(w.article, w.quotes, w.entities, w.rules, w.run, w.trace)


def _meetings(w: _Work) -> engine.Steps:
    voices = [(q.span, q.speaker.get("ref")) for q in w.quotes if q.speaker] + \
             [(s.span, s.ref) for s in w.statements]
    w.meetings = yield from meetings_steps(w.article, w.rules, w.run, w.entities, w.dates, w.trace, voices)


def _figures(w: _Work) -> engine.Steps:
    w.figures = yield from figures_steps(w.article, w.rules, w.run, w.dates, w.trace)


def _advance(step: Any, works: list[_Work]) -> None:
    """One step for each article. A step that works a rule at a time (a generator) is advanced for
    each article in turn, one rule at a time, so that a rule runs over all the articles before the
    next rule does. An article whose step fails keeps the error, and the others go on."""
    live = []
    for work in works:
        if work.error is None:
            try:
                steps = step(work)
            except Exception as exc:  # noqa: BLE001 - one article's failure is its own
                work.error = exc
                continue
            if steps is not None:
                live.append((work, steps))
    while live:
        going = []
        for work, steps in live:
            try:
                next(steps)
                going.append((work, steps))
            except StopIteration:
                pass
            except Exception as exc:  # noqa: BLE001 - as above
                work.error = exc
        live = going


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a chunk is analysed. A chunk keeps tens of thousands of
    objects alive at once (its articles' words, anchors, matches), and the collector, set off by
    allocations, kept walking them and the rule set: 9% of the time. What a chunk leaves behind is
    almost all freed by reference counts; the collector runs again once the chunk is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _released(exc: Exception) -> Exception:
    """exc, its traceback no longer holding the variables of the frames it passed: a finished frame
    keeps its caller's, and so an error kept by the caller would keep its whole chunk of articles,
    anchors and analyses alive. File and line of each frame stay, for the report."""
    tb = exc.__traceback__
    while tb is not None:
        frame: Any = tb.tb_frame
        while frame is not None:
            try:
                frame.clear()
            except RuntimeError:  # still running (and so are its callers): nothing of a chunk there
                break
            frame = frame.f_back
        tb = tb.tb_next
    return exc


def _text_of(art: Article | Exception) -> str:
    return art.text if isinstance(art, Article) else ""


# load article -> match rules -> resolve (speakers, dates) -> build facts: each step for one article
_STEPS = (_prepare, _entities, _dates, _statements, _quotes, _attribution, _meetings, _figures)


class Summarizer:
    """Rules are loaded and compiled once; the object pickles (without its compiled rules) for Spark/Dask."""

    def __init__(self, rules: Iterable[str | os.PathLike] = (), region: str | None = None,
                 timeout: float = engine.DEFAULT_TIMEOUT, profile: bool = False) -> None:
        self.rule_dirs = [str(r) for r in rules]
        self.region = region
        self.timeout = timeout
        self.profile = profile
        self.timings: dict[str, float] = {}
        self._rulesets: dict[str | None, packs.RuleSet] = {}
        self.ruleset(region)  # fail early: a broken pack is reported before any article is read

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_rulesets"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def ruleset(self, region: str | None = None) -> packs.RuleSet:
        if region not in self._rulesets:
            self._rulesets[region] = packs.build(self.rule_dirs, region)
        return self._rulesets[region]

    def _region_for(self, art: Article) -> str | None:
        return self.region or (str(art.metadata["region"]) if art.metadata.get("region") else None)

    def load(self, text: str | Article, **metadata: Any) -> Article:
        if isinstance(text, Article):
            return text
        if not isinstance(text, str):
            hint = "; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, (bytes, bytearray)) else ""
            raise TypeError(f"an article is a str or an Article, not {type(text).__name__}{hint}")
        source = str(metadata.pop("source", None) or metadata.get("id") or "<text>")
        return article_mod.from_text(text, source, metadata)

    def analyze(self, text: str | Article, **metadata: Any) -> Analysis:
        found = self._analyze_many([self.load(text, **metadata)])[0]
        if isinstance(found, Exception):
            raise _released(found)
        return found

    def _rules_for(self, art: Article) -> tuple[packs.RuleSet, str | None]:
        region = self._region_for(art)
        try:
            return self.ruleset(region), region
        except RuleError:
            if region == self.region:
                raise
            return self.ruleset(self.region), self.region  # unknown region in metadata: `check` reports it

    def _analyze_many(self, arts: list[Article | Exception]) -> list[Analysis | Exception]:
        """Each article's Analysis, or the exception that stopped it (the others go on). The
        articles that share a rule set go through the stages together, each stage over all of
        them before the next: a stage's compiled patterns then stay in the CPU's caches from one
        article to the next (13-16% faster than an article at a time), and every article's
        analysis is the same as alone."""
        out: list[Analysis | Exception | None] = [None] * len(arts)
        groups: dict[int, list[tuple[int, Article, packs.RuleSet, str | None]]] = {}
        for i, art in enumerate(arts):
            if isinstance(art, Exception):  # it could not be loaded: its error stands in its place
                out[i] = art
                continue
            try:
                rules, region = self._rules_for(art)
            except Exception as exc:  # noqa: BLE001 - reported for this article only
                out[i] = exc
                continue
            groups.setdefault(id(rules), []).append((i, art, rules, region))
        timings = self.timings if self.profile else None
        with timelimit.watching(self.timeout) as watchdog, _collector_paused():
            for group in groups.values():
                works = [_Work(i, art, rules, region, engine.Run(timeout=self.timeout, timings=timings,
                                                                  watchdog=watchdog))
                         for i, art, rules, region in group]
                for step in _STEPS:
                    _advance(step, works)
                for work in works:
                    out[work.index] = work.error if work.error is not None else work.analysis()
        return out  # type: ignore[return-value]

    def facts(self, text: str | Article, **metadata: Any) -> dict[str, Any]:
        return facts.build(self.analyze(text, **metadata))

    def facts_many(self, items: Iterable[str | Article], chunk: int | None = None,
                   chunk_chars: int | None = None) -> Iterator[dict[str, Any] | Exception]:
        """The fact sheet of each item, in order, up to `chunk` articles (and about `chunk_chars`
        characters of text) analysed together (see chunks, facts_of_chunk). An item that fails, to
        load or later, gives its exception in place of a fact sheet; the others are unaffected."""
        for arts in chunks(map(self._loaded, items), _text_of, chunk, chunk_chars):
            yield from self.facts_of_chunk(arts)

    def _loaded(self, item: str | Article) -> Article | Exception:
        try:
            return self.load(item)
        except Exception as exc:  # noqa: BLE001 - as in _analyze_many
            return exc

    def facts_of_chunk(self, arts: list[Article | Exception]) -> list[dict[str, Any] | Exception]:
        """The fact sheets of articles analysed together (_analyze_many; faster than one .facts()
        call each), an article's exception in place of one that failed (or could not be loaded)."""
        sheets: list[dict[str, Any] | Exception] = []
        with _collector_paused():  # the analyses freed before the collector looks at what is left
            for found in self._analyze_many(arts):
                if isinstance(found, Exception):
                    sheets.append(_released(found))
                    continue
                try:
                    sheets.append(facts.build(found))
                except Exception as exc:  # noqa: BLE001 - as in _analyze_many
                    sheets.append(exc)
        return sheets

    def facts_json(self, text: str | Article, template: str | None = None, **metadata: Any) -> str:
        return render.facts_json(self.facts(text, **metadata), template)

    def brief(self, text: str | Article, format: str = "markdown", template: str | None = None,
              **metadata: Any) -> str:
        sheet = self.facts(text, **metadata)
        return render.brief(sheet, format, template)
