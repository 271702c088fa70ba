"""Rule packs: load YAML lexicons, macros and rules, merge packs that extend others, compile once.

A pack is a folder. `pack.yaml` names it and what it `extends`; every other `*.yaml` file in the
folder (and its sub-folders) may hold `lexicons:`, `macros:` and `rules:`. A pack that extends
another edits it strictly: adding an id that exists, or replacing/disabling one that does not, is
an error naming the file, line and id, so a typo in a region pack fails at once instead of quietly
losing facts in production.
"""
from __future__ import annotations

import difflib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import regex
from . import anchors, patterns, yamlsrc
from .errors import RuleError
from .lexicon import Lexicon

STAGES = ("entities", "dates", "quotes", "attribution", "meetings", "figures")
RULE_KEYS = {
    "id", "stage", "description", "pattern", "priority", "flags", "context", "set", "examples",
    "aliases", "order", "emit", "trigger",
}
EXAMPLE_KEYS = {"text", "yields", "date", "note"}
FLAG_NAMES = {
    "ignorecase": regex.IGNORECASE, "multiline": regex.MULTILINE, "dotall": regex.DOTALL,
    "verbose": regex.VERBOSE,
}
CONTEXTS = {"text", "after", "before", "inside"}
ORDERS = ("mdy", "dmy")  # numeric dates: month first (US) or day first (most of the world)
MANIFEST_KEYS = {"name", "extends", "description"}
FILE_KEYS = {"lexicons", "macros", "rules", "checks"}
_CACHE_FORMAT = 22  # bump when RuleSet, Rule or Lexicon change shape
_REF = patterns.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # not \p{Lu}
_ID = patterns.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")


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


def _shipped_pack(name: str) -> Path | None:
    """The shipped pack called `name` ("core" or a region), or None. Only a listed name counts: a
    region comes from article metadata too, and "/tmp/x" or "../../x" joined to the packs' folder
    would name a folder anywhere."""
    root = _packs_root()
    if name == "core":
        return root / "core"
    if name in shipped_regions():
        return root / "regions" / name
    return None


@dataclass
class Example:
    text: str
    yields: list[dict[str, Any]]  # empty list: the rule must yield nothing
    date: str | None = None
    line: int | None = None
    path: str | None = None  # the file the example was written in (a replaced rule keeps the base's)


class LazyPattern:
    """A compiled pattern that the on-disk cache stores pickled and unpickles only when first used,
    so that start-up pays only for the rules an article reaches."""

    __slots__ = ("_pattern", "_blob")

    def __init__(self, pattern: Any) -> None:
        self._pattern, self._blob = pattern, None

    def _get(self) -> Any:
        if self._pattern is None:
            self._pattern = pickle.loads(self._blob)  # noqa: S301 - our own cache, see build()
            self._blob = None
        return self._pattern

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def __getstate__(self) -> bytes:
        return self._blob if self._pattern is None else pickle.dumps(self._pattern, protocol=pickle.HIGHEST_PROTOCOL)

    def __setstate__(self, blob: bytes) -> None:
        self._pattern, self._blob = None, blob


# Constructs whose leftward reading does not find every match a rightward one does: atomic groups,
# possessive repeats, back-references, conditionals, \G, \K and verbs. A `before` rule using one
# gets no ReverseCheck (it is only a speed-up).
_NOT_REVERSIBLE = patterns.compile(r"\(\?>|[*+?}]\+|\\[1-9gGK]|\(\?P=|\(\?&|\(\?\(|\(\*|\(\?\d|\(\?R\)")


