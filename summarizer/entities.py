"""Stage `entities`: people, organisations and places, merged into one entity per referent.

The rules find mentions; this module cleans names, reads titles and countries from the lexicons,
and merges "Vladimir Putin", "Mr Putin" and "Putin" into one person.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import engine, patterns
from .article import Article
from .lexicon import role_on
from .model import Entity, Mention, Span, SpanIndex, Yield
from .packs import RuleSet

_POSSESSIVE = patterns.compile(r"['’]s?$")
_INITIAL_END = patterns.compile(r"\b\p{Lu}\.$")


@dataclass
class Entities:
    people: list[Entity] = field(default_factory=list)
    organizations: list[Entity] = field(default_factory=list)
    places: list[Entity] = field(default_factory=list)
    dateline: dict | None = None
    location: dict | None = None  # a place line under the headline: where the event happened
    mentions: list[tuple[Span, Entity]] = field(default_factory=list)  # every mention, in text order
    _index: Any = field(default=None, repr=False, compare=False)  # (mentions, count, starts, longest)

    def _starts(self) -> tuple[list[int], int]:
        index = self._index
        if index is None or index[0] is not self.mentions or index[1] != len(self.mentions):
            starts = [a for (a, _), _e in self.mentions]
            longest = max((b - a for (a, b), _e in self.mentions), default=0)
            index = self._index = (self.mentions, len(self.mentions), starts, longest)
        return index[2], index[3]

    def mentions_from(self, a: int, b: int) -> list[tuple[Span, Entity]]:
        """The mentions that start in [a, b), in text order, found by bisection."""
        starts, _ = self._starts()
        return self.mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]

    def mentions_over(self, span: Span) -> list[tuple[Span, Entity]]:
        """The mentions that overlap span, in text order."""
        _, longest = self._starts()
        return [(s, e) for s, e in self.mentions_from(span[0] - longest, span[1]) if span[0] < s[1]]

    def person_at(self, span: Span) -> Entity | None:
        for _s, entity in self.mentions_over(span):
            if entity.kind == "person":
                return entity
        return None

    def entity_named(self, name: str, kinds: tuple[str, ...] = ("person", "organization")) -> Entity | None:
        key = name.casefold()
        pools = {"person": self.people, "organization": self.organizations, "place": self.places}
        for kind in kinds:
            for e in pools[kind]:
                if e.name.casefold() == key:
                    return e
        for kind in kinds:
            if kind == "person":
                last = key.split()[-1] if key.split() else key
                for e in self.people:
                    if e.last_name.casefold() == last:
                        return e
        return None


_CACHE_LIMIT = 50_000  # names remembered per rule set; cleared when full, so memory stays flat
_UNSEEN = object()


class _Names:
    """Lexicon-driven checks on candidate names, built once per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        self.lex = rules.lexicons
        self.stop = set()  # words that never stand in a name
        self.role_words = set()  # words that end a name only after a known given name ("Stephen King")
        for name in ("not_name_word", "demonym", "title", "honorific", "speech_verb"):
            target = self.role_words if name in ("title", "speech_verb", "honorific") else self.stop
            for surface in rules.lexicon(name):
                if " " not in surface:
                    target.add(surface.casefold())
        self.role_words -= self.stop
        self.given = rules.lexicon("given_name")
        self.places = rules.lexicon("country"), rules.lexicon("city"), rules.lexicon("region")
        self._person_cache: dict[str, str | None] = {}

    def is_place(self, text: str) -> bool:
        return any(text in lex for lex in self.places)

    def person(self, raw: str) -> str | None:
        """The cleaned name, or None. Leading capitalised function words ("But David Frost") are
        trimmed; a name repeated back ("Saad Hariri Hariri Saad") is cut at the repetition.
        Remembered, as each candidate is read more than once and names recur across articles."""
        cache = self._person_cache
        name = cache.get(raw, _UNSEEN)  # one lookup: another thread may clear the cache at any time
        if name is _UNSEEN:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            name = cache[raw] = self._person(raw)
        return name

    def _person(self, raw: str) -> str | None:
        name = " ".join(raw.split()).strip(" ,;:")
        if name.endswith(".") and not name.endswith(("Jr.", "Sr.")) and not _INITIAL_END.search(name):
            name = name[:-1]
        name = _POSSESSIVE.sub("", name) if name.endswith(("'s", "’s")) else name
        tokens = name.split()
        honorifics = self.lex.get("honorific")
        while tokens and (tokens[0].casefold() in self.stop or tokens[0].casefold() in self.role_words
                          or (honorifics is not None and tokens[0] in honorifics)):
            tokens.pop(0)
        for i, tok in enumerate(tokens):
            if tok in tokens[:i]:
                tokens = tokens[:i]
                break
            if i < len(tokens) - 1 and tok.endswith(("'s", "’s")):
                tokens = tokens[:i] + [tok[:-2]]  # "Doumeng's Interagra company": the name ends at the possessive
                break
        if not tokens:
            return None
        for i, tok in enumerate(tokens):
            if tok.casefold() in self.stop and tok not in ("Jr.", "Sr.", "Jr", "Sr"):
                return None
            if tok.casefold() in self.role_words and not (i == len(tokens) - 1 and i > 0 and tokens[0] in self.given):
                return None
            if tok.isupper() and len(tok) > 1 and not tok.endswith("."):
                return None  # an acronym, not a name
        if self.is_place(tokens[0]) or self.is_place(" ".join(tokens)):
            return None
        orgs = self.lex.get("organization"), self.lex.get("news_agency")
        if any(lex is not None and " ".join(tokens) in lex for lex in orgs):
            return None
        return " ".join(tokens)

    def title(self, raw: str | None, modifier: str | None = None) -> str | None:
        if not raw:
            return None
        text = " ".join(raw.split())
        titles = self.lex.get("title")
        canonical = text
        if titles is not None:
            entry = titles.get(text)
            if entry:
                canonical = entry["text"]
            else:  # "minister of Economy and Communication": the head word as the lexicon writes it
                words = text.split()
                for n in range(len(words) - 1, 0, -1):
                    head = titles.get(" ".join(words[:n]))
                    if head:
                        canonical = " ".join([head["text"], *words[n:]])
                        break
        canonical = _drop_institution(canonical)
        if canonical[:1].islower() and canonical.split()[0] in ("minister", "president", "secretary", "ambassador"):
            canonical = canonical[0].upper() + canonical[1:]
        if modifier:
            mod = modifier.strip().casefold()
            canonical = f"{mod}{canonical}" if mod.endswith("-") else f"{mod} {canonical}"
        return canonical

    def country(self, demonym: str | None, country: str | None, seat: str | None = None) -> str | None:
        if seat:  # "Kremlin spokesman"
            entry = self.lex["seat_of_power"].get(seat) if "seat_of_power" in self.lex else None
            if entry:
                return entry.get("country")
        if demonym:
            entry = self.lex["demonym"].get(demonym) if "demonym" in self.lex else None
            if entry:
                return entry.get("country") or entry["text"]
        if country:
            entry = self.lex["country"].get(country) if "country" in self.lex else None
            if entry:
                return entry.get("country") or entry["text"]
        return None


