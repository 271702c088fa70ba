"""Rule packs: load YAML lexicons, macros and rules, merge packs that extend others, compile once.

A pack is a folder. `pack.yaml` names it and what it `extends`; every other `*.yaml` file in the
folder (and its sub-folders) may hold `lexicons:`, `macros:` and `rules:`. A pack that extends
another edits it strictly: adding an id that exists, or replacing/disabling one that does not, is
an error naming the file, line and id.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import regex

from . import yamlsrc
from .errors import RuleError
from .lexicon import Lexicon

STAGES = ("entities", "dates", "quotes", "attribution", "meetings", "figures")
RULE_KEYS = {
    "id", "stage", "description", "pattern", "priority", "flags", "context", "set", "examples",
    "aliases", "order", "emit",
}
EXAMPLE_KEYS = {"text", "yields", "date", "note"}
FLAG_NAMES = {
    "ignorecase": regex.IGNORECASE, "multiline": regex.MULTILINE, "dotall": regex.DOTALL,
    "verbose": regex.VERBOSE,
}
CONTEXTS = {"text", "after", "before", "inside"}
_REF = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Lu}
_ID = regex.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")


def _packs_root() -> Path:
    """Shipped packs: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if (candidate / "core" / "pack.yaml").is_file():
            return candidate
    raise RuleError(str(here / "rules"), "the shipped rule packs are missing; reinstall summarizer")


def shipped_regions() -> list[str]:
    root = _packs_root() / "regions"
    return sorted(p.name for p in root.iterdir() if (p / "pack.yaml").is_file()) if root.is_dir() else []


@dataclass
class Example:
    text: str
    yields: list[dict[str, Any]]  # empty list: the rule must yield nothing
    date: str | None = None
    line: int | None = None


@dataclass
class Rule:
    """One pattern rule, as loaded and (once the pack is built) compiled."""

    id: str
    stage: str
    pattern: str
    description: str = ""
    priority: int = 0
    flags: tuple[str, ...] = ()
    context: str = "text"
    set: dict[str, Any] = field(default_factory=dict)
    order: str | None = None
    emit: str | None = None
    examples: list[Example] = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    pack: str = ""
    path: str = ""
    line: int | None = None
    index: int = 0  # position in the merged rule order: the last tie-breaker
    compiled: Any = None

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class RuleSet:
    """What runs: the merged lexicons, macros and compiled rules, with the chain of packs."""

    lexicons: dict[str, Lexicon]
    macros: dict[str, str]
    rules: list[Rule]
    chain: list[str]
    aliases: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def stage(self, name: str) -> list[Rule]:
        return [r for r in self.rules if r.stage == name]

    def rule(self, rule_id: str) -> Rule | None:
        rule_id = self.aliases.get(rule_id, rule_id)
        return next((r for r in self.rules if r.id == rule_id), None)

    def lexicon(self, name: str) -> Lexicon:
        return self.lexicons.get(name) or Lexicon(name, {})


# ---------------------------------------------------------------------------------------------
# Loading one pack folder


@dataclass
class _PackFiles:
    name: str
    folder: Path
    extends: list[str]
    docs: list[tuple[Path, dict]]  # (file, parsed mapping), pack.yaml first


def _read_pack(folder: Path) -> _PackFiles:
    if not folder.is_dir():
        raise RuleError(str(folder), "no such rules folder; pass a folder that holds *.yaml rule files")
    manifest = folder / "pack.yaml"
    head: dict = {}
    docs: list[tuple[Path, dict]] = []
    if manifest.is_file():
        head = yamlsrc.load_file(manifest) or {}
        if not isinstance(head, dict):
            raise RuleError(str(manifest), "pack.yaml must be a mapping (name:, extends:, ...)")
        docs.append((manifest, head))
    files = sorted(p for p in folder.rglob("*.yaml") if p != manifest and not p.name.startswith("."))
    for path in files:
        data = yamlsrc.load_file(path)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise RuleError(str(path), "a rule file must be a mapping with lexicons:, macros: or rules:", 1)
        docs.append((path, data))
    extends = head.get("extends") or []
    if isinstance(extends, str):
        extends = [extends]
    return _PackFiles(str(head.get("name") or folder.name), folder, list(extends), docs)


def _resolve_pack_ref(ref: str, relative_to: Path) -> Path:
    """`extends: core` names a shipped pack or region; a path names a folder."""
    root = _packs_root()
    for candidate in (root / ref, root / "regions" / ref):
        if (candidate / "pack.yaml").is_file():
            return candidate
    path = (relative_to / ref).resolve()
    if path.is_dir():
        return path
    known = ", ".join(["core", *shipped_regions()])
    raise RuleError(str(relative_to / "pack.yaml"), f"extends unknown pack {ref!r}; known packs: {known}")


