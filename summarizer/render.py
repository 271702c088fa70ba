"""Render fact sheets with Jinja templates in a sandbox: templates are data, not code.

The JSON fact sheet is rendered by a template too, then parsed, checked against the contract and
re-serialised, so a broken custom template fails with a clear message instead of bad JSON.
"""
from __future__ import annotations

import json
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import timelimit
from .errors import TemplateError

if TYPE_CHECKING:  # jinja2 is imported when a template is rendered: `summarizer facts` starts faster
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

FORMATS = {"markdown": "brief.md.j2", "md": "brief.md.j2", "text": "brief.txt.j2", "json": "facts.json.j2"}
REQUIRED = {
    "schema": str, "article": dict, "people": list, "organizations": list, "quotes": list,
    "meetings": list, "figures": list, "statements": list, "dates": list,
}


def templates_root() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "facts.json.j2").is_file():
            return candidate
    raise TemplateError(f"{here / 'templates'}: the shipped templates are missing; reinstall summarizer")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# What one render may take. The sandbox stops a template from reaching files or code, not from
# asking for a billion-character string or looping for ever: these bound what it can ask for.
RENDER_SECONDS = 10.0  # wall time of one render (where a timer signal can be used: timelimit.py)
MOST_OUTPUT = 64 * 1024 * 1024  # characters a template may write
MOST_REPEATED = 1_000_000  # items (characters) a `*` on a string or list may make
MOST_POWER_BITS = 100_000  # bits the result of an integer `**` may have


_WIDTH = re.compile(r"\d{7,}")  # a field width or precision of a million or more, in a format string


def _refuse_wide(spec: Any) -> None:
    """Raise SecurityError for a format string ('%0300000000d', '{:300000000}') whose widths would
    make a string too large to make."""
    from jinja2.exceptions import SecurityError
    if isinstance(spec, str) and any(int(n) > MOST_REPEATED for n in _WIDTH.findall(spec)):
        raise SecurityError(f"a format width over the {MOST_REPEATED:,} characters a template may make")


def _limited_binop(operator: str, left: Any, right: Any) -> None:
    """Raise SecurityError for a `*`, `**` or `%` whose result would be too large to make."""
    from jinja2.exceptions import SecurityError
    if operator == "%":
        _refuse_wide(left)
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int) \
                    and len(seq) * times > MOST_REPEATED:
                raise SecurityError(f"a repeat of {len(seq) * times:,} items is more than the {MOST_REPEATED:,} "
                                    "a template may make")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
            and abs(left) > 1 and right * abs(left).bit_length() > MOST_POWER_BITS:
        raise SecurityError(f"a power with {right * abs(left).bit_length():,} bits is more than the "
                            f"{MOST_POWER_BITS:,} a template may make")


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """Sandboxed, StrictUndefined; the loader sees only the shipped templates folder; `*`, `**`,
    `%`, str.format and the filters that take a width checked for size."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LimitedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _limited_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:  # "{:300000000}".format(1)
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                _refuse_wide(value.__self__)
            return wrapped

    env = LimitedSandbox(
        loader=jinja2.FileSystemLoader(str(templates_root())), undefined=jinja2.StrictUndefined,
        autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["json"] = _json
    for name in ("center", "indent", "wordwrap", "truncate", "format", "join"):
        env.filters[name] = _bounded_filter(env.filters[name], name)
    return env


def _bounded_filter(func: Any, name: str) -> Any:
    """A filter that refuses to make more than MOST_OUTPUT characters: a width over MOST_REPEATED,
    a format string with one, or a join whose parts add up to too much ('x' * 1000 joined a million
    times is a gigabyte, though neither repeat is large)."""
    import functools
    from jinja2.exceptions import SecurityError

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not hasattr(a, "environment")]  # past the context or environment
        if name == "join" and values:
            parts = values[0] if isinstance(values[0], (list, tuple)) else None
            if parts is not None and sum(len(str(p)) for p in parts[:MOST_REPEATED + 1]) > MOST_OUTPUT:
                raise SecurityError(f"a join of more than the {MOST_OUTPUT:,} characters a template may write")
        for value in (*values[1:], *kwargs.values()):
            if isinstance(value, int) and value > MOST_REPEATED:
                raise SecurityError(f"a width of {value:,} is more than the {MOST_REPEATED:,} a template may make")
        if name == "format" and values:
            _refuse_wide(values[0])
        return func(*args, **kwargs)
    return bounded


def _template(name: str, path: str | None) -> jinja2.Template:
    import jinja2
    env = environment()
    try:
        if path:
            try:
                source = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError(f"{path}: cannot read template: {exc}") from None
            return env.from_string(source)
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{path or name}:{exc.lineno}: template syntax error: {exc.message}") from None


def _bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """template.render(**context), stopped once it has written MOST_OUTPUT characters or run
    RENDER_SECONDS (TimeoutError)."""
    from jinja2.exceptions import SecurityError
    pieces: list[str] = []
    size = 0
    with timelimit.watching(RENDER_SECONDS) as dog:
        if dog is not None:
            dog.deadline = time.perf_counter() + RENDER_SECONDS
        try:
            for piece in template.generate(**context):
                size += len(piece)
                if size > MOST_OUTPUT:
                    raise SecurityError(f"the output passed the {MOST_OUTPUT:,} characters a template may write")
                pieces.append(piece)
        finally:
            if dog is not None:
                dog.deadline = None
    return "".join(pieces)


def _render(name: str, path: str | None, **context: Any) -> str:
    import jinja2
    template = _template(name, path)
    try:
        return _bounded(template, context)
    except TimeoutError:
        raise TemplateError(f"{path or name}: refused: the template ran longer than {RENDER_SECONDS:g} s; "
                            "look for loops over large ranges") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{path or name}: refused by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{path or name}: {exc.message}; the fact sheet fields are documented in "
                            "the README") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{path or name}: {exc}") from None
    except (OverflowError, MemoryError, RecursionError) as exc:
        raise TemplateError(f"{path or name}: refused: the template asked for too much ({exc})") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        raise TemplateError(f"{path or name}: the template failed while rendering: "
                            f"{type(exc).__name__}: {exc}") from None


def validate(sheet: Any, source: str) -> None:
    if not isinstance(sheet, dict):
        raise TemplateError(f"{source}: the template must render one JSON object")
    for key, kind in REQUIRED.items():
        if key not in sheet:
            raise TemplateError(f"{source}: the rendered fact sheet lacks {key!r}, which the contract requires")
        if not isinstance(sheet[key], kind):
            raise TemplateError(f"{source}: {key!r} must be a JSON {kind.__name__}")
    for key in ("people", "quotes", "meetings", "figures", "statements"):
        for i, item in enumerate(sheet[key]):
            if not isinstance(item, dict) or "id" not in item:
                raise TemplateError(f"{source}: {key}[{i}] must be an object with an id")


_FIELD_LINE = re.compile(r'"(\w+)": \{\{ facts\.(\w+) \| json \}\},?')
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


@lru_cache(maxsize=1)
def _listed_fields() -> tuple[str, ...] | None:
    """The fields of the shipped JSON template when it does nothing but list them, else None.

    Rendering such a template is the same as picking those fields, so the default `facts` output
    needs no Jinja (importing it and compiling the template is a third of the start-up time).
    Any other shape of the template, or a missing field, takes the Jinja path.
    """
    try:
        text = (templates_root() / FORMATS["json"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, TemplateError):
        return None
    lines = [line.strip() for line in _COMMENT.sub("", text).strip().splitlines()]
    if len(lines) < 3 or lines[0] != "{" or lines[-1] != "}":
        return None
    fields = []
    for i, line in enumerate(lines[1:-1], 1):
        m = _FIELD_LINE.fullmatch(line)
        if not m or m.group(1) != m.group(2) or line.endswith(",") != (i < len(lines) - 2):
            return None
        fields.append(m.group(1))
    return tuple(fields)


_MOST_CONTAINERS = 100_000  # a value with more (or one that holds itself) is left to the json module


def _plain_json(value: Any) -> bool:
    """Whether value is made of JSON's own values only, as json.loads gives them: dicts, lists,
    strings, ints, booleans, None and floats that json writes without an exponent. orjson writes
    such a value as json.dumps does, byte for byte (keys that are not strings it refuses); it
    spells other floats otherwise, and differently from one release to the next. Exact types only:
    a subclass or a tuple is left to the json module."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return False
    stack = [value]
    pop, push = stack.pop, stack.append
    budget = _MOST_CONTAINERS
    while stack:
        container = pop()
        for x in (container.values() if type(container) is dict else container):
            kind = type(x)
            if kind is str or kind is int or x is None or kind is bool:
                continue
            if kind is dict or kind is list:
                budget -= 1
                if budget < 0:
                    return False
                push(x)
            elif kind is float:
                if not (x == 0.0 or 1e-4 <= abs(x) < 1e16):  # NaN fails both
                    return False
            else:
                return False
    return True


