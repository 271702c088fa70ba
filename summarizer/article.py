"""Load articles: plain text with a `date` header, Markdown with YAML front matter, JSON and JSONL.

Every span in a fact sheet indexes `Article.text`, the decoded input (for JSON, the `text` field),
so the loader never rewrites the text: it only finds where the body, paragraphs and sentences are.
"""
from __future__ import annotations

import bisect
import glob
import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import regex

from . import patterns, yamlsrc
from .errors import ArticleError, RuleError

# summarizer's own outputs kept beside articles (golden files) are not articles, nor are a folder's
# own documents; both are still read when named on the command line
OUTPUT_SUFFIXES = (".facts.json", ".brief.md", ".brief.txt")
FOLDER_DOCUMENTS = ("readme", "changelog", "license", "licence", "contributing", "authors")
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".json", ".jsonl", ".ndjson", ""}
_DATE_HEADER = patterns.compile(r"\A\s*date\s*:?\s*(\d{4}-\d{2}-\d{2})\b\s*")
_FRONT_MATTER = patterns.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                              regex.DOTALL | regex.MULTILINE)
_PARA_BREAK = patterns.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_ISO_DATE = patterns.compile(r"^\d{4}-\d{2}-\d{2}$")

# Sentence ends: . ! ? (plus closing quotes/brackets), then space and a capital, digit or quote.
_SENT_END = patterns.compile(r"""[.!?]+['"’”»)\]]*(?=\s+['"‘“«(\[]?[\p{Lu}\d])""")
_ABBREV = patterns.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Gen|Sen|Rep|Del|Lt|Col|Capt|Sgt|St|Jr|Sr|Rev|Hon|Co|Corp|Inc|Ltd|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|Adm|Maj|Cmdr|Brig|Supt|Messrs)"
    r"|\b\p{Lu}|\b(?:\p{L}\.){1,4}\p{L})\.$")


@dataclass
class Article:
    """One decoded article and where its parts are."""

    text: str
    source: str
    id: str
    metadata: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    date: str | None = None
    headline: str | None = None
    headline_span: tuple[int, int] | None = None
    format: str = "text"
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    @property
    def body(self) -> str:
        return self.text[self.body_start:]

    def line_of(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset, for findings and errors."""
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence holding offset (offset, offset when none does); a binary search, as long
        articles ask this thousands of times."""
        return _span_at(self.sentences, offset)

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        return _span_at(self.paragraphs, offset)


def _span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    i = bisect.bisect_right(spans, (offset, math.inf)) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return offset, offset


# ---------------------------------------------------------------------------------------------


def decode(data: bytes, source: str) -> str:
    """UTF-8 with or without BOM; anything else is an error naming the byte offset."""
    if b"\x00" in data[:8192]:
        raise ArticleError(source, "looks like a binary file (it contains NUL bytes); pass a text, "
                           "Markdown or JSON article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArticleError(source, f"invalid UTF-8 ({exc.reason}, byte 0x{data[exc.start]:02x}); "
                           "convert the file to UTF-8, e.g. with iconv -f latin1 -t utf-8",
                           line=line, offset=exc.start) from None


def from_text(text: str, source: str = "<string>", metadata: dict[str, Any] | None = None,
              fmt: str | None = None) -> Article:
    """Build an Article from decoded text: detects front matter or a date header."""
    metadata = dict(metadata or {})
    body_start = 0
    if fmt is None:
        fmt = "markdown" if source.endswith((".md", ".markdown")) or text.startswith("---\n") else "text"
    front = _FRONT_MATTER.match(text) if text.startswith("---") else None
    if front:
        fmt = "markdown"
        try:
            meta = yamlsrc.load_text(front.group(1), source)
        except RuleError as exc:
            raise ArticleError(source, f"front matter is not valid YAML: {exc.cause}", line=(exc.line or 0) + 1) from None
        if meta is not None and not isinstance(meta, dict):
            raise ArticleError(source, "front matter must be a YAML mapping (key: value lines)", line=2)
        for key, value in (meta or {}).items():
            metadata.setdefault(str(key), value)
        body_start = front.end()
    else:
        header = _DATE_HEADER.match(text)
        if header:
            metadata.setdefault("date", header.group(1))
            body_start = header.end()
    for key in ("date", "published", "datePublished"):
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], str):
            metadata[key] = str(metadata[key])
    date = metadata.get("date") or metadata.get("datePublished") or metadata.get("published")
    date = str(date)[:10] if date and _ISO_DATE.match(str(date)[:10]) else None
    article = Article(text=text, source=source, id=str(metadata.get("id") or source), metadata=metadata,
                      body_start=body_start, date=date, format=fmt)
    article.paragraphs = split_paragraphs(text, body_start)
    article.sentences = split_sentences(text, article.paragraphs)
    _find_headline(article)
    return article