# ---------------------------------------------------------------------------------------------
# Merging


class _Builder:
    def __init__(self) -> None:
        self.lexicons: dict[str, Lexicon] = {}
        self.macros: dict[str, str] = {}
        self.rules: dict[str, Rule] = {}
        self.aliases: dict[str, str] = {}
        self.chain: list[str] = []
        self.warnings: list[str] = []

    def _canonical(self, rule_id: str, path: Path, line: int | None) -> str:
        if rule_id in self.aliases:
            new = self.aliases[rule_id]
            self.warnings.append(f"{path}:{line}: rule id {rule_id!r} was renamed to {new!r}; use the new id")
            return new
        return rule_id

    def apply(self, pack: _PackFiles) -> None:
        self.chain.append(pack.name)
        for path, doc in pack.docs:
            unknown = set(doc) - {"name", "extends", "description", "lexicons", "macros", "rules", "checks"}
            if unknown:
                raise RuleError(str(path), f"unknown top-level key(s) {sorted(unknown)}; "
                                "expected lexicons:, macros: or rules:", yamlsrc.line_of(doc))
            self._lexicons(path, doc.get("lexicons") or {})
            self._macros(path, doc.get("macros") or {})
            self._rules(path, pack.name, doc.get("rules"))

    def _lexicons(self, path: Path, spec: dict) -> None:
        if not isinstance(spec, dict):
            raise RuleError(str(path), "lexicons: must be a mapping of name to entries", yamlsrc.line_of(spec))
        for key, entries in spec.items():
            line = yamlsrc.line_of(spec)
            op, name = ("", key)
            if key[-1:] in "+-=":
                op, name = key[-1], key[:-1]
            new = Lexicon.from_yaml(name, entries, str(path), yamlsrc.line_of(entries) or line)
            if op == "":
                if name in self.lexicons:
                    raise RuleError(str(path), f"lexicon {name!r} already exists; edit it with "
                                    f"'{name}+:' (add entries), '{name}-:' (remove) or '{name}=:' (replace)", line)
                self.lexicons[name] = new
            elif name not in self.lexicons:
                raise RuleError(str(path), f"lexicon {name!r} does not exist, so '{key}' cannot edit it; "
                                f"define it with '{name}:'", line)
            elif op == "+":
                self.lexicons[name] = self.lexicons[name].plus(new)
            elif op == "-":
                self.lexicons[name] = self.lexicons[name].minus(new, str(path), line)
            else:
                self.lexicons[name] = new

    def _macros(self, path: Path, spec: dict) -> None:
        if not isinstance(spec, dict):
            raise RuleError(str(path), "macros: must be a mapping of name to pattern", yamlsrc.line_of(spec))
        for name, pattern in spec.items():
            replace = name.endswith("=")
            name = name.rstrip("=")
            if name in self.macros and not replace:
                raise RuleError(str(path), f"macro {name!r} already exists; write '{name}=:' to replace it",
                                yamlsrc.line_of(spec))
            if not isinstance(pattern, str):
                raise RuleError(str(path), f"macro {name!r} must be a pattern string", yamlsrc.line_of(spec))
            self.macros[name] = pattern

    def _rules(self, path: Path, pack: str, spec: Any) -> None:
        if spec is None:
            return
        if isinstance(spec, list):
            spec = {"add": spec}
        if not isinstance(spec, dict):
            raise RuleError(str(path), "rules: must be a list of rules, or add:/replace:/disable: lists",
                            yamlsrc.line_of(spec))
        unknown = set(spec) - {"add", "replace", "disable"}
        if unknown:
            raise RuleError(str(path), f"unknown key(s) under rules: {sorted(unknown)}; "
                            "use add:, replace: or disable:", yamlsrc.line_of(spec))
        for raw in spec.get("add") or []:
            rule = _parse_rule(raw, path, pack)
            if rule.id in self.rules or rule.id in self.aliases:
                old = self.rules.get(self.aliases.get(rule.id, rule.id))
                raise RuleError(str(path), f"rule id already exists (from {old.where() if old else 'an alias'}); "
                                "use rules: replace: to change it, or choose a new id", rule.line, rule.id)
            for alias in rule.aliases:
                self.aliases[alias] = rule.id
            self.rules[rule.id] = rule
        for raw in spec.get("replace") or []:
            if not isinstance(raw, dict) or "id" not in raw:
                raise RuleError(str(path), "each replace: entry is a mapping with the id it replaces",
                                yamlsrc.line_of(raw))
            rule_id = self._canonical(str(raw["id"]), path, yamlsrc.line_of(raw))
            if rule_id not in self.rules:
                raise RuleError(str(path), "cannot replace a rule that does not exist; check the id with "
                                "'summarizer rules list'", yamlsrc.line_of(raw), rule_id)
            base = self.rules[rule_id]
            merged = {**_rule_as_raw(base), **{k: v for k, v in raw.items()}, "id": rule_id}
            merged = yamlsrc.LineDict(merged)
            merged.line = yamlsrc.line_of(raw) or 0
            self.rules[rule_id] = _parse_rule(merged, path, pack)
        for raw in spec.get("disable") or []:
            rule_id = self._canonical(str(raw), path, yamlsrc.line_of(spec))
            if rule_id not in self.rules:
                raise RuleError(str(path), "cannot disable a rule that does not exist; check the id with "
                                "'summarizer rules list'", yamlsrc.line_of(spec), rule_id)
            del self.rules[rule_id]


