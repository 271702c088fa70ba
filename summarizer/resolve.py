"""Resolution: who "he", "the Iranian ambassador" or "the two ministers" is.

Every function here searches backwards from a position for the nearest compatible mention, so
the answer depends only on what the article said before that point (and, for a person's
gender, on the honorifics, given names and pronouns the article uses for them).
"""
from __future__ import annotations

import bisect
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator

import regex

from . import patterns
from .entities import Entities
from .model import Entity, Span
from .packs import RuleSet

if TYPE_CHECKING:
    from .article import Article

_PRONOUN = patterns.compile(r"^(?:he|she|they|him|her|his|it)$", regex.IGNORECASE)
_FIRST_PERSON = patterns.compile(r"^(?:i|we|me|us|you)$", regex.IGNORECASE)
_WORD = patterns.compile(r"[\p{L}][\p{L}\-’']*")
_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4}
_GENDER_OF_PRONOUN = {"he": "m", "him": "m", "his": "m", "himself": "m",
                      "she": "f", "her": "f", "hers": "f", "herself": "f"}
_MALE_BEFORE = patterns.compile(r"(?:^|[^\p{L}])(?:Mr\.?|Sir|Lord|King|Prince|Sheikh|Father|Brother)\s+$")
_FEMALE_BEFORE = patterns.compile(r"(?:^|[^\p{L}])(?:Mrs\.?|Ms\.?|Miss|Madam|Mme\.?|Dame|Lady|Queen|Princess|Sister)\s+$")
_PRONOUN_TOKEN = patterns.compile(r"(?<![\p{L}])(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]erself)(?![\p{L}’'])")


def mentions_in(ents: Entities, span: Span, kind: str) -> list[Entity]:
    out = []
    for _s, e in ents.mentions_over(span):
        if e.kind == kind and e not in out:
            out.append(e)
    return out


# titles of heads of state or government: "the two leaders" are two of these where the article names them
_LEADER_TITLES = ("president", "prime minister", "premier", "chancellor", "king", "queen", "emir", "sultan",
                  "crown prince", "leader", "taoiseach", "monarch", "head of state", "head of government")


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
    def fits(person: Entity, country: str | None, roles: list[str], leaders_only: bool) -> bool:
        if country and person.country and person.country != country:
            return False
        if leaders_only:  # "the two leaders": heads of state or government first
            title = (person.title or person.extra.get("role") or "").casefold()
            return title.endswith(_LEADER_TITLES)
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
    before = persons_before(ents, pos)
    for leaders_only in ((True, False) if "leader" in roles else (False,)):
        out: list[Entity] = []
        for _, person in before:
            if person in out:
                continue
            if describer.fits(person, country, roles, leaders_only):
                out.append(person)
                if len(out) == count:
                    return out
    return out


