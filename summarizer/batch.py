"""`summarizer batch`: fact sheets for a whole corpus, streamed, resumable, in parallel.

Inputs stream through in chunks of api.CHUNK articles (load_inputs is a generator; a chunk is analysed
together, stage by stage, which is faster than an article at a time) and each fact sheet is written
as soon as its chunk is done, so memory stays flat however many articles pass. An article that
cannot be read or processed becomes an error record `{id, source, error}` and the run goes on.
Re-running with the same --out skips every id the output already holds a fact sheet for; error
records are retried. With --jobs N a process pool runs the chunks; every worker builds its
Summarizer once.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from .cli import DEFAULT_MAX_MB
from .errors import ArticleError, SummarizerError

JSONL_SUFFIXES = (".jsonl", ".ndjson")
_UNSAFE = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) in "._-"))


@dataclass(frozen=True)
class Outcome:
    """What became of one article: a fact sheet line, or an error record line."""

    id: str
    source: str
    line: str  # one JSON object, no newline
    failed: bool
    weight: int  # input bytes this article stands for, for the progress bar


@dataclass(frozen=True)
class LoadFailure:
    """An input that could not be loaded, in a form that crosses process boundaries (exceptions may not)."""

    id: str
    source: str
    message: str

    @classmethod
    def of(cls, exc: ArticleError) -> "LoadFailure":
        """The id the article would have had: a JSONL line is `file:line`, any other input its file."""
        per_line = exc.line and (exc.record or Path(exc.source).suffix.lower() in JSONL_SUFFIXES)
        return cls(f"{exc.source}:{exc.line}" if per_line else exc.source, exc.source, str(exc))


@dataclass(frozen=True)
class Options:
    """What every worker needs to build its own Summarizer."""

    rules: tuple[str, ...]
    region: str | None
    timeout: float
    template: str | None


def register(subparsers: Any) -> None:
    from .cli import add_rule_options
    p = subparsers.add_parser(
        "batch", help="fact sheets for many articles: JSONL or a file per article, resumable",
        description="Write one fact sheet per article. An article that fails becomes an error record "
                    "{id, source, error} and the run goes on; re-running skips ids already written.",
        epilog="Exit codes: 0 all done, 1 some articles failed, 2 usage or rule errors.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, globs, JSONL files, or - for stdin")
    p.add_argument("--out", required=True, metavar="DIR|FILE.jsonl",
                   help="a .jsonl file (one fact sheet per line, appended) or a folder (one .json file per article)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="worker processes (default 1; 0 means one per CPU)")
    p.add_argument("--template", metavar="FILE", help="render each fact sheet with your own Jinja template")
    p.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB, metavar="MB",
                   help=f"an article with more text than this is an error record, not a stall (default {DEFAULT_MAX_MB:g})")
    add_rule_options(p)
    p.set_defaults(func=cmd_batch)


# ---------------------------------------------------------------------------------------------
# Outputs


def _error_record(art_id: str, source: str, error: str) -> str:
    return json.dumps({"id": art_id, "source": source, "error": error}, ensure_ascii=False)


_OUTPUT_NAME = re.compile(r"--[0-9a-f]{10}(?:\.error)?\.json\Z")
_STEM_BYTES = 120  # with the hash, ".error.json" and a temporary name's ".<pid>.tmp", well under 255 bytes


def file_name(art_id: str) -> str:
    """A safe, collision-free file name for an id: readable stem plus a short hash of the whole id.
    The stem is the id's last 80 characters, cut further to 120 bytes of UTF-8: file systems count
    bytes, and 80 CJK characters are 240 of them."""
    stem = art_id.translate({ord(c): "_" for c in _UNSAFE}).strip("._")[-80:] or "article"
    if len(stem.encode("utf-8", "replace")) > _STEM_BYTES:  # only then: the names of other ids stay as they were
        stem = stem.encode("utf-8", "replace")[-_STEM_BYTES:].decode("utf-8", "ignore").strip("._") or "article"
    return f"{stem}--{hashlib.sha256(art_id.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


class JsonlOutput:
    """Append fact sheets to one JSONL file; on open, remember the ids done and drop old error records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[str] = set()
        self.errors_dropped = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self.resolved = path.resolve()  # to tell this file among the inputs
        if path.exists():
            self._resume()
        self.fh: TextIO = path.open("a", encoding="utf-8", newline="\n")

    def _resume(self) -> None:
        """Stream the old output once: keep fact sheets, drop error records (they are retried) and a torn last line."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        rewrite = False
        with self.path.open("r", encoding="utf-8", errors="replace", newline="\n") as src, \
                tmp.open("w", encoding="utf-8", newline="\n") as dst:
            for raw in src:
                try:
                    record = json.loads(raw) if raw.endswith("\n") else None
                except json.JSONDecodeError:
                    record = None
                if not isinstance(record, dict) or "error" in record or not _record_id(record):
                    rewrite = True
                    self.errors_dropped += isinstance(record, dict) and "error" in record
                    continue
                self.done.add(_record_id(record))
                dst.write(raw)
        if rewrite:
            os.replace(tmp, self.path)
        else:
            tmp.unlink()

    def has(self, art_id: str) -> bool:
        return art_id in self.done

    def owns(self, path: Path) -> bool:
        """Whether a (resolved) file is this output or one of its temporary copies."""
        target = self.resolved
        return path == target or (path.parent == target.parent and path.name.startswith(f".{target.name}."))

    def write(self, outcome: Outcome) -> None:
        self.fh.write(outcome.line + "\n")
        self.fh.flush()  # a killed run loses at most the articles in hand (a chunk of api.CHUNK)
        if not outcome.failed:
            self.done.add(outcome.id)

    def close(self) -> None:
        self.fh.close()


class DirOutput:
    """One `<name>.json` per article (an error record in `<name>.error.json`), each written atomically."""

    def __init__(self, path: Path) -> None:
        if path.exists() and not path.is_dir():
            raise SummarizerError(f"{path}: --out must be a folder or a file ending in .jsonl")
        path.mkdir(parents=True, exist_ok=True)
        self.path, self.resolved = path, path.resolve()

    def has(self, art_id: str) -> bool:
        return (self.path / f"{file_name(art_id)}.json").is_file()

    def owns(self, path: Path) -> bool:
        """Whether a (resolved) file is one this output wrote: STEM--HASH.json or STEM--HASH.error.json
        at its top (its temporary files are dot files, which are never inputs); anything else in the
        folder, or below it, is the user's."""
        return path.parent == self.resolved and bool(_OUTPUT_NAME.search(path.name))

    def write(self, outcome: Outcome) -> None:
        name = file_name(outcome.id)
        target = self.path / f"{name}.error.json" if outcome.failed else self.path / f"{name}.json"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(outcome.line + "\n", encoding="utf-8")
        os.replace(tmp, target)
        if not outcome.failed:
            (self.path / f"{name}.error.json").unlink(missing_ok=True)

    def close(self) -> None:
        pass


