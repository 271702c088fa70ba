"""Run compiled rules over text under a time limit, and resolve overlaps deterministically."""
from __future__ import annotations

import bisect
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Iterable

from .anchors import Windows, between
from .packs import LazyPattern, Rule, RuleSet
from .timelimit import Watchdog

DEFAULT_TIMEOUT = 2.0  # seconds a single pattern may run on one article
ANCHOR_SCAN = "(anchor scan)"  # the timings entry for finding the rules' anchors (not a rule id)


@dataclass(slots=True)
class Match:
    """What one rule matched: its span and the named groups that took part. (Not frozen: a frozen
    dataclass's __init__ costs a microsecond, and the engine makes tens of thousands; nothing
    changes a Match once made.)"""

    rule: Rule
    start: int
    end: int
    groups: dict[str, tuple[str, int, int]]

    def get(self, name: str) -> str | None:
        g = self.groups.get(name)
        return g[0] if g else None

    def span_of(self, name: str) -> tuple[int, int] | None:
        g = self.groups.get(name)
        return (g[1], g[2]) if g else None

    @property
    def fields(self) -> dict[str, Any]:
        """Constant fields from the rule's `set:`, then the captured text, which wins."""
        return {**self.rule.set, **{k: v[0] for k, v in self.groups.items()}}

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Run:
    """Per-article state shared by the stages: problems found, and time spent per rule."""

    timeout: float = DEFAULT_TIMEOUT
    problems: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] | None = None
    trigger_hits: dict[Any, Any] = field(default_factory=dict)
    windows: Windows | None = None  # where each anchor occurs in the article (see prepare)
    watchdog: Watchdog | None = None  # limits each rule's time by a timer (timelimit.py), if it can
    memo: dict[str, Any] = field(default_factory=dict)  # what one stage found that a later one reuses
    timed_out: set[str] = field(default_factory=set)  # rules out of time: skipped for the rest of the article

    def prepare(self, rules: RuleSet, text: str, spans: list[tuple[int, int]]) -> None:
        """Find every rule's anchors in the article once, so each rule runs only in the paragraphs
        (`spans`) that hold them, rather than scanning the whole text."""
        if rules.scanner is None or not spans:
            self.windows = None
            return
        t0 = time.perf_counter() if self.timings is not None else 0.0
        self.windows = Windows(text, spans, rules.scanner)
        if self.timings is not None:
            self.timings[ANCHOR_SCAN] = self.timings.get(ANCHOR_SCAN, 0.0) + time.perf_counter() - t0

    def anchored(self, rule: Rule, text: str) -> Windows | None:
        w = self.windows
        return w if (rule.anchors or rule.first or rule.near) and w is not None and w.text is text else None

    def problem(self, kind: str, message: str, span: tuple[int, int] | None = None, rule: str | None = None) -> None:
        entry: dict[str, Any] = {"kind": kind, "message": message}
        if span is not None:
            entry["span"] = [span[0], span[1]]
        if rule:
            entry["rule"] = rule
        self.problems.append(entry)


def _compiled(pattern: Any) -> Any:
    """The regex behind a LazyPattern, so hot loops skip its attribute forwarding."""
    if type(pattern) is LazyPattern:
        return pattern._pattern or pattern._get()  # once unpickled, no call
    return pattern


def _groups(m: Any) -> dict[str, tuple[str, int, int]]:
    return _groups_at(m.string, m.regs, tuple(m.re.groupindex.items()))


def _renew(run: Run) -> None:
    """A new window (a paragraph, a sentence) gets the whole time limit, as a regex call does."""
    dog = run.watchdog
    if dog is not None:
        dog.deadline = time.perf_counter() + run.timeout


# What every regex call gets after (string, pos, endpos[, overlapped]) under the watchdog (in the
# main thread): `concurrent` False, positionally, which makes a call about an eighth cheaper (why:
# patterns.finditer). Without it, a call gets (concurrent None, partial False, its own timeout).
_WATCHED = (False,)


