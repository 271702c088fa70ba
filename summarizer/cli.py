"""The `summarizer` command: facts, brief, rules (and check, batch, config where installed).

Exit codes: 0 success; 1 findings or failed articles (check, batch); 2 usage, input or rule errors.
One article that cannot be read is reported on stderr and the others are still processed.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable

from . import __version__
from .errors import ArticleError, SummarizerError

# Commands that live in modules of their own; each has register(subparsers).
_EXTRA_COMMANDS = ("summarizer.rulescli", "summarizer.checkcli", "summarizer.batch")


def _err(message: str) -> None:
    print(f"summarizer: error: {message}", file=sys.stderr)


def add_rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", action="append", default=[], metavar="DIR",
                   help="add a rules folder (a pack); may be given more than once")
    p.add_argument("--region", help="use a shipped region pack (see 'summarizer rules list --regions')")
    p.add_argument("--timeout", type=float, default=2.0, metavar="SECONDS",
                   help="time limit for one pattern on one article (default 2)")


def make_summarizer(args: argparse.Namespace):
    from .api import Summarizer
    return Summarizer(args.rules, region=args.region, timeout=args.timeout)


DEFAULT_MAX_MB = 5.0  # news articles are kilobytes; megabytes of text are a dump, not an article


def each_article(summarizer, inputs: list[str], handle: Callable, max_mb: float = DEFAULT_MAX_MB) -> int:
    """Run handle(summarizer, article) on every input; report bad ones on stderr, go on, and
    return how many failed."""
    from .article import load_inputs
    failed = 0
    for item in load_inputs(inputs):
        if isinstance(item, ArticleError):
            _err(str(item))
            failed += 1
            continue
        if len(item.text) > max_mb * 1e6:
            _err(f"{item.source}: the article holds {len(item.text) / 1e6:.1f} million characters, over "
                 f"--max-mb {max_mb:g}; split it, or raise --max-mb")
            failed += 1
            continue
        try:
            handle(summarizer, item)
        except SummarizerError as exc:
            _err(f"{item.source}: {exc}")
            failed += 1
    return failed


def add_size_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB, metavar="MB",
                   help=f"refuse articles longer than this many million characters (default {DEFAULT_MAX_MB:g})")


def _each_article(args: argparse.Namespace, handle: Callable) -> int:
    return 2 if each_article(make_summarizer(args), args.articles, handle, args.max_mb) else 0


def cmd_facts(args: argparse.Namespace) -> int:
    from . import render
    # several inputs (or a folder, glob or JSONL file) print one compact object per line
    compact = args.jsonl or len(args.articles) > 1 or any(
        not a.endswith((".txt", ".md", ".json")) and a != "-" for a in args.articles)

    def handle(summarizer, art) -> None:
        text = render.facts_json(summarizer.facts(art), args.template)
        if compact:
            import json
            text = json.dumps(json.loads(text), ensure_ascii=False) + "\n"
        sys.stdout.write(text)

    return _each_article(args, handle)


def cmd_brief(args: argparse.Namespace) -> int:
    first = [True]

    def handle(summarizer, art) -> None:
        out = summarizer.brief(art, args.format, args.template)
        if not first[0]:
            sys.stdout.write("\n" + ("-" * 72 if args.format == "text" else "---") + "\n\n")
        first[0] = False
        sys.stdout.write(out)

    return _each_article(args, handle)


def build_parser(extras: bool = True) -> argparse.ArgumentParser:
    """The full parser; `extras=False` leaves out the commands that live in other modules, which
    `facts` and `brief` never need (importing them costs start-up time on every article)."""
    parser = argparse.ArgumentParser(
        prog="summarizer", description="Rule-based structured summaries of news articles.",
        epilog="Exit codes: 0 ok, 1 findings or failed articles, 2 usage, input or rule errors.")
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("facts", help="print the JSON fact sheet of each article")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="files, folders, globs, or - for stdin")
    add_rule_options(p)
    p.add_argument("--template", metavar="FILE", help="render the fact sheet with your own Jinja template")
    add_size_option(p)
    p.add_argument("--jsonl", action="store_true", help="one compact JSON object per line (default for many)")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("brief", help="print a brief of each article (Markdown or text)")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="files, folders, globs, or - for stdin")
    add_rule_options(p)
    add_size_option(p)
    p.add_argument("--format", choices=["markdown", "text"], default="markdown")
    p.add_argument("--template", metavar="FILE", help="render with your own Jinja template")
    p.set_defaults(func=cmd_brief)

    for name in _EXTRA_COMMANDS if extras else ():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    core_only = bool(words) and words[0] in ("facts", "brief") and not {"-h", "--help"} & set(words)
    parser = build_parser(extras=not core_only)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SummarizerError as exc:
        _err(str(exc))
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
