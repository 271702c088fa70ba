"""Who said each quotation: speakers before or after, appositions, titles, pronouns, agencies,
colons, dashes, continuations; every sentence here is written for the test."""
from __future__ import annotations

from summarizer.api import Summarizer


def _speakers(core: Summarizer, text: str) -> list[str | None]:
    return [q["speaker"]["name"] if q["speaker"] else None for q in core.facts(text)["quotes"]]


def test_a_named_speaker_after_the_quote(core: Summarizer) -> None:
    assert _speakers(core, "“The bridge opens in May,” Ana Ruiz said.") == ["Ana Ruiz"]


def test_the_verb_before_the_speaker_after_the_quote(core: Summarizer) -> None:
    assert _speakers(core, "“The bridge opens in May,” said Ana Ruiz, the city engineer.") == ["Ana Ruiz"]


def test_a_speaker_with_an_apposition(core: Summarizer) -> None:
    text = "“We treated forty people overnight,” Tom Becker, a doctor at the city hospital, said."
    assert _speakers(core, text) == ["Tom Becker"]


def test_a_speaker_with_a_party_tag(core: Summarizer) -> None:
    text = "“The vote was rushed,” Sen. Ann Cole (D-Ore.) said on Tuesday."
    assert _speakers(core, text) == ["Ann Cole"]


def test_a_speaker_after_a_partial_quote_is_not_read_from_the_next_sentence(core: Summarizer) -> None:
    text = "Foreign Minister Ana Ruiz said the deal would “open a new chapter” in relations. He added that talks went well."
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_a_speaker_after_the_verb_ends_with_its_sentence(core: Summarizer) -> None:
    text = "“We have not changed our plans,” said a Kodo spokesman. To switch suppliers would take a year."
    [quote] = core.facts(text)["quotes"]
    assert quote["speaker"]["text"] == "a Kodo spokesman"


def test_a_speaker_phrase_ends_before_the_sentences_full_stop(core: Summarizer) -> None:
    [quote] = core.facts("“The pier will reopen in May,” according to the Grain Board.")["quotes"]
    assert (quote["speaker"]["name"], quote["speaker"]["text"]) == ("Grain Board", "the Grain Board")


def test_a_delegate_is_an_honorific_not_a_sentence_end(core: Summarizer) -> None:
    text = "“This is a waste of time,” said Del. Stacey Moran of the Virgin Islands."
    assert _speakers(core, text) == ["Stacey Moran"]


def test_a_title_only_speaker_resolves_to_the_person_named_earlier(core: Summarizer) -> None:
    text = ("Mayor Nadia Rahman toured the flooded district on Monday.\n\n"
            "“Every school will reopen by September,” the mayor said.")
    assert _speakers(core, text) == ["Nadia Rahman"]


def test_a_pronoun_speaker_resolves_to_the_nearest_person(core: Summarizer) -> None:
    text = ("Peter Otieno presented the budget to parliament on Thursday.\n\n"
            "“Nobody will pay more tax this year,” he said.")
    assert _speakers(core, text) == ["Peter Otieno"]


def test_a_pronoun_skips_a_person_of_the_other_gender(core: Summarizer) -> None:
    text = ("Mr. Otieno met Ms. Wanjiru Kamau, the trade envoy, in Nairobi.\n\n"
            "“The talks went better than we hoped,” she said.")
    assert _speakers(core, text) == ["Wanjiru Kamau"]


def test_a_pronoun_speaker_keeps_its_cue_span(core: Summarizer) -> None:
    text = "“Nobody will pay more tax this year,” he said."
    quote = core.facts(text)["quotes"][0]
    a, b = quote["speaker"]["span"]
    assert text[a:b] == "he"


def test_a_news_agency_is_a_speaker(core: Summarizer) -> None:
    assert _speakers(core, "“Grain exports rose in March,” Reuters reported.") == ["Reuters"]


def test_according_to_a_source(core: Summarizer) -> None:
    text = "“The road will reopen in June,” according to the Highways Agency."
    assert _speakers(core, text) == ["Highways Agency"]


def test_a_speaker_before_a_colon(core: Summarizer) -> None:
    assert _speakers(core, "Ana Ruiz said: “The bridge opens in May and we are ready.”") == ["Ana Ruiz"]


def test_a_speaker_before_a_colon_at_the_end_of_the_previous_paragraph(core: Summarizer) -> None:
    text = "The engineer Ana Ruiz told the council:\n\n“The bridge opens in May and we are ready.”"
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_a_speaker_after_a_dash(core: Summarizer) -> None:
    assert _speakers(core, "“The bridge opens in May and we are ready.” ― Ana Ruiz") == ["Ana Ruiz"]


def test_a_report_is_a_speaker(core: Summarizer) -> None:
    text = "“The harvest was the worst in a decade,” a report from the Grain Board noted."
    assert _speakers(core, text) == ["report from the Grain Board"]


def test_speech_verbs_beyond_said(core: Summarizer) -> None:
    text = "“The bridge will not open in May,” Ana Ruiz conceded at the meeting."
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_an_interrupted_quote_has_one_speaker(core: Summarizer) -> None:
    text = "“The bridge is ready,” Ana Ruiz said, “but the road to it is not.”"
    assert _speakers(core, text) == ["Ana Ruiz", "Ana Ruiz"]


def test_a_quote_after_an_attributed_quote_in_the_same_paragraph_continues(core: Summarizer) -> None:
    text = "“The bridge is ready,” Ana Ruiz said. “The road to it will take another year.”"
    assert _speakers(core, text) == ["Ana Ruiz", "Ana Ruiz"]


def test_a_quoted_phrase_inside_reported_speech_goes_to_the_reporting_subject(core: Summarizer) -> None:
    text = "Ana Ruiz told reporters that the bridge was “ready for traffic by the end of May.”"
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_a_participle_cue_credits_the_subject_of_the_sentence(core: Summarizer) -> None:
    text = "Ana Ruiz left the meeting early, saying, “We have heard enough for one day.”"
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_the_nearest_cue_before_a_quote_wins_over_an_earlier_one(core: Summarizer) -> None:
    text = "When Lee asked about the cost of the bridge, Ana Ruiz replied: “There is nothing left to cut.”"
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_a_quote_standing_alone_after_a_sentence_about_a_person_is_theirs(core: Summarizer) -> None:
    text = ("Ana Ruiz has run the city engineering office since 2019.\n\n"
            "“Nobody expected the river to rise that fast.”")
    assert _speakers(core, text) == ["Ana Ruiz"]


def test_a_noun_that_looks_like_a_verb_is_not_the_cue(core: Summarizer) -> None:
    text = "“Prices will keep rising,” the reports said."
    quote = core.facts(text)["quotes"][0]
    assert quote["speaker"]["text"] == "the reports"