def _timed(run: Run, rule: Rule, func, *args):
    """func(*args, *limit), its pattern runs limited to run.timeout each: by the run's watchdog when
    it has one (timelimit.py; loops over windows renew the deadline per window), else by each regex
    call's own timeout, which `limit` then carries. A rule out of time is reported
    once and skipped for the rest of the article."""
    dog = run.watchdog
    t0 = time.perf_counter() if run.timings is not None or dog is not None else 0.0
    try:
        if dog is None:
            # no watchdog, mostly another thread: the GIL is released (concurrent None) so that
            # threads may match at once; then partial, and the time limit
            return func(*args, None, False, run.timeout)
        dog.deadline = t0 + run.timeout
        try:
            return func(*args, *_WATCHED)
        finally:
            dog.deadline = None  # first, so that no tick after the rule raises outside it
    except TimeoutError:
        if rule.id not in run.timed_out:
            run.timed_out.add(rule.id)
            run.problem("timeout", f"rule {rule.id} ran longer than {run.timeout}s and was skipped for this "
                        "article; simplify its pattern", rule=rule.id)
        return None
    finally:
        if run.timings is not None:
            run.timings[rule.id] = run.timings.get(rule.id, 0.0) + time.perf_counter() - t0


_BOUND_FROM = 4  # starts in a span from which the last start worth trying is looked up (it costs a few bisects)


def _scan(run: Run, rule: Rule, text: str, spans: list[tuple[int, int]], starts: list[int] | None,
          w: Windows | None = None) -> list[Match]:
    """Every non-overlapping match of one rule in each span, as finditer finds them. With `starts`
    (where every match must start), the pattern is tried only there, leftmost first, each match
    resuming the search after its end. One timed run for all the spans: the time limit is the rule's.
    `w`: the article's anchors (run.anchored), which bound the starts tried in a span."""
    if not spans:
        return []
    pattern = _compiled(rule.compiled)
    if starts is None or not rule.anchors:
        w = None
    elif w is None:
        w = run.anchored(rule, text)

    def scan(*limit):
        found: list[Any] = []
        if starts is None:
            for a, b in spans:
                _renew(run)
                found.extend(m for m in pattern.finditer(text, a, b, False, *limit) if m.end() > m.start())
            return found
        match = pattern.match
        watched = limit == _WATCHED  # then a plain call, without a tuple built for each
        for a, b in spans:
            resume = a
            lo = bisect.bisect_left(starts, a)
            hi = bisect.bisect_left(starts, b, lo)
            if w is not None and hi - lo > _BOUND_FROM:  # none starts after the last anchor of a clause
                hi = bisect.bisect_right(starts, w.last_start(rule.anchors, a, b), lo, hi)
            if hi <= lo:
                continue
            _renew(run)
            for p in starts[lo:hi]:
                if p < resume:  # inside the last match, or a start listed twice
                    continue
                resume = p + 1
                m = match(text, p, b, False) if watched else match(text, p, b, *limit)
                if m is not None and m.end() > p:
                    found.append(m)
                    resume = m.end()
        return found
    found = _timed(run, rule, scan)
    if not found:
        return []
    slots = tuple(pattern.groupindex.items())
    return [Match(rule, m.start(), m.end(), _groups_at(text, m.regs, slots)) for m in found]


def _groups_at(text: str, regs: tuple[tuple[int, int], ...], slots: tuple[tuple[str, int], ...]
               ) -> dict[str, tuple[str, int, int]]:
    """_groups, from a match's spans and the pattern's (name, index) pairs."""
    out = {}
    for name, i in slots:
        start, end = regs[i]
        if start >= 0:
            out[name] = (text[start:end], start, end)
    return out


def _absent(run: Run, rule: Rule, text: str, pos: int, endpos: int, w: Windows | None) -> bool:
    """A rule read in a window (before or after a quotation) is tried only where its anchors and
    trigger occur (and not at all once it has run out of time on this article). w: run.anchored."""
    if rule.id in run.timed_out:
        return True
    if w is not None and not w.any_in(rule.anchors, pos, endpos):
        return True
    return rule.trigger_compiled is not None and not _trigger_hits(run, rule, text, [(pos, endpos)], first_only=True)


