"""The library API: a Summarizer built once serves many articles, and pickles for Spark/Dask/Ray workers."""
from __future__ import annotations

import pickle

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