def _record_id(record: dict[str, Any]) -> str | None:
    """The id of an output line: a fact sheet's article.id, or an error record's id."""
    art = record.get("article")
    value = art.get("id") if isinstance(art, dict) else record.get("id")
    return str(value) if value is not None else None


def open_output(out: str) -> JsonlOutput | DirOutput:
    path = Path(out)
    return JsonlOutput(path) if path.suffix.lower() in JSONL_SUFFIXES else DirOutput(path)


# ---------------------------------------------------------------------------------------------
# Work: one Summarizer per process, built once


_WORKER: Any = None
_WORKER_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    global _WORKER, _WORKER_OPTIONS
    from .api import Summarizer
    _WORKER = Summarizer(options.rules, region=options.region, timeout=options.timeout)
    _WORKER_OPTIONS = options


def _init_pool_worker(options: Options) -> None:
    """A pool worker: _init_worker, deaf to SIGINT. A terminal's Ctrl-C reaches the whole process
    group; a worker stopped by it while sending a result leaves half a message on the pool's pipe,
    and the pool's exit then waits for the rest for ever. The run ends its workers itself."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_worker(options)


def process(item: tuple[Any, int]) -> Outcome:
    """Fact sheet of one Article (or the error record of one that failed to load); never raises."""
    return process_many([item])[0]


def process_many(items: list[tuple[Any, int]]) -> list[Outcome]:
    """process() for several articles at once, analysed together (Summarizer.facts_of_chunk: faster
    than one at a time); each article's outcome is what process() gives it alone."""
    sheets = iter(_WORKER.facts_of_chunk([art for art, _ in items if not isinstance(art, LoadFailure)]))
    return [_outcome(art, weight, None if isinstance(art, LoadFailure) else next(sheets)) for art, weight in items]


