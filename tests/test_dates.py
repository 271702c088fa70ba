"""DATES stage: what find_dates finds and the ISO values it gives, one behaviour per test.

Articles are dated Tuesday 2024-10-01 unless a test says otherwise.
"""
from __future__ import annotations

import copy

import pytest

from summarizer import article, engine, packs
from summarizer.temporal import DateFact, find_dates


@pytest.fixture(scope="module")
def ruleset():
    return packs.build()


def dates(ruleset, sentence: str, date: str | None = "2024-10-01") -> list[DateFact]:
    text = (f"date {date}\n\n" if date else "") + sentence
    return find_dates(article.from_text(text), ruleset, engine.Run())


def one(ruleset, sentence: str, date: str | None = "2024-10-01") -> DateFact:
    found = dates(ruleset, sentence, date)
    assert len(found) == 1, [(f.text, f.value) for f in found]
    return found[0]


def test_weekday_in_past_tense_is_the_last_one(ruleset):
    f = one(ruleset, "The two presidents met on Monday in the capital.")
    assert (f.text, f.value) == ("Monday", "2024-09-30")


def test_weekday_naming_the_publication_day_is_that_day(ruleset):
    assert one(ruleset, "The bank raised its rate on Tuesday.").value == "2024-10-01"


def test_weekday_in_future_tense_is_the_next_one(ruleset):
    assert one(ruleset, "The minister will fly to Oslo on Friday.").value == "2024-10-04"


def test_weekday_with_part_of_day_keeps_the_day(ruleset):
    f = one(ruleset, "Rebels attacked the town on Sunday night.")
    assert f.text == "Sunday night" and f.value.startswith("2024-09-29")


def test_last_weekday_is_strictly_before_the_anchor(ruleset):
    assert one(ruleset, "The vote was held last Tuesday.").value == "2024-09-24"


def test_preposition_is_outside_the_span_but_kept_for_display(ruleset):
    f = one(ruleset, "The leaders met on September 30 in Tehran.")
    assert f.text == "September 30" and f.text_with_prep == "on September 30"
    assert f.value == "2024-09-30"


def test_yesterday(ruleset):
    assert one(ruleset, "Parliament approved the budget yesterday.").value == "2024-09-30"


def test_tomorrow(ruleset):
    assert one(ruleset, "The court rules tomorrow.").value == "2024-10-02"


def test_last_week_is_an_iso_week(ruleset):
    f = one(ruleset, "Oil prices dropped last week.")
    assert (f.value, f.grain) == ("2024-W39", "week")


def test_this_month(ruleset):
    assert one(ruleset, "Sales slowed this month.").value == "2024-10"


def test_last_year(ruleset):
    assert one(ruleset, "Output grew last year.").value == "2023"


def test_early_next_year_is_next_year(ruleset):
    f = one(ruleset, "The line should open early next year.")
    assert (f.text, f.value) == ("early next year", "2025")


def test_month_alone_in_past_tense_is_the_previous_occurrence(ruleset):
    assert one(ruleset, "Inflation peaked in December.").value == "2023-12"


def test_month_alone_in_future_tense_is_the_next_occurrence(ruleset):
    assert one(ruleset, "Elections will be held in December.").value == "2024-12"


def test_the_tense_of_the_dates_own_clause_wins_over_a_reporting_verb_beyond_a_comma(ruleset):
    assert one(ruleset, "The president is expected to visit Moscow in December, his office said.").value == "2024-12"


def test_a_past_verb_in_the_dates_own_clause_still_makes_it_past(ruleset):
    assert one(ruleset, "The minister, who visited Moscow in December, said he would return.").value == "2023-12"


def test_a_contract_month_lies_ahead_even_in_a_past_sentence(ruleset):
    assert one(ruleset, "Brent crude for February delivery fell 35 cents.").value == "2025-02"


def test_a_month_before_shipments_in_a_past_sentence_is_past(ruleset):
    assert one(ruleset, "In May shipments rose 5 percent, the ministry said.").value == "2024-05"


