"""Meetings, calls and visits: participants resolved, dates resolved, places, planned or held."""
from __future__ import annotations

from summarizer.api import Summarizer


def meetings(core: Summarizer, text: str) -> list[dict]:
    return core.facts(text)["meetings"]


def test_meeting_date_resolves_a_weekday_against_the_article_date(core: Summarizer) -> None:
    [m] = meetings(core, "date 2024-10-01\n\nPresident Ana Torres met Prime Minister Jonas Berg on Monday afternoon.")
    assert (m["kind"], m["date"], m["date_text"]) == ("meeting", "2024-09-30", "on Monday afternoon")


def test_a_phone_call_is_a_call(core: Summarizer) -> None:
    [m] = meetings(core, "Chancellor Klaus Weber spoke by phone with President Ana Torres.")
    assert m["kind"] == "call"
    assert [p["name"] for p in m["participants"]] == ["Klaus Weber", "Ana Torres"]


def test_a_planned_meeting_is_marked_and_dated_in_the_future(core: Summarizer) -> None:
    [m] = meetings(core, "date 2024-10-01\n\nPresident Ana Torres will meet Prime Minister Jonas Berg on Friday.")
    assert m["planned"] is True and m["date"] == "2024-10-04"


def test_the_two_ministers_resolve_to_the_ministers_named_before(core: Summarizer) -> None:
    found = meetings(core, "date 2024-10-01\n\nTrade Minister Ana Ruiz held talks with her Chilean counterpart "
                           "Pablo Rojas. The two ministers met on Monday in Lima.")
    assert len(found) == 1
    m = found[0]
    assert {p["name"] for p in m["participants"]} == {"Ana Ruiz", "Pablo Rojas"}
    assert (m["date"], m["place"]) == ("2024-09-30", "Lima")


def test_a_visit_has_one_person_and_a_place(core: Summarizer) -> None:
    [m] = meetings(core, "Prime Minister Jonas Berg visited Chile this week.")
    assert (m["kind"], [p["name"] for p in m["participants"]], m["place"]) == ("visit", ["Jonas Berg"], "Chile")


def test_an_undated_meeting_in_the_lead_happened_on_the_publication_day(core: Summarizer) -> None:
    [m] = meetings(core, "date 2013-02-28\n\nTalks in Oslo\n\nPresident Ana Torres and Prime Minister Jonas Berg "
                         "held talks in Oslo.")
    assert m["date"] == "2013-02-28"


def test_an_undated_meeting_later_in_the_story_has_no_date(core: Summarizer) -> None:
    text = ("date 2013-02-28\n\nTalks in Oslo\n\nThe talks were long.\n\nLater, President Ana Torres and "
            "Prime Minister Jonas Berg held talks in Oslo.")
    [m] = meetings(core, text)
    assert m["date"] is None


def test_a_summit_dated_after_publication_in_a_sentence_about_the_future_is_planned(core: Summarizer) -> None:
    [meeting] = core.facts("date 2024-05-02\n\nLeaders will gather at the NATO summit in Washington next month.\n")["meetings"]
    assert (meeting["date"], meeting["planned"]) == ("2024-06", True)


def test_a_caption_in_the_present_is_not_made_planned_by_its_date(core: Summarizer) -> None:
    text = "date 2024-10-01\n\nPresident Ana Torres meets Prime Minister Jonas Berg in Oslo, in December.\n"
    [meeting] = core.facts(text)["meetings"]
    assert meeting["planned"] is False


def test_the_two_leaders_are_heads_of_state_or_government_before_anyone_named_later(core: Summarizer) -> None:
    text = ("date 2024-05-02\n\nPresident Ana Torres met Chancellor Klaus Weber in Berlin on Monday. "
            "Spokeswoman Maria Lind criticised the aid. The two leaders will meet again in Oslo next month.\n")
    meetings = core.facts(text)["meetings"]
    assert [sorted(p["name"] for p in m["participants"]) for m in meetings] == [["Ana Torres", "Klaus Weber"]] * 2