def _trigger_hits(run: Run, rule: Rule, text: str, windows: list[tuple[int, int]],
                  first_only: bool = False) -> list[int] | None:
    """Where the rule's trigger matches in each window (finditer's starts), tried only where it
    can start when its pattern says so."""
    trigger = _compiled(rule.trigger_compiled)
    w = run.windows if run.windows is not None and run.windows.text is text else None
    starts = w.starts(rule.trigger_first) if w is not None and rule.trigger_first else None

    def scan(*limit):
        found: list[int] = []
        watched = limit == _WATCHED
        for pos, endpos in windows:
            if starts is None:
                _renew(run)
                if first_only:
                    m = trigger.search(text, pos, endpos, *limit)
                    if m:
                        return [m.start()]
                    continue
                found.extend(m.start() for m in trigger.finditer(text, pos, endpos, False, *limit))
                continue
            tried = between(starts, pos, endpos)
            if not tried:  # no regex runs here: the time limit needs no renewing
                continue
            _renew(run)
            resume = pos
            for p in tried:
                if p < resume:  # inside the last hit, or a start listed twice
                    continue
                resume = p + 1
                m = trigger.match(text, p, endpos, False) if watched else trigger.match(text, p, endpos, *limit)
                if m is not None:
                    found.append(p)
                    if first_only:
                        return found
                    resume = max(m.end(), resume)
        return found
    return _timed(run, rule, scan)  # None: out of time


def match_at(run: Run, rule: Rule, text: str, pos: int, endpos: int) -> Match | None:
    """A match that starts exactly at pos (for rules read after a quotation)."""
    if _absent(run, rule, text, pos, endpos, run.anchored(rule, text)):
        return None
    m = _timed(run, rule, _compiled(rule.compiled).match, text, pos, endpos)
    return Match(rule, m.start(), m.end(), _groups(m)) if m else None


def match_ending(run: Run, rule: Rule, text: str, pos: int, endpos: int,
                 latest_start: int | None = None) -> Match | None:
    """The match from the leftmost start in text[pos:endpos] whose match (the first the pattern
    finds from that start) ends exactly at endpos (rules read before a quotation); with
    `latest_start`, only a start there or earlier. Rules ruled out first by their ReverseCheck."""
    w = run.anchored(rule, text)
    if _absent(run, rule, text, pos, endpos, w):
        return None
    check = rule.reverse
    if check is not None and check.worth_asking() and not _timed(run, rule, check.may_end_at, text, pos, endpos):
        return None

    starts = w.starts(rule.first, rule.leads) if w is not None and rule.first else None
    pattern = _compiled(rule.compiled)
    last = endpos if latest_start is None else min(latest_start, endpos)
    if w is not None and rule.anchors:  # a match holds an anchor of every clause: it starts by the last one
        last = min(last, w.last_start(rule.anchors, pos, endpos))
        if last < pos:
            return None

    def search(*limit):
        watched = limit == _WATCHED
        if starts is not None or last < endpos:  # the positions a match can start at, in order
            tried = between(starts, pos, last + 1) if starts is not None else range(pos, last + 1)
            before = -1
            for p in tried:
                if p == before:  # a start listed twice
                    continue
                before = p
                m = pattern.match(text, p, endpos, False) if watched else pattern.match(text, p, endpos, *limit)
                if m is not None and m.end() == endpos:
                    return m
            return None
        for m in pattern.finditer(text, pos, endpos, True, *limit):  # overlapped
            if m.end() == endpos:
                return m
        return None
    m = _timed(run, rule, search)
    return Match(rule, m.start(), m.end(), _groups(m)) if m else None


def select(matches: Iterable[Match]) -> list[Match]:
    """Non-overlapping matches: longest first, then higher priority, then earlier rule; sorted by position."""
    chosen: list[Match] = []
    starts: list[int] = []  # the chosen spans, disjoint and sorted, so one bisect finds any overlap
    ends: list[int] = []
    for m in sorted(matches, key=lambda m: (-m.length, -m.rule.priority, m.rule.index, m.start)):
        i = bisect.bisect_right(starts, m.start)
        if (i and ends[i - 1] > m.start) or (i < len(starts) and starts[i] < m.end):
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


def _windows(run: Run, rule: Rule, text: str, pos: int, endpos: int, w: Windows | None) -> list[tuple[int, int]]:
    """Where a rule can match: the paragraphs holding its anchors, else all of text[pos:endpos]
    (w: the article's anchors, run.anchored)."""
    cnf = rule.near or rule.anchors
    if w is None or not cnf:  # a rule with only first anchors is tried at them, in the whole text
        return [(pos, endpos)]
    found = w.spans_for(cnf)
    if not found or (pos <= found[0][0] and found[-1][1] <= endpos):  # the spans are sorted and apart
        return found
    return [(max(a, pos), min(b, endpos)) for a, b in found if max(a, pos) < min(b, endpos)]


