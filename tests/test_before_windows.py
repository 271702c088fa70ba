"""Rules read before a quotation (`context: before`): the leftmost match that ends at the window's end.

`engine.match_ending` first asks the rule's pattern, compiled to match leftwards, whether any match
ends there at all (one attempt, where the forward search tries every position). That check may
only rule windows out; these tests hold it to that, for every shipped `before` rule and every
window end in a set of texts.
"""
from __future__ import annotations

import functools

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import engine, packs
from summarizer.packs import ReverseCheck


@functools.cache
def shipped() -> packs.RuleSet:
    return packs.build([], None)


def before_rules() -> list[packs.Rule]:
    return [r for r in shipped().rules if r.context == "before"]


def forward_ends_at(rule: packs.Rule, text: str, pos: int, endpos: int) -> bool:
    """Whether some forward match in text[pos:endpos] ends at endpos: the search the check stands for."""
    pattern = engine._compiled(rule.compiled)
    return any(m.end() == endpos for m in pattern.finditer(text, pos, endpos, overlapped=True))


TEXTS = [
    'Later she said that the fund "has no money left."',
    'When Lee asked about the budget, Ana Ruiz replied: "There is nothing left to cut."',
    'Lena Park, the trade minister, described the deal as "the best in a decade."',
    'Said Ana Ruiz: "Nobody here has seen a plan like this."',
    'Ana Ruiz left the room early, saying, "We have heard enough."',
    'According to Pedro Alves, the deal "was never going to survive."',
    'Ana Ruiz is offering voters "a new deal for every town."',
    'But Sen. Ann Cole (D-Ore.), a member of the panel, told reporters: — "It was rigged."',
    'The reports said the minister had called it "a disgrace", and he added, "We will see."',
    'Mr. Okafor, 54, who runs the clinic in the old market, wrote in a letter that "no one came."',
    '"The first," he said. "The second," she added: "and the third."',
]


def window_ends(text: str, width: int = 160) -> list[tuple[int, int]]:
    return [(max(0, end - width), end) for end in range(1, len(text) + 1)]


def test_the_shipped_before_rules_carry_a_reverse_check() -> None:
    rules = before_rules()
    assert len(rules) >= 5
    assert all(isinstance(r.reverse, ReverseCheck) for r in rules)


@pytest.mark.parametrize("text", TEXTS, ids=[f"text{i}" for i in range(len(TEXTS))])
def test_the_reverse_check_says_a_match_ends_there_exactly_when_a_forward_search_finds_one(text: str) -> None:
    for rule in before_rules():
        pattern = engine._compiled(rule.reverse.pattern)
        for pos, endpos in window_ends(text):
            assert (pattern.match(text, pos, endpos) is not None) == forward_ends_at(rule, text, pos, endpos), \
                (rule.id, text[pos:endpos])


FRAGMENTS = ["Ana Ruiz", "Sen. Ann Cole (D-Ore.)", "the minister", "he", "She", "But", "later", "also",
             "said", "told reporters", "replied", "added", "saying", "according to", "Said", "wrote in",
             "the deal", "was", "as", "that", "a member of the panel", ",", ":", "—", "“", "\"", "”", ".", "\n"]
GENERATED = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=16).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=GENERATED)
def test_the_reverse_check_agrees_with_a_forward_search_in_generated_texts(text: str) -> None:
    for rule in before_rules():
        pattern = engine._compiled(rule.reverse.pattern)
        for pos, endpos in window_ends(text, 80):
            assert (pattern.match(text, pos, endpos) is not None) == forward_ends_at(rule, text, pos, endpos)


def leftmost_ending_at(rule: packs.Rule, text: str, pos: int, endpos: int) -> tuple[int, int] | None:
    """The plain search match_ending stands for: the first match from the leftmost start that ends at endpos."""
    pattern = engine._compiled(rule.compiled)
    for m in pattern.finditer(text, pos, endpos, overlapped=True):
        if m.end() == endpos:
            return m.span()
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=GENERATED)
def test_an_anchored_search_finds_the_leftmost_match_a_plain_search_finds(text: str) -> None:
    """With the article's anchors, no start after the last anchor of a required clause is tried;
    the match found is still the plain search's."""
    from summarizer import article
    art = article.from_text(text, "x", {})
    for rule in before_rules():
        run = engine.Run()
        run.prepare(shipped(), art.text, [(0, len(art.text))])
        for pos, endpos in window_ends(art.text, 80):
            m = engine.match_ending(run, rule, art.text, pos, endpos)
            assert ((m.start, m.end) if m else None) == leftmost_ending_at(rule, art.text, pos, endpos), (rule.id, pos, endpos)


