"""Shape an Analysis into the JSON fact sheet of ../shared/design/factsheet.md (schema summarizer.factsheet/1)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import patterns

if TYPE_CHECKING:
    from .api import Analysis

SCHEMA = "summarizer.factsheet/1"
_WORD = patterns.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")
_JOINERS = "'’-"  # inside a word, never one alone
_WORD_TABLE: dict[int, str | None] | None = None


def word_count(text: str) -> int:
    """How many _WORD matches text holds: the runs of letters, digits and joiners with a letter or
    digit in them. Most news text is Latin script and common punctuation, which str.translate
    maps to ASCII (a letter or digit to "a", a joiner to nothing, anything else to a space), where
    str.count finds where each word starts, faster than the regex; other text is counted by the
    regex itself."""
    global _WORD_TABLE
    table = _WORD_TABLE
    if table is None:  # each character as _WORD itself classifies it; made whole before it is
        # shared, since another thread would count with a table half made
        table = {c: None if chr(c) in _JOINERS else "a" if _WORD.fullmatch(chr(c)) else " "
                 for c in (*range(0x250), *range(0x2000, 0x2070))}
        _WORD_TABLE = table
    mapped = text.translate(table)  # ASCII only if every character is in the table: "a"s and spaces
    if not mapped.isascii():
        return patterns.count(_WORD, text)
    return mapped.count(" a") + mapped.startswith("a")  # where each run of "a"s starts


def _span(s) -> list[int]:
    return [int(s[0]), int(s[1])]


def _lead(analysis: "Analysis") -> str | None:
    art = analysis.article
    skip = set()
    if art.headline_span:
        skip.add(art.headline_span)
    dl = analysis.entities.dateline
    for a, b in art.sentences:
        if any(a >= s and b <= e for s, e in skip):
            continue
        sentence = " ".join(art.text[a:b].split())
        if dl and a <= dl["span"][0] < b:
            sentence = " ".join(art.text[dl["span"][1]:b].split())
        if patterns.count(_WORD, sentence) >= 5:
            return sentence
    return None


_YEAR = patterns.compile(r"\d{4}")


def _nearest_year(value: str | None, published: str | None) -> str | None:
    """A dateline's day without a year ("KESTREL BAY, May 3 -") is the one nearest the publication
    date: a story is filed a day or so before or after it appears. The sentence's tense, which
    resolves other dates, says nothing about the dateline."""
    if not value or not published or len(value) != 10:
        return value
    try:
        day, anchor = dt.date.fromisoformat(value), dt.date.fromisoformat(published[:10])
    except ValueError:
        return value
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(day.replace(year=year))
        except ValueError:  # February 29
            pass
    return min(options, key=lambda d: (abs((d - anchor).days), d)).isoformat() if options else value


def build(analysis: "Analysis") -> dict[str, Any]:
    art, ents = analysis.article, analysis.entities
    dateline = None
    dateline_fact, dateline_value = None, None  # the date the dateline holds, and its value there
    if ents.dateline:
        dl = ents.dateline
        dateline = {"text": dl["text"], "place": dl["place"], "span": dl["span"]}
        if dl.get("date_text"):
            dateline_fact = next((d for d in analysis.dates
                                  if d.span[0] >= dl["span"][0] and d.span[1] <= dl["span"][1]), None)
            value = dateline_fact.value if dateline_fact else None
            dateline_value = _nearest_year(value, art.date) if not _YEAR.search(dl["date_text"]) else value
            dateline["date_text"] = dl["date_text"]
            dateline["date"] = dateline_value
    article = {
        "id": art.id,
        "headline": art.headline,
        "date": art.date,
        "dateline": dateline,
        "language": str(art.metadata.get("language") or "en"),
        "region": analysis.region,
        "wordCount": word_count(art.body),
        "location": ({"text": ents.location["text"], "span": ents.location["span"]} if ents.location else None),
        "lead": _lead(analysis),
    }
    people = [{"id": p.id, "name": p.name, "title": p.title, "country": p.country,
               "mentions": [_span(s) for s in p.mentions], "rule": p.rule} for p in ents.people]
    organizations = [{"id": o.id, "name": o.name, "kind": o.extra.get("kind", "organization"),
                      "mentions": [_span(s) for s in o.mentions], "rule": o.rule} for o in ents.organizations]
    places = [{"id": p.id, "name": p.name, "country": p.country,
               "mentions": [_span(s) for s in p.mentions], "rule": p.rule} for p in ents.places]
    quotes = []
    for i, q in enumerate(sorted(analysis.quotes, key=lambda q: q.span), 1):
        speaker = None
        if q.speaker:
            speaker = {"name": q.speaker["name"], "ref": q.speaker.get("ref"), "span": q.speaker["span"],
                       "text": q.speaker.get("text")}
        quotes.append({"id": f"quote-{i}", "text": q.text, "span": _span(q.span), "speaker": speaker,
                       "cue": q.cue, "rule": q.attribution_rule or q.rule})
    statements = [{"id": f"statement-{i}", "text": s.text, "span": _span(s.span),
                   "speaker": {"name": s.name, "ref": s.ref, "span": _span(s.speaker_span)}, "rule": s.rule}
                  for i, s in enumerate(analysis.statements, 1)]
    meetings = []
    for i, m in enumerate(sorted(analysis.meetings, key=lambda m: m.span), 1):
        meetings.append({"id": f"meeting-{i}", "kind": m.kind,
                         "participants": [{"name": p.name, "ref": p.id} for p in m.participants],
                         "date": m.date, "date_text": m.date_text, "place": m.place, "planned": m.planned,
                         "span": _span(m.span), "rule": m.rule})
    figures = []
    for i, f in enumerate(sorted(analysis.figures, key=lambda f: f.span), 1):
        figures.append({"id": f"figure-{i}", "text": f.text, "value": f.value, "unit": f.unit,
                        "measure": f.measure, "change": f.change, "period": f.period,
                        "span": _span(f.span), "rule": f.rule})
    dates = [{"text": d.text, "value": dateline_value if d is dateline_fact else d.value,
              "span": _span(d.span), "rule": d.rule}
             for d in sorted(analysis.dates, key=lambda d: d.span)]
    return {
        "schema": SCHEMA,
        "article": article,
        "people": people,
        "organizations": organizations,
        "places": places,
        "quotes": quotes,
        "meetings": meetings,
        "figures": figures,
        "statements": statements,
        "dates": dates,
        "problems": list(analysis.problems),
    }
