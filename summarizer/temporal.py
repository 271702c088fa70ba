"""DATES stage: find the points in time an article names and normalise them to ISO values.

The rules (stage `dates`, rules/core/dates.yaml) only find words; this module turns a match's named
captures and `set:` constants into a value, generically:

    year, yy          a year (2 digits read in the anchor's century, or the one before)
    month | mon       a month name (lexicon `month`, feature value 1..12) or its number
    day               day of the month;  n1, n2: numeric day/month in the rule's `order:` (mdy | dmy)
    weekday           lexicon `weekday` (value 0..6, Monday = 0)
    rel               lexicon `relative_day` (value: day offset, part: day part)
    part              lexicon `day_part` (MO, AF, EV, NI), appended as 2024-09-30TAF
    shift             lexicon `date_shift` (-1 last, 0 this, 1 next) or a number in `set:`
    unit              lexicon `date_unit` (grain: day, week, weekend, month, quarter, year, decade)
    num, dir          a count of units (digits or lexicon `date_number`) and lexicon `date_direction`
    quarter           lexicon `date_ordinal` (first .. fourth)
    season, holiday   lexicons `season` (value SP/SU/FA/WI) and `holiday` (month/day, nth weekday, easter)
    decade, dd        1980 -> "198";  '80s -> "198"
    hour, minute, ampm  clock times
    value             a constant value from `set:` (PRESENT_REF)

Relative expressions resolve against `article.date`; without it they get value None. A weekday,
a month or a month and day without a year resolve to the past occurrence unless the sentence
around them speaks of the future (see `tense_near`).
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import regex

from . import engine, patterns
from .article import Article
from .packs import RuleSet

STAGE = "dates"


class _TenseAt:
    """The tense around a date, not yet looked up: only dates without a year (a weekday, a month)
    need it to resolve, and the cue search is most of a date's cost."""

    __slots__ = ("found", "where")

    def __init__(self, text: str, start: int, end: int, lo: int, hi: int) -> None:
        self.where = (text, start, end, lo, hi)
        self.found: tuple[str | None] | None = None

    def __call__(self) -> str | None:
        if self.found is None:
            self.found = (tense_near(*self.where),)
        return self.found[0]


