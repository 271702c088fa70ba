"""The data that flows between stages. Spans are [start, end) offsets into Article.text."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Mention:
    """One place in the text that names an entity, with what that place says about it."""

    kind: str  # person | organization | place
    name: str
    span: Span
    rule: str
    title: str | None = None
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Entity:
    """A person, organisation or place, with every mention of it."""

    id: str
    kind: str
    name: str
    rule: str
    title: str | None = None
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def last_name(self) -> str:
        return self.name.split()[-1] if self.name else ""

    @property
    def first(self) -> int:
        return self.mentions[0][0] if self.mentions else 0


@dataclass
class Yield:
    """What one rule produced, before resolution merged it into facts: for examples and `explain`."""

    rule: str
    kind: str
    span: Span
    fields: dict[str, Any]
