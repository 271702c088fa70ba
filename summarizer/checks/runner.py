"""Run the checks over files, folders and globs: rules loaded once per rule configuration, one pass.

Missing inputs and broken configuration are usage errors (exit 2); everything found in an
article is a finding, and one bad article never stops the others from being checked.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ArticleError, SummarizerError
from . import RANK
from .config import CommandLine, Effective, Resolver, Value
from .kinds import KINDS, PatternTimeout
from .spec import Check
from .subject import DecodeProblem, Subject

_INLINE = re.compile(r"<!--\s*summarizer\s*:\s*(disable-next-line|disable)\b\s*([^>]*?)\s*-->")
_JSONL_LABEL = re.compile(r":(\d+)$")


@dataclass(frozen=True, order=True)
class Finding:
    """One finding: the id printed is exactly the key that configures or disables the check."""

    path: str
    line: int
    column: int
    check: str
    severity: str
    message: str
    end_line: int | None = None
    end_column: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "severity": self.severity, "check": self.check,
                "message": self.message}


@dataclass
class Report:
    """A whole run: every finding (after inline disables), the files checked, and the policy."""

    findings: list[Finding]
    files: list[str]
    errors: list[str]
    settings: dict[str, Value]
    today: dt.date
    checks: dict[str, Check]

    @property
    def fail_on(self) -> str:
        return self.settings["fail-on"].value

    @property
    def min_severity(self) -> str:
        return self.settings["min-severity"].value

    def shown(self) -> list[Finding]:
        """The display threshold only hides findings: it never changes the exit code."""
        return [f for f in self.findings if RANK[f.severity] >= RANK[self.min_severity]]

    def failing(self, finding: Finding) -> bool:
        return self.fail_on != "none" and RANK[finding.severity] >= RANK[self.fail_on]

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if any(self.failing(f) for f in self.findings) else 0


def today_from(value: str | None) -> dt.date:
    """--today, else SUMMARIZER_TODAY, else the clock: tests and reproducible CI pin it."""
    import os

    from .values import parse_iso_date
    text = value or os.environ.get("SUMMARIZER_TODAY")
    if not text:
        return dt.date.today()
    day = parse_iso_date(text)
    if day is None or len(text.strip()) != 10:
        source = "--today" if value else "SUMMARIZER_TODAY"
        raise SummarizerError(f"{source} is {text!r}; give a date as YYYY-MM-DD")
    return day


def lenient_decode(data: bytes) -> tuple[str, DecodeProblem | None]:
    """UTF-8 (BOM allowed); bytes that are not UTF-8 are read as Latin-1 so the rest can be checked."""
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    parts: list[str] = []
    first: tuple[int, int, str, int] | None = None    # byte offset, byte, reason, char offset
    count, pos = 0, skip
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[pos:pos + exc.start].decode("utf-8"))
            if first is None:
                first = (pos + exc.start, data[pos + exc.start], exc.reason, sum(map(len, parts)))
            parts.append(data[pos + exc.start:pos + exc.end].decode("latin-1"))
            count += 1
            pos += exc.end
    text = "".join(parts)
    if first is None:
        return text, None
    offset, byte, reason, char = first
    line = text.count("\n", 0, char) + 1
    column = char - (text.rfind("\n", 0, char) + 1) + 1
    return text, DecodeProblem(offset, byte, reason, line, column, count)


@dataclass
class Runner:
    """Holds what a run shares: the config resolver, one Summarizer per rule configuration, check state."""

    cli: CommandLine
    today: dt.date
    expect: Path | None = None
    stdin_name: str | None = None
    summarizers: dict[tuple, Any] = field(default_factory=dict)
    state: dict[str, dict] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.cli)
        self._regions: tuple[str, ...] | None = None

    def summarizer(self, eff: Effective):
        key = eff.key()
        if key not in self.summarizers:
            from ..api import Summarizer
            rules, region, timeout = key
            self.summarizers[key] = Summarizer(list(rules), region=region, timeout=float(timeout))
        return self.summarizers[key]

    def regions(self) -> tuple[str, ...]:
        if self._regions is None:
            from ..packs import shipped_regions
            self._regions = tuple(shipped_regions())
        return self._regions

    # -- a whole run ----------------------------------------------------------------------------

    def run(self, inputs: list[str]) -> Report:
        from ..article import expand_inputs
        for item in expand_inputs(inputs):
            if isinstance(item, ArticleError):
                self.errors.append(f"{item}; check the path")
                continue
            self.check_file(item)
        settings = self.resolver.settings(self.resolver.config_for(Path.cwd() / "."))
        base = self.resolver.effective(Path.cwd() / "summarizer.yaml")
        self.findings.sort()
        return Report(self.findings, self.files, self.errors, settings, self.today, base.checks)

    def check_file(self, item: str) -> None:
        if item == "-":
            name = self.stdin_name or "<stdin>"
            data = sys.stdin.buffer.read()
            where = Path(self.stdin_name) if self.stdin_name else Path.cwd() / "stdin"
        else:
            name, where = item, Path(item)
            try:
                data = where.read_bytes()
            except OSError as exc:
                self.errors.append(f"{item}: cannot read: {exc.strerror or exc}")
                return
        eff = self.resolver.effective(where, self.stdin_name if item == "-" else None)
        summarizer = self.summarizer(eff)
        self.files.append(name)
        text, decode = lenient_decode(data)
        from ..article import load_bytes
        items = list(load_bytes(text.encode("utf-8"), name))
        for art in items:
            self.check_article(art, name, eff, summarizer, decode)
            decode = None  # reported once per file

    def check_article(self, item: Any, name: str, eff: Effective, summarizer: Any,
                      decode: DecodeProblem | None) -> None:
        subject = Subject(path=name, article=None, facts=None, today=self.today, decode=decode,
                          regions=self.regions(), known_checks=frozenset(eff.checks))
        if isinstance(item, ArticleError):
            subject.load_error = item
            label = item.source
        else:
            label = item.source
            subject.article = item
            subject.json_record = item.format == "json"
            try:
                subject.facts = summarizer.facts(item)
            except SummarizerError as exc:
                subject.load_error = ArticleError(name, str(exc))
        m = _JSONL_LABEL.search(label) if label != name else None
        if m:
            subject.line_base = int(m.group(1)) - 1
        if self.expect is not None and subject.facts is not None:
            self._load_expected(subject)
        file_off, line_off = self._inline_disables(subject)
        for check in eff.checks.values():
            if not check.enabled:
                continue
            kind = KINDS[check.kind]
            if kind.needs_article and subject.article is None:
                continue
            if check.id in file_off or "all" in file_off:
                continue
            for finding in self._run_check(check, subject):
                if check.id in line_off.get(finding.line, ()) or "all" in line_off.get(finding.line, ()):
                    continue
                self.findings.append(finding)

    def _run_check(self, check: Check, subject: Subject) -> list[Finding]:
        kind = KINDS[check.kind]
        state = self.state.setdefault(check.id, {})
        out = []
        try:
            hits = list(kind.run(subject, check.params, state))
        except PatternTimeout as exc:
            line, col = subject.position(None)
            return [Finding(subject.path, line, col, check.id, check.severity, f"check {check.id} skipped: {exc}")]
        for hit in hits:
            if hit.line is not None:
                line, col = hit.line + subject.line_base, hit.column or 1
            else:
                line, col = subject.position(hit.offset)
            end_line = end_col = None
            if hit.end is not None and hit.offset is not None and not subject.json_record:
                end_line, end_col = subject.position(hit.end)
            out.append(Finding(subject.path, line, col, check.id, check.severity, check.render(hit.vars),
                               end_line, end_col))
        return out

    def _load_expected(self, subject: Subject) -> None:
        from .. import render
        from .snapshot import expected_path, load_expected
        path = expected_path(self.expect, subject.path)
        subject.expected_source = str(path)
        subject.expected, subject.expected_error = load_expected(path)
        import json
        subject.facts = json.loads(render.facts_json(subject.facts, None))

    def _inline_disables(self, subject: Subject) -> tuple[set[str], dict[int, set[str]]]:
        """Front matter `summarizer: {disable: [...]}` and `<!-- summarizer: disable[-next-line] ids -->`."""
        file_off: set[str] = set()
        line_off: dict[int, set[str]] = {}
        art = subject.article
        if art is None:
            return file_off, line_off
        known = subject.known_checks | {"all"}

        def take(ids: list[str], offset: int, into: set[str]) -> None:
            for cid in ids:
                if cid in known:
                    into.add(cid)
                else:
                    subject.inline_unknown.append((cid, offset))

        meta = art.metadata.get("summarizer")
        if meta is not None:
            offset = subject.field_offset("metadata.summarizer") or 0
            disable = meta.get("disable") if isinstance(meta, dict) else None
            if isinstance(disable, str):
                disable = [disable]
            if isinstance(disable, list):
                take([str(x) for x in disable], offset, file_off)
            else:
                subject.inline_unknown.append((f"summarizer: {meta!r} (expected {{disable: [ids]}})", offset))
        if art.format != "json":
            for m in _INLINE.finditer(art.text):
                ids = [x for x in re.split(r"[\s,]+", m.group(2)) if x] or ["all"]
                if m.group(1) == "disable":
                    take(ids, m.start(), file_off)
                else:
                    line = art.line_of(m.end())[0]
                    following = art.text.split("\n")[line:]
                    target = line + 1 + next((i for i, t in enumerate(following) if t.strip()), 0)
                    take(ids, m.start(), line_off.setdefault(target, set()))
        return file_off, line_off


def run_check(inputs: list[str], cli: CommandLine, today: dt.date, expect: Path | None = None,
              stdin_name: str | None = None) -> Report:
    return Runner(cli, today, expect, stdin_name).run(inputs)