class _Tense:
    """A `tense` attribute that may hold a _TenseAt, looked up (once) on first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> str | None:
        if obj is None:
            return None  # the dataclass field's default
        value = getattr(obj, self.slot)
        if type(value) is _TenseAt:
            value = value()
            setattr(obj, self.slot, value)
        return value

    def __set__(self, obj: Any, value: str | _TenseAt | None) -> None:
        setattr(obj, self.slot, value)  # the private "_tense" attribute; reading "tense" resolves it


@dataclass
class DateFact:
    text: str                  # the matched words, without a leading preposition: "Monday afternoon"
    value: str | None          # ISO: 2024-09-30, 2024-09, 2024, 198, 2024-W39, 2024-Q3, PRESENT_REF; None if unknown
    span: tuple[int, int]      # [start, end) into article.text
    rule: str
    grain: str                 # day | week | weekend | month | quarter | season | year | decade | time | ref
    text_with_prep: str = ""   # "on Monday afternoon" when a preposition stands just before, else text
    tense: str | None = _Tense()  # past | future | None: what the sentence around the date speaks of

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "span": [self.span[0], self.span[1]],
                "rule": self.rule}


# ---------------------------------------------------------------------------------------------
# Tense of the sentence around a date

_FUTURE = patterns.compile(
    r"(?i)\b(?:will|won't|wo\s+n't|shall|would|might|'ll|(?:is|are|was|were)\s+to|plans?\s+to|"
    r"planned|planning|(?:is|are|has|have)\s+(?:planned|scheduled|expected|set|due|slated)|"
    r"scheduled\s+(?:to|for)|expected\s+to|expects?\s+to|set\s+to|due\s+to|going\s+to|upcoming|"
    r"intends?\s+to|aims?\s+to|hopes?\s+to|next|later\s+this|to\s+be|as\s+soon\s+as)\b")
# a deadline word just before the date: "payable Dec. 1", "until Friday", "extended to Nov. 6"
_DEADLINE = patterns.compile(
    r"(?i)\b(?:by|until|till|payable|effective|expires?|expiring|of\s+record|record|due|"
    r"extended\s+(?:\w+\s+){0,3}to|starting|beginning)\s+(?:on\s+)?$")
# a month a trade settles in: "Brent for July delivery fell" (the contract month lies ahead); only
# after "for": "May shipments rose" is past
_FORWARD_MONTH = patterns.compile(r"(?i)\s+(?:delivery|loading|settlement|expiry|contracts?)\b")
_FOR_BEFORE = patterns.compile(r"(?i)\bfor\s+$")
_NOT_PAST = r"(?<!\b(?:be|being|is|are|will|would|to)\s+(?:\w+ly\s+)?)"
# each cue word is looked ahead for before _NOT_PAST: the same matches, but the dear look-behind
# runs only where a cue word stands, not at every word boundary
_PAST_WORD = (r"(?:said|was|were|had|did|met|told|made|went|came|took|gave|began|rose|fell|led|"
              r"left|won|lost|held|paid|sold|bought|saw|got|became|ago|earlier)\b")
_PAST = patterns.compile(r"\b(?=" + _PAST_WORD + ")" + _NOT_PAST + _PAST_WORD)
# regular past forms are weaker cues: many -ed words are adjectives (preferred shares)
_PAST_ED = patterns.compile(
    r"\b(?=[a-z]{2,}ed\b)" + _NOT_PAST + r"(?!(?:ne|inde|spe|procee|succee|fe|see|bree|excee|bas|us|nak|sh|w|r|schedul|"
    r"expect|plann|slat|propos|prefer+|relat|unit|limit|bill|interest|restrict|fix|mix|red)ed\b)[a-z]{2,}ed\b")
_ED_PENALTY = 20
# a cue in another clause than the date's (a comma, semicolon or dash between) weighs less
_CLAUSE_BREAK = patterns.compile(r"[,;:]|\s[-–—]\s")
_CLAUSE_PENALTY = 25


@lru_cache(maxsize=256)
def _cues(text: str, lo: int, hi: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The future and past cues of a sentence, found once for all the dates in it (a string
    caches its hash, so the key costs nothing)."""
    return tuple(tuple((m.start(), m.end()) for m in patterns.finditer(pattern, text, lo, hi))
                 for pattern in (_FUTURE, _PAST, _PAST_ED))


def tense_near(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """'future' or 'past' for the words text[start:end], from the sentence text[lo:hi] around them.

    A deadline word just before the date (payable, until, by, effective) makes it future; otherwise
    the verb cue nearest the date decides (will, would, is to, scheduled, next / said, was, -ed),
    a cue in another clause counting as farther. Only the nearest cue of each kind on each side
    can be the nearest of all (what lies between a farther one and the date holds what lies
    between the nearer one and the date), so each kind is looked up by bisection: a sentence of
    many dates and cues costs no more than its length (one of 800 dates once took 18 s).
    """
    if _DEADLINE.search(text, max(lo, start - 40), start) or (
            _FOR_BEFORE.search(text, max(lo, start - 5), start) and _FORWARD_MONTH.match(text, end, hi)):
        return "future"  # "payable Dec. 1", "Brent for July delivery"
    future, past, past_ed = _cues(text, lo, hi)

    def apart(a: int, b: int) -> int:
        """How far a cue at text[a:b] is from the date, more when a clause break lies between
        ("is expected to visit Moscow in June, his office said": the visit is the date's clause)."""
        x, y = (b, start) if b <= start else (end, a)
        return y - x + (_CLAUSE_PENALTY if _CLAUSE_BREAK.search(text, x, y) else 0)

    def nearest(cues: tuple[tuple[int, int], ...], skip: Callable[[int], bool]) -> list[tuple[int, int]]:
        """The cue nearest the date on each side (cues sorted by start; one starting inside the
        date, or for which skip(start) holds, is passed over)."""
        i = bisect.bisect_left(cues, (start, -1))
        found = []
        for k in range(i - 1, -1, -1):  # starting before the date
            if not skip(cues[k][0]):
                found.append(cues[k])
                break
        for k in range(i, len(cues)):  # starting in or after it
            a = cues[k][0]
            if not (start <= a < end) and not skip(a):
                found.append(cues[k])
                break
        return found

    def inside_future(a: int) -> bool:
        i = bisect.bisect_right(future, (a, len(text) + 1)) - 1
        return any(fa <= a < fb for fa, fb in future[max(0, i - 2):i + 1] if not start <= fa < end)

    best: tuple[int, str] | None = None
    for a, b in nearest(future, lambda a: False):
        d = apart(a, b)
        if best is None or d < best[0]:
            best = (d, "future")
    for cues, penalty in ((past, 0), (past_ed, _ED_PENALTY)):
        for a, b in nearest(cues, inside_future):
            d = apart(a, b) + penalty
            if best is None or d < best[0]:
                best = (d, "past")
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# Calendar helpers


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _easter(y: int) -> dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def _holiday_date(feats: dict, y: int) -> dt.date | None:
    try:
        if "easter" in feats:
            return _easter(y) + dt.timedelta(days=int(feats["easter"]))
        m = int(feats["month"])
        if "day" in feats:
            return dt.date(y, m, int(feats["day"]))
        wd, nth = int(feats["weekday"]), int(feats.get("nth", 1))
        if nth > 0:
            first = dt.date(y, m, 1)
            return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
        last = dt.date(*_add_months(y, m, 1), 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - wd) % 7)
    except (KeyError, ValueError, TypeError):
        return None


