"""The library API: build a Summarizer once, then call .facts() and .brief() many times.

Data flows one way: load article -> match rules -> resolve (speakers, dates) -> build facts -> render.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import article as article_mod
from . import engine, facts, packs, render, timelimit
from .article import Article
from .errors import RuleError
from .attribution import attribute
from .entities import Entities, find_entities
from .figures import Figure, find_figures
from .meetings import Meeting, find_meetings
from .model import Yield
from .quotes import Quote, Statement, find_quotes, find_statements
from .temporal import DateFact, find_dates


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
        source = str(metadata.pop("source", None) or metadata.get("id") or "<text>")
        return article_mod.from_text(text, source, metadata)

    def analyze(self, text: str | Article, **metadata: Any) -> Analysis:
        art = self.load(text, **metadata)
        region = self._region_for(art)
        try:
            rules = self.ruleset(region)
        except RuleError:
            if region == self.region:
                raise
            rules, region = self.ruleset(self.region), self.region  # unknown region in metadata: `check` reports it
        with timelimit.watching(self.timeout) as watchdog:
            run = engine.Run(timeout=self.timeout, timings=self.timings if self.profile else None, watchdog=watchdog)
            return self._analyze(art, rules, region, run)

    def _analyze(self, art: Article, rules: packs.RuleSet, region: str | None, run: engine.Run) -> Analysis:
        run.prepare(rules, art.text, art.paragraphs)
        trace: list[Yield] = []
        ents = find_entities(art, rules, run, trace)
        dates = find_dates(art, rules, run)
        for d in dates:
            trace.append(Yield(d.rule, "date", d.span, {"text": d.text, "value": d.value}))
        statements = find_statements(art, rules, run, trace, ents)
        quotes = find_quotes(art, rules, run, trace, statements)
        attribute(art, quotes, ents, rules, run, trace)
        voices = [(q.span, q.speaker.get("ref")) for q in quotes if q.speaker] + \
                 [(s.span, s.ref) for s in statements]
        meetings = find_meetings(art, rules, run, ents, dates, trace, voices)
        figures = find_figures(art, rules, run, dates, trace)
        return Analysis(art, rules, region, ents, dates, quotes, statements, meetings, figures, run.problems, trace)

    def facts(self, text: str | Article, **metadata: Any) -> dict[str, Any]:
        return facts.build(self.analyze(text, **metadata))

    def facts_json(self, text: str | Article, template: str | None = None, **metadata: Any) -> str:
        return render.facts_json(self.facts(text, **metadata), template)

    def brief(self, text: str | Article, format: str = "markdown", template: str | None = None,
              **metadata: Any) -> str:
        sheet = self.facts(text, **metadata)
        return render.brief(sheet, format, template)
