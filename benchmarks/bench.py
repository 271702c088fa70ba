"""How fast and how lean is summarizer? Throughput, start-up, memory and time per rule, as one table.

    python benchmarks/bench.py                      # the default corpus folder, or a generated one
    python benchmarks/bench.py CORPUS_DIR --limit 200
    python benchmarks/bench.py --only startup

Floors (issue 6, on a 2-core machine): >= 1 MB/s of article text per core with the shipped rules;
`summarizer facts ARTICLE` wall time <= 2x `python -c "import yaml, jinja2, regex"`; memory that does
not grow with the number of articles. Texts are read where they lie and never copied into the repo.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure this checkout, not a summarizer installed elsewhere
DEFAULT_CORPORA = [ROOT.parent / "shared" / "eval" / "polnear" / "train",
                   ROOT.parent / "shared" / "eval" / "polnear" / "dev"]

# ---------------------------------------------------------------------------------------------
# A generated corpus: news-like articles made from parts, so the benchmark runs anywhere.

_GIVEN = ["Ana", "Jonas", "Lena", "Omar", "Mei", "Pavel", "Sofia", "Kwame", "Ines", "Tomas", "Aiko", "Rafael"]
_FAMILY = ["Torres", "Berg", "Dahl", "Haddad", "Chen", "Novak", "Rossi", "Mensah", "Silva", "Weber", "Sato"]
_TITLES = ["Foreign Minister", "Prime Minister", "President", "Finance Minister", "Ambassador", "Mayor"]
_PLACES = ["Oslo", "Lisbon", "Accra", "Hanoi", "Quito", "Tallinn", "Nairobi", "Riga", "Lima", "Seoul"]
_DAYS = ["on Monday", "on Tuesday", "last week", "on March 3", "this morning", "in April", "on Friday"]
_VERBS = ["said", "told reporters", "added", "said in a statement", "wrote"]
_TOPICS = ["fishing quotas", "the new rail link", "grain exports", "the border crossing", "energy prices",
           "the harbour upgrade", "visa rules", "the election timetable", "water rights", "the budget"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def generated_article(rng: random.Random, paragraphs: int = 6) -> str:
    a, b, place, topic = _name(rng), _name(rng), rng.choice(_PLACES), rng.choice(_TOPICS)
    parts = [f"date 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n",
             f"Talks on {topic} in {place}\n",
             f"{rng.choice(_TITLES)} {a} met {rng.choice(_TITLES)} {b} in {place} {rng.choice(_DAYS)} "
             f"to discuss {topic}, officials said."]
    for _ in range(paragraphs):
        kind = rng.randrange(4)
        if kind == 0:
            parts.append(f"\"We made real progress on {rng.choice(_TOPICS)},\" {a.split()[1]} "
                         f"{rng.choice(_VERBS)}. \"There is more to do {rng.choice(_DAYS)}.\"")
        elif kind == 1:
            parts.append(f"Trade between the two countries rose {rng.randint(2, 40)}.{rng.randint(0, 9)} percent "
                         f"to {rng.randint(2, 900)} million dollars {rng.choice(_DAYS)}, the statistics office said.")
        elif kind == 2:
            parts.append(f"{b} is expected to visit {rng.choice(_PLACES)} {rng.choice(_DAYS)}, where "
                         f"{rng.randint(3, 90)} delegates will discuss {rng.choice(_TOPICS)}.")
        else:
            parts.append(f"The ministry of {rng.choice(['trade', 'transport', 'energy'])} declined to comment on "
                         f"{rng.choice(_TOPICS)}, and critics called the plan \"a step backwards\".")
    return "\n\n".join(parts) + "\n"


def generate_corpus(folder: Path, count: int, seed: int = 6) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"article-{i:05d}.txt").write_text(generated_article(rng), encoding="utf-8")
    return folder


def corpus_texts(folder: Path, limit: int | None) -> list[tuple[str, str]]:
    """(source, text) of the corpus's articles, in a stable order, as the loader would decode them."""
    from summarizer.article import load_inputs
    out = []
    for item in load_inputs([str(folder)]):
        if hasattr(item, "text"):
            out.append((item.source, item.text))
        if limit and len(out) >= limit:
            break
    return out


# ---------------------------------------------------------------------------------------------
# Measurements


def _pass(summarizer, texts: list[tuple[str, str]]) -> float:
    """Fact sheets built and rendered as `batch` makes them: articles in chunks (facts_many)."""
    from summarizer import render
    start = time.perf_counter()
    for sheet in summarizer.facts_many(summarizer.load(text, source=source) for source, text in texts):
        if isinstance(sheet, Exception):
            raise sheet
        render.facts_json(sheet)
    return time.perf_counter() - start