def _int(x: Any) -> int | None:
    if x is None:  # most captures are absent: skip the exception int("None") would raise
        return None
    try:
        return int(str(x).strip())
    except (TypeError, ValueError):
        return None


def _feature(ruleset: RuleSet, lexicon: str, surface: Any, key: str = "value") -> Any:
    """A lexicon feature of a captured surface, or the value itself when `set:` gave a number."""
    if surface is None:
        return None
    if isinstance(surface, (int, float)):
        return surface
    entry = ruleset.lexicon(lexicon).get(str(surface))
    if entry is None:
        return _int(surface)
    return entry.get(key)


def _pick_year(anchor: dt.date, candidate: "callable", direction: str) -> int:
    """The year whose occurrence (candidate(year) -> date) is closest to anchor in the direction."""
    y = anchor.year
    if direction == "past":
        return y if candidate(y) <= anchor else y - 1
    if direction == "past-strict":
        return y if candidate(y) < anchor else y - 1
    if direction == "future":
        return y if candidate(y) >= anchor else y + 1
    if direction == "future-strict":
        return y if candidate(y) > anchor else y + 1
    if direction == "nearest":
        return min((y - 1, y, y + 1), key=lambda k: abs((candidate(k) - anchor).days))
    return y  # "this"


def _month_year(anchor: dt.date, month: int, direction: str) -> int:
    """The year of the occurrence of `month` nearest the anchor in the direction."""
    y, am = anchor.year, anchor.month
    if month > 12:
        month -= 12
        y += 1
    if direction == "past":
        return y if month <= am else y - 1
    if direction == "past-strict":
        return y if month < am else y - 1
    if direction == "future":
        return y if month >= am else y + 1
    if direction == "future-strict":
        return y if month > am else y + 1
    return y


# ---------------------------------------------------------------------------------------------
# Normalisation


class _Ctx:
    """What normalise needs besides the captures; the tense is looked up only when read."""

    tense = _Tense()

    def __init__(self, anchor: dt.date | None, tense: str | _TenseAt | None, ruleset: RuleSet,
                 order: str) -> None:
        self.anchor, self.tense, self.ruleset, self.order = anchor, tense, ruleset, order


def _shift_of(fields: dict, ruleset: RuleSet) -> int | None:
    s = fields.get("shift")
    if s is None:
        return None
    v = _feature(ruleset, "date_shift", s)
    return _int(v)


def _direction(shift: int | None, tense: str | None, strict: bool) -> str:
    if shift is not None and shift < 0:
        return "past-strict" if strict else "past"
    if shift is not None and shift > 0:
        return "future-strict" if strict else "future"
    if shift == 0:
        return "this"
    return "future" if tense == "future" else "past"


