"""Anchors: what every match of a rule must contain, and where every match must start.

`anchors.read` reads a rule's pattern (its {lexicon} and {macro} references unexpanded) into a CNF of
anchors and a set of first anchors; `Scanner` finds anchors word by word; `Windows` tells which
paragraphs hold a rule's anchors and where its first anchors start. The engine uses them to run a
rule only where it can match. The property that matters most is at the end of this file: with
anchors, every shipped rule finds exactly what a full scan finds.
"""
from __future__ import annotations

import functools

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import article, engine, packs
from summarizer.anchors import Scanner, Windows, read, read_leads
from summarizer.lexicon import Lexicon

CITY = Lexicon("city", {"Paris": {}, "New York": {}, "The Hague": {}})
TITLE = Lexicon("title", {"Minister": {}, "Prime Minister": {}})
MONEY = Lexicon("money", {"$": {}, "euros": {}})
EMPTY = Lexicon("empty", {})
LEXICONS = {"city": CITY, "title": TITLE, "money": MONEY, "empty": EMPTY}


def cnf(*clauses: set[str]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(c) for c in clauses)


def anchors_of(pattern: str, macros: dict[str, str] | None = None, flags: tuple[str, ...] = ()):
    return read(pattern, macros or {}, LEXICONS, flags)[0]


def first_of(pattern: str, macros: dict[str, str] | None = None, flags: tuple[str, ...] = ()):
    return read(pattern, macros or {}, LEXICONS, flags)[1]


# ---------------------------------------------------------------------------------------------
# read: what every match contains


def test_a_required_lexicon_is_a_clause() -> None:
    assert anchors_of(r"{city}\s*\p{Lu}") == cnf({"lexicon:city"})


def test_a_lexicon_and_a_word_both_required_are_two_clauses() -> None:
    assert set(anchors_of(r"{city}\s*said")) == set(cnf({"lexicon:city"}, {"word:said"}))


def test_an_optional_lexicon_is_no_clause() -> None:
    assert anchors_of(r"(?:{title}\s+)?{city}") == cnf({"lexicon:city"})


def test_a_lexicon_repeated_zero_or_more_times_is_no_clause() -> None:
    assert anchors_of(r"(?:{title}\s+){0,2}{city}") == cnf({"lexicon:city"})
    assert anchors_of(r"(?:{title}\s+)*\p{Lu}") == ()


def test_a_lexicon_repeated_at_least_once_is_a_clause() -> None:
    assert anchors_of(r"(?:{title}\s*){1,2}\p{Lu}") == cnf({"lexicon:title"})
    assert anchors_of(r"(?:{title}\s*)+\p{Lu}") == cnf({"lexicon:title"})


def test_an_alternation_of_two_lexicons_is_one_clause_with_both() -> None:
    assert anchors_of(r"(?:{title}|{city})\s*\p{Lu}") == cnf({"lexicon:title", "lexicon:city"})


def test_an_alternation_with_a_branch_without_anchors_is_no_clause() -> None:
    assert anchors_of(r"(?:{city}|\p{Lu}\w+)\s+\p{Lu}") == ()


def test_a_clause_implied_by_a_narrower_one_is_dropped() -> None:
    assert anchors_of(r"{city}\s*(?:{city}|{title})") == cnf({"lexicon:city"})


def test_lookahead_content_is_not_an_anchor() -> None:
    assert anchors_of(r"{city}(?=\s+said)") == cnf({"lexicon:city~w"})  # white space must follow the city
    assert anchors_of(r"{city}(?!\s+said)") == cnf({"lexicon:city"})


def test_lookbehind_content_is_not_an_anchor() -> None:
    assert anchors_of(r"(?<=said\s){city}") == cnf({"lexicon:city"})
    assert anchors_of(r"(?<!{title}\s)\p{Lu}\w+") == ()


def test_a_literal_word_of_three_letters_or_more_is_a_lower_cased_word_anchor() -> None:
    assert anchors_of(r"Minister") == cnf({"word:minister"})
    assert anchors_of(r"\w*said\b") == cnf({"word:said"})


@pytest.mark.parametrize("before", [r"\s+", r"[\s,]+", r"(?:the\s+)", r"(?<!\w)(?:the\s+)?", r"(?<!\w)(?:,\s+)?"])
def test_a_word_after_white_space_or_marks_that_must_match_starts_a_word(before: str) -> None:
    assert anchors_of(before + r"said\b") == cnf({"token:said"})


@pytest.mark.parametrize("before", [r"\s*", r"x(?:the\s+)?", r"(?:the\s+|a)", r"(?:\s+)?"])
def test_a_word_after_what_may_end_inside_a_word_is_no_word_start(before: str) -> None:
    assert anchors_of(before + r"said\b") == cnf({"word:said"})


def test_a_literal_word_right_after_a_word_boundary_is_a_start_anchor() -> None:
    assert read(r"\bSaid\w*\s+\p{Lu}", {}, LEXICONS) == (cnf({"start:said"}), frozenset({"start:said"}))


@pytest.mark.parametrize("after", [r"\s+", r"[-‑]", "-", r"\.", r"\b", r"[^\S\n]+", r"[,:]"])
def test_a_literal_word_between_a_word_boundary_and_a_non_word_character_is_a_whole_word_anchor(after: str) -> None:
    assert first_of(r"\bSaid" + after + r"\p{Lu}") == frozenset({"token:said"})


@pytest.mark.parametrize("after", [r"\s*", r"-?", r"\w", "(?:-|s)", r"[-a]"])
def test_a_literal_word_that_may_go_on_is_no_whole_word(after: str) -> None:
    assert first_of(r"\bSaid" + after + r"\p{Lu}") == frozenset({"start:said"})


@pytest.mark.parametrize("after", [r"\s+", r"\b", r"(?![\w-])", r"(?!\s+of)(?![\w%-]|[.,/]\d)", "{end}", r"(?=\s)\s"])
def test_a_lexicon_followed_by_no_word_character_is_a_whole_word_anchor(after: str) -> None:
    assert read(r"{city}" + after + r"\p{Lu}", {"end": r"(?!\w)"}, LEXICONS) == (cnf({"lexicon:city~w"}), frozenset({"lexicon:city~w"}))


def test_a_lexicon_followed_by_no_letter_is_a_whole_letters_anchor() -> None:
    assert first_of(r"(?<![\p{L}\-])(?P<name>{city}|{title})(?![\p{L}\-])") == frozenset({"lexicon:city~l", "lexicon:title~l"})


@pytest.mark.parametrize("pattern", [r"{city}\w*\s", r"{city}s?\s", r"(?:{city})+\s", r"{city}(?![^\w])", r"{city}(?=\s|a)"])
def test_a_lexicon_that_a_word_character_may_follow_keeps_its_plain_anchor(pattern: str) -> None:
    assert first_of(pattern) == frozenset({"lexicon:city"})


@pytest.mark.parametrize("pattern", [r"{city}(?:\s+{title})?(?:,|\s+of)", r"(?P<c>{city})(?=\s)",
                                     r"(?:{city}|{title})[^\S\n]*\n", r"{city}(?:[^\S\n]+|[^\S\n]*\n(?![^\S\n]*\n))"])
def test_a_lexicon_followed_by_groups_that_open_with_no_word_character_is_a_whole_word_anchor(pattern: str) -> None:
    assert "lexicon:city~w" in first_of(pattern)


@pytest.mark.parametrize("pattern", [r"{city}(?:\s+{title})?s", r"(?:{city})+\s", r"(?P<c>{city})", r"{city}(?:a|\s)",
                                     r"{city}(?=\s|s)", r"{city}[^\S\n]*s"])
def test_a_lexicon_that_a_group_or_what_follows_may_continue_is_no_whole_word(pattern: str) -> None:
    assert "lexicon:city" in first_of(pattern)


@pytest.mark.parametrize("before", [r"(?:(?P<m>early)(?:-|\s+))?", r"(?:early(?:,|\s))?", r"(?i:early\s|late-)?"])
def test_a_word_after_a_group_whose_every_alternative_ends_with_no_word_character_starts_a_word(before: str) -> None:
    assert "token:fiscal" in first_of(rf"(?<!\w){before}fiscal\s")