def _matches(run: Run, rule: Rule, text: str, pos: int, endpos: int,
             sentences: list[tuple[int, int]] | None) -> list[Match]:
    """A rule runs only where it can match: in the paragraphs that hold its anchors, and if it has
    a `trigger`, only on the sentences there where the trigger occurs (a cheap search first, so
    that costly patterns never scan text that cannot hold a match)."""
    if rule.id in run.timed_out:
        return []
    w = run.anchored(rule, text)
    windows = _windows(run, rule, text, pos, endpos, w)
    if not windows:  # no paragraph holds the rule's anchors
        return []
    starts = w.starts(rule.first, rule.leads) if w is not None and rule.first else None
    if rule.trigger_compiled is None or not sentences:
        return _scan(run, rule, text, windows, starts, w)
    hits = _shared_trigger_hits(run, rule, text, windows)
    if not hits:
        return []
    chosen: list[tuple[int, int]] = []
    last = -1
    for hit in hits:  # the sentence holding each hit, once, in order
        k = bisect.bisect_right(sentences, (hit, math.inf)) - 1
        if k > last and hit < sentences[k][1]:
            last = k
            a, b = sentences[k]
            if b > pos and a < endpos:
                chosen.append((max(a, pos), min(b, endpos)))
    return _scan(run, rule, text, chosen, starts, w)


def _shared_trigger_hits(run: Run, rule: Rule, text: str, windows: list[tuple[int, int]]) -> list[int]:
    """Where the rule's trigger matches in the windows; rules that share a trigger share its scan
    of each window (a paragraph), whatever other windows each of them reads."""
    if run.trigger_hits.get("text") is not text:
        run.trigger_hits = {"text": text}
    per_window = run.trigger_hits.setdefault((rule.trigger, rule.flags), {})
    missing = [w for w in windows if w not in per_window]
    if missing:
        found = _trigger_hits(run, rule, text, missing)
        if found is None:  # out of time: not kept, so each rule sharing the trigger reports its own
            return []
        for w in missing:  # the windows are in order and apart: each takes the hits inside it
            per_window[w] = between(found, w[0], w[1])
    if len(windows) == 1:
        return per_window[windows[0]]
    return [hit for w in windows for hit in per_window[w]]


Steps = Generator[None, None, Any]  # work done a rule at a time; `return`s its result (see drain)


def run_stage(run: Run, rules: Iterable[Rule], text: str, pos: int = 0, endpos: int | None = None,
              emit: str | None = None, keep: Callable[[Match], Match | None] | None = None,
              sentences: list[tuple[int, int]] | None = None) -> list[Match]:
    """All matches of a stage's `text` rules (optionally only those that emit one kind), overlaps resolved.

    `keep` sees each match before overlaps are resolved and may drop it (None) or return a narrower
    one, so that a long but invalid match ("But David Frost") does not hide a valid shorter one."""
    return drain(run_stage_steps(run, rules, text, pos, endpos, emit, keep, sentences))


def run_stage_steps(run: Run, rules: Iterable[Rule], text: str, pos: int = 0, endpos: int | None = None,
                    emit: str | None = None, keep: Callable[[Match], Match | None] | None = None,
                    sentences: list[tuple[int, int]] | None = None) -> Steps:
    """run_stage, pausing after each rule: several articles advanced in turn (api._analyze_many)
    run one rule over all of them before the next, while its pattern is in the CPU's caches."""
    found: list[Match] = []
    endpos = len(text) if endpos is None else endpos
    for rule in rules:
        if rule.context != "text" or (emit is not None and (rule.emit or rule.set.get("emit")) != emit):
            continue
        for m in _matches(run, rule, text, pos, endpos, sentences):
            m = keep(m) if keep is not None else m
            if m is not None:
                found.append(m)
        yield
    return select(found)


def drain(steps: Steps) -> Any:
    """Run steps to the end, for one article alone; what they return."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
