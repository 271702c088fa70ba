"""Configuration: summarizer.yaml or [tool.summarizer] in pyproject.toml, found by walking up from each file.

The nearest config file wins (no merging across folders). Layers, last wins: the shipped checks,
the config file's `checks:`, its `overrides:` whose `paths:` match the file, the command line.
Every effective value remembers where it came from, for `summarizer config show`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import yamlsrc
from ..errors import RuleError
from . import SEVERITIES
from .spec import Check, CheckError, CheckSet, check_param, load_checks, suggest

CONFIG_NAMES = ("summarizer.yaml", ".summarizer.yaml", "summarizer.yml")
FAIL_ON = ("error", "warning", "info", "none")
FORMATS = ("text", "json", "github", "sarif", "junit")
TOP_KEYS = {"fail-on", "min-severity", "format", "rules", "region", "timeout", "check-files", "checks",
            "overrides"}
OVERRIDE_KEYS = {"paths", "checks"}
DEFAULTS: dict[str, Any] = {"fail-on": "error", "min-severity": "info", "format": "text", "rules": [],
                            "region": None, "timeout": 2.0, "check-files": []}


def display(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


@dataclass
class Value:
    value: Any
    source: str


@dataclass
class ConfigFile:
    """One parsed, validated config file and the line of each key in it."""

    path: Path
    data: dict[str, Any]
    lines: dict[tuple, int] = field(default_factory=dict)
    table: str = ""   # "[tool.summarizer]" for pyproject.toml

    def where(self, *keys: Any) -> str:
        for n in range(len(keys), 0, -1):
            line = self.lines.get(tuple(keys[:n]))
            if line:
                return f"{display(self.path)}:{line}"
        return f"{display(self.path)}{' ' + self.table if self.table else ''}"

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent


# -- finding and reading ------------------------------------------------------------------------


def _pyproject_has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\.summarizer\s*[\].]", text, re.MULTILINE) is not None


def find_config(start: Path) -> Path | None:
    """The nearest summarizer.yaml, or pyproject.toml with [tool.summarizer], from start upwards."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
        if (d / "pyproject.toml").is_file() and _pyproject_has_table(d / "pyproject.toml"):
            return d / "pyproject.toml"
    return None