def _find_headline(article: Article) -> None:
    meta = article.metadata.get("headline") or article.metadata.get("title")
    if meta:
        article.headline = str(meta)
        return
    if not article.paragraphs:
        return
    start, end = article.paragraphs[0]
    first = article.text[start:end]
    if article.format == "markdown" and first.startswith("#"):
        stripped = first.lstrip("#").strip()
        offset = article.text.index(stripped, start)
        article.headline, article.headline_span = stripped, (offset, offset + len(stripped))
        return
    line = first.strip()
    short = len(line) <= 100 or (len(line) <= 160 and not line.endswith("."))
    if len(article.paragraphs) > 1 and "\n" not in line and short and not line.endswith((":", ",")):
        article.headline, article.headline_span = first.strip(), (start, end)


def split_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Blank-line separated blocks, trimmed of surrounding white space."""
    spans = []
    pos = start
    for m in patterns.finditer(_PARA_BREAK, text, start):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def ends_with_abbreviation(text: str, end: int) -> bool:
    """Whether the full stop before `end` closes an abbreviation (Mr., U.S., Jan., an initial)."""
    return bool(_ABBREV.search(text[max(0, end - 12):end]))


def split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences within paragraphs; abbreviations (Mr., U.S., Jan.) do not end a sentence."""
    out = []
    for a, b in paragraphs:
        pos = a
        for m in patterns.finditer(_SENT_END, text, a, b):
            head = text[max(pos, m.start() - 12):m.start() + 1]
            if m.group().startswith(".") and len(m.group().rstrip("'\"’”»)]")) == 1 and _ABBREV.search(head):
                continue
            out.append((pos, m.end()))
            pos = m.end()
            while pos < b and text[pos].isspace():
                pos += 1
        if pos < b:
            out.append((pos, b))
    return out


# ---------------------------------------------------------------------------------------------


def from_record(record: Any, source: str, line: int | None = None) -> Article:
    if not isinstance(record, dict):
        raise ArticleError(source, "a JSON article must be an object with a \"text\" field", line=line)
    text = record.get("text", record.get("body"))
    if not isinstance(text, str):
        raise ArticleError(source, "the JSON record has no \"text\" string; put the article's words in \"text\"",
                           line=line)
    meta = {k: v for k, v in record.items() if k not in ("text", "body")}
    label = f"{source}:{line}" if line else source
    article = from_text(text, label, meta, fmt="json")
    if not meta.get("id"):
        article.id = label
    return article


def iter_jsonl(path: str) -> Iterator[tuple[Article | ArticleError, int]]:
    """A JSONL file line by line, so a file of millions of articles is never held in memory at once.

    Lines split on \\n only (a raw U+2028 inside a JSON string is legal); a line that is not UTF-8
    or not JSON is an error record of its own and the other lines still load.
    """
    with open(path, "rb") as fh:
        yield from _jsonl_lines(fh, path)