def test_a_lexicon_at_the_end_of_a_macro_is_read_with_what_follows_the_macro() -> None:
    macros = {"role": r"(?:(?i:{title})|{city})(?:\s+of\s+\w+)?"}
    assert first_of(r"\b{role},?\s+\p{Lu}", macros) == frozenset({"lexicon:title~i~w", "lexicon:city~w"})
    assert first_of(r"\b{role}?\s", macros) is None  # the role may be absent: no first anchor
    assert first_of(r"\b{role}s", macros) == frozenset({"lexicon:title~i", "lexicon:city"})
    assert first_of(r"\b{role}+\s", macros) == frozenset({"lexicon:title~i", "lexicon:city"})  # it may repeat


def test_only_the_branch_followed_by_no_word_character_gets_a_whole_word_anchor() -> None:
    assert first_of(r"(?:{city}|{title}s)\s") == frozenset({"lexicon:city~w", "lexicon:title"})


def test_a_word_in_a_group_followed_by_white_space_is_a_whole_word_anchor() -> None:
    assert first_of(r"(?<!\w)(?:(?i:the)\s+)?{city}") == frozenset({"token:the", "lexicon:city"})


@pytest.mark.parametrize("before", [r"(?<![\w$-]|\d[.,])", r"(?<=(?i:\b(?:in|at)\s+))", r"(?<=in[\s-]+)", r"\b(?=\w)", "{start}"])
def test_a_word_after_an_assertion_that_no_word_character_comes_before_starts_a_word(before: str) -> None:
    assert first_of(before + r"early\w*", {"start": r"(?<![\w/])"}) == frozenset({"start:early"})


@pytest.mark.parametrize("before", [r"(?<=a|b\s+)", r"(?<=(?:a|b\s+))", r"(?<=x\s*)", r"(?<![^\w])", r"(?<![\p{L}])"])
def test_a_word_after_an_assertion_that_allows_a_word_character_before_it_is_inside_a_word(before: str) -> None:
    assert first_of(before + r"early\w*") == frozenset({"word:early"})


def leads_of(pattern: str, macros: dict[str, str] | None = None):
    return dict(read_leads(pattern, macros or {}, LEXICONS)[2])


def test_a_leading_whole_word_is_tried_only_where_the_rest_of_the_pattern_can_follow() -> None:
    assert leads_of(r"(?<!\w)(?:the\s+)?{city}\b") == {"token:the": frozenset({"lexicon:city~w"})}
    assert leads_of(r"\bthe\s+(?:{title}|{city})\b") == {"token:the": frozenset({"lexicon:title~w", "lexicon:city~w"})}


@pytest.mark.parametrize("pattern", [r"\bthe\s*{city}", r"\bthe\s+", r"\bthe\s+\w+", r"\b(?:the\s+{city}|the-{title})",
                                     r"(?<!\w)(?:the\s+)?(?:\s*{city})"])
def test_a_leading_word_that_may_be_followed_otherwise_is_no_lead(pattern: str) -> None:
    assert leads_of(pattern) == {}


@pytest.mark.parametrize("pattern", [r"\b(?:the\s+){1,2}{city}", r"\b(?:the\s+)+{city}", r"\b(?:the\s+)*{city}"])
def test_a_leading_word_whose_group_repeats_may_be_followed_by_itself(pattern: str) -> None:
    assert leads_of(pattern) == {"token:the": frozenset({"token:the", "lexicon:city"})}


def test_a_rule_whose_leading_word_repeats_finds_what_a_full_scan_finds(tmp_path) -> None:
    rules, rule = one_rule(tmp_path, r"\b(?:the\s+){1,2}(?P<name>Hague)\b")
    art = article.from_text("date 2024-01-02\n\nThey met in the the Hague today.\n", "x", {})
    anchored, full = anchored_and_full(rules, rule, art)
    assert anchored == full
    assert [art.text[s:e] for s, e, _ in anchored] == ["the the Hague"]


def test_a_lead_word_starts_only_where_white_space_and_a_follower_come_next() -> None:
    text = "the Paris talks; the talks; THE  Paris; the\nParis; theParis"
    w = Windows(text, [(0, len(text))], scanner("token:the", "lexicon:city~w"))
    starts = w.starts(frozenset({"token:the", "lexicon:city~w"}), (("token:the", frozenset({"lexicon:city~w"})),))
    the = [i for i in range(len(text)) if text[i:i + 3].lower() == "the" and (i == 0 or not text[i - 1].isalnum())]
    paris = [i for i in range(len(text)) if text.startswith("Paris", i) and not text[i - 1].isalpha()]
    assert starts == sorted([the[0], the[2], the[3], *paris])


def test_a_whole_word_lexicon_anchor_is_held_by_that_word_only() -> None:
    s = scanner("lexicon:title~w", "lexicon:city~l")
    assert s.of_word("Minister")[0] == frozenset({"lexicon:title~w"})
    assert s.of_word("Ministers")[0] == frozenset()
    assert s.of_word("Paris")[0] == s.of_word("Paris2")[0] == frozenset({"lexicon:city~l"})
    assert s.of_word("Parisian")[0] == frozenset()


def test_a_whole_word_anchor_is_held_by_that_word_only_in_any_case() -> None:
    s = scanner("token:al")
    assert s.of_word("al")[0] == s.of_word("Al")[0] == frozenset({"token:al"})
    assert s.of_word("also")[0] == s.of_word("Salt")[0] == frozenset()


def test_a_macro_right_after_a_word_boundary_starts_a_word() -> None:
    assert read(r"\b{opener}\w*\s+\p{Lu}", {"opener": "said"}, LEXICONS) == (cnf({"start:said"}), frozenset({"start:said"}))


def test_an_optional_last_letter_leaves_the_word_before_it() -> None:
    assert anchors_of(r"counterparts?") == cnf({"word:counterpart"})


@pytest.mark.parametrize("pattern", [r"of\s+\p{Lu}", r"is\s+\p{Lu}", r"the\s+\p{Lu}", r"and\s+\p{Lu}", r"The\s+\p{Lu}"])
def test_words_shorter_than_three_letters_and_common_words_are_not_anchors(pattern: str) -> None:
    assert anchors_of(pattern) == ()


@pytest.mark.parametrize("pattern", [r"\d+\s*%", r"\d+(?::|/)\d+", r"\w+[:;]\s", r"\(\w+\)"])
def test_a_rare_mark_that_must_match_is_a_clause(pattern: str) -> None:
    clauses = anchors_of(pattern)
    assert any(all(a.startswith("mark:") for a in clause) for clause in clauses)


@pytest.mark.parametrize("pattern", [r"\w+,\s", r"\w+\.", r"[“\"]\w+", r"\w+-\w+", r"\d+(?:%|,)"])
def test_a_common_mark_is_no_clause(pattern: str) -> None:
    assert not any(a.startswith("mark:") for clause in anchors_of(pattern) for a in clause)


@pytest.mark.parametrize("pattern", [r"\d", r"[0-9]", r"7", r"[12]", r"\d{1,3}"])
def test_a_digit_is_the_digit_anchor(pattern: str) -> None:
    assert anchors_of(pattern) == cnf({"digit"})


@pytest.mark.parametrize("pattern", [r"(?<![\p{L}\d.,])\d+%", r"\b\d{4}", r"(?<!\w)(?:the\s+)?\d+", r"(?<=\s)\d",
                                     r"(?<![\w/])[0-3]?\d/\d", r"(?<!\d)(?:early\s+)?(?:19|20)\d\d"])
def test_a_digit_no_digit_may_come_before_opens_a_run(pattern: str) -> None:
    assert "digit-start" in first_of(pattern) and "digit" not in first_of(pattern)
    assert anchors_of(pattern)[0] == frozenset({"digit"})  # the clause is any digit


@pytest.mark.parametrize("pattern", [r"\d+", r"(?<![.,])\d+", r"(?<=\d)\d", r"(?<![a-z])\d"])
def test_a_digit_that_may_follow_a_digit_is_any_digit(pattern: str) -> None:
    assert first_of(pattern) == frozenset({"digit"})


def test_digit_starts_are_the_digits_no_digit_comes_before() -> None:
    s = scanner("digit-start", "digit")
    assert s.of_word("2024") == (frozenset({"digit", "digit-start"}), (("digit", 0), ("digit", 1), ("digit", 2),
                                                                          ("digit", 3), ("digit-start", 0)))
    assert s.of_word("A380s")[1] == (("digit", 1), ("digit", 2), ("digit", 3), ("digit-start", 1))


def test_a_character_class_that_is_not_only_digits_is_no_anchor() -> None:
    assert anchors_of(r"[0-9a-f]") == ()
    assert anchors_of(r"[^0-9]") == ()


