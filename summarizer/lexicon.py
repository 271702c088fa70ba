"""Lexicons: gazetteers whose entries carry features ("Russian" -> country: Russia).

An entry may list `aliases:` (other spellings and transliterations: Pezeshkiyan for Pezeshkian);
an alias matches in patterns and looks up as its entry. People's entries may carry date-bounded
`roles:`; `role_on` picks the role an article's date falls in, as event coders' actor
dictionaries do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from . import patterns
from .errors import RuleError


@lru_cache(maxsize=1 << 16)
def _key(surface: str) -> str:
    """How lookups compare surfaces; memoised, as the same words are looked up over and over."""
    return " ".join(surface.casefold().replace("’", "'").split())


def _aliases(feats: dict[str, Any]) -> list[str]:
    raw = feats.get("aliases") or []
    return [raw] if isinstance(raw, str) else [str(a) for a in raw]


@dataclass
class Lexicon:
    """Entries by surface form; lookups ignore case and spacing, patterns match as written."""

    name: str
    entries: dict[str, dict[str, Any]]
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    _alternation: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for surface, feats in self.entries.items():  # aliases first: an entry's own surface wins
            for alias in _aliases(feats):
                self._index.setdefault(_key(alias), surface)
        self._index.update({_key(s): s for s in self.entries})

    @classmethod
    def from_yaml(cls, name: str, spec: Any, path: str, line: int | None) -> "Lexicon":
        """A list of surfaces (strings or {text:, ...features}), or a mapping surface -> features."""
        entries: dict[str, dict[str, Any]] = {}
        if isinstance(spec, dict):
            for surface, feats in spec.items():
                if isinstance(feats, dict):
                    entries[str(surface)] = dict(feats)
                elif feats is None:
                    entries[str(surface)] = {}
                else:
                    entries[str(surface)] = {"value": feats}
        elif isinstance(spec, list):
            for item in spec:
                if isinstance(item, str):
                    entries[item] = {}
                elif isinstance(item, dict) and isinstance(item.get("text"), str):
                    feats = {k: v for k, v in item.items() if k != "text"}
                    entries[item["text"]] = feats
                elif isinstance(item, (int, float)):  # bool too: packs.py warns about unquoted On/No
                    entries[str(item)] = {}
                else:
                    raise RuleError(path, f"lexicon {name!r}: entry {item!r} must be a string or "
                                    "a mapping with text:", line)
        else:
            raise RuleError(path, f"lexicon {name!r} must be a list of entries or a mapping "
                            "of entry to features", line)
        for surface, feats in entries.items():
            if not surface.strip():
                raise RuleError(path, f"lexicon {name!r} has an empty entry", line)
            raw = feats.get("aliases")
            if raw is not None and not (isinstance(raw, str) or (
                    isinstance(raw, list) and all(isinstance(a, str) and a.strip() for a in raw))):
                raise RuleError(path, f"lexicon {name!r}: aliases of {surface!r} must be a list of spellings", line)
            _check_roles(name, surface, feats.get("roles"), path, line)
        lexicon = cls(name, entries)
        lexicon._check_alias_clashes(entries, path, line)
        return lexicon

    def _check_alias_clashes(self, new: dict[str, dict[str, Any]], path: str, line: int | None) -> None:
        """An alias that already names another entry would make lookups depend on file order."""
        for surface, feats in new.items():
            for alias in _aliases(feats):
                owner = self._index.get(_key(alias))
                if owner is not None and owner != surface:
                    raise RuleError(path, f"lexicon {self.name!r}: alias {alias!r} of {surface!r} already "
                                    f"names {owner!r}; remove one of them", line)

    def plus(self, other: "Lexicon", path: str = "", line: int | None = None) -> "Lexicon":
        """Add entries; an entry that exists is replaced with the new one (features and aliases)."""
        merged = Lexicon(self.name, {**self.entries, **other.entries})
        merged._check_alias_clashes(other.entries, path, line)
        return merged

    def minus(self, other: "Lexicon", path: str, line: int | None) -> "Lexicon":
        missing = [s for s in other.entries if _key(s) not in self._index]
        if missing:
            raise RuleError(path, f"lexicon {self.name!r} has no entr{'y' if len(missing) == 1 else 'ies'} "
                            f"{missing} to remove; check the spelling with 'summarizer rules list'", line)
        gone = {_key(s) for s in other.entries}
        kept: dict[str, dict[str, Any]] = {}
        for surface, feats in self.entries.items():
            if _key(surface) in gone:  # every spelling of it: lookups ignore case, so removal does too
                continue
            if any(_key(a) in gone for a in _aliases(feats)):  # an alias named: drop only that alias
                feats = {**feats, "aliases": [a for a in _aliases(feats) if _key(a) not in gone]}
            kept[surface] = feats
        return Lexicon(self.name, kept)

    def surfaces(self) -> list[str]:
        """Every string that matches: entries and their aliases."""
        out = list(self.entries)
        for feats in self.entries.values():
            out.extend(_aliases(feats))
        return out

    def alternation(self) -> str:
        """The entries as one regex group, built as a trie so a failing position costs one character
        test rather than one test per entry; longer entries win ('Prime Minister' over 'Prime').
        A space in an entry matches any run of spaces or hyphens ("Vice President" = "Vice-President")."""
        if self._alternation is None:
            surfaces = sorted(set(self.surfaces()))
            self._alternation = trie_pattern(surfaces) if surfaces else "(?!)"
        return self._alternation

    def __contains__(self, surface: str) -> bool:
        return _key(surface) in self._index

    def get(self, surface: str) -> dict[str, Any] | None:
        """Features of an entry (found by its surface or an alias), with `text` the entry as written."""
        found = self._index.get(_key(surface))
        if found is None:
            return None
        return {"text": found, **self.entries[found]}

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


# ---------------------------------------------------------------------------------------------
# Date-bounded roles (known_person entries)

_ISO_PART = patterns.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _check_roles(name: str, surface: str, roles: Any, path: str, line: int | None) -> None:
    if roles is None:
        return
    if not isinstance(roles, list) or not all(isinstance(r, dict) for r in roles):
        raise RuleError(path, f"lexicon {name!r}: roles of {surface!r} must be a list of "
                        "{title:, country:, from:, until:}", line)
    for role in roles:
        if not isinstance(role.get("title"), str):
            raise RuleError(path, f"lexicon {name!r}: each role of {surface!r} needs title:", line)
        for key in ("from", "until"):
            value = role.get(key)
            if value is not None and not _ISO_PART.match(str(value)):
                raise RuleError(path, f"lexicon {name!r}: {key}: {value!r} of {surface!r} must be a date "
                                "written YYYY, YYYY-MM or YYYY-MM-DD", line)


def _within(date: str, start: str | None, end: str | None) -> bool:
    """Both bounds inclusive, compared at the precision each is written in (until: 2024-05 is all May)."""
    if start and date[:len(str(start))] < str(start)[:len(date)]:
        return False
    if end and date[:len(str(end))] > str(end)[:len(date)]:
        return False
    return True


def role_on(entry: dict[str, Any], date: str | None) -> dict[str, Any] | None:
    """The role a known person held on `date` (ISO, any precision), with the entry's country as default.

    Without a date, the open-ended role (no `until:`) is taken: the one the person holds now.
    Several matching roles: the last listed wins, so write them in the order they began.
    """
    roles = entry.get("roles") or []
    if date and _ISO_PART.match(date[:10]):
        chosen = [r for r in roles if _within(date[:10], r.get("from"), r.get("until"))]
    else:
        chosen = [r for r in roles if not r.get("until")]
    if not chosen:
        return None
    role = dict(chosen[-1])
    if not role.get("country") and entry.get("country"):
        role["country"] = entry["country"]
    return role


_SEP = " "


def trie_pattern(surfaces: list[str], starts_word: bool = True) -> str:
    """A regex equivalent to the alternation of `surfaces` (longest first), factored by shared
    prefixes; with `starts_word`, an entry that begins with a letter matches only at a word start."""
    root: dict = {}
    for surface in surfaces:
        node = root
        for ch in " ".join(surface.split()):
            node = node.setdefault(ch, {})
        node[""] = {}  # end of an entry

    def emit(node: dict, top: bool = False) -> str:
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        branches = []
        for k in keys:
            atom = r"[\s\-]+" if k == _SEP else regex.escape(k, special_only=True)
            if top and starts_word and (k.isalnum() or k == "_"):
                atom = r"\b" + atom  # an entry that starts a word never starts mid-word (and fails fast there)
            branches.append(atom + emit(node[k]))
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # an entry that is the start of a longer one: (?:longer|), the same match as (?:longer)?
        # without a repeat; the `regex` module resets every repeat of a pattern on each call, so
        # the thousands a big lexicon's trie held cost every call of the rules that use it
        return "(?:" + body + "|)" if "" in node else body

    return "(?:" + emit(root, top=True) + ")"
