"""People, organisations, places and datelines, as news writes them."""
from __future__ import annotations

import pytest

from summarizer.api import Summarizer


def people(core: Summarizer, text: str) -> dict[str, tuple]:
    return {p["name"]: (p["title"], p["country"]) for p in core.facts(text)["people"]}


def test_title_and_demonym_before_the_name(core: Summarizer) -> None:
    assert people(core, "Brazilian Foreign Minister Carlos Almeida landed in Rome.") == {
        "Carlos Almeida": ("Foreign Minister", "Brazil")}


def test_kremlin_style_title_of_country_before_the_name(core: Summarizer) -> None:
    assert people(core, "Talks began with President of Chile Ana Torres.")["Ana Torres"] == ("President", "Chile")


def test_title_after_the_name_with_possessive_country(core: Summarizer) -> None:
    assert people(core, "Maria Lopez, Spain's foreign minister, arrived late.")["Maria Lopez"] == (
        "Foreign Minister", "Spain")


def test_upper_case_caption_titles_are_read(core: Summarizer) -> None:
    assert people(core, "GERMAN CHANCELLOR Klaus Weber meets students.")["Klaus Weber"] == ("Chancellor", "Germany")


def test_honorific_is_not_part_of_the_name_and_gives_a_title(core: Summarizer) -> None:
    assert people(core, "Gov. Ellen Marsh signed the bill.") == {"Ellen Marsh": ("Governor", None)}


def test_later_mention_by_surname_joins_the_full_name(core: Summarizer) -> None:
    sheet = core.facts("Finance Minister Peter Otieno spoke first. Otieno said the budget was balanced. "
                       "Mr Otieno then left.")
    assert [p["name"] for p in sheet["people"]] == ["Peter Otieno"]
    assert len(sheet["people"][0]["mentions"]) == 3


def test_counterpart_takes_the_demonym_but_no_title(core: Summarizer) -> None:
    assert people(core, "Economy Minister Ana Ruiz held talks with her Peruvian counterpart Luis Castro.")[
        "Luis Castro"] == (None, "Peru")


def test_a_generic_title_keeps_its_portfolio_but_not_its_institution(core: Summarizer) -> None:
    found = people(core, "Sami Haddad, director of the Central Eye Hospital, said supplies were low. "
                         "Lina Farah, Minister of Water and Irrigation, agreed.")
    assert found["Sami Haddad"][0] == "director"
    assert found["Lina Farah"][0] == "Minister of Water and Irrigation"


def test_a_name_does_not_run_across_a_blank_line(core: Summarizer) -> None:
    sheet = core.facts("Meeting with Francois Laval\n\nGeneva\n\nVladimir Orlov met Francois Laval.")
    assert sorted(p["name"] for p in sheet["people"]) == ["Francois Laval", "Vladimir Orlov"]


def test_capitalised_words_at_sentence_start_are_not_part_of_a_name(core: Summarizer) -> None:
    assert "David Osei" in people(core, "But David Osei, director general of the Ghana Chamber of Mines, disagreed.")


def test_an_age_before_a_name_marks_a_person(core: Summarizer) -> None:
    assert "Nadia Karimi" in people(core, "One of them was 31-year-old Nadia Karimi, a teacher.")


def test_known_organisations_and_agencies_have_a_kind(core: Summarizer) -> None:
    orgs = {o["name"]: o["kind"] for o in core.facts("IRNA and Reuters reported that Gazprom would pay.")[
        "organizations"]}
    assert orgs == {"IRNA": "news agency", "Reuters": "news agency", "Gazprom": "company"}


def test_an_acronym_of_a_named_organisation_is_the_same_organisation(core: Summarizer) -> None:
    orgs = core.facts("The Kenya Ports Authority (KPA) said on Monday that KPA would hire staff.")["organizations"]
    assert [o["name"] for o in orgs] == ["Kenya Ports Authority"]


@pytest.mark.parametrize("text,place", [
    ("LONDON, March 3 - Oil prices rose on Tuesday.", "LONDON"),
    ("NAIROBI, Kenya (AP) _ Suspected bombs exploded.", "NAIROBI"),
    ("KHAN YOUNIS, GAZA — The clinic closed.", "KHAN YOUNIS"),
])
def test_wire_dateline_gives_the_place_of_filing(core: Summarizer, text: str, place: str) -> None:
    dateline = core.facts(f"date 1987-03-03\n\n{text}")["article"]["dateline"]
    assert dateline["place"] == place


@pytest.mark.parametrize("published,text,date", [
    ("2024-05-02", "KESTREL BAY, May 3 - The council met on Friday.", "2024-05-03"),
    ("2024-01-01", "OSLO, Dec. 31 - The council will meet next week.", "2023-12-31"),
    ("2023-12-31", "OSLO, Jan. 1 - The council met at midnight.", "2024-01-01"),
])
def test_a_datelines_day_is_the_one_nearest_the_publication_date(core: Summarizer, published: str, text: str,
                                                                 date: str) -> None:
    sheet = core.facts(f"date {published}\n\n{text}")
    assert sheet["article"]["dateline"]["date"] == date
    assert sheet["dates"][0]["value"] == date  # the dates list says the same


def test_dateline_place_is_not_a_meeting_place(core: Summarizer) -> None:
    sheet = core.facts("date 1987-03-03\n\nLONDON, March 3 - Prime Minister Jonas Berg met President Ana Torres.")
    assert sheet["meetings"][0]["place"] is None


def test_a_family_name_written_first_alone_is_the_person_named_in_full(core: Summarizer) -> None:
    sheet = core.facts("Chinese President Xi Jinping arrived in Paris. “China is ready,” Xi said. "
                       "Later French President Emmanuel Macron met Xi.")
    assert [q["speaker"]["name"] for q in sheet["quotes"]] == ["Xi Jinping"]
    assert [sorted(p["name"] for p in m["participants"]) for m in sheet["meetings"] if m["kind"] == "meeting"] == [
        ["Emmanuel Macron", "Xi Jinping"]]


def test_a_family_first_word_that_starts_another_name_is_not_that_person(core: Summarizer) -> None:
    sheet = core.facts("Bishop Kim Wellman spoke. Kim Reem and others listened.")
    wellman = next(p for p in sheet["people"] if p["name"] == "Kim Wellman")
    assert len(wellman["mentions"]) == 1

