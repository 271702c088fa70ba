"""Stage `figures`: numbers that measure something, their value and unit, what they measure and how they changed."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from . import engine, patterns
from .article import Article
from .model import Span, SpanIndex, Yield
from .packs import RuleSet

# the words after `change` ("by" and a qualifier of at most two words) are at most three:
# _may_name_change looks only at a clause's last four words, so keep them so or widen it there
_CHANGE_BEFORE = patterns.compile(
    r"(?:(?P<measure>[\p{L}][\p{L}\s'’\-]{0,60}?)\s+)?(?P<change>\p{L}+)(?:\s+by)?(?:\s+(?:some|about|around|nearly|almost|more\s+than|over|just|roughly|up\s+to|an?\s+estimated))?\s*$")
_PERIOD = patterns.compile(r"\A[\s,]*(?:in|over|within|during|for)\s+(?:the\s+(?:past|last|first|next)\s+)?(?P<period>[\w\s\-]{1,20}?(?:days?|weeks?|months?|years?|quarters?))\b")
_MEASURE_OF = patterns.compile(r"\A\s+(?:of|in)\s+(?P<measure>(?:[\p{L}'’\-]+\s*){1,5}?)(?=[,.;]|\s+(?:in|to|from|by|at|for|on|and|which|that|than|last|this|next)\b|$)")
_A_YEAR = r"(?:(?:early|mid|late)[\s\-])?(?:1[89]|20)\d\d"  # "2023", "late 1985"
_IN_YEAR = patterns.compile(r"\A[\s,]*(?:in|during)\s+(?P<period>" + _A_YEAR + r")(?![\d\p{L}])")
_TIME_PHRASE = patterns.compile(
    r"(?i)(?:(?:the|this|last|next|its|the\s+(?:first|second|third|fourth|last|past|latest|same|current))\s+)?"
    r"(?:(?:first|second|third|fourth|fiscal|calendar)\s+)?(?:half|quarter|year|month|week|period|season|decade)"
    r"|" + _A_YEAR + r"s?|q[1-4](?:\s+\d{4})?|(?:mon|tues|wednes|thurs|fri|satur|sun)day")
_PERIOD_ONLY = patterns.compile(r"(?:in|over|within|during|for|after|of)\s+(?:the\s+(?:past|last|first|next)\s+)?$", regex.IGNORECASE)
_CONJUNCTION = patterns.compile(r";|\b(?:and|but|while|whereas)\b")
_FRACTION = patterns.compile(r"(\d+)-(\d+)/(\d+)")
_WORD_SEP = patterns.compile(r"[\s\-]+")
_DETERMINER = patterns.compile(r"^(?:the|a|an|its|their|his|her)\s+", regex.IGNORECASE)
_YEAR = patterns.compile(r"(1[89]|20)\d\d")
_AGE_AFTER = patterns.compile(r"\s*(?:-|\s)?(?:years?[\s\-]old|old\b)|-year-old")
_CLAUSE_BREAK = patterns.compile(r"[,;:()“”\"]|\b(?:and|but|while|that|which|as|after|when|since|because)\b")


_LEADING_NOISE = patterns.compile(
    r"^(?:.*\b(?:said|says|told|added|noted|reported|announced|showed|shows|expects?|expected|estimated)\s+(?:that\s+)?)",
    regex.IGNORECASE)
_TRAILING_AUX = patterns.compile(
    r"(?:\s+(?:would|will|could|may|might|should|to|has|have|had|is|are|was|were|be|been|also|already|further))+$",
    regex.IGNORECASE)


@dataclass
class Figure:
    text: str
    value: float
    unit: str
    span: Span
    rule: str
    measure: str | None = None
    change: str | None = None
    period: str | None = None


def _number(text: str, rules: RuleSet, decimal: str = ".") -> float | None:
    """Digits ("1,400", "6.5", "6-1/2") or number words ("nine", "twenty-five").

    `decimal` is the decimal mark the rule declares (`set: {decimal: ","}` for "3,5 Prozent");
    the other of "." and "," then groups thousands."""
    text = text.strip()
    if decimal == ",":
        text = text.replace(".", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    frac = _FRACTION.fullmatch(text)
    if frac:
        return int(frac.group(1)) + int(frac.group(2)) / int(frac.group(3))
    try:
        return float(text.replace(",", ""))
    except ValueError:
        pass
    words = _WORD_SEP.split(text.casefold())
    lex = rules.lexicon("number_word")
    total = 0.0
    for w in words:
        entry = lex.get(w)
        if not entry:
            return None
        total += float(entry["value"])
    return total


def _scale(text: str | None, rules: RuleSet) -> float:
    """A scale word, or several that multiply ("lakh crore" is 1e5 * 1e7)."""
    if not text:
        return 1.0
    lex = rules.lexicon("scale")
    entry = lex.get(text)
    if entry:
        return float(entry["value"])
    factor = 1.0
    for word in text.split():
        entry = lex.get(word)
        if entry:
            factor *= float(entry["value"])
    return factor


def _singular(word: str) -> str:
    w = word
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "sis")) and len(w) > 2:
        return w[:-1]
    return w


def _unit_key(raw: str) -> str:
    """A currency or unit capture as the lexicons list it: "U.S. $" -> "$"."""
    return " ".join(raw.replace("U.S.", "").split()) or raw


def _unit(m: engine.Match, rules: RuleSet) -> str | None:
    raw = m.get("currency")
    if raw:
        key = _unit_key(raw)
        for lex in ("currency_symbol", "currency_word"):
            entry = rules.lexicon(lex).get(key)
            if entry:
                return str(entry["value"])
    raw = m.get("unit")
    if raw:
        entry = rules.lexicon("percent_unit").get(_unit_key(raw))
        if entry:
            return str(entry["value"])
        if raw.casefold() in rules.lexicon("not_count_noun"):
            return None
        irregular = rules.lexicon("irregular_plural").get(raw)
        if irregular:
            return str(irregular.get("unit") or irregular["text"])
        return _singular(raw.casefold() if not raw[0].isupper() else raw)
    return None


_WORDS_BACKWARDS = patterns.compile(r"(?r)\p{L}+")


def _may_name_change(clause: str, changes) -> bool:
    """Whether one of the clause's last four words is a change verb. _CHANGE_BEFORE's `change` is
    one of them (at most "by" and a two-word qualifier follow it), and this look is far cheaper
    than that search, which most clauses before a figure would fail."""
    for i, m in enumerate(_WORDS_BACKWARDS.finditer(clause)):
        if i == 4:
            return False
        if m.group() in changes:
            return True
    return False


def _context(article: Article, f: Figure, rules: RuleSet) -> None:
    text = article.text
    sa, sb = article.sentence_at(f.span[0])
    before = text[sa:f.span[0]]
    clause = _CLAUSE_BREAK.split(before)[-1] if before else ""
    changes = rules.lexicon("change_verb")
    m = _CHANGE_BEFORE.search(clause) if _may_name_change(clause, changes) else None
    if m and m.group("change") in changes:
        f.change = m.group("change")
        measure = (m.group("measure") or "").strip()
        measure = _LEADING_NOISE.sub("", measure)
        measure = _TRAILING_AUX.sub("", measure)
        measure = _DETERMINER.sub("", measure)
        f.measure = measure or None
    after = text[f.span[1]:sb]
    pm = _PERIOD.match(after) or _IN_YEAR.match(after)
    if pm:
        f.period = " ".join(pm.group("period").split())
    mm = _MEASURE_OF.match(after)
    if mm:
        words = " ".join(mm.group("measure").split())
        if _TIME_PHRASE.fullmatch(words) or words.casefold() in rules.lexicon("month"):
            f.period = f.period or words  # "$11 billion in the first half", "rose 8.4% in July": when, not what
        elif not f.measure:
            f.measure = words
    if not f.measure and f.unit not in ("percent", "percentage points", "basis points") and not f.unit.isupper():
        f.measure = f.unit


_NUMBER_OF = patterns.compile(r"\bnumber\s+of\s+(?P<noun>\p{L}+s)\b", regex.IGNORECASE)
_REACHED = patterns.compile(
    r"\b(?P<noun>\p{L}[\p{L}\-]*s)\s+(?:\p{L}+\s+){0,2}?(?:had\s+|has\s+|have\s+)?(?:topped|reached|rose\s+to|"
    r"climbed\s+to|fell\s+to|dropped\s+to|stood\s+at|totall?ed|exceeded|passed|hit|surpassed|were|are|was|is)"
    r"(?:\s+(?:about|around|nearly|almost|more\s+than|over|some|roughly))?\s*$", regex.IGNORECASE)
_POPULATION = patterns.compile(
    r"\b(?:population|inhabitants|residents)\s+of\s+(?:about|around|nearly|almost|over|more\s+than|some|roughly)?\s*$",
    regex.IGNORECASE)
_NOT_COUNT_UNITS = {"percent", "percentage points", "basis points", "day", "week", "month", "year", "quarter"}


def _unit_from_context(article: Article, start: int, before: list[Figure]) -> str | None:
    """The unit a sentence implies for a bare number (see rule figures.bare-number)."""
    sa, _ = article.sentence_at(start)
    if _POPULATION.search(article.text[sa:start]):
        return "person"  # "a population of over 3.2 million"
    for f in reversed(before):
        if sa <= f.span[0] < start and f.unit not in _NOT_COUNT_UNITS and not f.unit.isupper():
            return f.unit  # "157,000 cases and Italy 143,600"
    head = article.text[sa:start]
    m = _NUMBER_OF.search(head) or _REACHED.search(head)
    if m and m.group("noun").casefold() not in ("this", "was", "has", "is", "its", "his", "us", "as"):
        noun = m.group("noun")
        return _singular(noun if noun[0].isupper() else noun.casefold())
    return None


def find_figures(article: Article, rules: RuleSet, run: engine.Run, dates: list, trace: list[Yield]) -> list[Figure]:
    return engine.drain(figures_steps(article, rules, run, dates, trace))


def figures_steps(article: Article, rules: RuleSet, run: engine.Run, dates: list, trace: list[Yield]) -> engine.Steps:
    """find_figures a rule at a time (engine.run_stage_steps)."""
    text = article.text
    date_spans = SpanIndex([d.span for d in dates])
    matches = yield from engine.run_stage_steps(run, rules.stage("figures"), text, article.body_start)
    figures: list[Figure] = []
    for m in matches:
        if date_spans.overlap(m.start, m.end):
            continue
        decimal = str(m.rule.set.get("decimal") or ".")
        value = _number(m.get("number") or "", rules, decimal)
        unit = _unit(m, rules)
        if unit is None and m.rule.set.get("unit_from") == "context":
            unit = _unit_from_context(article, m.start, figures)
        if value is None or unit is None:
            continue
        raw_number = m.get("number") or ""
        if m.rule.id == "figures.count" and _YEAR.fullmatch(raw_number):
            continue  # a year, not a count
        tail = text[m.end:m.end + 12].casefold()
        if _AGE_AFTER.match(tail):
            continue  # an age
        factor = _scale(m.get("scale"), rules)
        values = [value * factor]
        if m.get("number2"):
            second = _number(m.get("number2"), rules, decimal)
            if second is not None:
                values.append(second * factor)
        for v in values:
            if factor != 1.0:
                # 8.2 * 1e9 is 8199999999.999999 in binary floating point: 15 significant digits
                # are what a double holds exactly, so the product is read back at that precision
                v = float(f"{v:.15g}")
            v = round(v, 6)
            f = Figure(" ".join(text[m.start:m.end].split()), int(v) if v == int(v) else v, unit,
                       (m.start, m.end), m.rule.id)
            _context(article, f, rules)
            figures.append(f)
    figures = _drop_periods(article, figures)
    for f in figures:
        fields = {"value": f.value, "unit": f.unit}
        for key in ("measure", "change", "period"):
            if getattr(f, key):
                fields[key] = getattr(f, key)
        trace.append(Yield(f.rule, "figure", f.span, fields))
    return figures


def _drop_periods(article: Article, figures: list[Figure]) -> list[Figure]:
    """'in 7 months' beside another figure in the same sentence is that figure's period, not a figure."""
    out = []
    for f in figures:
        before = article.text[max(0, f.span[0] - 30):f.span[0]]
        is_time = f.unit in ("day", "week", "month", "year", "quarter")
        if is_time and _PERIOD_ONLY.search(before):
            sent = article.sentence_at(f.span[0])
            others = [g for g in figures if g is not f and sent[0] <= g.span[0] < sent[1]
                      and g.unit not in ("day", "week", "month", "year", "quarter")
                      and not _CONJUNCTION.search(article.text[min(g.span[1], f.span[1]):max(g.span[0], f.span[0])])]
            if others:
                for g in others:
                    g.period = g.period or article.text[f.span[0]:f.span[1]]
                continue
        out.append(f)
    return out