def _jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[tuple[Article | ArticleError, int]]:
    """Each line of JSON Lines read alone (decoded alone too: bad bytes fail their own line), with
    its length in bytes."""
    offset = 0
    for number, raw in enumerate(lines, 1):
        start, offset = offset, offset + len(raw)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            yield from_record(_json_record(line, source, number), source, number), len(raw)
        except UnicodeDecodeError as exc:
            yield ArticleError(source, f"invalid UTF-8 ({exc.reason}, byte 0x{raw[exc.start]:02x}); convert the "
                               "file to UTF-8, e.g. with iconv -f latin1 -t utf-8", line=number,
                               offset=start + exc.start, record=True), len(raw)
        except json.JSONDecodeError as exc:
            yield ArticleError(source, f"invalid JSON ({exc.msg} at column {exc.colno}); each line must be "
                               "one JSON object", line=number, record=True), len(raw)
        except ArticleError as exc:
            exc.record = True
            yield exc, len(raw)


def _lines_of(data: bytes) -> Iterator[bytes]:
    """data's lines, each with its \\n (split on \\n only, as a file is read)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


_SURROGATE_ESCAPE = patterns.compile(r"\\u[dD][89a-fA-F]")


def _json_record(line: str, source: str, number: int | None) -> Any:
    """json.loads(line), refusing a lone surrogate escape ("\\udc80"): json takes it, but it is no
    text, and writing it out as UTF-8 fails later, far from its cause."""
    record = json.loads(line.rstrip("\r\n"))  # a column counted on one line, not from a second
    if "\\u" in line and _SURROGATE_ESCAPE.search(line):
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ArticleError(source, "the record holds a lone surrogate escape (\\ud800-\\udfff without its "
                               "pair), which is no text; fix or remove that escape", line=number) from None
    return record


def load_bytes(data: bytes, source: str) -> Iterator[Article | ArticleError]:
    """Articles in one input; a bad JSONL line is an error record and the other lines still load.
    Input with no name to go by (stdin) is JSON Lines when two or more lines open with "{"."""
    suffix = Path(source).suffix.lower()
    if suffix in (".jsonl", ".ndjson") or (suffix == "" and data.lstrip()[:1] == b"{" and b"\n{" in data):
        for article, _ in _jsonl_lines(_lines_of(data), source):
            yield article
        return
    try:
        text = decode(data, source)
    except ArticleError as exc:
        yield exc
        return
    stripped = text.lstrip()
    if suffix == ".json" or (suffix == "" and stripped.startswith("{")):
        try:
            record = _json_record(text, source, None)
        except json.JSONDecodeError as exc:
            yield ArticleError(source, f"invalid JSON ({exc.msg}); fix it or rename the file to .txt",
                               line=exc.lineno)
            return
        except ArticleError as exc:
            yield exc
            return
        records = record if isinstance(record, list) else [record]
        for i, item in enumerate(records):
            try:
                yield from_record(item, source if len(records) == 1 else f"{source}[{i}]")
            except ArticleError as exc:
                yield exc
        return
    try:
        yield from_text(text, source)
    except ArticleError as exc:
        yield exc


def expand_inputs(inputs: list[str]) -> Iterator[str | ArticleError]:
    """Files, folders (recursively, article-like files only), globs and '-' for stdin, in stable order."""
    for item in inputs:
        if item == "-":
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    p = Path(root) / name
                    if not name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES - {""} \
                            and not name.endswith(OUTPUT_SUFFIXES) \
                            and p.stem.casefold() not in FOLDER_DOCUMENTS:
                        yield str(p)
        elif path.exists():
            yield item
        elif any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield ArticleError(item, "the pattern matches no file")
            for m in matches:
                if Path(m).is_file():
                    yield m
        else:
            yield ArticleError(item, "no such file or folder")


def load_inputs(inputs: list[str]) -> Iterator[Article | ArticleError]:
    for item in expand_inputs(inputs):
        if isinstance(item, ArticleError):
            yield item
            continue
        if item == "-":
            yield from load_bytes(sys.stdin.buffer.read(), "<stdin>")
            continue
        if Path(item).suffix.lower() in (".jsonl", ".ndjson"):
            yield from (article for article, _ in iter_jsonl(item))
            continue
        try:
            data = Path(item).read_bytes()
        except OSError as exc:
            yield ArticleError(item, f"cannot read: {exc.strerror or exc}")
            continue
        yield from load_bytes(data, item)
