"""Figures: value, unit, what they measure, how they changed; and what is not a figure."""
from __future__ import annotations

import pytest

from summarizer.api import Summarizer


def figures(core: Summarizer, text: str) -> list[tuple]:
    return [(f["value"], f["unit"]) for f in core.facts(text)["figures"]]


@pytest.mark.parametrize("text,value,unit", [
    ("Output grew by 6.5 percent.", 6.5, "percent"),
    ("Turnout was 70% in the capital.", 70, "percent"),
    ("Inflation eased to 3.2 pct in May.", 3.2, "percent"),
    ("The state paid $11 billion for the network.", 11_000_000_000, "USD"),
    ("The plant cost 610 million euros.", 610_000_000, "EUR"),
    ("Profit rose to 1.5 mln dlrs.", 1_500_000, "USD"),
    ("Pay rises by £1,400 a year.", 1400, "GBP"),
    ("Rebels attacked 120 ships in the strait.", 120, "ship"),
    ("The field pumps 200,000 barrels per day.", 200_000, "barrel"),
    ("The debt relief would save £3bn a year.", 3_000_000_000, "GBP"),
    ("Leave rises to nine months.", 9, "month"),
    ("The bank cut its rate by 25 basis points.", 25, "basis points"),
])
def test_figure_value_and_unit(core: Summarizer, text: str, value: float, unit: str) -> None:
    assert figures(core, text) == [(value, unit)]


@pytest.mark.parametrize("text,value,unit", [
    ("The company lost $8.2 billion last year.", 8_200_000_000, "USD"),
    ("Exports reached 4.1 bln dlrs.", 4_100_000_000, "USD"),
    ("The fund holds 0.7 million euros.", 700_000, "EUR"),
])
def test_a_decimal_times_a_scale_word_is_exact(core: Summarizer, text: str, value: int, unit: str) -> None:
    # 8.2 * 1e9 is 8199999999.999999 in binary floating point
    assert figures(core, text) == [(value, unit)]
    assert isinstance(figures(core, text)[0][0], int)


def test_a_range_gives_both_ends(core: Summarizer) -> None:
    assert figures(core, "Exports must grow 10 to 11 pct a year.") == [(10, "percent"), (11, "percent")]


@pytest.mark.parametrize("text,values", [
    ("Output will be between 4.0 and 4.5 mln bpd.", [(4_000_000, "barrel"), (4_500_000, "barrel")]),
    ("Repairs will cost $5-10 billion.", [(5_000_000_000, "USD"), (10_000_000_000, "USD")]),
    ("The storm closed 10 to 15 schools.", [(10, "school"), (15, "school")]),
])
def test_a_range_of_money_or_counts_gives_both_ends_scaled(core: Summarizer, text: str, values: list) -> None:
    assert figures(core, text) == values


def test_a_year_before_to_is_no_range(core: Summarizer) -> None:
    text = "The tax rose from 10 euros a ton in 2008 to 30 euros by 2012."
    assert (30, "EUR") in figures(core, text)


def test_measure_change_and_period_come_from_the_sentence(core: Summarizer) -> None:
    [fig] = core.facts("In 7 months, the trade turnover grew by 6.5 percent.")["figures"]
    assert (fig["measure"], fig["change"], fig["period"]) == ("trade turnover", "grew", "7 months")


@pytest.mark.parametrize("text,period", [
    ("Foreign direct investment reached $11 billion in the first half.", "the first half"),
    ("Inflation slowed to 8.4% in July.", "July"),
    ("Exports reached 3 billion euros in 2023.", "2023"),
])
def test_a_time_after_in_is_the_period_not_what_is_measured(core: Summarizer, text: str, period: str) -> None:
    [fig] = core.facts(text)["figures"]
    assert (fig.get("measure"), fig["period"]) == (None, period)


def test_a_time_after_in_is_the_period_when_the_measure_comes_before(core: Summarizer) -> None:
    [fig] = core.facts("Inflation rose 8.4% in July.")["figures"]
    assert (fig["measure"], fig["change"], fig["period"]) == ("Inflation", "rose", "July")


def test_a_large_exact_amount_keeps_its_cents(core: Summarizer) -> None:
    assert figures(core, "The debt is $34,001,493,655,565.48 now.") == [(34001493655565.48, "USD")]


@pytest.mark.parametrize("text", [
    "The law was passed in 1987 by parliament.",
    "She was 45 years old when she won.",
    "A 45-year-old man was arrested.",
    "The two ministers signed the deal.",
    "He came first in the race on March 3.",
])
def test_years_ages_dates_ordinals_and_references_are_not_figures(core: Summarizer, text: str) -> None:
    assert figures(core, text) == []
