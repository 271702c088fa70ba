"""Compiled helper patterns, kept between runs.

The `regex` module compiles in Python, which costs milliseconds per pattern; a one-article
`summarizer facts` would spend a fifth of its time compiling the same fixed patterns every time.
Compiled patterns pickle cheaply, so they are kept in the user's cache folder (beside the compiled
rule packs) and loaded once. Only patterns written in this package's source go here, never patterns
from rule files (those live in the rule-set cache, keyed by the files that made them).
"""
from __future__ import annotations

import atexit
import os
import pickle
from pathlib import Path
from typing import Any

import regex

_cache: dict[Any, Any] | None = None
_dirty = False


def cache_dir() -> Path | None:
    if os.environ.get("SUMMARIZER_NO_CACHE"):
        return None
    base = os.environ.get("SUMMARIZER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "summarizer")
    return Path(base)


def _file() -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    from . import __version__
    return folder / f"patterns-{__version__}-{regex.__version__}.pickle"


def read_pickle(path: Path | None) -> Any:
    """What write_pickle stored at path, or None when it is missing, stale or truncated."""
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - only files write_pickle made, in our own cache folder
    except Exception:  # a stale or truncated cache is rebuilt
        return None


def write_pickle(path: Path, value: Any) -> None:
    """Atomically (a reader never sees half a file); a read-only cache folder only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def _load() -> dict[Any, Any]:
    data = read_pickle(_file())
    return data if isinstance(data, dict) else {}


def _save() -> None:
    path = _file()
    if _dirty and path is not None and _cache is not None:
        write_pickle(path, _cache)


def _opened() -> dict[Any, Any]:
    global _cache
    if _cache is None:
        _cache = _load()
        atexit.register(_save)
    return _cache


def compile(pattern: str, flags: int = 0) -> Any:  # noqa: A001 - mirrors regex.compile
    """regex.compile, from the cache when this pattern was compiled in an earlier run."""
    global _dirty
    cache = _opened()
    key = (pattern, flags)
    found = cache.get(key)
    if found is None:
        found = cache[key] = regex.compile(pattern, flags)
        _dirty = True
    return found


def remember(key: tuple, compute: Any) -> Any:
    """compute(), kept between runs under key (which must change whenever the result would)."""
    global _dirty
    cache = _opened()
    if key not in cache:
        cache[key] = compute()
        _dirty = True
    return cache[key]


# Scans of a whole text, paragraph or sentence. On a str, the `regex` module releases the GIL for
# every call and takes it back around each allocation inside the match (a match object, a piece of
# a split): in one thread that is pure cost, once 4.5% of all instructions. These pass
# concurrent=False, positionally, since regex parses keywords slowly; its order is (string, pos,
# endpos, [overlapped,] concurrent, partial, timeout). engine.py does the same for the rules.

def finditer(pattern: Any, text: str, pos: int = 0, endpos: int | None = None, overlapped: bool = False) -> Any:
    return pattern.finditer(text, pos, endpos, overlapped, False)


def findall(pattern: Any, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
    return pattern.findall(text, pos, endpos, False, False)


def split(pattern: Any, text: str) -> list[str]:
    return pattern.split(text, 0, False)


def count(pattern: Any, text: str) -> int:
    """How many times pattern matches in text (as len(findall) would say): counted by a
    substitution, which makes no string for each match."""
    return pattern.subn("", text, 0, 0, None, False)[1]