_INSTITUTION = patterns.compile(
    r"\s+(?:of|at)\s+(?:the\s+)?(?:[\p{L}\-’']+\s+){0,5}(?:Hospital|University|College|School|Clinic|Institute|"
    r"Center|Centre|Company|Corporation|Bank|Agency|Foundation|Group|Council|Organi[sz]ation|Chambers?\s+of\s+Commerce|"
    r"Fund|Association|Federation|Authority|Committee|Commission|Party|Movement|Service|Department|Office|Board)\b.*$")
_OF_THE = patterns.compile(r"\s+(?:of|at)\s+the\s+.*$")


def _drop_institution(title: str) -> str:
    """A title keeps its portfolio ("Minister of Economy") but not its institution, which is a place
    ("director of the Indonesian Hospital" is a director)."""
    stripped = _INSTITUTION.sub("", title)
    if stripped == title and not title.casefold().startswith(("minister", "secretary", "shadow")):
        stripped = _OF_THE.sub("", title)
    return stripped or title


def _same_person(a: list[str], b: list[str]) -> bool:
    """Same name, one name's words end the other's ("Abu Hatab" in "Walid Abu Hatab"), or same first and last."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[-len(short):] == short:
        return True
    if len(short) == 1 and long_[0] == short[0]:
        return True  # "Sheikh Ali" after "Sheikh Ali al-Khalifa al-Sabah"
    return len(a) > 1 and len(b) > 1 and a[0] == b[0] and a[-1] == b[-1]


def _cluster_people(mentions: list[Mention]) -> list[Entity]:
    """Each mention joins the latest person with the same name (_same_person), else starts one."""
    people: list[Entity] = []
    names: list[list[str]] = []  # each person's name, split once
    # the people whose name (now or before) starts or ends with a word: two names are the same
    # person only if they share their first or their last word, so only those are compared
    # (an article names hundreds of people, and comparing each mention with all was quadratic)
    by_word: dict[tuple[int, str], list[int]] = {}
    for m in mentions:
        words = m.name.split()
        if words:
            near = {*by_word.get((0, words[0]), ()), *by_word.get((-1, words[-1]), ())}
            k = next((k for k in sorted(near, reverse=True) if _same_person(words, names[k])), None)
        else:
            k = next((k for k in range(len(people) - 1, -1, -1) if _same_person(words, names[k])), None)
        if k is None:
            people.append(Entity(id="", kind="person", name=m.name, rule=m.rule, title=m.title,
                                 country=m.country, mentions=[m.span]))
            names.append(words)
            if words:
                by_word.setdefault((0, words[0]), []).append(len(people) - 1)
                by_word.setdefault((-1, words[-1]), []).append(len(people) - 1)
            continue
        target = people[k]
        if len(words) > len(names[k]):
            target.name, names[k] = m.name, words
            by_word.setdefault((0, words[0]), []).append(k)
            by_word.setdefault((-1, words[-1]), []).append(k)
        target.title = target.title or m.title
        target.country = target.country or m.country
        target.mentions.append(m.span)
    return people


def _inherit_roles(article: Article, people: list[Entity], mentions: list[Mention]) -> None:
    """"his Russian counterpart X" holds the same role as the person the sentence is about; kept as
    `role` (not `title`) so that "the two ministers" can find X without claiming a title the text never gave."""
    for m in mentions:
        if not m.extra.get("role_from_subject"):
            continue
        person = next((p for p in people if m.span in p.mentions), None)
        if person is None or person.title:
            continue
        sa, _ = article.sentence_at(m.span[0])
        subjects = [p for p in people if p is not person and p.title
                    and any(sa <= a < m.span[0] for a, _ in p.mentions)]
        if subjects:
            person.extra["role"] = subjects[-1].title


def _whole_words(text: str, pos: int, names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where the names occur as whole words (no letter or hyphen on either side), leftmost first,
    the longest at a position, none overlapping: what a regex alternation of them finds, without
    compiling one per article."""
    found = []
    for name in names:
        if not name:
            continue
        i = text.find(name, pos)
        while i >= 0:
            j = i + len(name)
            if not (i > 0 and (text[i - 1].isalpha() or text[i - 1] == "-")) and \
                    not (j < len(text) and (text[j].isalpha() or text[j] == "-")):
                found.append((i, j, name))
            i = text.find(name, i + 1)
    found.sort(key=lambda t: (t[0], -len(t[2])))
    out, resume = [], pos
    for start, end, name in found:
        if start >= resume:
            out.append((start, end, name))
            resume = end
    return out


