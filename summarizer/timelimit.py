"""The time limit on each rule's patterns, kept without paying for it on every regex call.

The `regex` module's own `timeout=` reads the process clock (a system call) when a call starts and
again at its first check: about 1.5 µs a call on this project's benchmark machine, where most calls
(a pattern tried at one word) take less than that. An article makes about a thousand such calls.

So while an article is analysed in the main thread, one interval timer (SIGALRM) ticks a few times
a second, and its handler raises TimeoutError once the rule that is running has passed its
deadline. The `regex` engine checks for signals every 256 steps of its matching loop, so a runaway
pattern is stopped inside the engine, as its own timeout would stop it, and `engine._timed` reports
the rule and skips it for that article. Where a signal cannot be used (a thread other than the
main one, a platform without `setitimer`, a host program that has its own SIGALRM handler or
timer), `watching` gives None and every regex call gets `timeout=` as before.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

_LONGEST_TICK = 0.25  # seconds between checks: a runaway rule overruns its limit by at most this


class Watchdog:
    """The deadline of the rule running now (None between rules)."""

    __slots__ = ("deadline",)

    def __init__(self) -> None:
        self.deadline: float | None = None

    def on_alarm(self, signum: int, frame: Any) -> None:
        deadline = self.deadline
        if deadline is not None and time.perf_counter() > deadline:
            self.deadline = None  # one TimeoutError per rule run
            raise TimeoutError("a pattern ran past its time limit")


def _usable() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None) \
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@contextmanager
def watching(timeout: float) -> Iterator[Watchdog | None]:
    """A Watchdog ticking while the block runs, or None where signals cannot be used."""
    if timeout <= 0 or not _usable():
        yield None
        return
    dog = Watchdog()
    previous = signal.signal(signal.SIGALRM, dog.on_alarm)
    tick = max(min(timeout / 4, _LONGEST_TICK), 0.001)
    signal.setitimer(signal.ITIMER_REAL, tick, tick)
    try:
        yield dog
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)  # no tick can arrive after this...
        signal.signal(signal.SIGALRM, previous)  # ...so the default action (exit) is safe to restore