def test_last_month_name_is_the_latest_past_one(ruleset):
    assert one(ruleset, "The firm was sold last April.").value == "2024-04"


def test_month_and_day(ruleset):
    f = one(ruleset, "The embassy reopened on March 3.")
    assert (f.text, f.value) == ("March 3", "2024-03-03")


def test_abbreviated_month_and_day(ruleset):
    assert one(ruleset, "Trading resumed Sept. 11.").value == "2024-09-11"


def test_day_month_year(ruleset):
    f = one(ruleset, "The accord was signed on 3 March 1987 in Geneva.")
    assert (f.text, f.value) == ("3 March 1987", "1987-03-03")


def test_month_day_year(ruleset):
    assert one(ruleset, "The accord was signed on March 3, 1987.").value == "1987-03-03"


def test_month_and_year(ruleset):
    assert one(ruleset, "The mine closed in August 1988.").value == "1988-08"


def test_year_alone(ruleset):
    f = one(ruleset, "The party was founded in 1987.")
    assert (f.text, f.value) == ("1987", "1987")


def test_decade(ruleset):
    f = one(ruleset, "The tariffs date from the 1980s.")
    assert f.value == "198" and "1980s" in f.text


def test_quarter(ruleset):
    f = one(ruleset, "Profit doubled in the first quarter of 2023.")
    assert f.value == "2023-Q1"


def test_years_ago(ruleset):
    assert one(ruleset, "The bridge collapsed two years ago.").value == "2022"


def test_iso_date(ruleset):
    assert one(ruleset, "The filing is dated 2023-11-05.").value == "2023-11-05"


def test_durations_are_not_dates(ruleset):
    assert dates(ruleset, "The siege lasted two years, and talks went on for three weeks.") == []


def test_a_month_as_duration_is_not_a_date(ruleset):
    assert dates(ruleset, "It took a month to rebuild the road.") == []


def test_may_the_verb_is_not_a_date(ruleset):
    assert dates(ruleset, "May the talks succeed, she said; prices may rise.") == []


def test_may_after_a_preposition_is_a_month(ruleset):
    assert one(ruleset, "The law took effect in May.").value == "2024-05"


def test_march_the_verb_is_not_a_date(ruleset):
    assert dates(ruleset, "Workers March through the city; they march again later.") == []


def test_counts_and_money_are_not_years(ruleset):
    assert dates(ruleset, "Police counted 1990 protesters and $2000 in damage.") == []


def test_numeric_date_is_month_first_by_default(ruleset):
    assert one(ruleset, "The deal closed on 10/01/2023.").value == "2023-10-01"


def test_numeric_date_day_first_with_order_dmy(ruleset):
    dmy = copy.copy(ruleset)
    dmy.rules = [copy.copy(r) for r in ruleset.rules]
    for r in dmy.rules:
        if r.id == "dates.numeric-date":
            r.order = "dmy"
    assert one(dmy, "The deal closed on 10/01/2023.").value == "2023-01-10"


def test_without_anchor_relative_dates_have_no_value(ruleset):
    found = dates(ruleset, "The ministers met yesterday and again on Friday.", date=None)
    assert [f.value for f in found] == [None, None]


def test_without_anchor_absolute_dates_still_resolve(ruleset):
    found = dates(ruleset, "The treaty of March 3, 1987 was revised in 1990.", date=None)
    assert [f.value for f in found] == ["1987-03-03", "1990"]


def test_present_reference(ruleset):
    assert one(ruleset, "The company now employs 400 people.").value == "PRESENT_REF"


def test_dates_are_in_text_order_and_do_not_overlap(ruleset):
    found = dates(ruleset, "On Monday, March 3, 2024, and again last week, the court sat.")
    spans = [f.span for f in found]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_anaphoric_date_counts_from_the_date_before_it(ruleset):
    found = dates(ruleset, "The accord was signed on March 3, 1987, and ratified the following month.")
    assert [(f.text, f.value) for f in found] == [("March 3, 1987", "1987-03-03"), ("the following month", "1987-04")]


def test_century(ruleset):
    assert one(ruleset, "The bridge was built in the 19th century.").value == "18"