_NAME_GOES_ON = patterns.compile(r"[ \t]+\p{Lu}")


def _surname_mentions(article: Article, people: list[Entity], taken: list[Span], family_first: Any) -> None:
    """Later mentions by surname alone ("Aziz said") join the person named in full earlier; for a
    name that starts with a family name (family_first: "Xi Jinping", "Yoon Suk Yeol"), by that."""
    by_last: dict[str, list[Entity]] = {}
    family: set[str] = set()
    for p in people:
        by_last.setdefault(p.last_name, []).append(p)
        words = p.name.split()
        if 2 <= len(words) <= 3 and words[0] in family_first:
            by_last.setdefault(words[0], []).append(p)
            family.add(words[0])
    if not by_last:
        return
    taken = sorted(taken)
    starts = [a for a, _ in taken]
    text = article.text
    for start, end, name in _whole_words(text, article.body_start, by_last):
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and taken[i][0] <= start < taken[i][1]:
            continue
        if name in family and _NAME_GOES_ON.match(text, end):
            continue  # "Kim Reem": a first word of another name, not "Kim" alone
        candidates = [p for p in by_last[name] if p.first <= start] or by_last[name]
        person = max(candidates, key=lambda p: max((s for s, _ in p.mentions if s <= start), default=-1))
        person.mentions.append((start, end))
    for p in people:
        p.mentions.sort()


_ORG_LEADING = {"The", "In", "On", "At", "By", "For", "From", "With", "As", "After", "Before", "During", "Under",
                "Over", "Separately", "Meanwhile", "And", "But", "Or", "Also", "If", "When", "While", "Since",
                "Both", "Its", "Their", "His", "Her", "Our", "A", "An", "This", "That", "Last", "Next"}
