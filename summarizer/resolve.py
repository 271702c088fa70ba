"""Resolution: who "he", "the Iranian ambassador" or "the two ministers" is.

Every function here searches backwards from a position for the nearest compatible mention, so
the answer depends only on what the article said before that point.
"""
from __future__ import annotations

import regex

from .entities import Entities
from .model import Entity, Span
from .packs import RuleSet

_PRONOUN = regex.compile(r"^(?:he|she|they|him|her|his)$", regex.IGNORECASE)
_FIRST_PERSON = regex.compile(r"^(?:i|we|me|us)$", regex.IGNORECASE)
_WORD = regex.compile(r"[\p{L}][\p{L}\-’']*")
_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4}


def mentions_in(ents: Entities, span: Span, kind: str) -> list[Entity]:
    out = []
    for (a, b), e in ents.mentions:
        if e.kind == kind and a < span[1] and span[0] < b and e not in out:
            out.append(e)
    return out


def persons_before(ents: Entities, pos: int) -> list[tuple[int, Entity]]:
    """Person mentions that end before pos, nearest first."""
    found = [(a, e) for (a, b), e in ents.mentions if e.kind == "person" and b <= pos]
    return sorted(found, key=lambda t: -t[0])


class Describer:
    """Reads descriptions ("the Iranian ambassador", "the two ministers") with the lexicons."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.demonyms = rules.lexicon("demonym")
        self.title_words = set()
        for t in rules.lexicon("title"):
            self.title_words.add(t.casefold().split()[-1])
        for t in rules.lexicon("person_noun"):
            self.title_words.add(t.casefold())

    def parse(self, text: str) -> tuple[str | None, list[str], int]:
        """(country, role words, how many people) of a description."""
        country = None
        roles: list[str] = []
        count = 1
        for w in _WORD.findall(text):
            entry = self.demonyms.get(w)
            if entry and w[:1].isupper():
                country = entry.get("country") or entry["text"]
            lw = w.casefold()
            if lw in _NUMBER_WORDS:
                count = _NUMBER_WORDS[lw]
            singular = lw[:-1] if lw.endswith("s") and lw[:-1] in self.title_words else lw
            if singular in self.title_words:
                roles.append(singular)
        if roles and text.split()[-1].casefold().endswith("s") and count == 1 and roles[-1] != text.split()[-1].casefold():
            count = 2
        return country, roles, count

    @staticmethod
    def fits(person: Entity, country: str | None, roles: list[str]) -> bool:
        if country and person.country and person.country != country:
            return False
        if roles:
            generic = {"official", "diplomat", "leader", "head", "chief", "counterpart", "sides", "parties",
                       "men", "women", "man", "woman"}
            specific = [r for r in roles if r not in generic]
            if specific:
                title = (person.title or person.extra.get("role") or "").casefold()
                return any(r in title.split() or title.endswith(r) for r in specific)
            return bool(person.title or person.extra.get("role")) or bool(country and person.country == country)
        return bool(country and person.country == country)


def resolve_description(text: str, pos: int, ents: Entities, describer: Describer) -> list[Entity]:
    """The people a description points back to, nearest first (as many as it counts)."""
    country, roles, count = describer.parse(text)
    if not roles and not country:
        return []
    out: list[Entity] = []
    for _, person in persons_before(ents, pos):
        if person in out:
            continue
        if describer.fits(person, country, roles):
            out.append(person)
            if len(out) == count:
                break
    return out


def resolve_speaker(raw: str, span: Span, pos: int, ents: Entities, describer: Describer,
                    last_speaker: Entity | None) -> tuple[Entity | None, str]:
    """(entity, how) for the words that name a speaker; how is 'name', 'pronoun', 'description' or ''."""
    people = mentions_in(ents, span, "person")
    if people:
        return people[0], "name"
    word = raw.strip()
    if _PRONOUN.match(word):
        if last_speaker is not None and last_speaker.kind == "person":
            return last_speaker, "pronoun"
        before = persons_before(ents, span[0])
        return (before[0][1] if before else None), "pronoun"
    if _FIRST_PERSON.match(word):
        return None, ""
    found = resolve_description(raw, span[0], ents, describer)
    if found:
        return found[0], "description"
    orgs = mentions_in(ents, span, "organization")
    if orgs:
        return orgs[-1], "name"
    return None, ""
