"""Declarative checks: load `checks:` lists from YAML, validate them against the kinds' parameters.

A check is data: an id (the one key that configures, disables and reports it), a severity, a
message that says what to do, and a `test:` in the vocabulary of summarizer.checks.kinds.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from .. import yamlsrc
from ..errors import RuleError, SummarizerError
from . import SEVERITIES
from .kinds import KINDS, Param, resolve_date

CHECK_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CHECK_KEYS = {"id", "severity", "message", "description", "test", "enabled"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")


class CheckError(SummarizerError):
    """A check file or configuration that cannot be used: names the file, line and check id."""

    def __init__(self, path: str, cause: str, line: int | None = None, check_id: str | None = None):
        self.path, self.cause, self.line, self.check_id = path, cause, line, check_id
        where = f"{path}:{line}" if line else path
        if check_id:
            where += f": check {check_id}"
        super().__init__(f"{where}: {cause}")


@dataclass(frozen=True)
class Check:
    """One check as declared, or as configured for one file (severity, enabled, params changed)."""

    id: str
    severity: str
    message: str
    kind: str
    params: dict[str, Any]
    enabled: bool = True
    description: str = ""
    source: str = ""          # file:line it was declared at

    def with_changes(self, **changes: Any) -> "Check":
        return replace(self, **changes)

    def render(self, values: dict[str, Any]) -> str:
        """Fill {placeholders} from the hit (no attribute access, unlike str.format)."""
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
                                self.message)


def shipped_dir() -> Path:
    """The default check set: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rules" / "checks", here.parent / "rules" / "checks"):
        if candidate.is_dir():
            return candidate
    raise CheckError(str(here / "rules" / "checks"), "the shipped checks are missing; reinstall summarizer")


def suggest(name: str, known: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_param(kind: str, name: str, value: Any, where: str, line: int | None, check_id: str | None) -> Any:
    """Validate one parameter of a kind; returns it normalised (e.g. a single field as given)."""
    spec = KINDS[kind].params.get(name)
    if spec is None:
        raise CheckError(where, f"kind {kind!r} has no parameter {name!r}{suggest(name, KINDS[kind].params)}; "
                         f"its parameters: {', '.join(sorted(KINDS[kind].params)) or 'none'}", line, check_id)
    bad = _type_problem(spec, value)
    if bad:
        raise CheckError(where, f"parameter {name!r} of kind {kind!r} {bad}", line, check_id)
    return value


def _type_problem(spec: Param, value: Any) -> str | None:
    t = spec.type
    if t == "fields":
        ok = isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        return None if ok else "must be a field path or a list of field paths"
    if t == "str":
        return None if isinstance(value, str) and value else "must be a non-empty string"
    if t == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) else "must be a whole number"
    if t == "number":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "must be a number"
    if t == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if t == "list":
        return None if isinstance(value, list) else "must be a list"
    if t == "mapping":
        return None if isinstance(value, dict) else "must be a mapping (key: value)"
    if t == "choice":
        hint = suggest(value, spec.choices) if isinstance(value, str) else ""
        return None if value in spec.choices else f"must be one of {', '.join(spec.choices)}{hint}"
    if t == "date":
        return None if resolve_date(value, dt.date(2000, 1, 1)) else \
            "must be an ISO date (YYYY-MM-DD), 'today', or 'today-30d' / 'today+1d'"
    if t == "regex":
        if not isinstance(value, str):
            return "must be a regular expression string"
        try:
            regex.compile(value)
        except regex.error as exc:
            return f"is not a valid regular expression: {exc}"
        return None
    return f"has unknown type {t}"


def parse_check(raw: Any, path: str) -> Check:
    line = yamlsrc.line_of(raw)
    if not isinstance(raw, dict):
        raise CheckError(path, "a check must be a mapping with id:, severity:, message: and test:", line)
    check_id = raw.get("id")
    if not isinstance(check_id, str) or not CHECK_ID.match(check_id):
        raise CheckError(path, f"check id {check_id!r} must be kebab-case, e.g. 'date-missing'", line)
    unknown = set(raw) - CHECK_KEYS
    if unknown:
        raise CheckError(path, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(CHECK_KEYS)}", line, check_id)
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise CheckError(path, f"severity {severity!r} must be one of {', '.join(SEVERITIES)}", line, check_id)
    message = raw.get("message")
    if not isinstance(message, str) or not message.strip():
        raise CheckError(path, "message: must say what is wrong and what to do", line, check_id)
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise CheckError(path, "enabled: must be true or false", line, check_id)
    test = raw.get("test")
    if not isinstance(test, dict) or not isinstance(test.get("kind"), str):
        raise CheckError(path, f"test: must be a mapping with a kind: (one of {', '.join(sorted(KINDS))})",
                         line, check_id)
    kind = test["kind"]
    if kind not in KINDS:
        raise CheckError(path, f"unknown test kind {kind!r}{suggest(kind, KINDS)}; "
                         f"known kinds: {', '.join(sorted(KINDS))}", yamlsrc.line_of(test) or line, check_id)
    params = complete_params(kind, {k: v for k, v in test.items() if k != "kind"}, path,
                             yamlsrc.line_of(test) or line, check_id)
    return Check(check_id, severity, message.strip(), kind, params, enabled,
                 str(raw.get("description") or "").strip(), f"{path}:{line}" if line else path)


def complete_params(kind: str, given: dict[str, Any], path: str, line: int | None, check_id: str | None) -> dict:
    params = {name: check_param(kind, name, value, path, line, check_id) for name, value in given.items()}
    for name, spec in KINDS[kind].params.items():
        if name not in params:
            if spec.required:
                raise CheckError(path, f"kind {kind!r} needs the parameter {name!r}", line, check_id)
            params[name] = spec.default
    return params


def load_file(path: Path) -> list[Check]:
    try:
        data = yamlsrc.load_file(path)
    except RuleError as exc:
        raise CheckError(exc.path, exc.cause, exc.line) from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise CheckError(str(path), "a check file is a mapping with a `checks:` list", yamlsrc.line_of(data) or 1)
    extra = set(data) - {"checks", "description"}
    if extra:
        raise CheckError(str(path), f"unknown top-level key(s) {sorted(extra)}; a check file holds `checks:`",
                         yamlsrc.line_of(data) or 1)
    return [parse_check(raw, _display(path)) for raw in data["checks"]]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def files_in(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.y*ml") if not p.name.startswith("."))
    if path.is_file():
        return [path]
    raise CheckError(str(path), "no such check file or folder")


@dataclass
class CheckSet:
    """The checks in force before configuration: the shipped set plus the user's files, ids unique."""

    checks: dict[str, Check] = field(default_factory=dict)

    def add_files(self, paths: list[Path]) -> "CheckSet":
        for path in paths:
            for check in load_file(path):
                if check.id in self.checks:
                    raise CheckError(check.source, f"check id already exists (from {self.checks[check.id].source}); "
                                     "change an existing check in summarizer.yaml under checks:, or pick a new id",
                                     None, check.id)
                self.checks[check.id] = check
        return self

    def ids(self) -> set[str]:
        return set(self.checks)


def load_checks(extra: list[Path] = ()) -> CheckSet:
    files = files_in(shipped_dir())
    for p in extra:
        files += files_in(p)
    return CheckSet().add_files(files)
