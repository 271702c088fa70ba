"""Stage `meetings`: meetings, calls and visits, with participants, date, place and whether planned."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from . import engine, patterns
from .article import Article
from .entities import Entities
from .model import Entity, Span, Yield
from .packs import RuleSet
from .resolve import Describer, mentions_in, persons_before, resolve_description


@dataclass
class Meeting:
    kind: str
    participants: list[Entity]
    span: Span
    rule: str
    date: str | None = None
    date_text: str | None = None
    place: str | None = None
    planned: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _party(raw: str, span: Span, ents: Entities, describer: Describer) -> list[Entity]:
    people = mentions_in(ents, span, "person")
    if people:
        return [people[-1]]
    if raw.strip().casefold() in ("he", "she", "his", "her"):
        before = persons_before(ents, span[0])
        return [before[0][1]] if before else []
    found = resolve_description(raw, span[0], ents, describer)
    if found:
        return found[:1]
    orgs = mentions_in(ents, span, "organization")
    return orgs[-1:]


def _country_of_demonym(demonym: str, rules: RuleSet, ents: Entities) -> Entity | None:
    entry = rules.lexicon("demonym").get(demonym)
    if not entry:
        return None
    name = str(entry.get("country") or entry["text"])
    found = next((p for p in ents.places if p.name == name), None)
    return found or Entity(id=None, kind="place", name=name, rule="lexicon.demonym")  # type: ignore[arg-type]


def _kind(rules: RuleSet, m: engine.Match) -> str:
    if m.rule.set.get("kind"):
        return str(m.rule.set["kind"])
    verb = m.get("verb") or ""
    entry = rules.lexicon("meeting_verb").get(verb)
    return str(entry.get("kind", "meeting")) if entry else "meeting"


def _place_name(raw: str | None, rules: RuleSet) -> str | None:
    """The place as the article names it ("the Russian Federation" stays so); a city's other
    spelling takes the lexicon's name ("Kiev" -> "Kyiv")."""
    if not raw:
        return None
    raw = " ".join(raw.split())
    entry = rules.lexicon("city").get(raw)
    return str(entry.get("name") or raw) if entry else raw


_CALENDAR = patterns.compile(r"^\d{4}-(?:\d{2}|W\d{2})")  # a day, a month or a week: a year is too coarse for a meeting
_DAY_WITH_TIME = patterns.compile(r"\d{4}-\d{2}-\d{2}T")


def _date_for(article: Article, m: engine.Match, dates: list) -> tuple[str | None, str | None, str | None]:
    """The first date in the meeting's sentence after its verb (else anywhere in the sentence):
    its value, its words and the tense it was read in."""
    sa, sb = article.sentence_at(m.start)
    sb = max(sb, m.end)
    inside = [d for d in dates if sa <= d.span[0] < sb and d.value and _CALENDAR.match(d.value)]
    after = [d for d in inside if d.span[0] >= (m.span_of("verb") or (m.start, m.start))[0]]
    pick = (after or inside or [None])[0]
    if pick is None:
        return None, None, None
    text = getattr(pick, "text_with_prep", None) or pick.text
    value = pick.value
    if _DAY_WITH_TIME.match(value):
        value = value[:10]  # "Monday afternoon": the meeting's date is the day
    return value, text, pick.tense


def _place_in_sentence(article: Article, m: engine.Match, ents: Entities) -> str | None:
    """A place named after the verb in the same sentence ("... on the sidelines of talks in Tehran")."""
    sa, sb = article.sentence_at(m.start)
    verb_at = (m.span_of("verb") or (m.start, m.start))[0]
    text = article.text
    best = None
    for place in ents.places:
        for a, b in place.mentions:
            if verb_at <= a < sb and text[max(sa, a - 4):a].rstrip().endswith(("in", "at")):
                if best is None or a < best[0]:
                    best = (a, place.name)
    return best[1] if best else None


def _in_lead(article: Article, ents: Entities, offset: int) -> bool:
    """In the first paragraph of the story (after the headline and a place line)."""
    skip = [tuple(article.headline_span)] if article.headline_span else []
    if ents.location:
        skip.append(article.paragraph_at(ents.location["span"][0]))
    for para in article.paragraphs:
        if para in skip:
            continue
        return para[0] <= offset < para[1]
    return False


def _known_place(name: str, rules: RuleSet) -> bool:
    return any(name in rules.lexicon(lex) for lex in ("country", "city", "region"))


def _after_publication(date: str | None, published: str | None) -> bool:
    """Whether a calendar date ("2024-06", "2024-06-03") lies after the publication day: a meeting
    then, on a date read in the future tense, is planned, whatever verb told of it ("leaders will
    gather at the summit next month"). Not in a caption's present ("Putin meets Raisi in
    December"), where the date itself is the guess."""
    if not date or not published or not _DAY_OR_MONTH.fullmatch(date):
        return False
    return date > published[:len(date)]


