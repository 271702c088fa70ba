"""Every example of every shipped rule is a test (as Duckling's corpus and Vale's fixtures are)."""
from __future__ import annotations

import pytest

from summarizer import packs, ruletest
from summarizer.api import Summarizer

_CORE = packs.build()
_CASES = [(rule, ex) for rule in _CORE.rules for ex in rule.examples]


@pytest.fixture(scope="module")
def summarizer() -> Summarizer:
    return Summarizer()


@pytest.mark.parametrize("rule,example", _CASES, ids=[f"{r.id}:{e.line}" for r, e in _CASES])
def test_rule_example(summarizer: Summarizer, rule: packs.Rule, example: packs.Example) -> None:
    outcome = ruletest.run_example(summarizer, summarizer.ruleset().rule(rule.id), example)
    assert outcome.ok, f"{rule.where()} example at line {example.line}: {outcome.message}"


def test_every_shipped_rule_has_a_positive_and_a_negative_example() -> None:
    missing = []
    for rule in _CORE.rules:
        if not any(e.yields for e in rule.examples):
            missing.append(f"{rule.id}: no example with yields")
        if not any(not e.yields for e in rule.examples):
            missing.append(f"{rule.id}: no example with yields: none")
    assert not missing, "\n".join(missing)


def test_every_shipped_rule_is_exercised_by_its_examples(summarizer: Summarizer) -> None:
    outcomes = ruletest.run_all(summarizer)
    problems = ruletest.coverage_problems(summarizer, outcomes)
    assert not problems, "\n".join(problems)