@pytest.mark.parametrize("pattern, flags", [(r"(?i:{city})", ()), (r"{city}", ("ignorecase",)), (r"(?i){city}", ())])
def test_a_lexicon_matched_ignoring_case_is_the_any_case_anchor(pattern: str, flags: tuple[str, ...]) -> None:
    assert anchors_of(pattern, flags=flags) == cnf({"lexicon:city~i"})


def test_a_lexicon_outside_the_ignorecase_group_keeps_its_case() -> None:
    assert set(anchors_of(r"(?i:{title})\w*{city}")) == set(cnf({"lexicon:title~i"}, {"lexicon:city"}))


@pytest.mark.parametrize("pattern, flags", [(r"{city}\s+said", ("verbose",)), (r"(?x){city} \s+ said", ())])
def test_a_verbose_pattern_has_no_anchors(pattern: str, flags: tuple[str, ...]) -> None:
    assert read(pattern, {}, LEXICONS, flags) == ((), None)


@pytest.mark.parametrize("pattern", [r"({city}", r"{city})", r"(?(1){city}|said)", r"[{city}"])
def test_a_pattern_the_reader_cannot_follow_has_no_anchors(pattern: str) -> None:
    assert read(pattern, {}, LEXICONS) == ((), None)


PATTERN_PIECES = [r"\b", r"\s+", r"\s*", r"(?<!\w)", r"(?<=in\s+)", r"(?![\w-])", r"(?!\p{L})", "the", "a", r"\d",
                  "[0-9]", r"\p{Lu}", r"\p{Ll}+", "{city}", "{title}", "{sp}", "{end}", "{after}", "(", ")", "(?:",
                  "(?i:", "|", "?", "+", "*", "{0,2}", "[", "]", "-", ",", r"\w", "$", "^", "(?=", "(?!", "(?<=",
                  "(?<!", "x", "\\", "{", "}", "(?P<n>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PATTERN_PIECES), min_size=1, max_size=12).map("".join))
def test_the_reader_never_raises_whatever_a_pattern_holds(pattern: str) -> None:
    """A rule pack's pattern is data: one the reader cannot follow gets no anchors, never an error."""
    macros = {"sp": r"(?:[^\S\n]+)", "end": r"(?![\w-])", "after": r"(?<![\w$]|\d[.,])"}
    anchors, first, leads = read_leads(pattern, macros, LEXICONS)
    assert all(a in (first or ()) for a, _ in leads)


def test_an_unknown_or_empty_lexicon_is_no_anchor() -> None:
    assert anchors_of(r"{nowhere}\s+\p{Lu}") == ()
    assert anchors_of(r"{empty}\s+\p{Lu}") == ()


def test_macros_are_followed() -> None:
    macros = {"place": r"{city}", "visit": r"visited\s+{place}"}
    assert set(anchors_of(r"\p{Lu}\w+\s+{visit}", macros)) == set(cnf({"token:visited"}, {"lexicon:city"}))
    assert first_of(r"{visit}", macros) == frozenset({"word:visited"})


def test_a_macro_inside_an_ignorecase_group_reads_its_lexicons_ignoring_case() -> None:
    assert anchors_of(r"(?i:{place})", {"place": r"{city}"}) == cnf({"lexicon:city~i"})


# ---------------------------------------------------------------------------------------------
# read: what every match starts with


def test_first_is_the_anchor_a_match_opens_with() -> None:
    assert first_of(r"{city}\s*said") == frozenset({"lexicon:city"})


def test_zero_width_assertions_before_the_first_anchor_do_not_hide_it() -> None:
    assert first_of(r"(?<![\p{L}])\b{city}") == frozenset({"lexicon:city"})


def test_first_is_a_leading_optional_part_with_the_next_required_part() -> None:
    assert first_of(r"(?:{title}\s*)?{city}\s*said") == frozenset({"lexicon:title", "lexicon:city"})


def test_first_of_an_alternation_is_every_branch_first() -> None:
    assert first_of(r"(?:{title}|\d+)\s*\p{Lu}") == frozenset({"lexicon:title", "digit"})


@pytest.mark.parametrize("pattern", [r"\w+\s+{city}", r".{city}", r"(?:\w\.\s+)?{city}", r"(?:{title}|\w+)\s+{city}",
                                     r"(?:[a-z]+\s+)?{city}", r"(?i:\p{Lu}\w+\s+){city}"])
def test_first_is_none_when_a_match_can_start_with_something_that_is_no_anchor(pattern: str) -> None:
    assert first_of(pattern) is None


def test_a_short_or_common_word_is_no_clause_but_may_come_first() -> None:
    assert read(r"(?:in\s+)?{city}", {}, LEXICONS) == (cnf({"lexicon:city"}), frozenset({"word:in", "lexicon:city"}))
    assert read(r"the\s+{city}", {}, LEXICONS) == (cnf({"lexicon:city"}), frozenset({"word:the"}))


def test_an_upper_case_letter_is_the_upper_first_anchor() -> None:
    assert read(r"\p{Lu}\w+\s+{city}", {}, LEXICONS) == (cnf({"lexicon:city"}), frozenset({"upper"}))
    assert first_of(r"[A-Z]\w+\s+{city}") == frozenset({"upper"})


def test_first_is_none_when_the_whole_pattern_may_match_nothing() -> None:
    assert read(r"(?:{city})?", {}, LEXICONS) == ((), None)


# ---------------------------------------------------------------------------------------------
# Scanner: which anchors a word holds, and where they start


def scanner(*names: str) -> Scanner:
    return Scanner.build(names, LEXICONS)


def test_a_one_word_entry_matches_the_start_of_a_longer_word() -> None:
    assert scanner("lexicon:title").of_word("Ministers") == (frozenset({"lexicon:title"}), (("lexicon:title", 0),))


def test_a_one_word_entry_does_not_match_inside_a_word() -> None:
    assert scanner("lexicon:title").of_word("Subministers")[0] == frozenset()


def held_at(text: str, *names: str) -> dict[str, list[int]]:
    w = Windows(text, [(0, len(text))], scanner(*names))
    return {name: w._at.get(name, []) for name in names}


def test_the_first_word_of_a_several_word_entry_must_be_the_whole_word() -> None:
    assert held_at("Newly built, the New York office", "lexicon:city") == {"lexicon:city": [17]}
    assert scanner("lexicon:city").of_word("Newly")[0] == frozenset()


@pytest.mark.parametrize("text", ["New York", "New  York", "New-York", "New\nYork", "New YORK", "New Yorkers"])
def test_the_first_word_of_a_several_word_entry_holds_it_where_the_second_word_follows(text: str) -> None:
    assert held_at(text, "lexicon:city") == {"lexicon:city": [0]}


@pytest.mark.parametrize("text", ["New plans", "New, York", "New. York", "New Jersey"])
def test_the_first_word_of_a_several_word_entry_alone_holds_nothing(text: str) -> None:
    assert held_at(text, "lexicon:city") == {"lexicon:city": []}


@pytest.mark.parametrize("text", ["New", "New Zürich", "a New"])
def test_a_first_word_last_or_before_a_word_it_cannot_read_holds_its_entries(text: str) -> None:
    assert held_at(text, "lexicon:city")["lexicon:city"] == [text.index("New")]


def test_a_case_sensitive_anchor_ignores_a_differently_cased_word() -> None:
    assert held_at("The Hague, the Hague, PARIS", "lexicon:city") == {"lexicon:city": [0]}


def test_an_any_case_anchor_matches_a_word_in_any_case() -> None:
    s = scanner("lexicon:city~i")
    for word in ("paris", "PARIS", "Parisian"):
        assert s.of_word(word)[0] == frozenset({"lexicon:city~i"}), word
    assert held_at("the hague THE HAGUE The Hague", "lexicon:city~i") == {"lexicon:city~i": [0, 10, 20]}


def test_a_word_anchor_reports_its_offset_inside_the_word() -> None:
    s = scanner("word:said")
    assert s.of_word("Unsaid") == (frozenset({"word:said"}), (("word:said", 2),))
    assert s.of_word("SAIDSAID")[1] == (("word:said", 0), ("word:said", 4))
    assert s.of_word("sad") == (frozenset(), ())


def test_upper_reports_every_upper_case_letter_position() -> None:
    assert scanner("upper").of_word("McDonald")[1] == (("upper", 0), ("upper", 2))


def test_digits_report_every_digit_position() -> None:
    assert scanner("digit").of_word("12a3")[1] == (("digit", 0), ("digit", 1), ("digit", 3))


def test_without_the_digit_anchor_digits_are_not_reported() -> None:
    assert scanner("word:said").of_word("2016") == (frozenset(), ())


def test_an_entry_that_starts_with_a_mark_can_be_anywhere() -> None:
    assert scanner("lexicon:money", "lexicon:city").everywhere == frozenset({"lexicon:money"})


def test_a_paragraph_holds_the_anchors_of_its_words() -> None:
    s = scanner("lexicon:city", "word:said", "digit")
    text = "In Paris, 3 aides said so."
    assert s.anchors_in(text, 0, len(text)) == {"lexicon:city", "word:said", "digit"}
    assert s.anchors_in(text, 0, 8) == {"lexicon:city"}


# ---------------------------------------------------------------------------------------------
# Windows: which paragraphs hold a rule's anchors, and where its first anchors start

TEXT = "Talks in Paris ended.\n\nA minister said 3 aides left.\n\nIn New York, 2 envoys said nothing."
SPANS = article.split_paragraphs(TEXT)


def windows(*names: str) -> Windows:
    return Windows(TEXT, SPANS, scanner(*names))


def paragraphs(*indexes: int) -> list[tuple[int, int]]:
    return [SPANS[i] for i in indexes]


def test_spans_for_picks_only_the_paragraphs_holding_every_clause() -> None:
    w = windows("lexicon:city", "word:said", "digit")
    assert w.spans_for(cnf({"lexicon:city"})) == paragraphs(0, 2)
    assert w.spans_for(cnf({"word:said"}, {"digit"})) == paragraphs(1, 2)
    assert w.spans_for(cnf({"lexicon:city"}, {"digit"})) == paragraphs(2)
    assert w.spans_for(cnf({"lexicon:city", "digit"})) == paragraphs(0, 1, 2)


def test_spans_for_a_mark_clause_picks_the_paragraphs_holding_the_mark() -> None:
    text = "Prices rose 3% in May.\n\nThe minister said so.\n\nNote: 5% more; wages too."
    w = Windows(text, article.split_paragraphs(text), scanner("mark:%", "mark::", "digit"))
    spans = article.split_paragraphs(text)
    assert w.spans_for(cnf({"mark:%"})) == [spans[0], spans[2]]
    assert w.spans_for(cnf({"mark::"}, {"digit"})) == [spans[2]]
    assert w.last_start(cnf({"mark:%"}), 0, len(text)) == text.rindex("%")


def test_a_stretch_holds_the_marks_in_it() -> None:
    s = scanner("mark:%", "digit")
    assert s.anchors_in("up 3% today", 0, 11) == {"mark:%", "digit"}
    assert s.anchors_in("up 3 today", 0, 10) == {"digit"}


@pytest.mark.parametrize("spans", [[(0, 5), (5, 23)], [(0, 3), (9, 20)], [(0, 14), (15, 23)], [(2, 23)], [(0, 16), (16, 23)]])
def test_paragraphs_read_together_hold_what_each_holds_read_alone(spans: list[tuple[int, int]]) -> None:
    text = "Parisians said 3 aides."
    s = scanner("lexicon:city", "word:said", "digit")
    together = Windows(text, spans, s)
    for bit, span in enumerate(spans):
        alone = Windows(text, [span], s)
        assert {n for n, m in together._masks.items() if m >> bit & 1} == set(alone._masks)
        assert {n: [p for p in ps if span[0] <= p < span[1]] for n, ps in together._at.items()} == \
            {n: ps for n, ps in alone._at.items()} | {n: [] for n in together._at if n not in alone._at}


def test_a_rule_without_clauses_runs_in_every_paragraph() -> None:
    assert windows("digit").spans_for(()) == paragraphs(0, 1, 2)


def test_any_in_tells_whether_a_stretch_holds_every_clause() -> None:
    w = windows("lexicon:city", "digit")
    a, b = SPANS[2]
    assert w.any_in(cnf({"lexicon:city"}, {"digit"}), a, b)
    assert not w.any_in(cnf({"lexicon:city"}, {"digit"}), *SPANS[0])


def test_starts_are_the_sorted_positions_where_a_first_anchor_starts() -> None:
    w = windows("lexicon:city", "word:said", "digit")
    want = sorted([TEXT.index("Paris"), TEXT.index("New York"), TEXT.index("3 aides"), TEXT.index("2 envoys")])
    assert w.starts(frozenset({"lexicon:city", "digit"})) == want
    assert w.starts(frozenset({"word:said"})) == [i for i in range(len(TEXT)) if TEXT.startswith("said", i)]


def test_starts_is_none_when_an_anchor_can_start_anywhere() -> None:
    w = windows("lexicon:money", "digit")
    assert w.starts(frozenset({"lexicon:money"})) is None
    assert w.starts(frozenset({"lexicon:money", "digit"})) is None
    assert w.starts(frozenset({"digit"})) is not None


def test_last_start_is_the_last_anchor_of_the_clause_that_ends_first() -> None:
    w = windows("lexicon:city", "word:said", "digit")
    a, b = SPANS[2]  # "In New York, 2 envoys said nothing."
    assert w.last_start(cnf({"lexicon:city"}), a, b) == TEXT.index("New York")
    assert w.last_start(cnf({"word:said"}), a, b) == TEXT.rindex("said")
    assert w.last_start(cnf({"word:said"}, {"lexicon:city"}), a, b) == TEXT.index("New York")
    assert w.last_start(cnf({"lexicon:city", "word:said"}), a, b) == TEXT.rindex("said")


def test_last_start_counts_only_anchors_inside_the_stretch() -> None:
    w = windows("lexicon:city", "word:said", "digit")
    a, b = SPANS[2]
    said = TEXT.rindex("said")
    assert w.last_start(cnf({"word:said"}), a, said) == a - 1  # no "said" before it: no match can start
    assert w.last_start(cnf({"digit"}), a, b) == TEXT.index("2 envoys")


def test_last_start_is_the_stretch_end_when_no_clause_tells() -> None:
    w = windows("lexicon:money", "digit")
    a, b = SPANS[1]
    assert w.last_start((), a, b) == b
    assert w.last_start(cnf({"lexicon:money"}), a, b) == b  # an entry opening with a mark is not listed


def test_prepare_without_paragraphs_leaves_the_rules_unanchored() -> None:
    run = engine.Run()
    run.prepare(shipped(), "", [])
    assert run.windows is None


# ---------------------------------------------------------------------------------------------
# The key property: with anchors, every shipped rule finds exactly what a full scan finds


@functools.cache
def shipped() -> packs.RuleSet:
    return packs.build([], None)


def text_rules() -> list[packs.Rule]:
    return [r for r in shipped().rules if r.context == "text"]


def anchored_rules() -> list[packs.Rule]:
    """The rules that anchors restrict (what their paragraphs hold, or where their matches start)."""
    return [r for r in text_rules() if r.anchors or r.first or getattr(r, "near", ())]


def scan(run: engine.Run, rule: packs.Rule, art: article.Article, sentences, pos: int, endpos: int) -> list:
    return [(m.start, m.end, m.groups) for m in engine._matches(run, rule, art.text, pos, endpos, sentences)]


def one_rule(tmp_path, pattern: str, stage: str = "entities", emit: str = "place",
             head: str = "") -> tuple[packs.RuleSet, packs.Rule]:
    """A pack of one rule, `test.rule`, with the given pattern, after `head` (lexicons, macros)."""
    pack = tmp_path / "pack"
    pack.mkdir()
    quoted = pattern.replace("'", "''")
    (pack / "rules.yaml").write_text(f"{head}rules:\n  - id: test.rule\n    stage: {stage}\n    emit: {emit}\n"
                                     f"    pattern: '{quoted}'\n", encoding="utf-8")
    rules = packs.build([pack], None)
    return rules, rules.rule("test.rule")


def anchored_and_full(rules: packs.RuleSet, rule: packs.Rule, art: article.Article) -> tuple[list, list]:
    """What the rule finds with the article's anchors, and what a scan of the whole text finds."""
    run = engine.Run()
    run.prepare(rules, art.text, art.paragraphs)
    return (scan(run, rule, art, None, art.body_start, len(art.text)),
            scan(engine.Run(), rule, art, None, art.body_start, len(art.text)))


BLANK_LINE = regex.compile(r"\n[ \t]*\n")


def spans_a_blank_line(art: article.Article, start: int, end: int) -> bool:
    return BLANK_LINE.search(art.text, start, end) is not None


def full_scan(rule: packs.Rule, art: article.Article, sentences) -> list:
    """What the rule finds without anchors. A match that spans a blank line is the one documented
    difference (anchors run a rule paragraph by paragraph); where a full scan finds one, the
    paragraphs are scanned one by one instead, still without anchors."""
    run = engine.Run()
    found = scan(run, rule, art, sentences, art.body_start, len(art.text))
    if not any(spans_a_blank_line(art, s, e) for s, e, _ in found):
        return found
    out = []
    for a, b in art.paragraphs:
        out += scan(run, rule, art, sentences, max(a, art.body_start), b)
    return out


def assert_anchored_rules_find_what_a_full_scan_finds(text: str) -> None:
    art = article.from_text(text, "x", {})
    run = engine.Run()
    run.prepare(shipped(), art.text, art.paragraphs)
    assert run.windows is not None or not art.paragraphs
    for rule in text_rules():
        for sentences in (None, art.sentences):  # with sentences, a rule with a trigger runs only where it occurs
            got = scan(run, rule, art, sentences, art.body_start, len(art.text))
            assert got == full_scan(rule, art, sentences), (rule.id, sentences is not None, text)


def windows_around_quotes(art: article.Article) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(before, after) windows as attribution reads them: ending at an opening mark or a sentence end,
    starting after a closing mark or a sentence end, never leaving the paragraph."""
    before, after = [], []
    text = art.text
    for a, b in art.paragraphs:
        sentences = [s for s in art.sentences if a <= s[0] < b]
        for sa, sb in sentences:
            before.append((sa, sb))
            after.append((sb, b) if sb < b else (sa, b))
            for i in range(sa, sb):
                if text[i] in "“\"":
                    before.append((sa, i))
                if text[i] in "”\"":
                    after.append((i + 1, b))
    return [w for w in before if w[0] < w[1]], [w for w in after if w[0] < w[1]]


def key(m: engine.Match | None):
    return None if m is None else (m.start, m.end, m.groups)


def assert_window_rules_agree_with_and_without_anchors(text: str) -> None:
    art = article.from_text(text, "x", {})
    anchored, plain = engine.Run(), engine.Run()
    anchored.prepare(shipped(), art.text, art.paragraphs)
    before, after = windows_around_quotes(art)
    for rule in shipped().rules:
        if rule.context == "before":
            for a, b in before:
                assert key(engine.match_ending(anchored, rule, art.text, a, b)) == \
                    key(engine.match_ending(plain, rule, art.text, a, b)), (rule.id, a, b, text)
        elif rule.context == "after":
            for a, b in after:
                assert key(engine.match_at(anchored, rule, art.text, a, b)) == \
                    key(engine.match_at(plain, rule, art.text, a, b)), (rule.id, a, b, text)


ARTICLES = [
    # 0
    (
        "Berg meets Demir in Paris\n\n"
        "PARIS (Reuters) - Foreign Minister Anna Berg met her Turkish counterpart, Ali Demir, in Paris on Monday, "
        "the ministry said.\n\n"
        "“We agreed on a plan for the coming year,” Berg told reporters after the talks.\n\n"
        "Demir said the two sides would meet again in Ankara in March 2017. Later, Anna said she was hopeful."
    ),
    # 1
    (
        "date: 2016-01-07\n\n"
        "Exports fell 6.5 percent in the first quarter, the statistics office said on Jan. 5, 2016.\n\n"
        "The drop, worth $3 billion, was the largest since 2009, said Economy Minister Lars Holm.\n\n"
        "“It is a hard winter for exporters,” he said."
    ),
    # 2
    (
        "Some 12,000 people marched through İstanbul last March, police said.\n\n"
        "The protest came two years ago this week, and organizers plan another on May 1.\n\n"
        "Turkish President Ali Demir said on Tuesday that the rally was peaceful."
    ),
    # 3
    (
        "PRIME MINISTER JONAS DAHL SAID ON FRIDAY THAT TAXES WOULD RISE BY 2 PERCENT.\n\n"
        "Dahl, the prime minister, told parliament in Oslo that the budget for 2018 was balanced.\n\n"
        "Opposition leader Maria Lind says the plan costs 4 billion crowns a year."
    ),
    # 4
    (
        "The United Nations Security Council will hold talks in New York next week.\n\n"
        "Ambassadors from 15 countries are expected to attend, a U.N. spokesman said.\n\n"
        "Secretary-General Anna Berg said: “The world is watching.”"
    ),
    # 5
    (
        "Mr. Ali Demir, 54, has led the party since the early 1990s.\n\n"
        "His 45-year-old deputy, Ms. Maria Lind, joined in the late nineties.\n\n"
        "The party won 38% of the vote in 2015, up from 31 percent in 2011."
    ),
    # 6
    (
        "Interest rates were cut by a quarter point at 10 a.m. on Wednesday.\n\n"
        "The central bank said inflation would stay near 2 percent through the end of the year.\n\n"
        "Analysts had expected the move since early February, according to a Reuters poll."
    ),
    # 7
    (
        "The European Union and NATO summit in Brussels opened on Thursday morning.\n\n"
        "Leaders discussed the war with Ukrainian President Olena Koval, who visited Brussels for the first time.\n\n"
        "The summit ends on Saturday, officials said."
    ),
    # 8
    (
        "German and French ministers met in Berlin on 3 April to discuss energy prices.\n\n"
        "The two ministers also discussed a pipeline with Norway, a German official said.\n\n"
        "Gas prices rose 40 percent last year, to 95 euros per megawatt hour."
    ),
    # 9
    (
        "BERLIN, March 3 (Reuters) - Chancellor Karl Weber said on Sunday he would visit Washington in the spring.\n\n"
        "Weber, who visited China last month, said the trip would focus on trade.\n\n"
        "\"Trade matters to every German family,\" Weber said."
    ),
    # 10
    (
        "Yesterday, the finance ministry reported a deficit of 3.2 billion dollars for the third quarter.\n\n"
        "That compares with a surplus of $1.5 billion a year earlier.\n\n"
        "The ministry expects growth of two percent this year and three percent in 2019, after a weak result in the latest quarter."
    ),
    # 11
    (
        "Three soldiers were killed and 14 wounded near the border on Saturday night, the army said on 2015-11-21.\n\n"
        "The attack happened at about 11 p.m., a spokesman told AFP.\n\n"
        "It was the deadliest incident since November 2014."
    ),
    # 12
    (
        "At a meeting in Geneva, Iranian and American diplomats held talks on the nuclear deal.\n\n"
        "Iranian Foreign Minister Reza Karimi and U.S. Secretary of State John Miller met for two hours.\n\n"
        "“The talks were useful,” Karimi said later."
    ),
    # 13
    (
        "The company, Nordic Steel Corp., said on Oct. 12 that it would cut 1,200 jobs by 2020.\n\n"
        "Its shares fell 8% in Stockholm, where the firm employs about 9,000 workers.\n\n"
        "Chief executive Eva Strand said the decision was painful."
    ),
    # 14
    (
        "Dr. Maria Lind, a doctor at Oslo University Hospital, says flu cases doubled in the past two weeks.\n\n"
        "Hospitals treated 3,400 patients last week, up from 1,700 the week before.\n\n"
        "She said the season usually peaks in late January."
    ),
    # 15
    (
        "The festival, held every year on Christmas Eve, drew 20,000 visitors in 2016.\n\n"
        "Organizers said the 19th century church would reopen after Easter.\n\n"
        "Tickets cost €25, or 30 dollars, the mayor said on Thanksgiving Day."
    ),
    # 16
    (
        "Russian President Viktor Orlov met with Chinese leader Wei Zhang in Moscow.\n\n"
        "The two leaders will meet again in Beijing in the autumn of 2019, the Kremlin said.\n\n"
        "Orlov told reporters: “Our ties have never been stronger.”"
    ),
    # 17
    (
        "Police arrested 23-year-old Jonas Dahl in Stockholm on Friday afternoon.\n\n"
        "He was charged the next day with the attack that left seven people injured on Dec. 24.\n\n"
        "A court hearing is set for 2 p.m. Monday, prosecutors said."
    ),
    # 18
    (
        "MADRID (AP) -- Spain's Prime Minister, Luis Garcia, said on Tuesday that talks with Catalan leaders would resume.\n\n"
        "Garcia added that his government had offered 5 billion euros in investment.\n\n"
        "“We are ready,” said Garcia."
    ),
    # 19
    (
        "In the twenties, the city had 500,000 residents; now it has nearly 2 million.\n\n"
        "The population grew by a third between 1990 and 2010, census data show.\n\n"
        "The mayor said the current trend would continue in the near future."
    ),
    # 20
    (
        "The World Bank said on 14/03/2016 that growth would slow to 2.9% this year.\n\n"
        "It had forecast 3.1 percent in January, and cut its outlook for the fourth quarter.\n\n"
        "The bank's chief economist, Paul Martin, said the risks were rising."
    ),
    # 21
    (
        "President-elect Maria Lind visited Kenya and Uganda, then met the African Union in Addis Ababa.\n\n"
        "Lind and Kenyan President Daniel Otieno discussed trade and security in Nairobi.\n\n"
        "The visit lasted three days, her office said."
    ),
    # 22
    (
        "LONDON - Britain's economy grew 0.3% in the three months to June, the Office for National Statistics said.\n\n"
        "Finance minister Emma Clark said the figures showed resilience.\n\n"
        "\"This is good news,\" Clark said, adding that wages were rising."
    ),
    # 23
    (
        "Oil prices rose to $85 a barrel on Monday, the highest since 2014.\n\n"
        "OPEC ministers will meet in Vienna on June 2 to discuss output, a source told Reuters.\n\n"
        "Saudi Arabia pumps about 10 million barrels a day, and the companies Aramco and Sabic plan to pump more."
    ),
    # 24
    (
        "An earthquake of magnitude 6.1 struck Japan early on Sunday, the meteorological agency said.\n\n"
        "There were no immediate reports of damage in Tokyo, 300 km to the north.\n\n"
        "A 5.4 magnitude aftershock followed 20 minutes later."
    ),
    # 25
    (
        "NEW YORK — The Dow Jones index fell 500 points, or 1.4 percent, on Wednesday.\n\n"
        "Traders said investors were worried about the Federal Reserve meeting next month.\n\n"
        "The index has lost 12 percent since its peak in the summer."
    ),
    # 26
    (
        "Italian Prime Minister Marco Rossi said in a statement that he would travel to Washington.\n\n"
        "Rossi plans to meet the U.S. president on July 4, the anniversary of independence.\n\n"
        "A senior aide said his visit to the United States was planned months ago, before a 10-mile march there."
    ),
    # 27
    (
        "KABUL, Afghanistan (AP) — At least 17 people died when a bus crashed on Tuesday evening.\n\n"
        "Health ministry spokesman Wahid Majroh told The Associated Press that 25 others were hurt.\n\n"
        "The crash happened on the highway linking Kabul and Kandahar."
    ),
    # 28
    (
        "Mrs. Clark, 62, served as foreign secretary from 2010 to 2014 and recently wrote a memoir.\n\n"
        "She was succeeded by her deputy, Tom Evans, who held the post for a decade.\n\n"
        "Clark now teaches at Oxford, the university said this afternoon."
    ),
    # 29
    (
        "Two thousand and nine was a hard year for the industry, said the union's president, Hans Berg.\n\n"
        "Sales fell by nineteen percent, and 4,500 workers lost their jobs over the following months.\n\n"
        "Berg said the same period next year would be better."
    ),
    # 30
    (
        "TRANSCRIPT\n\n"
        "BERG: We have made progress.\n\n"
        "DEMIR: I agree with the minister. The talks will continue tomorrow."
    ),
    # 31
    (
        "Greek and Turkish officials will hold talks in Athens on Thursday.\n\n"
        "Greece's foreign minister, Nikos Papas, said on 17 May that he hoped for a deal.\n\n"
        "“We want peace,” Papas said, adding that the meeting was the first since 2016."
    ),
    # 32
    (
        "“The count was fair,” according to the election commission.\n\n"
        "“We lost this one.” — Maria Lind.\n\n"
        "Said Berg: “Who will pay for it?”\n\n"
        "The minister defended the budget on Monday, saying: “It adds up.”"
    ),
]


def test_the_shipped_rules_have_anchors_and_firsts() -> None:
    rules = anchored_rules()
    assert len(rules) >= 40
    assert sum(1 for r in rules if r.first) >= 15


def test_every_anchored_rule_matches_somewhere_in_the_articles() -> None:
    """The articles below reach every rule whose anchors the property tests check."""
    fired: set[str] = set()
    for text in ARTICLES:
        art = article.from_text(text, "x", {})
        for rule in anchored_rules():
            if scan(engine.Run(), rule, art, None, art.body_start, len(art.text)):
                fired.add(rule.id)
    assert [r.id for r in anchored_rules() if r.id not in fired] == []


def test_every_rule_read_around_quotations_matches_somewhere_in_the_articles() -> None:
    fired: set[str] = set()
    for text in ARTICLES:
        art = article.from_text(text, "x", {})
        before, after = windows_around_quotes(art)
        for rule in shipped().rules:
            if rule.context == "before" and any(engine.match_ending(engine.Run(), rule, art.text, a, b) for a, b in before):
                fired.add(rule.id)
            if rule.context == "after" and any(engine.match_at(engine.Run(), rule, art.text, a, b) for a, b in after):
                fired.add(rule.id)
    assert [r.id for r in shipped().rules if r.context in ("before", "after") and r.id not in fired] == []


@pytest.mark.parametrize("text", ARTICLES, ids=[f"article{i}" for i in range(len(ARTICLES))])
def test_anchored_rules_find_what_a_full_scan_finds(text: str) -> None:
    assert_anchored_rules_find_what_a_full_scan_finds(text)


@pytest.mark.parametrize("text", ARTICLES, ids=[f"article{i}" for i in range(len(ARTICLES))])
def test_rules_read_before_and_after_quotations_agree_with_and_without_anchors(text: str) -> None:
    assert_window_rules_agree_with_and_without_anchors(text)


def test_a_match_spanning_a_blank_line_is_the_one_documented_difference() -> None:
    r"""A full scan lets `\s+` cross a blank line; anchored rules run paragraph by paragraph."""
    art = article.from_text("Talks ended with Mr. Jonas Dahl\n\nFrost in the air.", "x", {})
    rule = shipped().rule("people.honorific")
    run = engine.Run()
    run.prepare(shipped(), art.text, art.paragraphs)
    whole = scan(engine.Run(), rule, art, None, 0, len(art.text))
    assert [art.text[s:e] for s, e, _ in whole] == ["Mr. Jonas Dahl\n\nFrost"]
    assert [art.text[s:e] for s, e, _ in scan(run, rule, art, None, 0, len(art.text))] == ["Mr. Jonas Dahl"]


# Generated texts: news fragments in any order, cut into sentences and paragraphs anywhere.
FRAGMENTS = [
    "Foreign Minister Anna Berg", "PRIME MINISTER", "prime minister", "President Ali Demir", "Mr. Jonas Dahl",
    "Dr. Maria Lind", "Ms. Lind", "Chancellor Karl Weber", "her Turkish counterpart", "his Greek counterpart,",
    "a 45-year-old", "Berg", "Anna", "Demir", "he", "she", "the ministry", "officials", "German and French ministers",
    "the United Nations", "NATO", "Reuters", "AFP", "the World Bank", "Nordic Steel Corp.", "Ministry of Health",
    "Paris", "New York", "İstanbul", "Berlin", "Geneva", "Japan", "Spain's", "Greece", "the Kremlin",
    "said", "says", "told reporters", "added", "according to", "met", "met with", "will meet", "held talks with",
    "discussed", "visited", "his visit to", "at a meeting in", "summit", "talks", "and", "in", "on", "with",
    "the", "of", "at", "that", "would", "the companies", "the firm", "company", "group",
    "on Monday", "on Friday afternoon", "Jan. 5, 2016", "5 January 2016", "last March", "in March 2017", "May 1",
    "in May", "2015-11-21", "14/03/2016", "in 2015", "the 1990s", "the late nineties", "two years ago",
    "this morning", "earlier this week", "next month", "the first quarter", "the latest quarter", "a year earlier",
    "yesterday", "tonight", "the next day", "that same evening", "this spring", "the winter of 2019", "Christmas Eve",
    "at 10 a.m.", "at about 11 p.m. Monday", "the 19th century", "recently", "now", "in the near future",
    "the past", "the year", "the same period", "two thousand and nine",
    "6.5 percent", "38%", "nineteen percent", "$3 billion", "€25", "3.2 billion dollars", "5 billion euros",
    "12,000 people", "1,200 jobs", "seven people", "three soldiers", "a 10-mile march", "95 euros", "2 million",
    "4,500", "0.3", "17",
    "“We will win,”", "“The talks were useful.”", "\"This is good news,\"", "“", "”", "\"",
    "— Maria Lind", "Said Berg:", "saying:", "according to the ministry",
]
# A paragraph here ends a sentence: a look-around that reaches across a blank line is a known
# difference of its own (see the known bugs at the end).
SEPARATORS = [" ", " ", " ", ", ", ". ", ": ", " - ", "\n", ".\n\n", ".\n\n"]
TEXTS = st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40).map(
    lambda parts: "".join(f + s for f, s in parts))
GENERATED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(text=TEXTS)
def test_anchored_rules_find_what_a_full_scan_finds_in_generated_texts(text: str) -> None:
    assert_anchored_rules_find_what_a_full_scan_finds(text)


@GENERATED
@given(text=TEXTS)
def test_rules_read_before_and_after_quotations_agree_in_generated_texts(text: str) -> None:
    assert_window_rules_agree_with_and_without_anchors(text)


def test_every_shipped_lexicon_entry_is_found_where_it_starts() -> None:
    """Each entry of each lexicon a rule is anchored on, written as it is (and in every case for a
    lexicon read ignoring case), is found by the scanner at the position where the lexicon's own
    pattern matches it."""
    rules = shipped()
    names = {a for r in rules.rules for c in (*r.anchors, r.first or ()) for a in c if a.startswith("lexicon:")}
    for anchor in sorted(names):
        name = anchor[len("lexicon:"):]
        end = {"~w": r"(?!\w)", "~l": r"(?!\p{L})"}.get(name[-2:], "")  # a whole word, or its letters
        name = name[:-2] if end else name
        any_case = name.endswith("~i")
        lexicon = rules.lexicons[name.removesuffix("~i")]
        pattern = regex.compile(lexicon.alternation() + end, regex.IGNORECASE if any_case else 0)
        written = [v for s in lexicon.surfaces() for v in ({s, s.upper(), s.lower(), s.title()} if any_case else {s})]
        text = " ; ".join(written)
        w = Windows(text, [(0, len(text))], rules.scanner)
        starts = w.starts(frozenset({anchor}))
        if starts is None:  # an entry starts with a mark ("$"): the rule is tried everywhere
            continue
        missed = [m.group() for m in pattern.finditer(text, overlapped=True) if m.start() not in set(starts)]
        assert missed == [], anchor


# ---------------------------------------------------------------------------------------------
# Known bugs: found by the property above, kept minimal, left for the lead to fix.
# (rule, text, what a full scan finds there)

ACROSS_OR_ODD = {
    "dotted capital I": ("figures.percent", "Prices rose FİVE percent.", ["FİVE percent"]),
    "look-behind across a blank line": ("orgs.company-list", "Two companies\n\nApple rose.", ["Apple"]),
    "look-ahead across a blank line": ("dates.year", "Since 2015\n\nvoters left.", []),
}


def found_by(rule_id: str, text: str, anchored: bool) -> list[str]:
    art = article.from_text(text, "x", {})
    run = engine.Run()
    if anchored:
        run.prepare(shipped(), art.text, art.paragraphs)
    rule = shipped().rule(rule_id)
    return [art.text[s:e] for s, e, _ in scan(run, rule, art, None, art.body_start, len(art.text))]


@pytest.mark.parametrize("case", sorted(ACROSS_OR_ODD))
def test_what_a_full_scan_finds_in_the_known_bug_cases(case: str) -> None:
    rule_id, text, want = ACROSS_OR_ODD[case]
    assert found_by(rule_id, text, anchored=False) == want


def test_a_word_with_a_turkish_dotted_capital_i_is_found_as_a_full_scan_finds_it() -> None:
    rule_id, text, want = ACROSS_OR_ODD["dotted capital I"]
    assert found_by(rule_id, text, anchored=True) == want


def test_a_look_behind_does_not_reach_back_into_the_previous_paragraph() -> None:
    """Documented: paragraphs are read apart, so "companies" ending a headline does not make the
    next paragraph's first word a company (a full scan would find "Apple")."""
    rule_id, text, _ = ACROSS_OR_ODD["look-behind across a blank line"]
    assert found_by(rule_id, text, anchored=True) == []


def test_a_look_ahead_does_not_see_past_the_end_of_its_paragraph() -> None:
    """Documented: "2015" ending a paragraph is a year whatever the next paragraph starts with
    (a full scan lets "voters" after the blank line reject it)."""
    rule_id, text, _ = ACROSS_OR_ODD["look-ahead across a blank line"]
    assert found_by(rule_id, text, anchored=True) == ["2015"]


# ---------------------------------------------------------------------------------------------
# Line starts: (?m)^ is a first anchor


def test_a_caret_in_multiline_mode_is_a_line_start_first_anchor() -> None:
    assert first_of(r"(?m)^[ \t]*\p{Lu}+:") == frozenset({"line"})
    assert first_of(r"^[ \t]*\p{Lu}+:", flags=("multiline",)) == frozenset({"line"})


def test_a_caret_without_multiline_mode_is_no_anchor() -> None:
    assert first_of(r"^\p{Lu}+:") == frozenset({"upper"})


@pytest.mark.parametrize("text", [
    "Talks with Chile\n\nThe Moneda Palace, Santiago  \n\nThe leaders met.",  # spaces past the paragraph
    "Talks with Chile\n\n   The Moneda Palace, Santiago\n\nThe leaders met.",  # the line starts before the indent
    "Talks with Chile\nThe Moneda Palace, Santiago\nThe leaders met.",  # a line inside a paragraph
])
def test_a_rule_anchored_on_line_starts_finds_what_a_full_scan_finds(text: str) -> None:
    rule = shipped().rule("entities.location-line")
    assert rule.first == frozenset({"line"})
    assert found_by(rule.id, text, anchored=True) == found_by(rule.id, text, anchored=False) != []


def test_a_rule_with_only_first_anchors_reads_across_paragraphs_as_a_full_scan_does() -> None:
    rule = shipped().rule("entities.location-line")
    assert rule.first == frozenset({"line"}) and not (rule.anchors or rule.near)
    text = "Talks with Chile\n\nThe Moneda Palace, Santiago\n\nThe leaders met.\n\nOslo, Norway\n\nThey agreed."
    assert found_by(rule.id, text, anchored=True) == found_by(rule.id, text, anchored=False) != []


def test_a_rule_that_requires_a_colon_reads_only_the_paragraphs_holding_one() -> None:
    rule = shipped().rule("statements.transcript-turn")
    assert rule.first == frozenset({"line"}) and rule.anchors == (frozenset({"mark::"}),)
    text = "TRANSCRIPT\n\nBERG: We have made progress.\n\nNo colon here.\n\nDEMIR: I agree."
    assert found_by(rule.id, text, anchored=True) == found_by(rule.id, text, anchored=False) == ["BERG: ", "DEMIR: "]


def test_a_caret_with_the_w_flag_is_no_anchor() -> None:
    """With `w`, ^ also follows \r and other line breaks, which the line starts do not list (and
    \b follows Unicode's word boundaries, not the words read: the pattern is not read at all)."""
    assert first_of(r"(?mw)^[A-Z]{2,}:") is None
    assert first_of(r"(?m)^[A-Z]{2,}:") == frozenset({"line"})


@pytest.mark.parametrize("pattern", [r"(?a)\b\w+\s+met", r"(?a:\b\w+)\s+met", r"(?w)\b\w\s+met",
                                     r"(?a)\bmeeting", r"{ascii_word}\s+met"])
def test_a_pattern_with_ascii_or_unicode_word_boundaries_is_not_read(pattern: str) -> None:
    r"""Under (?a) or (?w), \b and \w are not the runs of word characters the anchors are read from."""
    assert anchors_of(pattern, {"ascii_word": r"(?a:\b\w+)"}) == () and \
        first_of(pattern, {"ascii_word": r"(?a:\b\w+)"}) is None


def test_a_lexicon_with_an_entry_opening_with_a_mark_stays_beside_the_word_starts() -> None:
    marked = Lexicon("marked", {"'Ndrangheta": {}, "Camorra": {}})
    got = read(r"(?:\b\p{Ll}+|{marked})\s+met", {}, {**LEXICONS, "marked": marked})[1]
    assert got == {"word-start", "lexicon:marked~w"}  # held where no word starts: the rule scans everything


def test_a_lexicon_whose_entries_all_start_words_is_left_to_the_word_starts() -> None:
    assert first_of(r"(?:\b\p{Ll}+|{city})\s+met") == {"word-start"}


@pytest.mark.parametrize("text", [
    "Intro line.\n\nPENCE: hi\n",
    "Intro line.\n  \nPENCE: hi\n",  # a line of spaces before the turn
    "Intro line.\n\n   PENCE: hi\nKAINE: no\n",
])
def test_line_starts_include_blank_lines_between_paragraphs(tmp_path, text: str) -> None:
    rules, rule = one_rule(tmp_path, r"(?m)^\s*(?P<speaker>[A-Z]{2,})(?=[:\s])", "quotes", "statement")
    assert rule.first == frozenset({"line"})
    anchored, full = anchored_and_full(rules, rule, article.from_text(text, "x", {}))
    assert anchored == full != []


@pytest.mark.parametrize("limit", [1, 7, 40])
def test_an_article_read_while_the_word_memory_is_cleared_gets_the_same_anchors(monkeypatch, limit: int) -> None:
    """The memory of words is cleared when full, possibly in the middle of an article."""
    import summarizer.anchors as anchors_mod
    text = ARTICLES[26] + "\n\n" + ARTICLES[31]
    art = article.from_text(text, "x", {})
    fresh = packs.build([], None).scanner
    want = Windows(art.text, art.paragraphs, fresh)
    want_at, want_masks = want._at, dict(want._masks)
    monkeypatch.setattr(anchors_mod, "_MEMO_LIMIT", limit)
    small = packs.build([], None).scanner
    small._memo.clear()
    Windows(art.text, art.paragraphs, small)  # fills (and clears) the memory first
    got = Windows(art.text, art.paragraphs, small)
    assert got._at == want_at and got._masks == want_masks
    assert small.generation > 0


# ---------------------------------------------------------------------------------------------
# Punctuation marks as first anchors


def test_a_written_mark_is_a_first_anchor_beside_others() -> None:
    assert first_of(r"(?:['‘’]\d0s|\d{4}s)") == frozenset({"mark:'", "mark:‘", "mark:’", "digit"})
    assert first_of(r"\+?\d+") == frozenset({"mark:+", "digit"})
    assert first_of(r"(?:\(|\p{Lu})\w+") == frozenset({"mark:(", "upper"})


def test_a_pattern_that_can_only_start_with_a_mark_is_left_to_the_regex_search() -> None:
    assert first_of(r",\s+\p{Lu}") is None
    assert first_of(r"[,:]\s*$") is None


def test_a_mark_is_never_a_clause() -> None:
    assert anchors_of(r"\d+,\d+") == cnf({"digit"})


def test_marks_are_found_where_they_stand() -> None:
    rules = shipped()
    assert "'" in rules.scanner.marks
    text = "The 1980s and the ’90s.\n\nIn the '70s."
    art = article.from_text(text, "x", {})
    w = Windows(art.text, art.paragraphs, rules.scanner)
    assert w.starts(frozenset({"mark:'", "mark:’"})) == [text.index("’"), text.index("'")]


_PLACES = "lexicons:\n  zcity: [Paris, New York]\nmacros:\n  zsp: '\\s'\n"


@pytest.mark.parametrize("pattern, text, head", [
    (r"\b(?:un|non-)elected\b", "The unelected council met.", ""),  # not every alternative ends with a mark
    (r"(?<!\w)(?:al|el-)?(?P<n>Assad)\b", "Bashar alAssad.", ""),
    (r"(?<=x|-)said", "unsaid and xsaid.", ""),
    (r"(?<=\b(?:un|non-))elected", "The unelected council met.", ""),
    (r"\b(?:al(?!-))?Assad", "Bashar alAssad.", ""),  # a look-ahead that ends a group is no mark
    (r"\b(?:in|at)(?=\s+{zcity})\s+\p{Lu}\w+", "They met in Parisian cafes.", _PLACES),  # inside a look-ahead
    (r"{zcity}\n?(?P<rest>\w*)", "Visit Parisian cafes.", _PLACES),  # a newline that may be absent
    (r"(?P<a>\d+)[\\/](?P<b>\d+)", "Score 5\\6 today.", ""),  # an escaped backslash is a mark
    (r"(?<![0-9])(?P<n>[0-9]+)", "Code \u06634 here.", ""),  # [0-9] lets other digits come before
    (r"{zcity}{zsp}*(?P<n>\d+)", "Route Paris2 opened.", _PLACES),  # a macro that may be absent
    (r"{zcity}{zsp}{0,2}\d+", "Route Paris2 opened.", _PLACES),
    (r"(?i:{zcity})", "They flew to istanbul airport today.", "lexicons:\n  zcity: [İstanbul Airport]\n"),
])
def test_what_a_reading_might_get_wrong_is_found_as_a_full_scan_finds_it(tmp_path, pattern: str, text: str,
                                                                         head: str) -> None:
    rules, rule = one_rule(tmp_path, pattern, head=head)
    anchored, full = anchored_and_full(rules, rule, article.from_text(f"date 2024-01-02\n\n{text}\n", "x", {}))
    assert anchored == full != []


# ---------------------------------------------------------------------------------------------
# Word starts: a pattern that can open with any word, but only at the start of one


def test_a_word_character_right_after_a_word_boundary_is_a_word_start() -> None:
    assert first_of(r"\b\p{Ll}+\s+met") == {"word-start"}


@pytest.mark.parametrize("before", [r"(?<!\w)", r"(?<=\s)", r"(?<=,\s)"])
def test_a_word_character_after_what_ends_a_word_is_a_word_start(before: str) -> None:
    assert first_of(before + r"[\p{L}\d]+ met") == {"word-start"}


def test_a_word_character_after_a_look_behind_that_allows_a_digit_before_it_is_anywhere() -> None:
    assert first_of(r"(?<![\p{L}])\p{Ll}+ met") is None


@pytest.mark.parametrize("opening", [r"[\p{L}\-]", r"\p{N}", r".", r"[^\s]"])
def test_what_may_open_with_a_mark_or_a_number_that_is_no_word_character_has_no_word_start(opening: str) -> None:
    assert first_of(r"\b" + opening + r"+ met") is None


def test_anchors_that_start_a_word_are_left_to_the_word_starts() -> None:
    assert first_of(r"\b(?:the|{city}|\p{Ll}+)\s+met") == {"word-start"}


def test_capitals_inside_a_word_stay_beside_the_word_starts() -> None:
    assert first_of(r"\b(?:\p{Lu}\w+|\p{Ll}+)\s+met") == {"word-start", "upper"}


def test_a_word_start_is_no_lead_worth_following() -> None:
    assert leads_of(r"\b(?:the\s+)?\p{Ll}+\s+met") == {}


def test_word_starts_are_where_each_word_of_the_paragraphs_begins() -> None:
    text = "Ann met Bo-Li.\n\n3 envoys met."
    w = Windows(text, article.split_paragraphs(text), scanner())
    assert w.starts(frozenset({"word-start"})) == [0, 4, 8, 11, 16, 18, 25]


def test_a_rule_tried_at_word_starts_finds_what_a_full_scan_finds(tmp_path) -> None:
    rules, rule = one_rule(tmp_path, r"\b(?P<name>\p{Ll}+\s+met\s+\p{Lu}\p{Ll}+)")
    assert rule.first == {"word-start"}
    art = article.from_text("date 2024-01-01\n\nThe envoys met Ann, x2 aides met Bo and 3rd officials met Cy.\n", "t")
    anchored, full = anchored_and_full(rules, rule, art)
    assert anchored == full and len(full) == 3


def test_a_rule_tried_at_word_starts_and_capitals_finds_a_match_opening_inside_a_word(tmp_path) -> None:
    # word starts and capitals: the capitals inside a word ("McCain") are the only ones added
    rules, rule = one_rule(tmp_path, r"(?:\b\p{Ll}+|\p{Lu}\p{Ll}+)\s+met")
    assert rule.first == {"word-start", "upper"}
    art = article.from_text("date 2024-01-01\n\nMcCain met Ann, then envoys met NATO and O'Brien met Bo.\n", "t")
    anchored, full = anchored_and_full(rules, rule, art)
    assert anchored == full
    assert [art.text[s:e] for s, e, _ in full] == ["Cain met", "envoys met", "Brien met"]


def test_a_rule_with_a_lexicon_entry_opening_with_a_mark_finds_what_a_full_scan_finds(tmp_path) -> None:
    head = "lexicons:\n  zorg: [\"'Ndrangheta\", Camorra]\n"
    rules, rule = one_rule(tmp_path, r"(?P<name>(?:\b\p{Ll}+|{zorg})\s+met)", head=head)
    art = article.from_text("date 2024-01-01\n\nPolice said 'Ndrangheta met.\n", "t")
    anchored, full = anchored_and_full(rules, rule, art)
    assert anchored == full and len(full) == 1