def _by_orjson(value: Any) -> str | None:
    """orjson's indented JSON for a _plain_json value, or None for any other value or one it refuses
    (a key that is not a string). Imported on first use: a brief needs no JSON."""
    if not _plain_json(value):
        return None
    import orjson
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # orjson.JSONEncodeError
        return None


def dumps(value: Any) -> str:
    """Canonical JSON text: json.dumps(value, ensure_ascii=False, indent=2), byte for byte, written by
    orjson where it gives those bytes (every fact sheet, in practice): the json module indents in
    pure Python, and orjson is about ten times faster."""
    text = _by_orjson(value)
    return json.dumps(value, ensure_ascii=False, indent=2) if text is None else text


def facts_json(sheet: dict[str, Any], template: str | None = None) -> str:
    """The fact sheet as canonical JSON text (two-space indent, UTF-8, a final newline)."""
    source = template or FORMATS["json"]
    fields = None if template else _listed_fields()
    if fields is not None and all(k in sheet for k in fields):
        # what the shipped template renders: those fields, in that order, with no Jinja round trip
        listed = {k: sheet[k] for k in fields}
        text = _by_orjson(listed)
        if text is not None:
            validate(listed, source)
            return text + "\n"
        rendered = json.dumps(listed, ensure_ascii=False)  # read back below: tuples become lists, keys strings
    else:
        rendered = _render(FORMATS["json"], template, facts=sheet)
    try:
        parsed = json.loads(rendered)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{source}: rendered text is not valid JSON ({exc.msg} at line {exc.lineno}, "
                            f"column {exc.colno}); check the template's commas and the json filter") from None
    validate(parsed, source)
    return dumps(parsed) + "\n"


def brief(sheet: dict[str, Any], format: str = "markdown", template: str | None = None) -> str:
    name = FORMATS.get(format)
    if name is None or format == "json":
        raise TemplateError(f"unknown brief format {format!r}; use markdown or text")
    out = _render(name, template, facts=sheet)
    return out if out.endswith("\n") else out + "\n"