def cold_child(folder: str, limit: int | None) -> None:
    """Run in a fresh process: one first pass with a new Summarizer; its time, as JSON."""
    from summarizer.api import Summarizer
    texts = corpus_texts(Path(folder), limit)
    print(json.dumps({"seconds": _pass(Summarizer(), texts)}))


def throughput(texts: list[tuple[str, str]], folder: Path, limit: int | None, passes: int, profile: bool) -> dict:
    """One core: build the fact sheets and render them as JSON, as `batch` does.

    The figure is a first pass over the corpus with a new Summarizer (every distinct word met for
    the first time is read for anchors then, every pattern loaded on first use): the median of
    `passes` such passes, this process's and the rest each in a fresh process, since one pass on a
    shared machine varies by 5% or more. A second pass here over the same texts shows the steady
    state of a long batch, where most words are already known; a third, profiled, pass gives the
    time per rule (profiling costs a clock read per pattern run, so it is not the timed pass)."""
    from summarizer.api import Summarizer
    summarizer = Summarizer()
    first = _pass(summarizer, texts)
    second = _pass(summarizer, texts)
    cold = [first]
    for _ in range(passes - 1):
        cmd = [sys.executable, __file__, "--cold-child", str(folder)] + (["--limit", str(limit)] if limit else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        cold.append(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])
    seconds = statistics.median(cold)
    timings, profiled = {}, 0.0
    if profile:
        profiler = Summarizer(profile=True)
        profiled = _pass(profiler, texts)
        timings = profiler.timings
    megabytes = sum(len(t.encode("utf-8")) for _, t in texts) / 1e6
    return {"articles": len(texts), "megabytes": megabytes, "seconds": seconds,
            "articles_per_s": len(texts) / seconds, "mb_per_s": megabytes / seconds,
            "mb_per_s_range": (megabytes / max(cold), megabytes / min(cold)), "passes": len(cold),
            "warm_seconds": second, "warm_mb_per_s": megabytes / second,
            "timings": timings, "profiled_seconds": profiled}


def _wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _installed_is_this_checkout() -> bool:
    """Whether the installed package (editable, or a copy with the same sources) is this checkout."""
    found = subprocess.run([sys.executable, "-c", "import summarizer; print(summarizer.__file__)"],
                           capture_output=True, text=True, check=False, cwd=tempfile.gettempdir())
    if found.returncode != 0:
        return False
    installed = Path(found.stdout.strip()).parent
    return all((installed / p.name).is_file() and (installed / p.name).read_bytes() == p.read_bytes()
               for p in (ROOT / "summarizer").glob("*.py"))


def startup(article: Path, repeat: int) -> dict:
    exe = shutil.which("summarizer")
    if exe and not _installed_is_this_checkout():
        print(f"start-up: the installed {exe} is not this checkout; run `pip install .` to measure "
              "the installed command, timing `python -m summarizer` from the checkout instead", file=sys.stderr)
        exe = None
    cmd = [exe] if exe else [sys.executable, "-m", "summarizer"]
    subprocess.run([*cmd, "facts", str(article)], stdout=subprocess.DEVNULL, check=False, cwd=ROOT)  # warm the cache
    base = _wall([sys.executable, "-c", "import yaml, jinja2, regex"], repeat)
    facts = _wall([*cmd, "facts", str(article)], repeat)
    return {"baseline_s": base, "facts_s": facts, "ratio": facts / base}


def _peak_rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM belongs to the program now running; ru_maxrss would
    also count the parent's pages as they were when it forked this child (before exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def memory_child(jsonl: str, out: str) -> None:
    """Run in a fresh process: stream a JSONL corpus through batch and report peak RSS and heap."""
    import tracemalloc

    from summarizer import batch

    def rss_mb() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    batch._init_worker(batch.Options((), None, 2.0, None))
    base_rss = rss_mb() if os.path.exists("/proc/self/statm") else None
    tracemalloc.start()
    counts = batch.run([jsonl], out, batch.Options((), None, 2.0, None), progress=False)
    _, peak_heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = _peak_rss_mb()
    print(json.dumps({"done": counts.done, "failed": counts.failed, "base_rss_mb": base_rss,
                      "end_rss_mb": rss_mb() if base_rss is not None else None,
                      "peak_rss_mb": maxrss, "peak_heap_mb": peak_heap / 1e6}))