def test_a_check_that_rarely_rules_a_window_out_is_switched_off_but_still_probed() -> None:
    check = ReverseCheck(regex.compile(r"(?r)\w+$"))
    asked = 0
    for _ in range(200):
        if check.worth_asking():
            asked += 1
            assert check.may_end_at("a word", 0, 6)
    assert ReverseCheck.TRIAL <= asked < ReverseCheck.TRIAL + 200 // ReverseCheck.PROBE + 1


def test_a_check_that_rules_most_windows_out_stays_on() -> None:
    check = ReverseCheck(regex.compile(r"(?r)\w+:$"))
    for _ in range(100):
        assert check.worth_asking()
        assert not check.may_end_at("a word", 0, 6)


def test_a_window_the_check_rules_out_has_no_match() -> None:
    rule = shipped().rule("quotes.cue-then-colon")
    text = 'Lee asked about the budget, and the answer was "nothing left."'
    assert engine.match_ending(engine.Run(), rule, text, 0, text.index('"')) is None


def test_a_window_with_a_match_still_gives_the_leftmost_one() -> None:
    rule = shipped().rule("quotes.cue-then-colon")
    text = 'When Lee asked about the budget, Ana Ruiz replied: "There is nothing left to cut."'
    m = engine.match_ending(engine.Run(), rule, text, 0, text.index('"'))
    assert m is not None and m.get("speaker") == "Ana Ruiz" and m.get("cue") == "replied"


def test_latest_start_keeps_only_a_match_that_starts_early_enough() -> None:
    rule = shipped().rule("quotes.speaker-before")
    text = 'Yesterday Ana Ruiz said the plan "was dead."'
    end = text.index('"')
    anywhere = engine.match_ending(engine.Run(), rule, text, 0, end)
    assert anywhere is not None and anywhere.start == 0
    assert engine.match_ending(engine.Run(), rule, text, 0, end, latest_start=0) == anywhere
    inside = engine.match_ending(engine.Run(), rule, text, 1, end)
    assert inside is not None and inside.get("speaker") == "Ana Ruiz"  # from "Ana", past the cut word
    assert engine.match_ending(engine.Run(), rule, text, 1, end, latest_start=5) is None


def test_latest_start_finds_the_leftmost_match_from_the_allowed_starts() -> None:
    rule = shipped().rule("quotes.speaker-before")
    text = 'So, Ana Ruiz said the plan "was dead."'
    m = engine.match_ending(engine.Run(), rule, text, 0, text.index('"'), latest_start=text.index("Ana"))
    assert m is not None and m.start == text.index("Ana") and m.get("speaker") == "Ana Ruiz"
    assert m == engine.match_ending(engine.Run(), rule, text, 0, text.index('"'))


def write_pack(folder, rules_yaml: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(rules_yaml, encoding="utf-8")
    return folder


@pytest.mark.parametrize("pattern", [
    r"x(?>b|ab)$", r"\w++:$", r"(\w+) and \1$", r"(x)?(?(1)a|b)$", r"(?P<w>\w+)(?P=w)$", r"a\Kb$",
])
def test_a_pattern_that_cannot_be_read_leftwards_gets_no_reverse_check(tmp_path, pattern: str) -> None:
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: test.odd\n    stage: attribution\n    context: before\n"
                      f"    pattern: '{pattern}'\n")
    assert packs.build([pack], None).rule("test.odd").reverse is None


def test_a_rule_with_possessive_repeats_still_attributes_its_quotation(tmp_path) -> None:
    """Leftwards, possessive repeats would miss this match; the rule is read rightwards only."""
    from summarizer.api import Summarizer
    pack = write_pack(tmp_path / "pack", "rules:\n  - id: test.declared\n    stage: attribution\n"
                      "    context: before\n    priority: 40\n"
                      r"    pattern: '(?P<speaker>\p{Lu}\w*+(?:\s++\p{Lu}\w*+)*+)\s++(?P<cue>declared):\s*$'" "\n")
    sheet = Summarizer([pack]).facts('date 2024-03-05\n\nAna Ruiz declared: "We will win the vote."\n')
    assert [(q["speaker"]["name"], q["rule"]) for q in sheet["quotes"]] == [("Ana Ruiz", "test.declared")]
