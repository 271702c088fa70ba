"""Run every rule's own examples, as Duckling's corpus and Vale's fixtures do.

An example passes when the rule, run in the whole pipeline over the example's text, yields every
mapping listed (each listed field equal, case and spacing aside), or yields nothing when the
example says `yields: none`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from .api import Summarizer
from .model import Yield
from .packs import Example, Rule


@dataclass
class Outcome:
    rule: Rule
    example: Example
    ok: bool
    message: str


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    if isinstance(value, (list, tuple)):
        return sorted(str(_norm(v)) for v in value)
    text = unicodedata.normalize("NFKC", str(value)).replace("’", "'")
    return " ".join(text.casefold().split())


def _matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, value in want.items():
        if key not in got:
            if value is False or value is None:
                continue
            return False
        if _norm(value) != _norm(got[key]):
            return False
    return True


def example_text(example: Example) -> str:
    return f"date {example.date}\n\n{example.text}" if example.date else example.text


def run_example(summarizer: Summarizer, rule: Rule, example: Example, region: str | None = None) -> Outcome:
    try:
        analysis = summarizer.analyze(example_text(example), source=f"{rule.id} example")
    except Exception as exc:  # an example that crashes the pipeline is a failing example, not a crash
        return Outcome(rule, example, False, f"raised {type(exc).__name__}: {exc}")
    timed_out = next((p for p in analysis.problems if p.get("kind") == "timeout" and p.get("rule") == rule.id), None)
    if timed_out is not None:  # it was skipped: what it yields (or not) says nothing
        return Outcome(rule, example, False, f"timed out: {timed_out['message']}")
    mine: list[Yield] = [y for y in analysis.trace if y.rule == rule.id]
    if not example.yields:
        if mine:
            return Outcome(rule, example, False, f"must yield nothing, yielded {mine[0].fields}")
        return Outcome(rule, example, True, "yields nothing, as expected")
    for want in example.yields:
        if not any(_matches(want, y.fields) for y in mine):
            seen = [y.fields for y in mine] or "nothing"
            return Outcome(rule, example, False, f"must yield {want}, yielded {seen}")
    return Outcome(rule, example, True, "ok")


def run_all(summarizer: Summarizer, region: str | None = None) -> list[Outcome]:
    rules = summarizer.ruleset(region)
    return [run_example(summarizer, rule, ex, region) for rule in rules.rules for ex in rule.examples]


def coverage_problems(summarizer: Summarizer, outcomes: list[Outcome], region: str | None = None) -> list[str]:
    """Rules that no passing positive example exercises, or that have no example that must yield nothing."""
    problems = []
    for rule in summarizer.ruleset(region).rules:
        mine = [o for o in outcomes if o.rule.id == rule.id]
        if not any(o.ok and o.example.yields for o in mine):
            problems.append(f"{rule.where()}: rule {rule.id} is exercised by none of its examples; "
                            "add an example text it must match, with yields:")
        if not any(not o.example.yields for o in mine):
            problems.append(f"{rule.where()}: rule {rule.id} has no example that must yield nothing; "
                            "add one with yields: none")
    return problems