def _rule_as_raw(rule: Rule) -> dict:
    raw = {"id": rule.id, "stage": rule.stage, "pattern": rule.pattern, "description": rule.description,
           "priority": rule.priority, "flags": list(rule.flags), "context": rule.context, "set": rule.set,
           "aliases": list(rule.aliases)}
    if rule.order:
        raw["order"] = rule.order
    if rule.emit:
        raw["emit"] = rule.emit
    raw["examples"] = [{"text": e.text, "yields": e.yields or "none", **({"date": e.date} if e.date else {})}
                       for e in rule.examples]
    return raw


def _parse_rule(raw: Any, path: Path, pack: str) -> Rule:
    line = yamlsrc.line_of(raw)
    if not isinstance(raw, dict):
        raise RuleError(str(path), "a rule must be a mapping with id:, stage: and pattern:", line)
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(str(path), f"rule id {rule_id!r} must look like 'stage.name' "
                        "(lower case, dots between parts)", line)
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleError(str(path), f"unknown key(s) {sorted(unknown)}; allowed: {sorted(RULE_KEYS)}", line, rule_id)
    stage = raw.get("stage")
    if stage not in STAGES:
        raise RuleError(str(path), f"stage {stage!r} is not one of {', '.join(STAGES)}", line, rule_id)
    pattern = raw.get("pattern")
    if not isinstance(pattern, str) or not pattern.strip():
        raise RuleError(str(path), "pattern: must be a non-empty regular expression", line, rule_id)
    flags = raw.get("flags") or []
    if isinstance(flags, str):
        flags = [flags]
    bad = [f for f in flags if f not in FLAG_NAMES]
    if bad:
        raise RuleError(str(path), f"unknown flag(s) {bad}; allowed: {sorted(FLAG_NAMES)}", line, rule_id)
    context = raw.get("context") or "text"
    if context not in CONTEXTS:
        raise RuleError(str(path), f"context {context!r} is not one of {sorted(CONTEXTS)}", line, rule_id)
    priority = raw.get("priority", 0)
    if not isinstance(priority, int):
        raise RuleError(str(path), "priority: must be a whole number", line, rule_id)
    sets = raw.get("set") or {}
    if not isinstance(sets, dict):
        raise RuleError(str(path), "set: must be a mapping of field to value", line, rule_id)
    examples = [_parse_example(e, path, rule_id) for e in raw.get("examples") or []]
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    return Rule(id=rule_id, stage=stage, pattern=pattern, description=str(raw.get("description") or ""),
                priority=priority, flags=tuple(flags), context=context, set=dict(sets),
                order=raw.get("order"), emit=raw.get("emit"), examples=examples, aliases=tuple(aliases),
                pack=pack, path=str(path), line=line)


