"""The time limit on each rule's patterns, kept without paying for it on every regex call.

The `regex` module's own `timeout=` reads the process clock (a system call) when a call starts and
again at its first check: about 1.5 µs a call on this project's benchmark machine, where most calls
(a pattern tried at one word) take less than that. An article makes about a thousand such calls.

So while an article is analysed in the main thread, one interval timer (SIGALRM) ticks a few times
a second, and its handler raises TimeoutError once the pattern run going on has passed its
deadline. The engine sets that deadline for each window a rule reads (a paragraph, a sentence, the
words around a quotation), so the limit means what a regex call's own timeout meant. The `regex`
engine checks for signals every 256 steps of its matching loop, so a runaway pattern is stopped
inside the engine, and `engine._timed` reports the rule and skips it for the rest of the article.
Where a signal cannot be used (a thread other than the main one, a sub-interpreter, a platform
without `setitimer`, a host program that has its own SIGALRM handler or timer, or one that stands
in for `signal.signal`), `watching` gives None and every regex call gets `timeout=` as before.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

_LONGEST_TICK = 0.25  # seconds between checks: a runaway rule overruns its limit by at most this


class Watchdog:
    """The deadline of the pattern run going on now (None between runs)."""

    __slots__ = ("deadline",)

    def __init__(self) -> None:
        self.deadline: float | None = None

    def on_alarm(self, signum: int, frame: Any) -> None:
        deadline = self.deadline
        if deadline is not None and time.perf_counter() > deadline:
            # the deadline stays set: should code inside the run swallow this error, the next tick
            # raises again; engine._timed clears it once the run is over
            raise TimeoutError("a pattern ran past its time limit")


def _usable() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    try:
        return signal.getsignal(signal.SIGALRM) == signal.SIG_DFL \
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    except (ValueError, OSError):
        return False


@contextmanager
def watching(timeout: float) -> Iterator[Watchdog | None]:
    """A Watchdog ticking while the block runs, or None where signals cannot be used: then each
    regex call must get its own `timeout=`."""
    if timeout <= 0 or not _usable():
        yield None
        return
    dog = Watchdog()
    handler = dog.on_alarm
    installed = armed = False
    try:
        try:
            signal.signal(signal.SIGALRM, handler)
            installed = True
            # a host may stand in for signal.signal (mod_wsgi's restricted signals): arm the timer
            # only if our handler is really the one in place, or the first tick would end the process
            if signal.getsignal(signal.SIGALRM) is handler:
                tick = max(min(timeout / 4, _LONGEST_TICK), 0.001)
                signal.setitimer(signal.ITIMER_REAL, tick, tick)
                armed = True
        except (ValueError, OSError, TypeError):  # e.g. a sub-interpreter: signals belong to the main one
            pass
        yield dog if armed else None
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)  # no tick can arrive after this...
        if installed:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)  # ...so the default action is safe to restore
