"""`summarizer check` (article checks for CI, as a linter) and `summarizer config show`.

Import stays light: the checks package is imported inside the handlers.
"""
from __future__ import annotations

import argparse
import os
import sys

SEVERITY_CHOICES = ("error", "warning", "info")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check", help="check articles for CI: metadata, dates, quotes, encoding (a linter)",
        description="Check articles with the declarative checks in rules/checks and your own.",
        epilog="Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage or configuration error. "
               "Docs: docs/check.md")
    p.add_argument("articles", nargs="*", metavar="PATH", help="files, folders, globs, or - for stdin")
    p.add_argument("--format", choices=("text", "json", "github", "sarif", "junit"),
                   help="report format (default: github when GITHUB_ACTIONS is set, else text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--fail-on", choices=(*SEVERITY_CHOICES, "none"),
                   help="exit 1 when a finding has this severity or worse (default: error)")
    p.add_argument("--min-severity", choices=SEVERITY_CHOICES,
                   help="show only findings of this severity or worse; never changes the exit code")
    p.add_argument("--severity", action="append", default=[], metavar="ID=LEVEL",
                   help="change one check's severity (error, warning, info, off); repeatable")
    p.add_argument("--disable", action="append", default=[], metavar="ID", help="turn a check off; repeatable")
    p.add_argument("--enable", action="append", default=[], metavar="ID", help="turn a check on; repeatable")
    p.add_argument("--checks", action="append", default=[], metavar="PATH",
                   help="add your own check file or folder of *.yaml; repeatable")
    p.add_argument("--config", metavar="FILE", help="use this summarizer.yaml or pyproject.toml for every file")
    p.add_argument("--no-config", action="store_true", help="ignore config files: shipped defaults and flags only")
    p.add_argument("--expect", metavar="FACTS.json",
                   help="compare each fact sheet with a committed one (a file, or a folder of NAME.json)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date 'today' means (default: SUMMARIZER_TODAY or the clock)")
    p.add_argument("--stdin-name", metavar="PATH", help="the path to report (and find config from) for - input")
    p.add_argument("--list-checks", action="store_true", help="list the checks in force and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.add_argument("--rules", action="append", default=None, metavar="DIR", help="add a rules folder (a pack)")
    p.add_argument("--region", help="use a shipped region pack")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit for one pattern on one article (default 2)")
    p.set_defaults(func=cmd_check)

    c = subparsers.add_parser("config", help="show the effective check configuration and where it came from")
    csub = c.add_subparsers(dest="config_command", metavar="ACTION")
    s = csub.add_parser("show", help="print the configuration in force for PATH and each value's source")
    s.add_argument("path", nargs="?", default=".", metavar="PATH", help="a file or folder (default: .)")
    s.add_argument("--config", metavar="FILE", help="use this config file instead of discovering one")
    s.add_argument("--no-config", action="store_true", help="show the shipped defaults")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.set_defaults(func=cmd_config_show)
    c.set_defaults(func=lambda args: (c.print_help(), 2)[1])


def _command_line(args: argparse.Namespace, report_format: str | None = None):
    from .checks.config import CommandLine
    return CommandLine(
        config=args.config, no_config=args.no_config, fail_on=getattr(args, "fail_on", None),
        min_severity=getattr(args, "min_severity", None), format=report_format,
        rules=getattr(args, "rules", None), region=getattr(args, "region", None),
        timeout=getattr(args, "timeout", None), severity=getattr(args, "severity", []),
        disable=getattr(args, "disable", []), enable=getattr(args, "enable", []),
        checks=getattr(args, "checks", []))


def _err(message: str) -> None:
    print(f"summarizer check: error: {message}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .checks import formats
    from .checks.config import Resolver
    from .checks.runner import Runner, today_from
    from .errors import SummarizerError

    try:
        cli = _command_line(args, args.format)
        if args.list_checks:
            return _list_checks(Resolver(cli))
        if not args.articles:
            _err("give at least one PATH (a file, folder, glob, or - for stdin)")
            return 2
        today = today_from(args.today)
        expect = Path(args.expect) if args.expect else None
        if expect is not None and not expect.is_dir() and len(args.articles) > 1:
            _err("--expect FILE compares one article; pass one PATH, or a folder of NAME.json files")
            return 2
        runner = Runner(cli, today, expect, args.stdin_name)
        report = runner.run(args.articles)
    except SummarizerError as exc:
        _err(str(exc))
        return 2
    fmt = report.settings["format"]
    name = fmt.value
    if fmt.source == "default" and os.environ.get("GITHUB_ACTIONS") == "true":
        name = "github"
    body = formats.WRITERS[name](report)
    line = formats.summary(report)
    for message in report.errors:
        _err(message)
    if args.output:
        try:
            Path(args.output).write_text(body, encoding="utf-8")
        except OSError as exc:
            _err(f"cannot write {args.output}: {exc.strerror or exc}")
            return 2
    else:
        sys.stdout.write(body)
    if not args.quiet:
        human = name in ("text", "github") and not args.output
        print(line, file=sys.stdout if human else sys.stderr)
    return report.exit_code


def _list_checks(resolver) -> int:
    from pathlib import Path
    eff = resolver.effective(Path.cwd() / "summarizer.yaml")
    for check in sorted(eff.checks.values(), key=lambda c: c.id):
        state = check.severity if check.enabled else f"off ({check.severity})"
        print(f"{check.id:32} {state:16} {check.kind:18} {check.description or check.message}")
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .checks.config import Resolver, display
    from .errors import SummarizerError

    try:
        resolver = Resolver(_command_line(args))
        target = Path(args.path)
        if not target.exists():
            _err(f"{args.path}: no such file or folder")
            return 2
        probe = target / "summarizer.yaml" if target.is_dir() else target
        eff = resolver.effective(probe)
    except SummarizerError as exc:
        _err(str(exc))
        return 2
    settings = {k: {"value": v.value, "source": v.source} for k, v in eff.settings.items()}
    checks = {}
    for cid in sorted(eff.checks):
        c = eff.checks[cid]
        src = eff.sources[cid]
        checks[cid] = {"enabled": {"value": c.enabled, "source": src["enabled"]},
                       "severity": {"value": c.severity, "source": src["severity"]},
                       "kind": c.kind,
                       "params": {k: {"value": v, "source": src.get(k, "default")} for k, v in c.params.items()}}
    config_file = display(eff.config.path) if eff.config else None
    if args.format == "json":
        doc = {"schema": "summarizer.config/1", "path": args.path, "config_file": config_file,
               "settings": settings, "checks": checks}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"# effective configuration for {args.path}")
    print(f"# config file: {config_file or 'none found (shipped defaults)'}")
    for key, item in settings.items():
        print(f"{key + ':':14} {_show(item['value']):40} # {item['source']}")
    print("checks:")
    for cid, item in checks.items():
        state = item["severity"]["value"] if item["enabled"]["value"] else "off"
        src = item["severity"]["source"] if item["enabled"]["value"] else item["enabled"]["source"]
        print(f"  {cid + ':':34} {state:8} # {src}")
        for key, p in item["params"].items():
            if not p["source"].startswith("default"):
                print(f"    {key + ':':32} {_show(p['value']):8} # {p['source']}")
    return 0


def _show(value) -> str:
    import json
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