def _parse_example(raw: Any, path: Path, rule_id: str) -> Example:
    line = yamlsrc.line_of(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise RuleError(str(path), "each example needs text: (and yields: a mapping, a list, or none)", line, rule_id)
    unknown = set(raw) - EXAMPLE_KEYS
    if unknown:
        raise RuleError(str(path), f"unknown example key(s) {sorted(unknown)}; allowed: {sorted(EXAMPLE_KEYS)}",
                        line, rule_id)
    yields = raw.get("yields", "none")
    if yields in ("none", None, []):
        items: list[dict] = []
    elif isinstance(yields, dict):
        items = [dict(yields)]
    elif isinstance(yields, list) and all(isinstance(y, dict) for y in yields):
        items = [dict(y) for y in yields]
    else:
        raise RuleError(str(path), "yields: must be a mapping of fields, a list of them, or none", line, rule_id)
    date = raw.get("date")
    return Example(text=raw["text"], yields=items, date=str(date) if date else None, line=line)


# ---------------------------------------------------------------------------------------------
# Compiling


def expand(pattern: str, lexicons: dict[str, Lexicon], macros: dict[str, str], *, _depth: int = 0) -> str:
    """Replace {lexicon} and {macro} references; unknown names raise KeyError(name)."""
    if _depth > 20:
        raise KeyError("(macros refer to each other in a loop)")

    def sub(m: regex.Match) -> str:
        name = m.group(1)
        if name in macros:
            return "(?:" + expand(macros[name], lexicons, macros, _depth=_depth + 1) + ")"
        if name in lexicons:
            return lexicons[name].alternation()
        raise KeyError(name)

    return _REF.sub(sub, pattern)


def _compile(rule: Rule, lexicons: dict[str, Lexicon], macros: dict[str, str]) -> None:
    try:
        source = expand(rule.pattern, lexicons, macros)
    except KeyError as exc:
        known = ", ".join(sorted([*lexicons, *macros]))
        raise RuleError(rule.path, f"pattern refers to unknown lexicon or macro {{{exc.args[0]}}}; "
                        f"known: {known}", rule.line, rule.id) from None
    flags = 0
    for name in rule.flags:
        flags |= FLAG_NAMES[name]
    try:
        rule.compiled = regex.compile(source, flags)
    except regex.error as exc:
        raise RuleError(rule.path, f"pattern is not a valid regular expression: {exc}", rule.line, rule.id) from None


def _cache_file(folders: list[Path], region: str | None) -> Path | None:
    """Where a compiled rule set is kept, keyed by every rule file's path, size and mtime."""
    if os.environ.get("SUMMARIZER_NO_CACHE"):
        return None
    from . import __version__
    digest = hashlib.sha256(f"{__version__}|{regex.__version__}|{region}".encode())
    for code in ("packs.py", "lexicon.py"):  # the code that builds the set is part of the key
        st = (Path(__file__).parent / code).stat()
        digest.update(f"|{code}|{st.st_size}|{st.st_mtime_ns}".encode())
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.yaml")):
            try:
                st = path.stat()
            except OSError:
                return None
            digest.update(f"|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    base = os.environ.get("SUMMARIZER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "summarizer")
    return Path(base) / f"rules-{digest.hexdigest()[:32]}.pickle"


def build(user_packs: Iterable[str | os.PathLike] = (), region: str | None = None) -> RuleSet:
    """Merge core, the region (if any) and the user's packs, and compile them.

    Compiling the patterns costs about a second, so the compiled set is cached on disk under a key
    made of every rule file's path, size and mtime (and the versions): editing any file rebuilds it.
    The cache holds only what this function made; set SUMMARIZER_NO_CACHE=1 to bypass it.
    """
    user_packs = [Path(p) for p in user_packs]
    root = _packs_root()
    folders = [root / "core", *([root / "regions" / region] if region else []), *user_packs]
    cache = _cache_file([root, *user_packs], region) if all(f.is_dir() for f in folders) else None
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as fh:
                cached = pickle.load(fh)  # noqa: S301 - our own cache file, written below
            if isinstance(cached, RuleSet):
                return cached
        except Exception:  # a stale or truncated cache is rebuilt
            pass
    ruleset = _build(user_packs, region)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(ruleset, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home still works, only slower
    return ruleset


def _build(user_packs: list[Path], region: str | None) -> RuleSet:
    root = _packs_root()
    order: list[Path] = []

    def visit(folder: Path, stack: tuple[Path, ...] = ()) -> None:
        folder = folder.resolve()
        if folder in stack:
            raise RuleError(str(folder / "pack.yaml"), "packs extend each other in a loop")
        if folder in order:
            return
        pack = _read_pack(folder)
        for ref in pack.extends:
            visit(_resolve_pack_ref(ref, folder), (*stack, folder))
        order.append(folder)

    visit(root / "core")
    if region:
        region_dir = root / "regions" / region
        if not (region_dir / "pack.yaml").is_file():
            known = ", ".join(shipped_regions()) or "none"
            raise RuleError(str(region_dir), f"unknown region {region!r}; shipped regions: {known}")
        visit(region_dir)
    for folder in user_packs:
        visit(Path(folder))

    builder = _Builder()
    for folder in order:
        builder.apply(_read_pack(folder))
    for i, rule in enumerate(builder.rules.values()):  # a replaced rule keeps its place
        rule.index = i + 1
    rules = sorted(builder.rules.values(), key=lambda r: (STAGES.index(r.stage), r.index))
    for rule in rules:
        _compile(rule, builder.lexicons, builder.macros)
    return RuleSet(builder.lexicons, builder.macros, rules, builder.chain, builder.aliases, builder.warnings)