class ReverseCheck:
    """Whether any match ends exactly at a window's end, found by matching the pattern leftwards
    from there: one attempt, where a forward search tries every position of the window.

    It only rules windows out (the forward search still picks the leftmost match), so it is used
    while it pays: while it rules out at least half of the windows it is asked about. The counts
    decide speed only, never a result."""

    __slots__ = ("pattern", "windows", "asked", "ruled_out")
    TRIAL = 32  # windows asked about before the counts decide
    PROBE = 16  # once switched off, one window in this many is still asked about

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self.windows = self.asked = self.ruled_out = 0

    def __getstate__(self) -> Any:
        return self.pattern

    def __setstate__(self, pattern: Any) -> None:
        self.__init__(pattern)

    def worth_asking(self) -> bool:
        self.windows += 1
        return self.asked < self.TRIAL or 2 * self.ruled_out >= self.asked or self.windows % self.PROBE == 0

    def may_end_at(self, text: str, pos: int, endpos: int, *limit: Any) -> bool:
        found = self.pattern.match(text, pos, endpos, *limit) is not None
        self.asked += 1
        self.ruled_out += not found
        return found


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
    trigger: str | None = None  # the rule runs only on sentences where this pattern occurs (speed)
    trigger_compiled: Any = None
    reverse: Any = None  # `before` rules: the pattern compiled to match leftwards from a window's end
    anchors: tuple[frozenset[str], ...] = ()  # what every match contains (anchors.py): where the rule runs
    first: frozenset[str] | None = None  # what every match starts with (anchors.py): where it is tried
    leads: tuple = ()  # first anchors tried only where one of a set of anchors follows (anchors.read_leads)
    trigger_first: frozenset[str] | None = None  # the same for the trigger
    near: tuple[frozenset[str], ...] = ()  # what a match's paragraph holds, look-arounds included
    replaced: tuple[str, ...] = ()  # earlier definitions this one replaced: "pack (file:line)"

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
    folders: list[str] = field(default_factory=list)  # the pack folders merged, in chain order
    scanner: Any = None  # finds every rule's anchors in an article in one pass (anchors.Scanner)
    _derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def stage(self, name: str) -> tuple[Rule, ...]:
        """The stage's rules in order (made once: stages ask for them for every article)."""
        made = self._derived.get(("stage", name))
        if made is None or made[0] is not self.rules:  # a copy given other rules makes its own
            made = self._derived[("stage", name)] = (self.rules, tuple(r for r in self.rules if r.stage == name))
        return made[1]

    def derived(self, key: Any, make: Any) -> Any:
        """make(self), built once per rule set: lookup tables the stages derive from the lexicons
        must not be rebuilt for every article."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_derived"] = {}
        return state

    def rule(self, rule_id: str) -> Rule | None:
        rule_id = self.aliases.get(rule_id, rule_id)
        return next((r for r in self.rules if r.id == rule_id), None)

    def lexicon(self, name: str) -> Lexicon:
        return self.lexicons.get(name) or Lexicon(name, {})


# ---------------------------------------------------------------------------------------------
# Where things are: lines of keys and list items, for error messages


def _node_line(path: Path, keys: tuple[Any, ...]) -> int | None:
    """The line of the mapping key or list item at `keys` in a YAML file (for errors only).

    yamlsrc records the line where each mapping starts; a key inside it (a lexicon edit) or a
    plain string in a list (a `disable:` id) has no line of its own, so the file is composed again
    (nodes only, nothing constructed) and walked.
    """
    try:
        import yaml  # only when an error needs its line: PyYAML costs start-up time
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == key), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# ---------------------------------------------------------------------------------------------
# Loading one pack folder


@dataclass
class _PackFiles:
    name: str
    folder: Path
    extends: list[str]
    docs: list[tuple[Path, dict]]  # (file, parsed mapping), pack.yaml first


def _read_manifest(folder: Path) -> tuple[dict, Path]:
    if not folder.is_dir():
        raise RuleError(str(folder), "no such rules folder; pass a folder that holds *.yaml rule files")
    manifest = folder / "pack.yaml"
    head: dict = {}
    if manifest.is_file():
        # manifests are read on every run, so their parse is kept in the cache, keyed by content
        # (a copy that keeps size and mtime, as `cp -p` or `rsync -t` make, must not read stale)
        data = manifest.read_bytes()
        head = patterns.remember(("manifest", str(manifest.resolve()), len(data), zlib.crc32(data)),
                                 lambda: yamlsrc.load_file(manifest)) or {}
        if not isinstance(head, dict):
            raise RuleError(str(manifest), "pack.yaml must be a mapping (name:, extends:, ...)", 1)
    return head, manifest


def _extends_of(head: dict, manifest: Path) -> list[str]:
    extends = head.get("extends") or []
    if isinstance(extends, str):
        extends = [extends]
    if not isinstance(extends, list) or not all(isinstance(e, str) and e.strip() for e in extends):
        raise RuleError(str(manifest), "extends: must name a pack (core, a region, or a folder) or list them",
                        _node_line(manifest, ("extends",)))
    return list(extends)


def _read_pack(folder: Path) -> _PackFiles:
    head, manifest = _read_manifest(folder)
    docs: list[tuple[Path, dict]] = [(manifest, head)] if manifest.is_file() else []
    files = sorted(p for p in folder.rglob("*.yaml") if p != manifest and not p.name.startswith("."))
    for path in files:
        data = yamlsrc.load_file(path)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise RuleError(str(path), "a rule file must be a mapping with lexicons:, macros: or rules:", 1)
        misplaced = set(data) & MANIFEST_KEYS
        if misplaced:
            key = sorted(misplaced)[0]
            raise RuleError(str(path), f"'{key}:' belongs in the pack's pack.yaml, not in a rule file; "
                            f"move it to {manifest}", _node_line(path, (key,)))
        docs.append((path, data))
    return _PackFiles(str(head.get("name") or folder.name), folder, _extends_of(head, manifest), docs)


def _resolve_pack_ref(ref: str, relative_to: Path, given: tuple[Path, ...] = ()) -> Path:
    """`extends: core` names a shipped pack or region; a path names a folder inside the pack or one
    the user gave with --rules. Nothing else: a rule pack is data and must not make the program read
    files anywhere it likes."""
    shipped = _shipped_pack(ref)
    if shipped is not None:
        return shipped
    path = (relative_to / ref).resolve()
    if path.is_dir():
        inside = path == relative_to.resolve() or relative_to.resolve() in path.parents
        if inside or path in given:
            return path
        manifest = relative_to / "pack.yaml"
        raise RuleError(str(manifest), f"extends {ref!r}, a folder outside this pack; extend a shipped pack "
                        "by name, a folder inside the pack, or pass the folder with --rules first",
                        _node_line(manifest, ("extends",)))
    known = ", ".join(["core", *shipped_regions()])
    manifest = relative_to / "pack.yaml"
    raise RuleError(str(manifest), f"extends unknown pack {ref!r}; name one of {known}, or a folder "
                    "relative to this pack", _node_line(manifest, ("extends",)))


def _pack_order(user_packs: list[Path], region: str | None) -> list[Path]:
    """Every pack folder to merge, each after the packs it extends (core first), each once."""
    root = _packs_root()
    order: list[Path] = []
    given = tuple(Path(p).resolve() for p in user_packs)

    def visit(folder: Path, stack: tuple[Path, ...] = ()) -> None:
        folder = folder.resolve()
        if folder in stack:
            loop = " -> ".join(p.name for p in (*stack, folder))
            raise RuleError(str(folder / "pack.yaml"), f"packs extend each other in a loop ({loop}); "
                            "remove one of the extends:")
        if folder in order:
            return
        head, manifest = _read_manifest(folder)
        for ref in _extends_of(head, manifest):
            visit(_resolve_pack_ref(ref, folder, given), (*stack, folder))
        order.append(folder)

    visit(root / "core")
    if region:
        region_dir = _shipped_pack(region) if region != "core" else None
        if region_dir is None:
            known = ", ".join(shipped_regions()) or "none"
            raise RuleError(str(root / "regions"), f"unknown region {region!r}; shipped regions: {known}")
        visit(region_dir)
    for folder in user_packs:
        visit(Path(folder))
    return order


# ---------------------------------------------------------------------------------------------
# Merging


class _Builder:
    def __init__(self) -> None:
        self.lexicons: dict[str, Lexicon] = {}
        self.lexicon_from: dict[str, str] = {}
        self.macros: dict[str, str] = {}
        self.rules: dict[str, Rule] = {}
        self.aliases: dict[str, str] = {}
        self.chain: list[str] = []
        self.warnings: list[str] = []

    def _canonical(self, rule_id: str, path: Path, line: int | None) -> str:
        if rule_id in self.aliases:
            new = self.aliases[rule_id]
            self.warnings.append(f"{path}:{line}: rule id {rule_id!r} was renamed to {new!r}; "
                                 "write the new id (the old one still works for now)")
            return new
        return rule_id

    def apply(self, pack: _PackFiles) -> None:
        self.chain.append(pack.name)
        for path, doc in pack.docs:
            allowed = FILE_KEYS | (MANIFEST_KEYS if path.name == "pack.yaml" else set())
            unknown = set(doc) - allowed
            if unknown:
                key = sorted(unknown, key=str)[0]
                raise RuleError(str(path), f"unknown top-level key {key!r}; expected lexicons:, macros: or "
                                "rules:", _node_line(path, (key,)) or yamlsrc.line_of(doc))
            self._lexicons(path, doc.get("lexicons") or {})
            self._macros(path, doc.get("macros") or {})
            self._rules(path, pack.name, doc.get("rules"))

    def _lexicons(self, path: Path, spec: dict) -> None:
        if not isinstance(spec, dict):
            raise RuleError(str(path), "lexicons: must be a mapping of name to entries",
                            _node_line(path, ("lexicons",)))
        for key, entries in spec.items():
            key = str(key)
            op, name = ("", key)
            if key[-1:] in "+-=":
                op, name = key[-1], key[:-1]

            def at(key: str = key) -> int | None:  # looked up only when there is something to report
                return _node_line(path, ("lexicons", key)) or yamlsrc.line_of(spec)

            if isinstance(entries, list) and any(isinstance(e, bool) for e in entries):
                self.warnings.append(f"{path}:{at()}: lexicon {name!r} has an unquoted yes/no/on/off entry, "
                                     "which YAML reads as true/false; put it in quotes ('On')")
            try:
                new = Lexicon.from_yaml(name, entries, str(path), yamlsrc.line_of(entries))
                if op == "" and name in self.lexicons:
                    raise RuleError(str(path), f"lexicon {name!r} already exists (from "
                                    f"{self.lexicon_from[name]}); edit it with '{name}+:' (add entries), "
                                    f"'{name}-:' (remove) or '{name}=:' (replace)")
                if op and name not in self.lexicons:
                    raise RuleError(str(path), f"lexicon {name!r} does not exist, so '{key}' cannot edit it; "
                                    f"define it with '{name}:'")
                if op == "":
                    self.lexicons[name] = new
                    self.lexicon_from[name] = str(path)
                elif op == "+":
                    self.lexicons[name] = self.lexicons[name].plus(new, str(path), None)
                elif op == "-":
                    self.lexicons[name] = self.lexicons[name].minus(new, str(path), None)
                else:
                    self.lexicons[name] = new
            except RuleError as exc:
                raise RuleError(exc.path, exc.cause, exc.line or at(), exc.rule_id) from None

    def _macros(self, path: Path, spec: dict) -> None:
        if not isinstance(spec, dict):
            raise RuleError(str(path), "macros: must be a mapping of name to pattern", _node_line(path, ("macros",)))
        for key, pattern in spec.items():
            key = str(key)
            replace = key.endswith("=")
            name = key.rstrip("=")
            problem = None
            if key[-1:] in "+-":
                problem = f"macro '{key}': a macro is one pattern, so it can only be replaced; write '{key[:-1]}=:'"
            elif replace and name not in self.macros:
                problem = f"macro {name!r} does not exist, so '{key}' cannot replace it; define it with '{name}:'"
            elif name in self.macros and not replace:
                problem = f"macro {name!r} already exists; write '{name}=:' to replace it"
            elif not isinstance(pattern, str) or not pattern.strip():
                problem = f"macro {name!r} must be a non-empty pattern string"
            if problem:
                raise RuleError(str(path), problem, _node_line(path, ("macros", key)) or yamlsrc.line_of(spec))
            self.macros[name] = pattern

    def _rules(self, path: Path, pack: str, spec: Any) -> None:
        if spec is None:
            return
        base_keys: tuple[Any, ...] = ("rules",)
        if isinstance(spec, list):
            spec, base_keys = {"add": spec}, ()
        if not isinstance(spec, dict):
            raise RuleError(str(path), "rules: must be a list of rules, or add:/replace:/disable: lists",
                            _node_line(path, ("rules",)))
        unknown = set(spec) - {"add", "replace", "disable"}
        if unknown:
            key = sorted(unknown, key=str)[0]
            raise RuleError(str(path), f"unknown key {key!r} under rules:; use add:, replace: or disable:",
                            _node_line(path, ("rules", key)))
        for section in ("add", "replace", "disable"):
            if not isinstance(spec.get(section) or [], list):
                raise RuleError(str(path), f"rules: {section}: must be a list",
                                _node_line(path, ("rules", section)))
        for raw in spec.get("add") or []:
            self._add(_parse_rule(raw, path, pack), path)
        for raw in spec.get("replace") or []:
            self._replace(raw, path, pack)
        for i, raw in enumerate(spec.get("disable") or []):
            line = _node_line(path, (*base_keys, "disable", i)) if base_keys else None
            if isinstance(raw, dict) and set(raw) == {"id"}:
                raw = raw["id"]
            if not isinstance(raw, str):
                raise RuleError(str(path), "each disable: entry is a rule id (a string)", line)
            rule_id = self._canonical(raw, path, line)
            if rule_id not in self.rules:
                raise RuleError(str(path), "cannot disable a rule that does not exist; check the id with "
                                f"'summarizer rules list'{_did_you_mean(rule_id, self.rules)}", line, rule_id)
            del self.rules[rule_id]
            self.aliases = {old: new for old, new in self.aliases.items() if new != rule_id}

    def _add(self, rule: Rule, path: Path) -> None:
        for rid in (rule.id, *rule.aliases):
            if rid in self.rules or rid in self.aliases:
                old = self.rules.get(self.aliases.get(rid, rid))
                what = "rule id" if rid == rule.id else f"alias {rid!r}"
                raise RuleError(str(path), f"{what} already exists (from {old.where() if old else 'an alias'}); "
                                "use rules: replace: to change it, or choose a new id", rule.line, rule.id)
        for alias in rule.aliases:
            self.aliases[alias] = rule.id
        self.rules[rule.id] = rule

    def _replace(self, raw: Any, path: Path, pack: str) -> None:
        line = yamlsrc.line_of(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise RuleError(str(path), "each replace: entry is a mapping with the id of the rule it replaces",
                            line)
        rule_id = self._canonical(raw["id"], path, line)
        if rule_id not in self.rules:
            raise RuleError(str(path), "cannot replace a rule that does not exist; check the id with "
                            f"'summarizer rules list', or use rules: add:{_did_you_mean(rule_id, self.rules)}",
                            line, rule_id)
        base = self.rules[rule_id]
        merged = yamlsrc.LineDict({**_rule_as_raw(base), **raw, "id": rule_id})
        merged.line = line or 0
        rule = _parse_rule(merged, path, pack)
        if "examples" not in raw:
            rule.examples = base.examples  # keep the base's examples, with their own file and line
        new_aliases = [a for a in rule.aliases if a not in base.aliases]
        for alias in new_aliases:
            if alias in self.rules or alias in self.aliases:
                raise RuleError(str(path), f"alias {alias!r} already names a rule", line, rule_id)
            self.aliases[alias] = rule_id
        rule.replaced = (*base.replaced, f"{base.pack} ({base.where()})")
        self.rules[rule_id] = rule


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _rule_as_raw(rule: Rule) -> dict:
    """A rule's fields as YAML would give them, so a replace: can patch some and keep the rest."""
    raw: dict[str, Any] = {"id": rule.id, "stage": rule.stage, "pattern": rule.pattern,
                           "description": rule.description, "priority": rule.priority,
                           "flags": list(rule.flags), "context": rule.context, "set": dict(rule.set),
                           "aliases": list(rule.aliases)}
    if rule.order:
        raw["order"] = rule.order
    if rule.emit:
        raw["emit"] = rule.emit
    if rule.trigger:
        raw["trigger"] = rule.trigger
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
        raise RuleError(str(path), f"unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(RULE_KEYS)}",
                        line, rule_id)
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
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise RuleError(str(path), "priority: must be a whole number", line, rule_id)
    sets = raw.get("set") or {}
    if not isinstance(sets, dict):
        raise RuleError(str(path), "set: must be a mapping of field to value", line, rule_id)
    order = raw.get("order")
    if order is not None and order not in ORDERS:
        raise RuleError(str(path), f"order {order!r} is not one of {', '.join(ORDERS)} "
                        "(mdy: 03/04/2024 is March 4; dmy: it is 3 April)", line, rule_id)
    emit = raw.get("emit")
    if emit is not None and not isinstance(emit, str):
        raise RuleError(str(path), "emit: must be a word such as person, organization or place", line, rule_id)
    examples = raw.get("examples") or []
    if not isinstance(examples, list):
        raise RuleError(str(path), "examples: must be a list of {text:, yields:}", line, rule_id)
    parsed = [_parse_example(e, path, rule_id) for e in examples]
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and _ID.match(a) for a in aliases):
        raise RuleError(str(path), "aliases: must list the rule's former ids ('stage.name')", line, rule_id)
    if rule_id in aliases:
        raise RuleError(str(path), "a rule cannot be an alias of itself", line, rule_id)
    trigger = raw.get("trigger")
    if trigger is not None and (not isinstance(trigger, str) or not trigger.strip()):
        raise RuleError(str(path), "trigger: must be a pattern that every match's sentence contains", line, rule_id)
    return Rule(id=rule_id, stage=stage, pattern=pattern, description=str(raw.get("description") or ""),
                priority=priority, flags=tuple(flags), context=context, set=dict(sets),
                order=order, emit=emit, examples=parsed, aliases=tuple(aliases),
                pack=pack, path=str(path), line=line, trigger=trigger)


