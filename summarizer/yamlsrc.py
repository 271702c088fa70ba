"""Safe YAML loading that remembers the line of every mapping, for error messages."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from functools import lru_cache

from .errors import RuleError

class LineDict(dict):
    """A dict that knows the (1-based) line it started on in its YAML file."""

    line: int = 0


@lru_cache(maxsize=1)
def _loader() -> type:
    """The loader class, built on first use: importing PyYAML costs start-up time that a run on
    cached rules and a plain-text article never needs."""
    import yaml

    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


    class _LineLoader(_Base):  # type: ignore[misc, valid-type]
        """SafeLoader (no object construction) whose mappings record their line."""


    def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
        loader.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {seen[key]})", key_node.start_mark)
            if isinstance(key, (str, int, float, bool)):
                seen[key] = key_node.start_mark.line + 1
        data = LineDict(loader.construct_mapping(node, deep=True))
        data.line = node.start_mark.line + 1
        return data


    def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
        """Dates stay ISO strings: a fact sheet never depends on YAML's date type."""
        return loader.construct_scalar(node)


    # YAML 1.1 reads on/off/yes/no as booleans, which turns the word "on" in a lexicon into True;
    # here, as in YAML 1.2, only true and false are booleans.
    _LineLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()}
    _LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                      list("tTfF"))
    _LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

    return _LineLoader


def load_text(text: str, source: str = "<string>") -> Any:
    """Parse YAML safely; a syntax error names the file and line."""
    import yaml
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - the loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleError(source, f"invalid YAML: {problem}; fix the syntax at this line", line) from None


def load_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), f"cannot read: {exc}") from None
    return load_text(text, str(path))


def line_of(obj: Any) -> int | None:
    return getattr(obj, "line", None) or None
