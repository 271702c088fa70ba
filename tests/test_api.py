"""The library API: a Summarizer built once serves many articles, and pickles for Spark/Dask/Ray workers."""
from __future__ import annotations

import pickle

import pytest

from summarizer import engine

from summarizer.api import Summarizer

FIRST = ("date 2024-05-14\n\nTalks in Oslo\n\nForeign Minister Ana Torres met Prime Minister Jonas Berg in Oslo "
         "on Monday. \"We agreed on the fishing quotas,\" Torres said. Exports rose 8 percent.\n")
SECOND = "date 2024-05-15\n\nThe port authority said cargo volumes fell by 3 million tonnes last year.\n"
THIRD = "No date here, and no quotation either: just a sentence about the weather in Bergen."


def test_facts_called_many_times_on_one_summarizer_gives_the_same_sheet(core):
    sheets = [core.facts(FIRST) for _ in range(3)]
    assert sheets[0] == sheets[1] == sheets[2]
    assert sheets[0]["quotes"], "the sample quotation should be found"


def test_one_article_does_not_leak_into_the_next(core):
    alone = core.facts(SECOND)
    core.facts(FIRST)
    assert core.facts(SECOND) == alone


def test_metadata_keywords_reach_the_fact_sheet(core):
    sheet = core.facts(THIRD, id="weather-1", date="2024-05-16")
    assert sheet["article"]["id"] == "weather-1"
    assert sheet["article"]["date"] == "2024-05-16"


def test_brief_can_be_called_many_times(core):
    briefs = {core.brief(FIRST, "text") for _ in range(3)}
    assert len(briefs) == 1
    assert core.brief(FIRST, "markdown") != core.brief(FIRST, "text")


def test_pickle_round_trip_gives_identical_output(core):
    clone = pickle.loads(pickle.dumps(core))
    for text in (FIRST, SECOND, THIRD):
        assert clone.facts(text) == core.facts(text)
        assert clone.brief(text) == core.brief(text)


def test_pickle_leaves_the_compiled_rules_behind():
    fresh = Summarizer()
    payload = pickle.dumps(fresh)
    assert len(payload) < 10_000, "a pickled Summarizer should carry its settings, not its compiled patterns"
    assert pickle.loads(payload)._rulesets == {}


def test_pickle_keeps_the_settings():
    original = Summarizer(timeout=0.5, profile=True)
    clone = pickle.loads(pickle.dumps(original))
    assert (clone.rule_dirs, clone.region, clone.timeout, clone.profile) == ([], None, 0.5, True)
    assert clone.facts(FIRST) == original.facts(FIRST)


def test_profile_records_time_per_rule_id():
    profiled = Summarizer(profile=True)
    profiled.facts(FIRST)
    ids = {rule.id for rule in profiled.ruleset().rules} | {engine.ANCHOR_SCAN}
    assert profiled.timings and set(profiled.timings) <= ids
    assert all(seconds >= 0 for seconds in profiled.timings.values())


def test_default_json_output_is_what_the_shipped_template_renders(core):
    import json

    from summarizer import render
    for text in (FIRST, SECOND, THIRD):
        sheet = core.facts(text)
        through_jinja = render._render(render.FORMATS["json"], None, facts=sheet)
        assert render.facts_json(sheet) == json.dumps(json.loads(through_jinja), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# facts_many: articles analysed together, stage by stage


REGIONAL = "---\nregion: russia-eurasia\ndate: 2024-10-01\n---\nRussian Prime Minister Mikhail Mishustin met Pezeshkian.\n"


def test_facts_many_gives_each_article_the_sheet_facts_gives_it_alone(core):
    texts = [FIRST, SECOND, THIRD, REGIONAL, FIRST]
    alone = [core.facts(t) for t in texts]
    assert list(core.facts_many(texts, chunk=3)) == alone


def test_facts_many_keeps_the_order_of_articles_of_different_regions(core):
    texts = [REGIONAL, SECOND, REGIONAL, THIRD]
    sheets = list(core.facts_many(texts))
    assert [s["article"]["region"] for s in sheets] == ["russia-eurasia", None, "russia-eurasia", None]


def test_an_article_that_fails_in_a_stage_gives_its_exception_and_the_others_their_sheets(core, break_quotes):
    alone = [core.facts(FIRST), core.facts(THIRD)]
    break_quotes("cargo")
    found = list(core.facts_many([FIRST, SECOND, THIRD]))
    assert isinstance(found[1], ValueError)
    assert [found[0], found[2]] == alone


def test_analyze_raises_what_stopped_its_article(core, break_quotes):
    break_quotes()
    with pytest.raises(ValueError, match="broken on purpose"):
        core.facts(FIRST)


def test_an_item_that_cannot_be_loaded_gives_its_exception_and_the_others_their_sheets(core):
    found = list(core.facts_many([FIRST, None, SECOND]))
    assert isinstance(found[1], Exception)
    assert found[0] == core.facts(FIRST) and found[2] == core.facts(SECOND)


def test_a_chunk_closes_at_its_size_in_characters(core):
    """Long articles are analysed fewer at a time, with the same fact sheets."""
    assert list(core.facts_many([FIRST, SECOND, THIRD], chunk_chars=1)) == [core.facts(t) for t in (FIRST, SECOND, THIRD)]


def test_a_kept_error_does_not_hold_the_other_articles_of_its_chunk(core, monkeypatch, break_quotes):
    import gc
    import weakref

    from summarizer import anchors
    made = []
    real_init = anchors.Windows.__post_init__

    def tracked(self):
        real_init(self)
        made.append(weakref.ref(self))

    monkeypatch.setattr(anchors.Windows, "__post_init__", tracked)
    break_quotes()
    found = list(core.facts_many([FIRST, SECOND]))
    gc.collect()
    assert all(isinstance(f, ValueError) for f in found)
    assert all(ref() is None for ref in made)


def test_the_garbage_collector_is_back_on_after_a_chunk(core, break_quotes):
    import gc
    list(core.facts_many([FIRST, SECOND]))
    assert gc.isenabled()
    break_quotes()
    with pytest.raises(ValueError):
        core.facts(FIRST)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_host_stays_off(core):
    import gc
    gc.disable()
    try:
        list(core.facts_many([FIRST]))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("value,hint", [(None, "not NoneType"), (5, "not int"), (b"date 2024-01-01", "decode bytes")])
def test_an_article_that_is_no_text_is_a_clear_type_error(core, value, hint):
    with pytest.raises(TypeError, match=hint):
        core.facts(value)

