"""The data that flows between stages. Spans are [start, end) offsets into Article.text."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

Span = tuple[int, int]


class SpanIndex:
    """Spans to test others against by bisection (sorted starts, furthest end so far), for the
    stages that test every match against the dates, names or the like already found."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.reach = list(accumulate((b for _, b in self.spans), max))  # furthest end of the first i + 1

    def overlap(self, start: int, end: int) -> bool:
        """Whether a span overlaps [start, end)."""
        k = bisect.bisect_left(self.starts, end)  # the spans that start before `end`
        return k > 0 and self.reach[k - 1] > start

    def hold(self, span: Span) -> bool:
        """Whether another span holds span ("America" in "Bank of America")."""
        k = bisect.bisect_right(self.starts, span[0])  # the spans that start at or before it
        if k == 0 or self.reach[k - 1] < span[1]:
            return False
        return any(span[1] <= b and (a, b) != span for a, b in self.spans[:k])


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
