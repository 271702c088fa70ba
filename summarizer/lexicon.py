"""Lexicons: gazetteers whose entries carry features ("Russian" -> country: Russia)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from .errors import RuleError


def _key(surface: str) -> str:
    return " ".join(surface.casefold().replace("’", "'").split())


@dataclass
class Lexicon:
    """Entries by surface form; lookups ignore case and spacing, patterns match as written."""

    name: str
    entries: dict[str, dict[str, Any]]
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    _alternation: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._index = {_key(s): s for s in self.entries}

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
                elif isinstance(item, (int, float)):
                    entries[str(item)] = {}
                else:
                    raise RuleError(path, f"lexicon {name!r}: entry {item!r} must be a string or "
                                    "a mapping with text:", line)
        else:
            raise RuleError(path, f"lexicon {name!r} must be a list of entries or a mapping "
                            "of entry to features", line)
        for surface in entries:
            if not surface.strip():
                raise RuleError(path, f"lexicon {name!r} has an empty entry", line)
        return cls(name, entries)

    def plus(self, other: "Lexicon") -> "Lexicon":
        return Lexicon(self.name, {**self.entries, **other.entries})

    def minus(self, other: "Lexicon", path: str, line: int | None) -> "Lexicon":
        missing = [s for s in other.entries if _key(s) not in self._index]
        if missing:
            raise RuleError(path, f"lexicon {self.name!r} has no entr{'y' if len(missing) == 1 else 'ies'} "
                            f"{missing} to remove", line)
        drop = {self._index[_key(s)] for s in other.entries}
        return Lexicon(self.name, {s: f for s, f in self.entries.items() if s not in drop})

    def alternation(self) -> str:
        """A non-capturing group of the entries, longest first so 'Prime Minister' beats 'Prime'."""
        if self._alternation is None:
            surfaces = sorted(self.entries, key=lambda s: (-len(s), s))
            parts = [regex.escape(s, special_only=True).replace(r"\ ", " ") for s in surfaces]
            parts = [p.replace(" ", r"[\s\-]+") for p in parts]  # "Vice President" = "Vice-President"
            self._alternation = "(?:" + "|".join(parts) + ")" if parts else "(?!)"
        return self._alternation

    def __contains__(self, surface: str) -> bool:
        return _key(surface) in self._index

    def get(self, surface: str) -> dict[str, Any] | None:
        """Features of an entry, with `text` the entry as written in the lexicon."""
        found = self._index.get(_key(surface))
        if found is None:
            return None
        return {"text": found, **self.entries[found]}

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)
