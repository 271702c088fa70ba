"""The vocabulary a check's `test:` is written in: a few generic kinds, each with typed parameters.

A kind looks at one Subject and yields Hits (where, and the values its message may name). Users
write new checks by combining these in YAML; adding a kind here is the only Python a check needs.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import regex

from .subject import MISSING, Subject, dig
from .values import FORMATS, parse_iso_date

PATTERN_TIMEOUT = 1.0  # seconds one text-pattern may run on one article


@dataclass
class Hit:
    """One place a check fires: an offset into Article.text (or an explicit line), and message values."""

    vars: dict[str, Any] = field(default_factory=dict)
    offset: int | None = None
    end: int | None = None
    line: int | None = None
    column: int | None = None


class PatternTimeout(Exception):
    """A text-pattern ran past its time limit on one article; the runner reports it and goes on."""


@dataclass(frozen=True)
class Param:
    type: str                       # field, fields, str, int, number, bool, date, list, mapping, regex, choice
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    params: dict[str, Param]
    run: Callable[[Subject, dict[str, Any], dict[str, Any]], Iterable[Hit]]
    needs_article: bool = True
    doc: str = ""


KINDS: dict[str, Kind] = {}

# The lists of a fact sheet (docs/factsheet.md) that `facts:` can name: a misspelt one would make a
# check that never fires, or always does.
FACT_LISTS = ("dates", "figures", "meetings", "organizations", "people", "places", "problems", "quotes",
              "statements")


def kind(name: str, doc: str, needs_article: bool = True, **params: Param):
    def register(func):
        KINDS[name] = Kind(name, params, func, needs_article, doc)
        return func
    return register


# -- helpers ------------------------------------------------------------------------------------


def fields_of(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def label(path: str) -> str:
    """How a message names a field: metadata fields as written in front matter ('people')."""
    return path[len("metadata."):] if path.startswith("metadata.") else path


def short(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def resolve_date(expr: Any, today: dt.date) -> dt.date | None:
    """'today', 'today-30d', 'today+1d' or an ISO date."""
    text = str(expr).strip()
    m = re.fullmatch(r"today(?:\s*([+-])\s*(\d+)\s*d(?:ays?)?)?", text)
    if m:
        days = int(m.group(2) or 0) * (-1 if m.group(1) == "-" else 1)
        return today + dt.timedelta(days=days)
    return parse_iso_date(text)


def _equal(value: Any, cond: Any) -> bool:
    if value is MISSING:
        return False
    if isinstance(cond, str) and isinstance(value, str) and any(c in cond for c in "*?["):
        return fnmatch.fnmatchcase(value, cond)
    return value == cond or str(value) == str(cond)


def matches(item: Any, where: dict[str, Any]) -> bool:
    """`where:` conditions: a path is `present`, `absent`, equal to a value (globs allowed) or one of a list."""
    for path, cond in where.items():
        value = dig(item, path)
        if cond == "present":
            ok = value is not MISSING
        elif cond == "absent":
            ok = value is MISSING
        elif isinstance(cond, list):
            ok = any(_equal(value, c) for c in cond)
        else:
            ok = _equal(value, cond)
        if not ok:
            return False
    return True


def _span_start(item: Any, *paths: str) -> tuple[int | None, int | None]:
    for path in paths:
        span = dig(item, path)
        if isinstance(span, list) and len(span) == 2:
            return int(span[0]), int(span[1])
    return None, None


def _item_vars(item: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(item, dict):
        for key, value in item.items():
            if isinstance(value, dict):
                out.update(_item_vars(value, f"{prefix}{key}."))
            elif not isinstance(value, list):
                out[f"{prefix}{key}"] = short(value) if value is not None else "none"
    return out


def _name_pattern(name: str, surname: bool) -> list[str]:
    tokens = name.split()
    forms = [r"\s+".join(re.escape(t) for t in tokens)]
    if surname and len(tokens) > 1 and len(tokens[-1]) > 1:
        forms.append(re.escape(tokens[-1]))
    return forms


def mentioned(name: str, text: str, surname: bool, ignore_case: bool) -> bool:
    flags = regex.IGNORECASE if ignore_case else 0
    for form in _name_pattern(name, surname):
        if regex.search(rf"(?<!\w){form}(?!\w)", text, flags):
            return True
    return False


def same_person(a: str, b: str, surname: bool) -> bool:
    x, y = a.casefold().split(), b.casefold().split()
    if x == y:
        return True
    return surname and bool(x) and bool(y) and x[-1] == y[-1]


# -- metadata -----------------------------------------------------------------------------------


@kind("required-field", "Fires when none of the fields has a value.",
      field=Param("fields", required=True, doc="a field path, or a list of alternatives"))
def _required(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    names = fields_of(p["field"])
    _, value = s.first(names)
    if value is MISSING:
        yield Hit({"field": label(names[0])}, offset=0)


@kind("field-format", "Fires when a field's value (each one, for a list) is not in the format.",
      field=Param("fields", required=True),
      format=Param("choice", required=True, choices=("iso-date", "bcp47", "pattern")),
      pattern=Param("regex", doc="with format: pattern, the regular expression the whole value must match"))
def _format(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    if value is MISSING:
        return
    for v in value if isinstance(value, list) else [value]:
        if p["format"] == "pattern":
            ok = regex.fullmatch(p.get("pattern") or "", str(v), timeout=PATTERN_TIMEOUT) is not None
            reason = None if ok else f"it does not match {p.get('pattern')}"
        else:
            reason = FORMATS[p["format"]](str(v))
        if reason:
            yield Hit({"field": label(path), "value": short(v), "reason": reason}, offset=s.field_offset(path, str(v)))


@kind("allowed-values", "Fires when a field's value is not one of a list (or of the shipped region packs).",
      field=Param("fields", required=True), values=Param("list"),
      **{"values-from": Param("choice", choices=("regions",))})
def _allowed(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    if value is MISSING:
        return
    known = [str(v) for v in (p.get("values") or [])]
    if p.get("values-from") == "regions":
        known += list(s.regions)
    for v in value if isinstance(value, list) else [value]:
        if str(v) not in known:
            yield Hit({"field": label(path), "value": short(v), "known": ", ".join(sorted(known)) or "none"},
                      offset=s.field_offset(path, str(v)))


@kind("date-range", "Fires when a date is before min or after max ('today', 'today-30d' or an ISO date).",
      field=Param("fields", required=True), min=Param("date"), max=Param("date"))
def _date_range(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    day = parse_iso_date(value) if value is not MISSING else None
    if day is None:
        return
    low = resolve_date(p["min"], s.today) if p.get("min") is not None else None
    high = resolve_date(p["max"], s.today) if p.get("max") is not None else None
    if (low and day < low) or (high and day > high):
        yield Hit({"field": label(path), "value": day.isoformat(), "min": low.isoformat() if low else "none",
                   "max": high.isoformat() if high else "none", "today": s.today.isoformat()},
                  offset=s.field_offset(path, str(value)))


@kind("dates-agree", "Fires when two dates are more than `tolerance` days apart.",
      field=Param("fields", required=True), other=Param("fields", required=True),
      tolerance=Param("int", default=1, doc="days"))
def _dates_agree(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    other_path, other = s.first(fields_of(p["other"]))
    a = parse_iso_date(value) if value is not MISSING else None
    b = parse_iso_date(other) if other is not MISSING else None
    if a is None or b is None:
        return
    days = abs((a - b).days)
    if days > int(p["tolerance"]):
        yield Hit({"field": label(path), "value": a.isoformat(), "other": label(other_path), "other_value": b.isoformat(),
                   "days": days, "tolerance": p["tolerance"]}, offset=s.field_offset(path))


@kind("number-range", "Fires when a number is below min or above max.",
      field=Param("fields", required=True), min=Param("number"), max=Param("number"))
def _number_range(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    value = 0 if value is MISSING else value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return
    if (p.get("min") is not None and number < p["min"]) or (p.get("max") is not None and number > p["max"]):
        yield Hit({"field": label(path), "value": value, "min": p.get("min"), "max": p.get("max")},
                  offset=s.body_offset())


# -- metadata against the text ------------------------------------------------------------------


@kind("listed-in-text", "Fires for each entry of a metadata list the article's text never mentions.",
      field=Param("fields", required=True), surname=Param("bool", default=False, doc="a surname alone counts"),
      **{"ignore-case": Param("bool", default=False)})
def _listed_in_text(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    if value is MISSING or s.article is None:
        return
    text = s.article.text[s.article.body_start:]
    for entry in value if isinstance(value, list) else [value]:
        name = str(entry.get("name", "")) if isinstance(entry, dict) else str(entry)
        if name.strip() and not mentioned(name, text, p["surname"], p["ignore-case"]):
            yield Hit({"field": label(path), "value": short(name)}, offset=s.field_offset(path, name))


@kind("fact-listed", "Fires once per distinct value of the matching facts that a metadata list lacks.",
      facts=Param("choice", required=True, choices=FACT_LISTS), value=Param("str", required=True), field=Param("fields", required=True),
      where=Param("mapping", default={}), surname=Param("bool", default=True))
def _fact_listed(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, listed = s.first(fields_of(p["field"]))
    if listed is MISSING or not s.facts:
        return
    names = [str(e.get("name", "")) if isinstance(e, dict) else str(e)
             for e in (listed if isinstance(listed, list) else [listed])]
    seen: dict[str, Hit] = {}
    for item in s.facts.get(p["facts"]) or []:
        if not matches(item, p["where"]):
            continue
        value = dig(item, p["value"])
        if value is MISSING or any(same_person(str(value), n, p["surname"]) for n in names):
            continue
        key = str(value).casefold()
        if key in seen:
            seen[key].vars["count"] += 1
            continue
        parent = p["value"].rpartition(".")[0]
        start, end = _span_start(item, f"{parent}.span" if parent else "span", "span")
        seen[key] = Hit({**_item_vars(item), "field": label(path), "value": short(value), "count": 1},
                        offset=start, end=end)
    yield from seen.values()


# -- facts --------------------------------------------------------------------------------------


@kind("fact-match", "Fires for each fact of a list that matches `where:` (e.g. quotes whose speaker is absent).",
      facts=Param("choice", required=True, choices=FACT_LISTS),
      where=Param("mapping", default={}))
def _fact_match(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    for i, item in enumerate((s.facts or {}).get(p["facts"]) or [], 1):
        if matches(item, p["where"]):
            start, end = _span_start(item, "span")
            yield Hit({**_item_vars(item), "index": i}, offset=start, end=end)


@kind("fact-count", "Fires when the number of facts matching `where:` is below min or above max.",
      facts=Param("choice", required=True, choices=FACT_LISTS), where=Param("mapping", default={}),
      min=Param("int"), max=Param("int"))
def _fact_count(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    count = sum(1 for item in (s.facts or {}).get(p["facts"]) or [] if matches(item, p["where"]))
    if (p.get("min") is not None and count < p["min"]) or (p.get("max") is not None and count > p["max"]):
        yield Hit({"count": count, "facts": p["facts"], "min": p.get("min"), "max": p.get("max")},
                  offset=s.body_offset())


# -- text ---------------------------------------------------------------------------------------


@kind("text-pattern", "Fires for each match of a regular expression (run with a time limit) in the text.",
      pattern=Param("regex", required=True), part=Param("choice", default="body", choices=("body", "all")),
      **{"ignore-case": Param("bool", default=False)})
def _text_pattern(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    art = s.article
    assert art is not None
    flags = regex.IGNORECASE if p["ignore-case"] else 0
    start = art.body_start if p["part"] == "body" else 0
    try:
        found = list(regex.finditer(p["pattern"], art.text, flags, pos=start, timeout=PATTERN_TIMEOUT))
    except TimeoutError:
        raise PatternTimeout(f"its pattern ran longer than {PATTERN_TIMEOUT}s on this article and was "
                             "skipped; simplify the pattern") from None
    for m in found:
        if m.end() > m.start():
            yield Hit({"match": short(m.group(), 30)}, offset=m.start(), end=m.end())


@kind("duplicate", "Fires when a field's text (white space and case aside) equals an earlier article's in this run.",
      field=Param("fields", default="text.body"))
def _duplicate(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    path, value = s.first(fields_of(p["field"]))
    if value is MISSING or not str(value).strip():
        return
    key = hashlib.sha1(" ".join(str(value).split()).casefold().encode()).hexdigest()
    here = s.position(s.body_offset())
    if key in state:
        other, line = state[key]
        yield Hit({"field": label(path), "other": other, "other_line": line}, offset=s.body_offset())
    else:
        state[key] = (s.path, here[0])


@kind("invalid-encoding", "Fires when the file's bytes are not UTF-8.", needs_article=False)
def _encoding(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    if s.decode:
        d = s.decode
        yield Hit({"byte": f"0x{d.byte:02x}", "offset": d.offset, "reason": d.reason, "count": d.count},
                  line=d.line, column=d.column)


@kind("load-error", "Fires when the article cannot be read (broken front matter or JSON).", needs_article=False)
def _load_error(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    err = s.load_error
    if err is not None:
        yield Hit({"cause": getattr(err, "cause", str(err))}, line=getattr(err, "line", None) or 1, column=1)


@kind("inline-disable-unknown", "Fires for an inline disable that names no known check.")
def _inline_unknown(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    for check_id, offset in s.inline_unknown:
        yield Hit({"value": check_id}, offset=offset)


@kind("snapshot", "With --expect, fires for each difference between the fact sheet and the committed one.",
      ignore=Param("list", default=["article.id"], doc="paths left out of the comparison"),
      limit=Param("int", default=20, doc="differences reported per article at most"))
def _snapshot(s: Subject, p: dict, state: dict) -> Iterator[Hit]:
    from .snapshot import differences
    if s.expected_error:
        yield Hit({"difference": s.expected_error, "path": "", "expected": s.expected_source or ""}, line=1, column=1)
        return
    if s.expected is None or s.facts is None:
        return
    diffs = differences(s.expected, s.facts, [str(i) for i in p["ignore"]])
    for d in diffs[:int(p["limit"])]:
        yield Hit({"difference": d.text, "path": d.path, "expected": s.expected_source or ""},
                  offset=d.span[0] if d.span else None, end=d.span[1] if d.span else None)
    if len(diffs) > int(p["limit"]):
        yield Hit({"difference": f"and {len(diffs) - int(p['limit'])} more differences", "path": "",
                   "expected": s.expected_source or ""}, line=None, offset=None)