def _yaml_lines(node: Any, prefix: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = prefix + (key.value,)
            out[path] = key.start_mark.line + 1
            _yaml_lines(value, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[prefix + (i,)] = item.start_mark.line + 1
            _yaml_lines(item, prefix + (i,), out)
    return out


def _toml_lines(text: str, data: dict, prefix: tuple = ()) -> dict[tuple, int]:
    """Best-effort lines for [tool.summarizer] keys (tomllib keeps none): the first `key =` after the table."""
    out: dict[tuple, int] = {}
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*\[\s*tool\.summarizer\s*[\].]", ln)), 0)

    def walk(d: dict, path: tuple) -> None:
        for key, value in d.items():
            pat = re.compile(rf"^\s*(?:\[\s*tool\.summarizer(?:\.[\w.\"-]+)*\.)?[\"']?{re.escape(str(key))}[\"']?\s*[=\]]")
            for i in range(start, len(lines)):
                if pat.match(lines[i]):
                    out[path + (key,)] = i + 1
                    break
            if isinstance(value, dict):
                walk(value, path + (key,))
    walk(data, prefix)
    return out


def read_config(path: Path) -> ConfigFile:
    if not path.is_file():
        raise CheckError(str(path), "no such config file; pass an existing summarizer.yaml or pyproject.toml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckError(str(path), f"cannot read the config file: {exc}") from None
    if path.name == "pyproject.toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            whole = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise CheckError(display(path), f"invalid TOML: {exc}; fix the syntax",
                             int(m.group(1)) if m else None) from None
        data = whole.get("tool", {}).get("summarizer")
        if not isinstance(data, dict):
            raise CheckError(display(path), "has no [tool.summarizer] table; add one or pass another --config")
        conf = ConfigFile(path, data, _toml_lines(text, data), "[tool.summarizer]")
    else:
        try:
            data = yamlsrc.load_text(text, display(path))
        except RuleError as exc:
            raise CheckError(exc.path, exc.cause, exc.line) from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise CheckError(display(path), "a config file must be a mapping (fail-on:, checks:, ...)", 1)
        conf = ConfigFile(path, data, _yaml_lines(yaml.compose(text, Loader=yaml.SafeLoader)))
    _validate_top(conf)
    return conf


def _validate_top(conf: ConfigFile) -> None:
    data, where = conf.data, conf.where
    for key in data:
        if key not in TOP_KEYS:
            raise CheckError(where(key), f"unknown setting {key!r}{suggest(str(key), TOP_KEYS)}; "
                             f"known settings: {', '.join(sorted(TOP_KEYS))}")
    choices = {"fail-on": FAIL_ON, "min-severity": SEVERITIES, "format": FORMATS}
    for key, allowed in choices.items():
        if key in data and data[key] not in allowed:
            raise CheckError(where(key), f"{key} is {data[key]!r}; use one of {', '.join(allowed)}")
    for key in ("rules", "check-files"):
        if key in data and not (isinstance(data[key], list) and all(isinstance(x, str) for x in data[key])):
            raise CheckError(where(key), f"{key} must be a list of folder or file paths")
    if "region" in data and not isinstance(data["region"], str):
        raise CheckError(where("region"), "region must be the name of a region pack")
    if "timeout" in data and (isinstance(data["timeout"], bool) or not isinstance(data["timeout"], (int, float))
                              or data["timeout"] <= 0):
        raise CheckError(where("timeout"), "timeout must be a positive number of seconds")
    if "checks" in data and not isinstance(data["checks"], dict):
        raise CheckError(where("checks"), "checks must be a mapping of check id to a severity, off, or settings")
    overrides = data.get("overrides", [])
    if not isinstance(overrides, list):
        raise CheckError(where("overrides"), "overrides must be a list of {paths: [...], checks: {...}}")
    for i, item in enumerate(overrides):
        if not isinstance(item, dict) or "paths" not in item:
            raise CheckError(where("overrides", i), "each override needs paths: (globs) and checks:")
        extra = set(item) - OVERRIDE_KEYS
        if extra:
            raise CheckError(where("overrides", i), f"unknown key(s) {sorted(extra)} in an override; "
                             "an override holds paths: and checks:")
        paths = item["paths"]
        if isinstance(paths, str):
            item["paths"] = [paths]
        elif not (isinstance(paths, list) and all(isinstance(x, str) for x in paths)):
            raise CheckError(where("overrides", i, "paths"), "paths must be a glob or a list of globs")
        if not isinstance(item.get("checks", {}), dict):
            raise CheckError(where("overrides", i, "checks"), "checks must be a mapping of check id to settings")


# -- globs --------------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-like globs: `*` within a folder, `**` across folders; a pattern without / matches names."""
    out, i = [], 0
    pat = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
        i += 1
    body = "".join(out)
    if "/" not in pat:
        body = "(?:.*/)?" + body
    return re.compile(rf"^{body}(?:/.*)?$")


def path_matches(globs: list[str], rel: str) -> bool:
    return any(glob_regex(g).match(rel) for g in globs)


# -- effective configuration --------------------------------------------------------------------


@dataclass
class Effective:
    """The configuration in force for one file, each value with its source."""

    config: ConfigFile | None
    settings: dict[str, Value]
    checks: dict[str, Check]
    sources: dict[str, dict[str, str]]   # check id -> setting (severity, enabled, a param) -> source

    def key(self) -> tuple:
        return (tuple(self.settings["rules"].value), self.settings["region"].value, self.settings["timeout"].value)


@dataclass
class CommandLine:
    """What the command line says; None means "not given" so the config file's value stands."""

    config: str | None = None
    no_config: bool = False
    fail_on: str | None = None
    min_severity: str | None = None
    format: str | None = None
    rules: list[str] | None = None
    region: str | None = None
    timeout: float | None = None
    severity: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def normalise_entry(value: Any, check: Check, where: str) -> dict[str, Any]:
    """`id: warning`, `id: off`, `id: true` or `id: {severity:, enabled:, <test parameters>}`."""
    if value is False or value == "off":
        return {"enabled": False}
    if value is True or value == "on":
        return {"enabled": True}
    if isinstance(value, str):
        if value not in SEVERITIES:
            raise CheckError(where, f"{value!r} is not a severity; use error, warning, info or off", None, check.id)
        return {"severity": value, "enabled": True}
    if not isinstance(value, dict):
        raise CheckError(where, "set a check to a severity, off, or a mapping of settings", None, check.id)
    out: dict[str, Any] = {}
    for key, v in value.items():
        if key == "severity":
            if v == "off":
                out["enabled"] = False
            elif v in SEVERITIES:
                out["severity"] = v
                out.setdefault("enabled", True)
            else:
                raise CheckError(where, f"severity {v!r} must be error, warning, info or off", None, check.id)
        elif key == "enabled":
            if not isinstance(v, bool):
                raise CheckError(where, "enabled must be true or false", None, check.id)
            out["enabled"] = v
        else:
            out[key] = check_param(check.kind, key, v, where, None, check.id)
    return out


class Resolver:
    """Finds, reads and caches config files; computes the effective configuration of each file."""

    def __init__(self, cli: CommandLine) -> None:
        self.cli = cli
        self._files: dict[Path, ConfigFile] = {}
        self._found: dict[Path, Path | None] = {}
        self._checksets: dict[tuple, CheckSet] = {}
        self.explicit = read_config(Path(cli.config)) if cli.config else None

    def config_for(self, path: Path) -> ConfigFile | None:
        if self.cli.no_config:
            return None
        if self.explicit:
            return self.explicit
        folder = path.resolve().parent if not path.is_dir() else path.resolve()
        if folder not in self._found:
            self._found[folder] = find_config(folder)
        found = self._found[folder]
        if found is None:
            return None
        if found not in self._files:
            self._files[found] = read_config(found)
        return self._files[found]

    def checkset(self, conf: ConfigFile | None) -> CheckSet:
        extra = [Path(p) for p in self.cli.checks]
        if conf:
            extra += [conf.folder / p for p in conf.data.get("check-files", [])]
        key = tuple(str(p) for p in extra)
        if key not in self._checksets:
            self._checksets[key] = load_checks(extra)
        return self._checksets[key]

    def settings(self, conf: ConfigFile | None) -> dict[str, Value]:
        out = {k: Value(v, "default") for k, v in DEFAULTS.items()}
        if conf:
            for key in DEFAULTS:
                if key in conf.data:
                    value = conf.data[key]
                    if key in ("rules", "check-files"):
                        value = [str((conf.folder / v).resolve()) if not Path(v).is_absolute() else v for v in value]
                    out[key] = Value(value, conf.where(key))
        cli = self.cli
        for key, value in (("fail-on", cli.fail_on), ("min-severity", cli.min_severity), ("format", cli.format),
                           ("rules", cli.rules), ("region", cli.region), ("timeout", cli.timeout)):
            if value is not None:
                out[key] = Value(value, "command line")
        if cli.checks:
            out["check-files"] = Value(out["check-files"].value + list(cli.checks), "command line")
        return out

    def effective(self, path: Path, rel_name: str | None = None) -> Effective:
        conf = self.config_for(path)
        checkset = self.checkset(conf)
        checks = dict(checkset.checks)
        sources = {cid: {"severity": f"default ({c.source})", "enabled": f"default ({c.source})",
                         **{k: f"default ({c.source})" for k in c.params}} for cid, c in checks.items()}

        def apply(entries: dict, where_of, label: str = "") -> None:
            for cid, value in entries.items():
                where = where_of(cid)
                if cid not in checks:
                    raise CheckError(where, f"unknown check {cid!r}{suggest(str(cid), checks)}; "
                                     "list them with 'summarizer check --list-checks'")
                change = normalise_entry(value, checks[cid], where)
                check = checks[cid]
                params = {**check.params, **{k: v for k, v in change.items() if k not in ("severity", "enabled")}}
                checks[cid] = check.with_changes(severity=change.get("severity", check.severity),
                                                 enabled=change.get("enabled", check.enabled), params=params)
                for key in change:
                    sources[cid][key] = where + label

        if conf:
            apply(conf.data.get("checks") or {}, lambda cid: conf.where("checks", cid))
            rel = rel_name or _relative(path, conf.folder)
            for i, item in enumerate(conf.data.get("overrides") or []):
                if rel is not None and path_matches(item["paths"], rel):
                    apply(item.get("checks") or {}, lambda cid, i=i: conf.where("overrides", i, "checks", cid),
                          f" (override for {', '.join(item['paths'])})")
        cli_entries: dict[str, Any] = {}
        for cid in self.cli.enable:
            cli_entries[cid] = True
        for cid in self.cli.disable:
            cli_entries[cid] = "off"
        for item in self.cli.severity:
            cid, sep, level = item.partition("=")
            if not sep:
                raise CheckError("--severity", f"{item!r} must look like CHECK-ID=LEVEL, e.g. quote-unattributed=info")
            cli_entries[cid.strip()] = level.strip()
        apply(cli_entries, lambda cid: "command line")
        return Effective(conf, self.settings(conf), checks, sources)


def _relative(path: Path, folder: Path) -> str | None:
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()