def memory(texts: list[tuple[str, str]], sizes: list[int], work: Path) -> dict[int, dict]:
    # compile the rule packs into the disk cache first, so that no child's peak is the compiler's
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                    "from summarizer.api import Summarizer; Summarizer().ruleset()"], check=True)
    results = {}
    for n in sizes:
        jsonl = work / f"cycled-{n}.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for i in range(n):
                source, text = texts[i % len(texts)]
                fh.write(json.dumps({"id": f"{i:06d}", "text": text}, ensure_ascii=False) + "\n")
        out = work / f"out-{n}.jsonl"
        proc = subprocess.run([sys.executable, __file__, "--memory-child", str(jsonl), str(out)],
                              capture_output=True, text=True, check=True)
        results[n] = json.loads(proc.stdout.strip().splitlines()[-1])
        jsonl.unlink()
        out.unlink()
    return results


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="a folder of articles (default: the PolNeAR train folder "
                        "beside the repo if present, else a generated corpus)")
    parser.add_argument("--limit", type=int, help="at most this many articles for throughput")
    parser.add_argument("--generate", type=int, default=200, metavar="N",
                        help="articles in the generated corpus when no folder is found (default 200)")
    parser.add_argument("--memory-sizes", default="1000,20000", help="article counts for the memory runs")
    parser.add_argument("--memory-corpus", choices=["generated", "corpus"], default="generated",
                        help="texts cycled for the memory runs (generated: short articles, quick)")
    parser.add_argument("--repeat", type=int, default=7, help="start-up runs; the median is reported")
    parser.add_argument("--only", choices=["throughput", "startup", "memory"], action="append")
    parser.add_argument("--top", type=int, default=12, help="rules listed by time spent")
    parser.add_argument("--passes", type=int, default=3,
                        help="first passes timed for throughput, each but one in a fresh process; the median is reported")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0
    if args.cold_child:
        cold_child(args.cold_child, args.limit)
        return 0
    only = set(args.only or ["throughput", "startup", "memory"])

    with tempfile.TemporaryDirectory(prefix="summarizer-bench-") as tmp:
        work = Path(tmp)
        folder = Path(args.corpus) if args.corpus else next((p for p in DEFAULT_CORPORA if p.is_dir()), None)
        label = str(folder) if folder else f"generated ({args.generate} articles)"
        if folder is None:
            folder = generate_corpus(work / "generated", args.generate)
        texts = corpus_texts(folder, args.limit)
        rows: list[tuple[str, str, str]] = []
        print(f"corpus: {label}: {len(texts)} articles", file=sys.stderr)

        if "throughput" in only:
            t = throughput(texts, folder, args.limit, max(1, args.passes), profile=args.top > 0)
            low, high = t["mb_per_s_range"]
            rows.append(("throughput, 1 core", f"{t['mb_per_s']:.3f} MB/s, {t['articles_per_s']:.1f} articles/s "
                         f"({t['articles']} articles, {t['megabytes']:.2f} MB, {t['seconds']:.1f} s; median of "
                         f"{t['passes']} first passes, {low:.3f}-{high:.3f})", ">= 1 MB/s"))
            rows.append(("  same texts again", f"{t['warm_mb_per_s']:.3f} MB/s ({t['warm_seconds']:.1f} s; "
                         "words already read, as in a long batch)", ""))
        if "startup" in only:
            article = work / "startup.txt"
            article.write_text(generated_article(random.Random(1)), encoding="utf-8")
            s = startup(article, args.repeat)
            rows.append(("start-up, summarizer facts", f"{s['facts_s']:.3f} s vs {s['baseline_s']:.3f} s for "
                         f"importing yaml, jinja2, regex: {s['ratio']:.2f}x (median of {args.repeat})", "<= 2x"))
        if "memory" in only:
            sizes = [int(n) for n in args.memory_sizes.split(",") if n.strip()]
            pool = texts if args.memory_corpus == "corpus" else \
                [(f"g{i}", generated_article(random.Random(i))) for i in range(50)]
            for n, m in memory(pool, sizes, work).items():
                rows.append((f"memory, {n} articles", f"peak RSS {m['peak_rss_mb']:.0f} MB (start "
                             f"{m['base_rss_mb']:.0f}, end {m['end_rss_mb']:.0f}), peak Python heap "
                             f"{m['peak_heap_mb']:.1f} MB; {m['done']} done, {m['failed']} failed",
                             "flat in N"))

        width = max(len(r[0]) for r in rows) if rows else 0
        print(f"\n{'measure'.ljust(width)} | {'floor':9} | result")
        print(f"{'-' * width}-+-{'-' * 9}-+-{'-' * 40}")
        for name, result, floor in rows:
            print(f"{name.ljust(width)} | {floor:9} | {result}")
        if "throughput" in only and t["timings"]:
            total = sum(t["timings"].values()) or 1.0
            print(f"\ntime per rule (top {args.top} of {len(t['timings'])}; "
                  f"{total:.1f} s in patterns of {t['profiled_seconds']:.1f} s in a profiled pass)")
            for rule_id, seconds in sorted(t["timings"].items(), key=lambda kv: -kv[1])[:args.top]:
                print(f"  {seconds:8.3f} s  {seconds / total:6.1%}  {rule_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