class Resolver:
    """Resolves a speaker's words in one article: names, pronouns (with gender) and descriptions.

    Mentions inside quotations are left out: "he" in `"I met Lee," he said` is not Lee.
    """

    def __init__(self, article: "Article", ents: Entities, rules: RuleSet, quoted: list[Span]) -> None:
        self.text = article.text
        self.article = article
        self.ents = ents
        self.describer = rules.derived(Describer, Describer)
        self.quoted = sorted(quoted)
        self._starts = [a for a, _ in self.quoted]
        self.people = [(s, e) for s, e in ents.mentions if e.kind == "person" and not self.in_quote(s[0])]
        self.orgs = [(s, e) for s, e in ents.mentions if e.kind == "organization" and not self.in_quote(s[0])]
        self._people_starts = [s[0] for s, _ in self.people]  # sorted, as mentions are
        self.sent_starts = [a for a, _ in article.sentences]
        self._rules = rules

    @cached_property
    def gender(self) -> dict[int, str]:
        """Each person's gender (by id), worked out when a pronoun first needs it: many articles
        attribute no quotation to "he" or "she"."""
        return self._genders(self._rules)

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def _people_between(self, lo: int, hi: int) -> list[tuple[Span, Entity]]:
        """The person mentions (outside quotations) that start in [lo, hi), in order."""
        starts = self._people_starts
        return self.people[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    # -- gender ---------------------------------------------------------------------------

    def _genders(self, rules: RuleSet) -> dict[int, str]:
        """A person's gender from an honorific, a given name, or the pronouns that follow them."""
        female, male = rules.lexicon("female_given_name"), rules.lexicon("male_given_name")
        found: dict[int, str] = {}
        for (a, _), e in self.people:
            before = self.text[max(0, a - 12):a]
            if _MALE_BEFORE.search(before):
                found.setdefault(id(e), "m")
            elif _FEMALE_BEFORE.search(before):
                found.setdefault(id(e), "f")
        for e in self.ents.people:
            first = e.name.split()[0] if e.name.split() else ""
            if id(e) not in found and len(e.name.split()) > 1:
                if first in female:
                    found[id(e)] = "f"
                elif first in male:
                    found[id(e)] = "m"
        if all(id(e) in found for _, e in self.people):
            return found  # the pronouns could only vote for people whose gender is known
        # a vote counts only for a person whose gender is not known yet, mentioned just before
        unknown = [s[0] for s, e in self.people if id(e) not in found]
        votes: dict[int, dict[str, int]] = {}
        for m in self._pronouns_after(unknown):
            si = self.sentence_index(m.start())
            lo = self.sent_starts[si - 1] if si > 0 else 0
            if bisect.bisect_left(unknown, lo) == bisect.bisect_left(unknown, m.start()) or self.in_quote(m.start()):
                continue
            near = [(s, e) for s, e in self._people_between(lo, m.start()) if s[1] <= m.start()]
            if len({id(e) for _, e in near}) != 1:
                continue  # only a pronoun with one possible person votes
            g = _GENDER_OF_PRONOUN[m.group().casefold()]
            tally = votes.setdefault(id(near[-1][1]), {"m": 0, "f": 0})
            tally[g] += 1
        for key, tally in votes.items():
            if key in found:
                continue
            if tally["m"] > 2 * tally["f"]:
                found[key] = "m"
            elif tally["f"] > 2 * tally["m"]:
                found[key] = "f"
        return found

    def _pronouns_after(self, unknown: list[int]) -> Iterator[Any]:
        """The pronouns of the body that could vote for a person mentioned at one of `unknown`
        (sorted): those after such a mention, in its sentence or the next. Only those stretches
        are read, not the whole text."""
        starts, text = self.sent_starts, self.text
        stretches: list[list[int]] = []
        for u in unknown:
            k = bisect.bisect_right(starts, u) + 1  # the sentence after the one holding u ends there
            a, b = max(u + 1, self.article.body_start), starts[k] if k < len(starts) else len(text)
            if stretches and a <= stretches[-1][1]:
                stretches[-1][1] = max(stretches[-1][1], b)
            elif a < b:
                stretches.append([a, b])
        for a, b in stretches:
            for m in patterns.finditer(_PRONOUN_TOKEN, text, a):  # the look-behind still sees before a
                if m.start() >= b:
                    break
                yield m

    # -- resolution -----------------------------------------------------------------------

    def pronoun(self, word: str, pos: int) -> Entity | None:
        """He/she: the subject-most compatible person of the nearest sentence that names one."""
        lw = word.casefold()
        if lw in ("it", "they"):
            orgs = [e for s, e in self.orgs if s[1] <= pos and self.sentence_index(s[0]) >= self.sentence_index(pos) - 3]
            if orgs:
                return orgs[-1]
            if lw == "it":
                return None
        want = _GENDER_OF_PRONOUN.get(lw)
        si = self.sentence_index(pos)
        for back in range(0, 8):
            k = si - back
            if k < 0:
                break
            lo = self.sent_starts[k]
            hi = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.text)
            cands = [e for s, e in self._people_between(lo, hi) if s[1] <= pos]
            if want:
                cands = [e for e in cands if self.gender.get(id(e), want) == want]
            if cands:
                return cands[0]
        return None

    def speaker(self, raw: str, span: Span) -> tuple[Entity | None, str]:
        """(entity, how) for the words that name a speaker; how is 'name', 'pronoun', 'description' or ''."""
        people = mentions_in(self.ents, span, "person")
        if people:
            return people[0], "name"
        word = raw.strip()
        if _PRONOUN.match(word):
            return self.pronoun(word, span[0]), "pronoun"
        if _FIRST_PERSON.match(word):
            return None, ""
        found = resolve_description(raw, span[0], self.ents, self.describer)
        if found:
            return found[0], "description"
        orgs = mentions_in(self.ents, span, "organization")
        if orgs:
            return orgs[-1], "name"
        return None, ""