_ORG_STOP = {"of", "the", "and", "for", "de", "du", "la", "&"}


def _merge_acronyms(orgs: list[Entity]) -> list[Entity]:
    """"Saudi Press Agency ... SPA": an acronym of a longer name in the same article is that organisation."""
    def initials(name: str) -> str:
        return "".join(w[0] for w in name.split() if w.casefold() not in _ORG_STOP).upper()

    out = []
    for org in orgs:
        long_ = None
        if org.name.isupper() and len(org.name) > 1:
            long_ = next((o for o in orgs if o is not org and " " in o.name and initials(o.name) == org.name), None)
        if long_ is None:
            out.append(org)
            continue
        long_.mentions = sorted(long_.mentions + org.mentions)
        long_.extra.setdefault("aliases", []).append(org.name)
    return out


def _location_line(article: Article, rules: RuleSet, run: engine.Run, stage, names: _Names,
                   trace: list[Yield]) -> dict | None:
    """The first of the top three paragraphs (not the headline) that is only a place line."""
    for a, b in article.paragraphs[:3]:
        if article.headline_span and (a, b) == tuple(article.headline_span):
            continue
        for m in engine.run_stage(run, stage, article.text, a, b, emit="location"):
            if (m.start, m.end) != (a, b) and article.text[m.start:m.end].strip() != article.text[a:b]:
                continue
            parts = [p.strip() for p in (m.get("place") or "").split(",")]
            known = [p for p in parts if names.is_place(p) or names.is_place(p.removeprefix("The "))
                     or p.removeprefix("The ") in ("Kremlin", "White House", "Elysee Palace", "Downing Street")]
            if not known:
                continue
            trace.append(Yield(m.rule.id, "location", (m.start, m.end), {"place": m.get("place")}))
            return {"text": m.get("place"), "span": [m.start, m.end], "rule": m.rule.id}
    return None


def find_entities(article: Article, rules: RuleSet, run: engine.Run, trace: list[Yield]) -> Entities:
    return engine.drain(entities_steps(article, rules, run, trace))


