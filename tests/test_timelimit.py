"""The time limit on rules: a timer in the main thread, each regex call's own timeout elsewhere."""
from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest
import regex

from summarizer import engine, timelimit
from summarizer.api import Summarizer

# the tests that need the timer itself: not on platforms without setitimer, nor under a host
# (such as pytest-timeout's signal mode) that already owns SIGALRM
needs_timer = pytest.mark.skipif(
    not hasattr(signal, "setitimer") or signal.getsignal(signal.SIGALRM) != signal.SIG_DFL,
    reason="no interval timer free for summarizer here")

CATASTROPHIC = regex.compile(r"(?P<name>(?:a|a)+b)")  # exponential backtracking on a run of a's
RUNAWAY_TEXT = "a" * 60 + "c"


class SlowRule:
    id = "test.slow"


def run_runaway(run: engine.Run) -> list | None:
    # a pattern run gets (string, pos, endpos, overlapped), then the limit (engine._WATCHED)
    return engine._timed(run, SlowRule, lambda *limit: list(CATASTROPHIC.finditer(RUNAWAY_TEXT, 0, None, False, *limit)))


@needs_timer
def test_the_watchdog_stops_a_runaway_pattern_and_reports_its_rule() -> None:
    run = engine.Run(timeout=0.1)
    with timelimit.watching(0.1) as dog:
        assert dog is not None
        run.watchdog = dog
        assert run_runaway(run) is None
    assert [(p["kind"], p["rule"]) for p in run.problems] == [("timeout", "test.slow")]


@needs_timer
def test_a_rule_within_its_limit_runs_to_the_end_under_the_watchdog() -> None:
    run = engine.Run(timeout=0.5)
    with timelimit.watching(0.5) as dog:
        run.watchdog = dog
        words = regex.compile(r"\w+")
        found = engine._timed(run, SlowRule, lambda *limit: [m.group() for m in words.finditer("two words", 0, None, False, *limit)])
    assert found == ["two", "words"] and run.problems == []


@needs_timer
def test_the_timer_and_the_default_handler_are_restored_after_the_block() -> None:
    with timelimit.watching(0.5) as dog:
        assert dog is not None
        assert signal.getitimer(signal.ITIMER_REAL)[1] > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


@needs_timer
def test_a_host_program_that_owns_sigalrm_keeps_it_and_calls_get_their_own_timeout() -> None:
    calls = []
    previous = signal.signal(signal.SIGALRM, lambda *_: calls.append(1))
    try:
        with timelimit.watching(0.5) as dog:
            assert dog is None
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
        run = engine.Run(timeout=0.1)  # no watchdog: regex's own timeout= still stops the pattern
        assert run_runaway(run) is None
        assert [p["rule"] for p in run.problems] == ["test.slow"]
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_there_is_no_watchdog_and_the_limit_still_holds() -> None:
    seen: dict[str, object] = {}

    def work() -> None:
        with timelimit.watching(0.1) as dog:
            seen["dog"] = dog
        sheet = Summarizer(timeout=0.5).facts("date 2024-03-05\n\nMayor Lena Dahl said the port opens in May.\n")
        seen["people"] = [p["name"] for p in sheet["people"]]
        run = engine.Run(timeout=0.1)
        run_runaway(run)
        seen["problems"] = [p["rule"] for p in run.problems]

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == {"dog": None, "people": ["Lena Dahl"], "problems": ["test.slow"]}


@needs_timer
def test_a_summarizer_in_the_main_thread_analyses_under_the_watchdog(monkeypatch) -> None:
    used = []
    real = timelimit.watching

    def spy(timeout: float):
        manager = real(timeout)
        used.append(timeout)
        return manager

    monkeypatch.setattr(timelimit, "watching", spy)
    Summarizer(timeout=0.7).facts("date 2024-03-05\n\nThe port opened on Monday.\n")
    assert used == [0.7]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@needs_timer
