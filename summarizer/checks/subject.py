"""One article as the checks see it: its text, metadata, fact sheet, and where things are in the file.

Field paths used by checks: `metadata.X` (front matter / JSON fields as written), `article.X` (the
fact sheet's article part, e.g. `article.dateline.date`), `facts.X` (the whole fact sheet) and
`text.body` / `text.words` (the body without its headline). A bare name means `metadata.name`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..article import Article

MISSING: Any = object()
ROOTS = ("metadata", "article", "facts", "text")
_WORD = re.compile(r"\w[\w'’-]*")
_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


@dataclass
class DecodeProblem:
    """Bytes that are not UTF-8: where the first bad byte is, and how many bad runs there are."""

    offset: int
    byte: int
    reason: str
    line: int
    column: int
    count: int = 1


@dataclass
class Subject:
    """Everything a check may look at for one article of one file."""

    path: str                      # the file as given (or <stdin>)
    article: Article | None
    facts: dict[str, Any] | None
    today: dt.date
    line_base: int = 0             # JSONL: the article's line in the file, minus one
    json_record: bool = False      # spans index a JSON "text" field, not the file
    load_error: Any = None         # ArticleError when the article could not be read
    decode: DecodeProblem | None = None
    expected: dict[str, Any] | None = None   # --expect: the committed fact sheet
    expected_source: str | None = None
    expected_error: str | None = None
    regions: tuple[str, ...] = ()
    known_checks: frozenset[str] = frozenset()
    inline_unknown: list[tuple[str, int]] = field(default_factory=list)

    # -- values ---------------------------------------------------------------------------------

    def body_text(self) -> str:
        art = self.article
        if art is None:
            return ""
        start = art.body_start
        if art.headline_span and art.headline_span[0] >= start:
            head_a, head_b = art.headline_span
            return (art.text[start:head_a] + art.text[head_b:]).strip()
        return art.body.strip()

    def get(self, path: str) -> Any:
        """The value at a field path, or MISSING when absent, null or empty."""
        root, _, rest = path.partition(".")
        if root not in ROOTS:
            root, rest = "metadata", path
        if root == "text":
            body = self.body_text()
            value: Any = {"body": body, "words": len(_WORD.findall(body)),
                          "all": self.article.text if self.article else ""}.get(rest, MISSING)
            return value
        if root == "metadata":
            if self.article is None:
                return MISSING
            if rest in self.article.metadata:   # keys may contain dots
                return _present(self.article.metadata[rest])
            return dig(self.article.metadata, rest)
        if self.facts is None:
            return MISSING
        base = self.facts if root == "facts" else self.facts.get("article", {})
        return dig(base, rest) if rest else base

    def first(self, paths: list[str]) -> tuple[str, Any]:
        """The first of several alternative fields that has a value ('date', 'datePublished', ...)."""
        for p in paths:
            value = self.get(p)
            if value is not MISSING:
                return p, value
        return paths[0], MISSING

    # -- locations ------------------------------------------------------------------------------

    def position(self, offset: int | None) -> tuple[int, int]:
        """1-based line and column in the file for an offset into Article.text."""
        if self.article is None or offset is None:
            return (self.line_base + 1, 1)
        if self.json_record:
            return (self.line_base + 1, 1)
        return self.article.line_of(max(0, min(offset, len(self.article.text))))

    def field_offset(self, path: str, value: Any = MISSING) -> int | None:
        """Where a metadata field (or one of its list values) is written in the front matter."""
        art = self.article
        root, _, rest = path.partition(".")
        if root not in ROOTS:
            rest, root = path, "metadata"
        if art is None:
            return None
        if root == "article" and rest.startswith("dateline") and self.facts:
            span = dig(self.facts.get("article", {}), "dateline.span")
            return span[0] if isinstance(span, list) else None
        if root == "article" and rest == "headline" and art.headline_span:
            return art.headline_span[0]
        key = rest.split(".")[0]
        head = art.text[:art.body_start]
        m = re.search(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*:", head, re.MULTILINE)
        if not m:
            return None
        if value is not MISSING and isinstance(value, str):
            nxt = re.search(r"^\S", head[m.end():], re.MULTILINE)
            stop = m.end() + nxt.start() if nxt else len(head)
            at = head.find(value, m.end(), stop)
            if at >= 0:
                return at
        return m.start() + (len(m.group()) - len(m.group().lstrip()))

    def body_offset(self) -> int | None:
        if self.article is None:
            return None
        for a, _ in self.article.paragraphs:
            if not self.article.headline_span or a != self.article.headline_span[0]:
                return a
        return self.article.body_start


def _present(value: Any) -> Any:
    if value is None or value == "" or value == [] or value == {}:
        return MISSING
    return value


def dig(data: Any, path: str) -> Any:
    """Follow a dotted path through mappings (and `name[2]` list indexes); MISSING when it breaks."""
    if not path:
        return _present(data)
    cur = data
    for part in path.split("."):
        m = _INDEX.match(part)
        key, index = (m.group(1), int(m.group(2))) if m else (part, None)
        if key:
            if not isinstance(cur, dict) or key not in cur:
                return MISSING
            cur = cur[key]
        if index is not None:
            if not isinstance(cur, list) or index >= len(cur):
                return MISSING
            cur = cur[index]
    return _present(cur)