def _outcome(art: Any, weight: int, sheet: dict[str, Any] | Exception | None) -> Outcome:
    """The output line of one article: its fact sheet rendered, or its error record."""
    from . import render
    if isinstance(art, LoadFailure):
        return Outcome(art.id, art.source, _error_record(art.id, art.source, art.message), True, weight)
    template = _WORKER_OPTIONS.template if _WORKER_OPTIONS else None
    try:
        if isinstance(sheet, Exception):
            raise sheet
        text = render.facts_json(sheet, template)
        line = json.dumps(json.loads(text), ensure_ascii=False)
        return Outcome(art.id, art.source, line, False, weight)
    except SummarizerError as exc:
        message = str(exc)
    except RecursionError:
        message = "the article is nested too deeply to analyse (recursion limit); split or simplify it"
    except Exception as exc:  # noqa: BLE001 - one bad article must not end a run of millions
        message = f"internal error {type(exc).__name__}: {exc}; please report it with this article"
    return Outcome(art.id, art.source, _error_record(art.id, art.source, f"{art.source}: {message}"), True, weight)


def _text_of(item: tuple[Any, int]) -> str:
    """The text an item of the work list holds (none for a load failure)."""
    return getattr(item[0], "text", "")


def _inputs(inputs: list[str], output: JsonlOutput | DirOutput) -> Iterator[str | ArticleError]:
    """expand_inputs without the run's own output: an output inside an input folder was read back
    as input, and each error record it made was read back again, without end."""
    from .article import expand_inputs
    for item in expand_inputs(inputs):
        if isinstance(item, ArticleError) or item == "-" or not output.owns(Path(item).resolve()):
            yield item


def _weighted(inputs: list[str], output: JsonlOutput | DirOutput) -> Iterator[tuple[Any, int]]:
    """Articles and load errors with the input bytes each stands for (a file's bytes are shared out)."""
    from .article import iter_jsonl, load_bytes
    for item in _inputs(inputs, output):
        if isinstance(item, ArticleError):
            yield item, 0
            continue
        if item != "-" and Path(item).suffix.lower() in JSONL_SUFFIXES:
            try:
                yield from iter_jsonl(item)
            except OSError as exc:
                yield ArticleError(item, f"cannot read: {exc.strerror or exc}"), 0
            continue
        if item == "-":
            data, source = sys.stdin.buffer.read(), "<stdin>"
        else:
            try:
                data, source = Path(item).read_bytes(), item
            except OSError as exc:
                yield ArticleError(item, f"cannot read: {exc.strerror or exc}"), 0
                continue
        left = len(data)
        pending: Any = None
        for art in load_bytes(data, source):
            if pending is not None:
                share = min(left, len(pending.text.encode("utf-8", "replace"))) \
                    if not isinstance(pending, ArticleError) else 0
                left -= share
                yield pending, share
            pending = art
        del data
        if pending is not None:
            yield pending, left


def _total_bytes(inputs: list[str], output: JsonlOutput | DirOutput) -> int:
    total = 0
    for item in _inputs(inputs, output):
        if isinstance(item, str) and item != "-":
            try:
                total += os.stat(item).st_size
            except OSError:
                pass
    return total


# ---------------------------------------------------------------------------------------------
# Progress: a bar with rate and ETA on a terminal, nothing otherwise