def test_a_host_that_stands_in_for_signal_signal_gets_no_timer(monkeypatch) -> None:
    """mod_wsgi's restricted signals: signal.signal installs nothing, so arming the timer would let
    its first tick end the process."""
    monkeypatch.setattr(signal, "signal", lambda signum, handler: signal.SIG_DFL)
    with timelimit.watching(0.5) as dog:
        assert dog is None
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@needs_timer
def test_a_handler_installed_outside_python_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(signal, "getsignal", lambda signum: None)
    with timelimit.watching(0.5) as dog:
        assert dog is None


@needs_timer
def test_where_signals_cannot_be_set_there_is_no_watchdog(monkeypatch) -> None:
    def refuse(signum, handler):
        raise ValueError("signal only works in main thread of the main interpreter")
    monkeypatch.setattr(signal, "signal", refuse)
    with timelimit.watching(0.5) as dog:
        assert dog is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


class RecordingWatchdog:
    """Stands in for the watchdog to see the deadlines the engine sets."""

    def __init__(self) -> None:
        self.set: list[float] = []
        self._deadline = None

    @property
    def deadline(self):
        return self._deadline

    @deadline.setter
    def deadline(self, value) -> None:
        self._deadline = value
        if value is not None:
            self.set.append(value)


def test_each_window_a_rule_reads_gets_the_whole_time_limit() -> None:
    from summarizer import packs
    rule = packs.build([], None).rule("figures.percent")
    text = "Sales rose 4 percent.\n\nCosts fell 2 percent.\n\nProfit rose 9 percent."
    dog = RecordingWatchdog()
    run = engine.Run(timeout=5.0, watchdog=dog)
    spans = [(0, 21), (23, 45), (47, len(text))]
    found = engine._scan(run, rule, text, spans, None)
    assert [text[m.start:m.end] for m in found] == ["4 percent", "2 percent", "9 percent"]
    assert len(dog.set) == 1 + len(spans)  # the run's own deadline, then one per window
    assert dog.deadline is None


def test_a_rule_out_of_time_is_reported_once_and_skipped_for_the_rest_of_the_article(tmp_path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "slow.yaml").write_text(
        "rules:\n  - id: test.slow-before\n    stage: attribution\n    context: before\n"
        "    pattern: '(?P<speaker>(?:a|a)+b)\\s*+$'\n", encoding="utf-8")  # possessive: read rightwards only
    stretch = "a" * 40 + "c "
    text = "date 2024-03-05\n\n" + "".join(f'{stretch}"Quote number {i} is here." ' for i in range(5)) + "\n"
    sheet = Summarizer([pack], timeout=0.05).facts(text)
    timeouts = [p for p in sheet["problems"] if p["kind"] == "timeout"]
    assert [p["rule"] for p in timeouts] == ["test.slow-before"]


@needs_timer
def test_a_pattern_run_keeps_the_gil_under_the_watchdog_and_gets_its_own_timeout_without_it() -> None:
    # the regex arguments after (string, pos, endpos): concurrent, partial, timeout
    seen: list[tuple] = []
    run = engine.Run(timeout=0.5)
    engine._timed(run, SlowRule, lambda *limit: seen.append(limit))
    with timelimit.watching(0.5) as dog:
        run.watchdog = dog
        engine._timed(run, SlowRule, lambda *limit: seen.append(limit))
    assert seen == [(None, False, 0.5), (False,)]


def test_a_fact_sheet_made_in_another_thread_is_the_one_made_in_the_main_thread() -> None:
    # there, every regex call carries its own time limit (and releases the GIL): the same matches
    text = (Path(__file__).resolve().parent.parent / "samples" / "iran-russia-2024-10-01.txt").read_text(encoding="utf-8")
    summarizer = Summarizer()
    in_thread: list[str] = []
    thread = threading.Thread(target=lambda: in_thread.append(summarizer.facts_json(text)))
    thread.start()
    thread.join()
    assert in_thread == [summarizer.facts_json(text)]
