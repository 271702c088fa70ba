"""Finding quotations: the marks news uses, quotes over paragraphs, and what is not a quote."""
from __future__ import annotations

from summarizer.api import Summarizer


def _quotes(core: Summarizer, text: str) -> list[str]:
    return [q["text"] for q in core.facts(text)["quotes"]]


def test_straight_double_marks_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, 'The mayor spoke. "We will open the bridge in May," she said.') == \
        ["We will open the bridge in May,"]


def test_curly_double_marks_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, "The mayor spoke. “We will open the bridge in May,” she said.") == \
        ["We will open the bridge in May,"]


def test_curly_single_marks_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, "The mayor spoke. ‘We will open the bridge in May,’ she said.") == \
        ["We will open the bridge in May,"]


def test_doubled_apostrophes_newspaper_style_make_a_quote(core: Summarizer) -> None:
    text = "The mayor spoke. ''We will open the bridge in May,'' she said."
    assert _quotes(core, text) == ["We will open the bridge in May,"]


def test_backtick_pairs_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, "The mayor spoke. ``We will open the bridge in May,'' she said.") == \
        ["We will open the bridge in May,"]


def test_guillemets_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, "Le maire a parlé. «Nous ouvrirons le pont en mai», a-t-elle dit.") == \
        ["Nous ouvrirons le pont en mai"]


def test_low_high_marks_make_a_quote(core: Summarizer) -> None:
    assert _quotes(core, "Die Bürgermeisterin sagte: „Wir öffnen die Brücke im Mai.“") == \
        ["Wir öffnen die Brücke im Mai."]


def test_apostrophes_inside_a_quote_do_not_close_it(core: Summarizer) -> None:
    text = "She spoke. ‘We don’t know if the ministers’ plan can’t work,’ she said."
    assert _quotes(core, text) == ["We don’t know if the ministers’ plan can’t work,"]


def test_a_quote_over_several_paragraphs_in_straight_marks_is_one_quote(core: Summarizer) -> None:
    text = ('Ambassador Kazem Jalali spoke on Sunday.\n\n"The visit will focus on energy.\n\n'
            '"We also expect progress on the corridor," the ambassador said.')
    sheet = core.facts(text)
    assert [(q["text"], q["speaker"]["name"]) for q in sheet["quotes"]] == [
        ("The visit will focus on energy. We also expect progress on the corridor,", "Kazem Jalali")]
    assert sheet["problems"] == []


def test_a_quote_over_several_paragraphs_is_one_quote(core: Summarizer) -> None:
    text = ("The coach spoke after the game.\n\n"
            "“We played well in the first half and kept the ball.\n\n"
            "“In the second half we lost our shape and paid for it.”\n\nThe season ends in May.")
    assert _quotes(core, text) == ["We played well in the first half and kept the ball. "
                                   "In the second half we lost our shape and paid for it."]


def test_an_interrupted_quote_is_two_quotes(core: Summarizer) -> None:
    text = "The coach spoke. “We played well,” he said, “but we lost our shape late on.”"
    assert _quotes(core, text) == ["We played well,", "but we lost our shape late on."]


def test_an_unclosed_quote_does_not_stop_the_rest_of_the_article(core: Summarizer) -> None:
    text = ("The coach spoke. “We played well and kept the ball all day\n\n"
            "The club said ticket sales rose. “It was our best season yet,” a spokesman said.")
    sheet = core.facts(text)
    assert "It was our best season yet," in [q["text"] for q in sheet["quotes"]]
    assert any(p["kind"] == "unbalanced-quote" for p in sheet["problems"])


def test_scare_quotes_are_not_quotes(core: Summarizer) -> None:
    assert _quotes(core, "Critics called the budget “reckless” and the plan “naive”.") == []


def test_titles_of_works_are_not_quotes(core: Summarizer) -> None:
    assert _quotes(core, "She appeared on “The Morning Round Table” last week.") == []


def test_a_quote_in_the_headline_is_left_to_the_body(core: Summarizer) -> None:
    text = ("Mayor: ‘The Bridge Opens in May’\n\n"
            "The mayor spoke on Monday. “The bridge opens in May and we are ready,” she said.")
    assert _quotes(core, text) == ["The bridge opens in May and we are ready,"]


def test_a_transcript_turn_is_a_statement_not_a_quote(core: Summarizer) -> None:
    text = ("The interview went on.\n\nHOST: What will you do about the bridge this year?\n\n"
            "RUIZ: We will open it in May and charge no toll.")
    sheet = core.facts(text)
    assert sheet["quotes"] == []
    assert [s["speaker"]["name"] for s in sheet["statements"]] == ["Host", "Ruiz"]


def test_a_transcript_turn_inside_quotation_marks_is_a_statement(core: Summarizer) -> None:
    text = ("Part of the interview follows.\n\n"
            "\"HOST: What will you do about the bridge this year?\n\n"
            "\"RUIZ: We will open it in May and charge no toll.\"")
    sheet = core.facts(text)
    assert sheet["quotes"] == []
    assert len(sheet["statements"]) == 2


def test_a_straight_mark_opening_a_sentence_inside_an_open_quotation_continues_it(core: Summarizer) -> None:
    # a page that flattened a two-paragraph quotation keeps the second paragraph's opening mark
    text = ('The minister said: "We cut the waiting list by half this year. "Next year we will cut it '
            'again, and the year after that too."')
    assert _quotes(core, text) == [
        "We cut the waiting list by half this year. Next year we will cut it again, and the year after that too."]