class Progress:
    def __init__(self, stream: TextIO, total_bytes: int, enabled: bool) -> None:
        self.stream, self.total, self.enabled = stream, total_bytes, enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.done = self.failed = self.skipped = 0
        self.bytes = 0

    def update(self, outcome: Outcome | None, weight: int = 0, force: bool = False) -> None:
        if outcome is not None:
            self.failed += outcome.failed
            self.done += not outcome.failed
            weight = outcome.weight
        self.bytes += weight
        now = time.monotonic()
        if self.enabled and (force or now - self.last >= 0.2):
            self.last = now
            self.stream.write("\r" + self.bar(now) + "\x1b[K")
            self.stream.flush()

    def bar(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = (self.done + self.failed) / elapsed
        frac = min(self.bytes / self.total, 1.0) if self.total else 0.0
        eta = _duration(elapsed * (1 - frac) / frac) if frac > 0 else "?"
        filled = int(frac * 24)
        return (f"[{'#' * filled}{'.' * (24 - filled)}] {frac:4.0%} {self.done} done, {self.failed} failed, "
                f"{self.skipped} skipped | {rate:.1f} articles/s {self.bytes / elapsed / 1e6:.2f} MB/s | "
                f"ETA {eta}")

    def finish(self) -> str:
        if self.enabled:
            self.stream.write("\r\x1b[K")
        elapsed = time.monotonic() - self.start
        rate = (self.done + self.failed) / elapsed if elapsed > 0 else 0.0
        return (f"batch: {self.done} done, {self.failed} failed, {self.skipped} skipped "
                f"in {_duration(elapsed)} ({rate:.1f} articles/s)")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


# ---------------------------------------------------------------------------------------------


def _bounded(items: Iterable[Any], window: threading.Semaphore, stop: threading.Event) -> Iterator[Any]:
    """Hold the pool's feeder back: Pool.imap would otherwise read the whole corpus ahead into memory."""
    for item in items:
        while not window.acquire(timeout=0.2):
            if stop.is_set():  # the run was interrupted: let the pool's feeder thread end
                return
        yield item


def run(inputs: list[str], out: str, options: Options, jobs: int = 1, stderr: TextIO | None = None,
        progress: bool | None = None, max_mb: float = DEFAULT_MAX_MB) -> Progress:
    """Process inputs into out; returns the counts. Rule errors raise before any article is read."""
    from . import api  # a chunk of articles at a time (api.chunks); not at import: `check` needs no stages
    stderr = stderr or sys.stderr
    _init_worker(options)  # fail early on a broken pack or template, in this process
    if options.template:
        from . import render
        render._template(render.FORMATS["json"], options.template)  # a broken template fails before the run
    output = open_output(out)
    enabled = stderr.isatty() if progress is None else progress
    bar = Progress(stderr, _total_bytes(inputs, output) if enabled else 0, enabled)
    seen: dict[str, str] = {}  # id -> source, for this run

    def todo() -> Iterator[tuple[Any, int]]:
        for art, weight in _weighted(inputs, output):
            if isinstance(art, ArticleError):
                yield LoadFailure.of(art), weight
                continue
            art_id = art.id
            if len(art.text) > max_mb * 1e6:
                yield LoadFailure(art_id, art.source, f"{art.source}: the article holds {len(art.text) / 1e6:.1f} "
                                  f"million characters, over --max-mb {max_mb:g}; split it, or raise --max-mb"), weight
                continue
            if seen.get(art_id, art.source) != art.source:
                yield LoadFailure(art_id, art.source, f"{art.source}: id {art_id!r} is also the id of "
                                  f"{seen[art_id]}; give each article a unique id (an id field or front "
                                  "matter)"), weight
                continue
            listed = art_id in seen
            seen[art_id] = art.source  # before the skip: another article with this id, later, is an error on a re-run too
            if listed or output.has(art_id):  # listed twice, or done before
                bar.skipped += 1
                bar.update(None, weight)
                continue
            yield art, weight

    try:
        if jobs == 1:
            for chunk in api.chunks(todo(), _text_of):
                for outcome in process_many(chunk):
                    output.write(outcome)
                    bar.update(outcome)
        else:
            import multiprocessing
            size = max(api.CHUNK // jobs, 4)  # smaller chunks, so every worker has work
            # about as many articles in flight as before chunks: 16 a worker
            window, stop = threading.Semaphore(max(16 * jobs // size, jobs)), threading.Event()
            with multiprocessing.get_context(_start_method()).Pool(
                    jobs, initializer=_init_pool_worker, initargs=(options,)) as pool:
                try:
                    for outcomes in pool.imap(process_many, _bounded(api.chunks(todo(), _text_of, size), window, stop)):
                        window.release()
                        for outcome in outcomes:
                            output.write(outcome)
                            bar.update(outcome)
                finally:
                    # before the pool's exit, which terminates it and joins the thread that feeds it:
                    # that thread waits in _bounded for a window slot no one will free (Ctrl-C or a
                    # failed write hung the run)
                    stop.set()
    finally:
        output.close()
    bar.update(None, force=True)
    return bar


def _start_method() -> str:
    """fork is fastest where it is safe (Linux); elsewhere the platform default."""
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    return "fork" if sys.platform.startswith("linux") and "fork" in methods else methods[0]


def cmd_batch(args: argparse.Namespace) -> int:
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    if args.jobs < 0:
        raise SummarizerError("--jobs must be 0 (one per CPU) or a positive number")
    options = Options(tuple(args.rules), args.region, args.timeout, args.template)
    bar = run(args.inputs, args.out, options, jobs, max_mb=args.max_mb)
    print(bar.finish() + f" -> {args.out}", file=sys.stderr)
    return 1 if bar.failed else 0
