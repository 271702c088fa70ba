"""`summarizer rules`: see which rules run and where they came from, test them, explain and time them.

    rules list [--region X] [--rules DIR]      the effective rules, the pack each came from, file:line
    rules test [DIR...] [--coverage]           run every rule's examples (exit 1 on a failure)
    rules explain ARTICLE                      for each fact: rule, pack, span and matched text
    rules profile ARTICLE...                   seconds spent per rule

Warnings (a renamed rule id still in use) go to stderr; the output itself goes to stdout.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

_BUILTIN = "(built-in)"  # yields made by code, not by a rule of a pack (the quotation-mark scanner)


def register(subparsers: Any) -> None:
    from .cli import add_rule_options

    p = subparsers.add_parser("rules", help="list, test, explain and profile the rule packs",
                              description="See which rules run, test their examples, and explain a fact sheet.")
    sub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    q = sub.add_parser("list", help="the rules in force, the pack each came from and its file:line")
    add_rule_options(q)
    q.add_argument("--regions", action="store_true", help="list the shipped region packs instead")
    q.add_argument("--stage", help="only the rules of one stage")
    q.set_defaults(func=cmd_list)

    q = sub.add_parser("test", help="run every rule's examples; exit 1 when one fails")
    q.add_argument("dirs", nargs="*", metavar="DIR", help="your rules folders (the same as --rules DIR)")
    add_rule_options(q)
    q.add_argument("--coverage", action="store_true",
                   help="also fail on a rule no example exercises, or with no example that must yield nothing")
    q.add_argument("--verbose", "-v", action="store_true", help="print passing examples too")
    q.set_defaults(func=cmd_test)

    q = sub.add_parser("explain", help="which rule of which pack produced each fact, from which span")
    q.add_argument("articles", nargs="+", metavar="ARTICLE", help="files, folders, globs, or - for stdin")
    add_rule_options(q)
    q.set_defaults(func=cmd_explain)

    q = sub.add_parser("profile", help="time spent in each rule over the given articles")
    q.add_argument("articles", nargs="+", metavar="ARTICLE", help="files, folders, globs, or - for stdin")
    add_rule_options(q)
    q.add_argument("--top", type=int, default=0, metavar="N", help="show only the N slowest rules")
    q.set_defaults(func=cmd_profile)


# ---------------------------------------------------------------------------------------------


def _where(path: str, line: int | None = None) -> str:
    """A path relative to the working folder when it is inside it: short and stable in output."""
    try:
        rel = os.path.relpath(path)
        shown = path if rel.startswith("..") else rel
    except ValueError:
        shown = path
    return f"{shown}:{line}" if line else shown


def _warn(ruleset) -> None:
    for warning in ruleset.warnings:
        print(f"summarizer: warning: {warning}", file=sys.stderr)


def _summarizer(args: argparse.Namespace, profile: bool = False):
    from .api import Summarizer
    dirs = [*getattr(args, "dirs", []), *args.rules]
    return Summarizer(dirs, region=args.region, timeout=args.timeout, profile=profile)


def cmd_list(args: argparse.Namespace) -> int:
    from . import packs
    if args.regions:
        for name in packs.shipped_regions():
            print(name)
        return 0
    if args.stage and args.stage not in packs.STAGES:
        print(f"summarizer: error: unknown stage {args.stage!r}; choose one of {', '.join(packs.STAGES)}",
              file=sys.stderr)
        return 2
    ruleset = packs.build(args.rules, args.region)
    _warn(ruleset)
    print("packs: " + " -> ".join(ruleset.chain))
    rules = [r for r in ruleset.rules if not args.stage or r.stage == args.stage]
    width = max((len(r.id) for r in rules), default=0)
    pack_width = max((len(r.pack) for r in rules), default=0)
    for rule in rules:
        line = f"{rule.id:<{width}}  {rule.stage:<11}  {rule.pack:<{pack_width}}  {_where(rule.path, rule.line)}"
        if rule.replaced:
            line += "  (replaces " + ", ".join(h.split(" (")[0] for h in rule.replaced) + ")"
        if rule.aliases:
            line += "  (formerly " + ", ".join(rule.aliases) + ")"
        print(line)
    print(f"{len(rules)} rules")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from . import ruletest
    summarizer = _summarizer(args)
    ruleset = summarizer.ruleset(args.region)
    _warn(ruleset)
    outcomes = ruletest.run_all(summarizer, args.region)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if o.ok and not args.verbose:
            continue
        where = _where(o.example.path or o.rule.path, o.example.line)
        status = "ok  " if o.ok else "FAIL"
        print(f"{status} {where}: {o.rule.id} ({o.rule.pack}): {o.message}")
        if not o.ok:
            print(f"     text: {o.example.text!r}")
    problems = ruletest.coverage_problems(summarizer, outcomes, args.region) if args.coverage else []
    for problem in problems:
        print(f"COVERAGE {problem}")
    print(f"packs: {' -> '.join(ruleset.chain)}; {len(outcomes)} examples of {len(ruleset.rules)} rules, "
          f"{len(failed)} failed" + (f", {len(problems)} coverage problems" if args.coverage else ""))
    return 1 if failed or problems else 0


def _explain_one(summarizer, art, out) -> None:
    analysis = summarizer.analyze(art)
    ruleset = analysis.rules
    out.write(f"== {art.source}\n")
    out.write(f"packs merged: {' -> '.join(ruleset.chain)}" + (f" (region {analysis.region})" if analysis.region else "")
              + "\n")
    for y in sorted(analysis.trace, key=lambda y: (y.span[0], y.span[1], y.rule)):
        rule = ruleset.rule(y.rule)
        pack = rule.pack if rule else _BUILTIN
        where = _where(rule.path, rule.line) if rule else ""
        line, col = art.line_of(y.span[0])
        matched = " ".join(art.text[y.span[0]:y.span[1]].split())
        if len(matched) > 120:
            matched = matched[:117] + "..."
        fields = ", ".join(f"{k}={v!r}" for k, v in sorted(y.fields.items()) if k != "text" or v != matched)
        out.write(f"{y.kind:<12} {y.rule} [{pack}{' ' + where if where else ''}]\n")
        out.write(f"    span [{y.span[0]}, {y.span[1]}) line {line}:{col}: {matched!r}\n")
        if fields:
            out.write(f"    {fields}\n")
    for problem in analysis.problems:
        out.write(f"problem: {problem.get('kind')}: {problem.get('message')}\n")


def cmd_explain(args: argparse.Namespace) -> int:
    from .cli import each_article
    summarizer = _summarizer(args)
    _warn(summarizer.ruleset(args.region))
    failed = each_article(summarizer, args.articles, lambda s, art: _explain_one(s, art, sys.stdout))
    return 2 if failed else 0


def cmd_profile(args: argparse.Namespace) -> int:
    from .cli import each_article
    summarizer = _summarizer(args, profile=True)
    ruleset = summarizer.ruleset(args.region)
    _warn(ruleset)
    analysed: list[str] = []
    failed = each_article(summarizer, args.articles, lambda s, art: (s.analyze(art), analysed.append(art.id)))
    count = len(analysed)
    timings = sorted(summarizer.timings.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(t for _, t in timings) or 1e-12
    if args.top:
        timings = timings[:args.top]
    print(f"{count} article(s); packs: {' -> '.join(ruleset.chain)}")
    print(f"{'seconds':>9}  {'share':>6}  {'ms/article':>10}  rule (pack)")
    for rule_id, seconds in timings:
        rule = ruleset.rule(rule_id)
        pack = rule.pack if rule else _BUILTIN
        print(f"{seconds:9.4f}  {seconds / total:6.1%}  {1000 * seconds / max(count, 1):10.2f}  {rule_id} ({pack})")
    return 2 if failed else 0