_DAY_OR_MONTH = patterns.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _meeting(article: Article, m: engine.Match, unique: list[Entity], rules: RuleSet, ents: Entities,
             dates: list, trace: list[Yield]) -> Meeting | None:
    """The meeting one match tells of, with its date, place and whether it is planned."""
    kind = _kind(rules, m)
    if kind == "visit":
        unique = [p for p in unique if p.kind == "person"][:1]  # a visit is a named person travelling
    if not unique or (kind != "visit" and len(unique) < 2 and not m.span_of("org")):  # a group's summit: one name
        return None
    date, date_text, tense = _date_for(article, m, dates)
    planned = bool(m.get("modal")) or bool(m.rule.set.get("planned_if") and regex.search(
        str(m.rule.set["planned_if"]), article.text[slice(*article.sentence_at(m.start))])) \
        or (tense == "future" and _after_publication(date, article.date))
    lead = _in_lead(article, ents, m.start)
    defaulted = False
    if date is None and not planned and lead and article.date:
        date, defaulted = article.date, True  # the lead tells the day's news: undated, it happened that day
    place = _place_name(m.get("place"), rules) or _place_in_sentence(article, m, ents)
    if lead and ents.location and not planned and (place is None or not _known_place(place, rules)):
        place = ents.location["text"]
    meeting = Meeting(kind, unique, (m.start, m.end), m.rule.id, date, date_text, place, planned,
                      {"date_default": defaulted})
    fields: dict[str, Any] = {"participants": [p.name for p in unique], "kind": kind, "planned": planned}
    if place:
        fields["place"] = place
    if date:
        fields["date"] = date
    trace.append(Yield(m.rule.id, "meeting", (m.start, m.end), fields))
    return meeting


def _first_person(offset: int, voices: list[tuple[Span, str | None]], ents: Entities) -> list[Entity]:
    """"my visit" inside a quotation or a transcript turn is its speaker's."""
    for (a, b), ref in voices:
        if a <= offset < b and ref:
            return [e for e in ents.people if e.id == ref][:1]
    return []


def find_meetings(article: Article, rules: RuleSet, run: engine.Run, ents: Entities, dates: list,
                  trace: list[Yield], voices: list[tuple[Span, str | None]] = ()) -> list[Meeting]:
    return engine.drain(meetings_steps(article, rules, run, ents, dates, trace, voices))


def meetings_steps(article: Article, rules: RuleSet, run: engine.Run, ents: Entities, dates: list,
                   trace: list[Yield], voices: list[tuple[Span, str | None]] = ()) -> engine.Steps:
    """find_meetings a rule at a time (engine.run_stage_steps)."""
    describer = rules.derived(Describer, Describer)
    found: list[Meeting] = []
    for m in (yield from engine.run_stage_steps(run, rules.stage("meetings"), article.text, article.body_start,
                                                sentences=article.sentences)):
        parts: list[Entity] = []
        for key in ("a", "b"):
            span = m.span_of(key)
            if span:
                stops = [s[0] for s in (m.span_of("modal"), m.span_of("verb"), m.span_of("b")) if s]
                if key == "a" and stops:  # "a new president, Masoud Pezeshkian, who ...": the apposition names them
                    span = (span[0], min(stops))
                if (m.get(key) or "").casefold() in ("my", "our"):
                    parts += _first_person(span[0], list(voices), ents)
                elif key == m.rule.set.get("each"):  # every person and organisation it lists
                    listed = [e for (a, b), e in ents.mentions if span[0] <= a and b <= span[1]]
                    parts += [e for i, e in enumerate(listed) if e not in listed[:i]]
                else:
                    parts += _party(m.get(key) or "", span, ents, describer)
        if m.span_of("group"):
            parts += resolve_description(m.get("group") or "", m.span_of("group")[0], ents, describer)
        if m.span_of("org"):
            parts += mentions_in(ents, m.span_of("org"), "organization")[-1:]
        for key in ("ca", "cb"):  # "French and Soviet ministers": the countries take part
            if m.get(key):
                country = _country_of_demonym(m.get(key) or "", rules, ents)
                if country is not None:
                    parts.append(country)
        unique: list[Entity] = []
        for p in parts:
            if p not in unique:
                unique.append(p)
        if m.rule.set.get("each") and m.span_of(m.rule.set["each"]) and len(unique) > 2:
            # "with Alpha, Beta and Gamma": a meeting with each of them
            first, others = unique[0], unique[1:]
            for other in others:
                meeting = _meeting(article, m, [first, other], rules, ents, dates, trace)
                if meeting is not None:
                    found.append(meeting)
            continue
        meeting = _meeting(article, m, unique, rules, ents, dates, trace)
        if meeting is not None:
            found.append(meeting)
    return _merge(found)


def _merge(meetings: list[Meeting]) -> list[Meeting]:
    """One meeting told twice ("held talks", then "the two ministers met") is one fact."""
    out: list[Meeting] = []
    for m in meetings:
        key = frozenset(id(p) for p in m.participants)
        def dates_agree(o: Meeting) -> bool:
            return (not o.date or not m.date or o.date == m.date or o.extra.get("date_default")
                    or m.extra.get("date_default"))

        twin = next((o for o in out if frozenset(id(p) for p in o.participants) == key and o.kind == m.kind
                     and o.planned == m.planned and dates_agree(o)
                     and (not o.place or not m.place or o.place == m.place)), None)
        if twin is None:
            out.append(m)
            continue
        if m.date and (not twin.date or (twin.extra.get("date_default") and not m.extra.get("date_default"))):
            twin.date, twin.date_text, twin.extra["date_default"] = m.date, m.date_text, m.extra.get("date_default")
        twin.place = twin.place or m.place
    return out