def _unit_value(anchor: dt.date, grain: str, n: int) -> str | None:
    if grain == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if grain in ("week", "weekend"):
        return _iso_week(anchor + dt.timedelta(weeks=n)) + ("-WE" if grain == "weekend" else "")
    if grain == "month":
        y, m = _add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}"
    if grain == "quarter":
        k = anchor.year * 4 + (anchor.month - 1) // 3 + n
        return f"{k // 4:04d}-Q{k % 4 + 1}"
    if grain == "year":
        return f"{anchor.year + n:04d}"
    if grain == "decade":
        return f"{anchor.year + 10 * n:04d}"[:3]
    return None


def normalise(fields: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    """(value, grain) of one match from its captures and `set:` constants."""
    rs, anchor = ctx.ruleset, ctx.anchor
    grain = str(fields.get("grain") or "day")
    if fields.get("value") is not None and not any(
            k in fields for k in ("year", "month", "mon", "day", "weekday", "rel", "unit", "n1")):
        return str(fields["value"]), grain

    year = _int(fields.get("year"))
    if year is None and fields.get("cent") is not None:  # nineteen ninety-six, two thousand and one
        c = _int(_feature(rs, "date_number", regex.sub(r"\s+", " ", str(fields["cent"]).lower()))) or 0
        year = (c * 100 if c < 100 else c) + (_int(_feature(rs, "date_number", fields.get("tens"))) or 0) \
            + (_int(_feature(rs, "date_number", fields.get("units"))) or 0)
    if year is None and fields.get("yy") is not None:
        yy = _int(fields["yy"])
        base = anchor.year if anchor else 2000
        year = (base // 100) * 100 + yy
        if year > base + 10:
            year -= 100
    shift = _shift_of(fields, rs)
    if year is None and fields.get("yshift") is not None and anchor is not None:  # June last year
        year = anchor.year + (_int(_feature(rs, "date_shift", fields["yshift"])) or 0)
    part = _feature(rs, "day_part", fields.get("part"))

    def with_part(day: str | None) -> str | None:
        if day is None:
            return None
        if fields.get("hour") is not None:
            h = _int(fields["hour"]) or 0
            ampm = str(fields.get("ampm") or "").lower()
            if ampm.startswith("p") and h < 12:
                h += 12
            elif ampm.startswith("a") and h == 12:
                h = 0
            mi = _int(fields.get("minute")) or 0
            return f"{day}T{h:02d}:{mi:02d}"
        return f"{day}T{part}" if part else day

    # centuries: the 20th century -> 19
    if grain == "century":
        c = _int(fields.get("century")) or _int(_feature(rs, "date_ordinal", fields.get("century_word")))
        if c is None and shift is not None and anchor is not None:
            c = anchor.year // 100 + 1 + shift
        return (f"{c - 1:02d}" if c else None), "century"

    # decades
    if fields.get("decade_word") is not None:
        d = _int(_feature(rs, "decade_word", fields["decade_word"]))
        return (f"19{d}" if d is not None else None), "decade"
    if fields.get("decade") is not None or fields.get("dd") is not None:
        if fields.get("decade") is not None:
            return str(fields["decade"])[:3], "decade"
        dd = _int(fields["dd"])
        base = anchor.year if anchor else 1999
        full = (base // 100) * 100 + dd
        if full > base:
            full -= 100
        return str(full)[:3], "decade"

    # quarters
    if fields.get("quarter") is not None:
        q = _int(_feature(rs, "date_ordinal", fields["quarter"]))
        y = year if year is not None else (anchor.year if anchor else None)
        if q is None or y is None or not 1 <= q <= 4:
            return None, "quarter"
        return f"{y:04d}-Q{q}", "quarter"

    # seasons
    if fields.get("season") is not None:
        code = _feature(rs, "season", fields["season"])
        if year is None and anchor is not None:
            start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}.get(str(code), 1)
            direction = _direction(shift, ctx.tense, strict=True)
            # "last fall" is the last one that has ended; otherwise the season by its first month
            year = _month_year(anchor, start + 2 if direction == "past-strict" else start, direction)
        return (f"{year:04d}-{code}" if year is not None and code else None), "season"

    # holidays
    if fields.get("holiday") is not None:
        feats = rs.lexicon("holiday").get(str(fields["holiday"])) or {}
        if year is None:
            if anchor is None:
                return None, "day"
            direction = _direction(shift, ctx.tense, strict=True)
            year = _pick_year(anchor, lambda y: _holiday_date(feats, y) or dt.date(y, 1, 1), direction)
        d = _holiday_date(feats, year)
        return (d.isoformat() if d else None), "day"

    # month (with or without a day)
    month = None
    if fields.get("month") is not None:
        month = _int(_feature(rs, "month", fields["month"]))
    elif fields.get("mon") is not None:
        month = _int(fields["mon"])
    day = _int(fields.get("day"))
    if fields.get("n1") is not None and fields.get("n2") is not None:
        a, b = _int(fields["n1"]), _int(fields["n2"])
        month, day = (b, a) if (ctx.order or "mdy") == "dmy" else (a, b)
    if month is not None:
        if not 1 <= month <= 12:
            return None, grain
        if day is not None:
            if year is None:
                if anchor is None:
                    return None, "day"
                direction = _direction(shift, ctx.tense, strict=False)
                if shift is None and ctx.tense is None:
                    direction = "nearest"  # no tense to go by: the occurrence closest to the anchor

                def when(y: int) -> dt.date:
                    try:
                        return dt.date(y, month, day)
                    except ValueError:
                        return dt.date(y, month, 28)
                year = _pick_year(anchor, when, direction)
            try:
                return with_part(dt.date(year, month, day).isoformat()), ("time" if fields.get("hour") else "day")
            except ValueError:
                return None, "day"
        if year is None:
            if anchor is None:
                return None, "month"
            direction = _direction(shift, ctx.tense, strict=True)
            if shift is None and ctx.tense is None:
                year = min((anchor.year - 1, anchor.year, anchor.year + 1),
                           key=lambda k: abs((k * 12 + month) - (anchor.year * 12 + anchor.month)))
            else:
                year = _month_year(anchor, month, direction)
        return f"{year:04d}-{month:02d}", "month"

    # weekday
    if fields.get("weekday") is not None:
        wd = _int(_feature(rs, "weekday", fields["weekday"]))
        if anchor is None or wd is None:
            return None, "day"
        direction = _direction(shift, ctx.tense, strict=True)
        aw = anchor.weekday()
        if direction.startswith("past"):
            delta = -((aw - wd) % 7)
            if direction == "past-strict" and delta == 0:
                delta = -7
        elif direction.startswith("future"):
            delta = (wd - aw) % 7
            if direction == "future-strict" and delta == 0:
                delta = 7
        else:  # this Friday: the one in the anchor's week
            delta = wd - aw
        return with_part((anchor + dt.timedelta(days=delta)).isoformat()), "time" if fields.get("hour") else "day"

    # yesterday, today, tonight
    if fields.get("rel") is not None:
        if anchor is None:
            return None, "day"
        entry = rs.lexicon("relative_day").get(str(fields["rel"])) or {}
        off = _int(entry.get("value", fields["rel"])) or 0
        if part is None and entry.get("part"):
            part = entry["part"]
        return with_part((anchor + dt.timedelta(days=off)).isoformat()), "day"

    # a unit counted from the anchor: last week, two years ago, the year-ago quarter
    if fields.get("unit") is not None:
        g = _feature(rs, "date_unit", fields["unit"], "grain") or str(fields["unit"])
        n = shift
        if fields.get("num") is not None:
            count = _int(_feature(rs, "date_number", fields["num"]))
            sign = _int(_feature(rs, "date_direction", fields.get("dir"))) or -1
            n = None if count is None else count * sign
        if anchor is None or n is None:
            return None, g
        if g == "weekend" and n == 0:  # the weekend: the last one, or the next in future tense
            aw = anchor.weekday()
            saturday = anchor + dt.timedelta(days=(5 - aw) % 7 if ctx.tense == "future" else -((aw - 5) % 7))
            return _iso_week(saturday) + "-WE", g
        return _unit_value(anchor, g, n), g

    # a year on its own
    if year is not None:
        return f"{year:04d}", "year"

    # a bare clock time: the publication day
    if fields.get("hour") is not None:
        return (with_part(anchor.isoformat()) if anchor else None), "time"

    if fields.get("value") is not None:
        return str(fields["value"]), grain
    return None, grain


# ---------------------------------------------------------------------------------------------

_PREP = patterns.compile(r"(?i)\b(?:on|in|at|by|since|until|till|during|from|for|before|after|through|as\s+of|"
                      r"as\s+early\s+as|no\s+later\s+than)\s+$")


def _anchor(article: Article) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article.date) if article.date else None
    except ValueError:
        return None


def fact_of(match: engine.Match, article: Article, ruleset: RuleSet) -> DateFact:
    """The DateFact for one match of a `dates` rule."""
    text = article.text
    lo, hi = article.sentence_at(match.start)
    if hi <= lo:
        lo, hi = max(article.body_start, match.start - 200), min(len(text), match.end + 200)
    tense = _TenseAt(text, match.start, match.end, lo, hi)
    ctx = _Ctx(_anchor(article), tense, ruleset, match.rule.order or "mdy")
    try:
        value, grain = normalise(match.fields, ctx)
    except (ValueError, OverflowError, TypeError):
        value, grain = None, str(match.rule.set.get("grain") or "day")
    words = text[match.start:match.end]
    prep = _PREP.search(text, max(0, match.start - 24), match.start)
    with_prep = text[prep.start():match.end] if prep else words
    return DateFact(text=words, value=value, span=(match.start, match.end), rule=match.rule.id,
                    grain=grain, text_with_prep=with_prep, tense=tense)


_CALENDAR = patterns.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def resolve_anaphoric(match: engine.Match, previous: str | None, ruleset: RuleSet) -> tuple[str | None, str]:
    """Value of "that year", "the next day", "later that month" from the date mentioned before."""
    f = match.fields
    unit = str(f.get("unit") or "day")
    part = _PARTS.get(unit)
    grain = "day" if part else unit
    m = _CALENDAR.match(previous or "")
    if not m:
        return None, grain
    shift = _int(_feature(ruleset, "anaphoric_shift", f.get("shift"))) or 0
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if grain == "year":
        return f"{y + shift:04d}", grain
    if mo is None:
        return None, grain
    if grain == "month":
        yy, mm = _add_months(y, int(mo), shift)
        return f"{yy:04d}-{mm:02d}", grain
    if d is None:
        return None, grain
    day = dt.date(y, int(mo), int(d))
    if grain == "week":
        return _iso_week(day + dt.timedelta(weeks=shift)), grain
    value = (day + dt.timedelta(days=shift)).isoformat()
    return (f"{value}T{part}" if part else value), grain


def find_dates(article: Article, ruleset: RuleSet, run: engine.Run | None = None) -> list[DateFact]:
    """Every date the article's body names, overlaps resolved longest-first, in text order.

    Rules with `set: {anaphoric: true}` ("that year", "the next day") count from the last
    calendar date before them (or the publication date when there is none).
    """
    return engine.drain(dates_steps(article, ruleset, run or engine.Run()))


def dates_steps(article: Article, ruleset: RuleSet, run: engine.Run) -> engine.Steps:
    """find_dates a rule at a time (engine.run_stage_steps)."""
    matches = yield from engine.run_stage_steps(run, ruleset.stage(STAGE), article.text, article.body_start)
    facts: list[DateFact] = []
    previous = article.date
    for m in matches:
        fact = fact_of(m, article, ruleset)
        if m.rule.set.get("anaphoric"):
            fact.value, fact.grain = resolve_anaphoric(m, previous, ruleset)
        elif fact.value and _CALENDAR.match(fact.value):
            previous = fact.value
        facts.append(fact)
    return facts


def resolve_in_sentence(article: Article, ruleset: RuleSet, start: int, end: int,
                        run: engine.Run | None = None) -> DateFact | None:
    """The first date named within text[start:end] (for meetings: "met ... on Monday")."""
    run = run or engine.Run()
    matches = engine.run_stage(run, ruleset.stage(STAGE), article.text, start, end)
    return fact_of(matches[0], article, ruleset) if matches else None