def _parse_example(raw: Any, path: Path, rule_id: str) -> Example:
    line = yamlsrc.line_of(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise RuleError(str(path), "each example needs text: (and yields: a mapping, a list, or none)", line, rule_id)
    unknown = set(raw) - EXAMPLE_KEYS
    if unknown:
        raise RuleError(str(path), f"unknown example key(s) {sorted(map(str, unknown))}; allowed: "
                        f"{sorted(EXAMPLE_KEYS)}", line, rule_id)
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
    return Example(text=raw["text"], yields=items, date=str(date) if date else None, line=line, path=str(path))


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
        name = str(exc.args[0])
        hint = _did_you_mean(name, [*lexicons, *macros]) or "; define it under lexicons: or macros:"
        raise RuleError(rule.path, f"pattern refers to unknown lexicon or macro {{{name}}}{hint}",
                        rule.line, rule.id) from None
    flags = 0
    for name in rule.flags:
        flags |= FLAG_NAMES[name]
    try:
        rule.compiled = LazyPattern(regex.compile(source, flags))
    except regex.error as exc:
        raise RuleError(rule.path, f"pattern is not a valid regular expression: {exc}", rule.line, rule.id) from None
    if rule.context == "before" and not _NOT_REVERSIBLE.search(source):
        try:
            rule.reverse = ReverseCheck(LazyPattern(regex.compile(source, flags | regex.REVERSE)))
        except regex.error:  # only a speed-up: the rule runs without it
            rule.reverse = None
    if rule.context != "inside":  # rules read inside a quotation see the quotation's text, not the article's
        rule.anchors, rule.first, rule.leads = anchors.read_leads(rule.pattern, macros, lexicons, rule.flags)
        rule.near = anchors.near(rule.pattern, macros, lexicons, rule.flags)
    if rule.trigger:
        rule.trigger_first = anchors.read(rule.trigger, macros, lexicons, rule.flags)[1]
        try:
            rule.trigger_compiled = LazyPattern(regex.compile(expand(rule.trigger, lexicons, macros), flags))
        except KeyError as exc:
            raise RuleError(rule.path, f"trigger refers to unknown lexicon or macro {{{exc.args[0]}}}",
                            rule.line, rule.id) from None
        except regex.error as exc:
            raise RuleError(rule.path, f"trigger is not a valid regular expression: {exc}", rule.line, rule.id) from None


# ---------------------------------------------------------------------------------------------
# Building, with an on-disk cache


def _cache_file(folders: list[Path], region: str | None) -> Path | None:
    """Where a compiled rule set is kept, keyed by every rule file's path, size, mtime and CRC of
    its bytes (a file rewritten with its old size and mtime, as `cp -p`, `rsync -t` or `tar x` can
    leave it, still rebuilds the set: reading them all costs about a millisecond).

    The key covers every folder merged (also those reached through `extends:` from a user pack)
    and the loader's own source, so editing a rule file or this module rebuilds the set.
    """
    if os.environ.get("SUMMARIZER_NO_CACHE"):
        return None
    from . import __version__
    parts = [f"{_CACHE_FORMAT}|{__version__}|{regex.__version__}|{region}"]
    code = [Path(__file__), Path(__file__).with_name("lexicon.py"), Path(__file__).with_name("anchors.py")]
    for folder in folders:
        for path in code:
            try:
                st = path.stat()
            except OSError:
                return None
            parts.append(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}")
        for path in sorted(Path(folder).rglob("*.yaml")):
            try:
                st, data = path.stat(), path.read_bytes()
            except OSError:
                return None
            parts.append(f"{path.resolve()}|{len(data)}|{st.st_mtime_ns}|{zlib.crc32(data):08x}")
        code = []
    key = "\n".join(parts).encode()
    # a cache key, not a security boundary: two CRCs make 64 bits, and zlib loads faster than hashlib
    digest = f"{zlib.crc32(key):08x}{zlib.crc32(key[::-1]):08x}{len(key):x}"
    folder = patterns.cache_dir()
    return folder / f"rules-{digest}.pickle" if folder else None


def build(user_packs: Iterable[str | os.PathLike] = (), region: str | None = None) -> RuleSet:
    """Merge core, the region (if any) and the user's packs, and compile them.

    Compiling the patterns costs seconds, so the compiled set is cached on disk under a key made
    of every merged rule file's path, size and mtime (and the versions): editing any file rebuilds
    it. The cache holds only what this function made; set SUMMARIZER_NO_CACHE=1 to bypass it.
    """
    user_list = [Path(p) for p in user_packs]
    order = _pack_order(user_list, region)
    cache = _cache_file(order, region)
    cached = patterns.read_pickle(cache) if cache is not None else None
    if isinstance(cached, RuleSet):
        return cached
    ruleset = _build(order)
    if cache is not None:
        patterns.write_pickle(cache, ruleset)
    return ruleset


def _build(order: list[Path]) -> RuleSet:
    builder = _Builder()
    for folder in order:
        builder.apply(_read_pack(folder))
    for i, rule in enumerate(builder.rules.values()):  # a replaced rule keeps its place
        rule.index = i + 1
    rules = sorted(builder.rules.values(), key=lambda r: (STAGES.index(r.stage), r.index))
    for rule in rules:
        _compile(rule, builder.lexicons, builder.macros)
    used = {a for r in rules for clause in (*r.anchors, *r.near, r.first or (), r.trigger_first or (),
                                           *(then for _, then in r.leads)) for a in clause}
    scanner = anchors.Scanner.build(used, builder.lexicons)
    return RuleSet(builder.lexicons, builder.macros, rules, builder.chain, builder.aliases, builder.warnings,
                   [str(f) for f in order], scanner)