def entities_steps(article: Article, rules: RuleSet, run: engine.Run, trace: list[Yield]) -> engine.Steps:
    """find_entities a rule at a time (engine.run_stage_steps)."""
    names = rules.derived(_Names, _Names)
    stage = rules.stage("entities")
    text, start = article.text, article.body_start
    out = Entities()

    person_mentions: list[Mention] = []
    def valid(m: engine.Match) -> engine.Match | None:
        raw = m.get("name") or ""
        name = names.person(raw)
        if not name or (len(name.split()) == 1 < len(raw.split()) and not m.get("honorific")):
            return None  # "Gulf Arab" trimmed to "Arab" is no name
        _, a, b = m.groups["name"]
        first = name.split()[0]
        at = text.find(first, a, b)
        if at > a and a == m.start:  # "But Vice-President Mike Pence": the match starts at the name
            groups = dict(m.groups)
            groups["name"] = (text[at:b], at, b)
            return engine.Match(m.rule, at, m.end, groups)
        return m

    known = [rules.lexicon(n) for n in sorted({r.set["people"] for r in stage if r.set.get("people")})]
    for m in (yield from engine.run_stage_steps(run, stage, text, start, emit="person", keep=valid,
                                                sentences=article.sentences)):
        name = names.person(m.get("name") or "") or ""
        honorific = m.get("honorific")
        hon_title = None
        if honorific and "honorific" in rules.lexicons:
            entry = rules.lexicons["honorific"].get(honorific)
            hon_title = entry.get("title") if entry else None
        title = names.title(m.get("title"), m.get("modifier")) or hon_title
        country = names.country(m.get("country"), m.get("country_of"), m.get("seat"))
        entry = next((e for lex in known if (e := lex.get(name))), None)
        if entry:  # a person the region's lexicon knows: its spelling, and the role held on the article's date
            name = entry["text"]
            role = role_on(entry, article.date) or {}
            title = title or role.get("title")
            country = country or role.get("country") or entry.get("country")
        span = m.span_of("name") or (m.start, m.end)
        mention = Mention("person", name, span, m.rule.id, title, country)
        if m.rule.set.get("role_from") == "subject":
            mention.extra["role_from_subject"] = True
        person_mentions.append(mention)
        fields = {"name": name}
        if title:
            fields["title"] = title
        if country:
            fields["country"] = country
        trace.append(Yield(m.rule.id, "person", (m.start, m.end), fields))
    out.people = _cluster_people(person_mentions)
    _inherit_roles(article, out.people, person_mentions)
    _surname_mentions(article, out.people, [mm.span for mm in person_mentions], rules.lexicon("surname_first"))

    person_spans = [s for p in out.people for s in p.mentions]
    orgs: dict[str, Entity] = {}
    heads = rules.lexicon("org_head")
    for m in (yield from engine.run_stage_steps(run, stage, text, start, emit="organization")):
        raw = " ".join((m.get("name") or "").split())
        words = raw.split()
        while len(words) > 1 and words[0] in _ORG_LEADING:
            words.pop(0)  # "In American Stock Exchange composite trading": the name starts after "In"
        based = [i for i, w in enumerate(words[:-1]) if w.endswith("-based")]
        if based:  # "San Francisco-based 1st Nationwide Bank"
            words = words[based[-1] + 1:]
        if "The" in words[1:]:  # "FROM OLYMPICS The International Olympic Committee": a heading ran into it
            words = words[words.index("The", 1) + 1:]
        raw = " ".join(words)
        if len(words) == 1 and m.rule.id != "orgs.known" and raw in heads:
            continue  # "the Post": a head word alone names nothing
        span = m.span_of("name") or (m.start, m.end)
        if any(a <= span[0] and span[1] <= b for a, b in person_spans):
            continue
        entry = None
        kind = "organization"
        for lex_name in ("news_agency", "organization"):
            lex = rules.lexicons.get(lex_name)
            found = lex.get(raw) if lex is not None else None
            if found:
                entry = found
                kind = "news agency" if lex_name == "news_agency" else found.get("kind", "organization")
                break
        name = (entry or {}).get("name") or raw
        if names.is_place(name):
            continue
        org = orgs.get(name)
        if org is None:
            org = orgs[name] = Entity(id="", kind="organization", name=name, rule=m.rule.id, extra={"kind": kind})
        org.mentions.append(span)
        trace.append(Yield(m.rule.id, "organization", (m.start, m.end), {"name": name, "kind": kind}))
    out.organizations = _merge_acronyms(list(orgs.values()))

    places: dict[str, Entity] = {}
    org_spans = [s for o in out.organizations for s in o.mentions]
    inside_name = SpanIndex(org_spans + person_spans)
    for m in (yield from engine.run_stage_steps(run, stage, text, start, emit="place")):
        raw = m.get("name") or ""
        span = m.span_of("name") or (m.start, m.end)
        if inside_name.hold(span):  # "America" in "Bank of America"
            continue
        entry = None
        for lex_name in ("country", "city", "region"):
            lex = rules.lexicons.get(lex_name)
            entry = lex.get(raw) if lex is not None else None
            if entry:
                if lex_name == "country":
                    name, country = entry.get("country") or entry["text"], entry.get("country") or entry["text"]
                else:
                    name, country = entry.get("name") or entry["text"], entry.get("country")
                break
        else:
            name, country = raw, None
        place = places.get(name)
        if place is None:
            place = places[name] = Entity(id="", kind="place", name=name, rule=m.rule.id, country=country)
        place.mentions.append(span)
        fields = {"name": name, **({"country": country} if country else {})}
        trace.append(Yield(m.rule.id, "place", (m.start, m.end), fields))
    out.places = list(places.values())

    first_para_end = article.paragraphs[1][1] if len(article.paragraphs) > 1 else len(text)
    for m in (yield from engine.run_stage_steps(run, stage, text, start, first_para_end, emit="dateline")):
        out.dateline = {"text": text[m.start:m.end].strip(" -_–—\t"), "place": m.get("place"),
                        "date_text": m.get("date"), "span": [m.start, m.end], "rule": m.rule.id}
        trace.append(Yield(m.rule.id, "dateline", (m.start, m.end),
                           {k: v for k, v in (("place", m.get("place")), ("date", m.get("date"))) if v}))
        break

    out.location = _location_line(article, rules, run, stage, names, trace)

    for kind, items, prefix in (("person", out.people, "person"), ("organization", out.organizations, "org"),
                                ("place", out.places, "place")):
        items.sort(key=lambda e: (e.first, e.name))
        for i, e in enumerate(items, 1):
            e.id = f"{prefix}-{i}"
    out.mentions = sorted(((s, e) for e in [*out.people, *out.organizations] for s in e.mentions),
                          key=lambda t: (t[0][0], t[0][1]))
    return out
