"""The time limit on rules: a timer in the main thread, each regex call's own timeout elsewhere."""
from __future__ import annotations

import signal
import threading

import pytest
import regex

from summarizer import engine, timelimit
from summarizer.api import Summarizer

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers on this platform")

CATASTROPHIC = regex.compile(r"(?P<name>(?:a|a)+b)")  # exponential backtracking on a run of a's
RUNAWAY_TEXT = "a" * 60 + "c"


class SlowRule:
    id = "test.slow"


def run_runaway(run: engine.Run) -> list | None:
    return engine._timed(run, SlowRule, lambda **kw: list(CATASTROPHIC.finditer(RUNAWAY_TEXT, **kw)))


def test_the_watchdog_stops_a_runaway_pattern_and_reports_its_rule() -> None:
    run = engine.Run(timeout=0.1)
    with timelimit.watching(0.1) as dog:
        assert dog is not None
        run.watchdog = dog
        assert run_runaway(run) is None
    assert [(p["kind"], p["rule"]) for p in run.problems] == [("timeout", "test.slow")]


def test_a_rule_within_its_limit_runs_to_the_end_under_the_watchdog() -> None:
    run = engine.Run(timeout=0.5)
    with timelimit.watching(0.5) as dog:
        run.watchdog = dog
        found = engine._timed(run, SlowRule, lambda **kw: [m.group() for m in regex.finditer(r"\w+", "two words", **kw)])
    assert found == ["two", "words"] and run.problems == []


def test_the_timer_and_the_default_handler_are_restored_after_the_block() -> None:
    with timelimit.watching(0.5) as dog:
        assert dog is not None
        assert signal.getitimer(signal.ITIMER_REAL)[1] > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


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
