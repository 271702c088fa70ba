"""The shipped region packs: their own examples pass, and each changes the output the way its region writes."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import packs, ruletest
from summarizer.api import Summarizer
from summarizer.article import from_text
from summarizer.lexicon import role_on

REGIONS = ("europe", "middle-east", "russia-eurasia", "south-asia", "us")
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "rule-authoring.md"


@pytest.fixture(scope="module")
def region() -> dict[str, Summarizer]:
    return {name: Summarizer(region=name) for name in REGIONS}


@pytest.fixture(scope="module")
def core() -> Summarizer:
    return Summarizer()


def _own_cases() -> list[tuple[str, packs.Rule, packs.Example]]:
    cases = []
    for name in REGIONS:
        ruleset = packs.build(region=name)
        cases += [(name, r, e) for r in ruleset.rules if r.pack == name for e in r.examples]
    return cases


_CASES = _own_cases()


def test_the_five_regions_are_shipped() -> None:
    assert set(REGIONS) <= set(packs.shipped_regions())


@pytest.mark.parametrize("name,rule,example", _CASES, ids=[f"{n}:{r.id}:{e.line}" for n, r, e in _CASES])
def test_region_rule_example(region: dict[str, Summarizer], name: str, rule: packs.Rule,
                             example: packs.Example) -> None:
    outcome = ruletest.run_example(region[name], rule, example, name)
    assert outcome.ok, f"{example.path}:{example.line}: {outcome.message}"


@pytest.mark.parametrize("name", REGIONS)
def test_every_region_rule_is_covered_by_its_examples(region: dict[str, Summarizer], name: str) -> None:
    summarizer = region[name]
    own = [r for r in summarizer.ruleset(name).rules if r.pack == name]
    outcomes = [ruletest.run_example(summarizer, r, e, name) for r in own for e in r.examples]
    problems = [p for p in ruletest.coverage_problems(summarizer, outcomes, name) if "/regions/" in p]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", REGIONS)
def test_a_region_keeps_the_core_examples_it_does_not_replace(region: dict[str, Summarizer], name: str) -> None:
    summarizer = region[name]
    inherited = [r for r in summarizer.ruleset(name).rules if r.pack == "core"]
    failed = [f"{r.id}: {o.message}" for r in inherited for e in r.examples
              if not (o := ruletest.run_example(summarizer, r, e, name)).ok]
    baseline = Summarizer()
    broken_in_core = {r.id for r in inherited for e in r.examples
                      if not ruletest.run_example(baseline, baseline.ruleset().rule(r.id), e).ok}
    assert not [f for f in failed if f.split(":")[0] not in broken_in_core], "\n".join(failed)


def _dates(summarizer: Summarizer, text: str) -> dict[str, str]:
    return {d.text: d.value for d in summarizer.analyze(text).dates}


def _figures(summarizer: Summarizer, text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in summarizer.analyze(text).figures]


# -- dates -----------------------------------------------------------------------------------


def test_europe_reads_a_numeric_date_day_first(region, core) -> None:
    text = "The deal was signed on 03/04/2024 in Vienna."
    assert _dates(region["europe"], text)["03/04/2024"] == "2024-04-03"
    assert _dates(core, text)["03/04/2024"] == "2024-03-04"


def test_south_asia_reads_a_numeric_date_day_first(region) -> None:
    assert _dates(region["south-asia"], "Polling ends on 03/04/2024.")["03/04/2024"] == "2024-04-03"


def test_us_reads_a_numeric_date_month_first(region) -> None:
    assert _dates(region["us"], "The deal was signed on 03/04/2024 in Ohio.")["03/04/2024"] == "2024-03-04"


def test_us_knows_federal_holidays_by_any_listed_name(region, core) -> None:
    text = "date 2024-03-01\n\nFederal offices closed on Presidents' Day."
    assert _dates(region["us"], text)["Presidents' Day"] == "2024-02-19"
    assert "Presidents' Day" not in _dates(core, text)


# -- quotation marks -------------------------------------------------------------------------


def test_europe_pairs_reversed_guillemets(region, core) -> None:
    text = "»We will not pay for this pipeline,« the minister told parliament on Tuesday."
    quotes = region["europe"].analyze(text).quotes
    assert [q.text for q in quotes] == ["We will not pay for this pipeline,"]
    assert "We will not pay for this pipeline," not in [q.text for q in core.analyze(text).quotes]


def test_europe_keeps_a_low_single_quote_inside_a_quotation(region) -> None:
    text = "„He told me ‚never again‘ and walked out of the talks,“ the mediator said."
    quotes = region["europe"].analyze(text).quotes
    assert [q.text for q in quotes] == ["He told me ‚never again‘ and walked out of the talks,"]


# -- figures ---------------------------------------------------------------------------------


def test_europe_reads_a_decimal_comma(region, core) -> None:
    text = "Inflation slowed to 2,5 percent in May."
    assert (2.5, "percent") in _figures(region["europe"], text)
    assert (2.5, "percent") not in _figures(core, text)


def test_europe_still_reads_a_comma_before_three_digits_as_thousands(region) -> None:
    assert (1500, "EUR") in _figures(region["europe"], "The city paid €1,500 for the licence.")


def test_south_asia_multiplies_lakh_and_crore(region, core) -> None:
    text = "The Centre will spend ₹3 lakh crore on highways."
    assert (3_000_000_000_000, "INR") in _figures(region["south-asia"], text)
    assert (3_000_000_000_000, "INR") not in _figures(core, text)


def test_south_asia_reads_indian_digit_grouping(region) -> None:
    assert (300000, "INR") in _figures(region["south-asia"], "Each family will get ₹3,00,000 in aid.")


# -- agencies, titles and people -------------------------------------------------------------


def test_south_asia_knows_its_agencies_by_full_name(region) -> None:
    orgs = region["south-asia"].analyze("The figures were reported by the Indo-Asian News Service.").entities
    assert [(o.name, o.extra.get("kind")) for o in orgs.organizations] == [("IANS", "news agency")]


def test_russia_eurasia_knows_belta(region, core) -> None:
    text = "BelTA said the talks went well."
    assert [o.name for o in region["russia-eurasia"].analyze(text).entities.organizations] == ["BelTA"]
    assert "BelTA" not in [o.name for o in core.analyze(text).entities.organizations]


def test_middle_east_finds_a_person_by_a_transliteration(region) -> None:
    analysis = region["middle-east"].analyze("Pezeshkiyan flew to New York on Monday.")
    assert any(y.rule == "people.known-middle-east" for y in analysis.trace)


def test_middle_east_reads_a_majlis_speaker_title(region) -> None:
    people = region["middle-east"].analyze("Majlis Speaker Reza Karimi opened the session.").entities.people
    assert [(p.name, p.title) for p in people] == [("Reza Karimi", "Majlis Speaker")]


def test_a_known_persons_role_follows_the_article_date(region) -> None:
    lexicon = region["middle-east"].ruleset("middle-east").lexicon("people_middle_east")
    raisi = lexicon.get("Raeisi")
    assert raisi["text"] == "Ebrahim Raisi"
    assert role_on(raisi, "2023-06-01") == {"title": "President", "from": "2021-08-03", "until": "2024-05-19",
                                            "country": "Iran"}
    assert role_on(raisi, "2024-10-01") is None


def test_a_known_person_is_reported_by_canonical_name_and_dated_role(region) -> None:
    art = from_text("date 2024-10-01\n\nPezeshkiyan flew to New York on Monday.", "ny.txt", {})
    people = region["middle-east"].analyze(art).entities.people
    assert [(p.name, p.title, p.country) for p in people] == [("Masoud Pezeshkian", "President", "Iran")]


def test_the_two_people_regions_combine_in_one_user_pack(tmp_path: Path) -> None:
    folder = tmp_path / "iran-russia"
    folder.mkdir()
    (folder / "pack.yaml").write_text("extends: [middle-east, russia-eurasia]\n", encoding="utf-8")
    ruleset = packs.build([folder])
    assert ruleset.chain == ["core", "middle-east", "russia-eurasia", "iran-russia"]
    assert ruleset.rule("people.known-middle-east") and ruleset.rule("people.known-russia-eurasia")


# -- selection -------------------------------------------------------------------------------


def test_front_matter_region_selects_the_pack(core) -> None:
    art = from_text("---\nregion: europe\n---\nThe deal was signed on 03/04/2024 in Vienna.\n", "a.md", {})
    analysis = core.analyze(art)
    assert analysis.region == "europe"
    assert {d.text: d.value for d in analysis.dates}["03/04/2024"] == "2024-04-03"


# -- the rule-authoring guide ----------------------------------------------------------------


def _guide_files(folder: Path) -> None:
    blocks = re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', GUIDE.read_text(encoding="utf-8"), re.S)
    assert {p for p, _ in blocks} == {"mypack/pack.yaml", "mypack/nordic.yaml", "harbour.txt"}
    for path, body in blocks:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(body, encoding="utf-8")


def _facts(folder: Path, *args: str) -> dict:
    import json
    out = subprocess.run([sys.executable, "-m", "summarizer", "facts", *args, "harbour.txt"], cwd=folder,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_guides_pack_changes_the_fact_sheet_as_the_guide_says(tmp_path: Path) -> None:
    _guide_files(tmp_path)
    sheet = _facts(tmp_path, "--rules", "mypack")
    assert [(p["name"], p["title"]) for p in sheet["people"]] == [("Kari Nordmann", "Storting President")]
    assert {d["text"]: d["value"] for d in sheet["dates"]}["02/05/2024"] == "2024-05-02"
    assert {(f["value"], f["unit"]) for f in sheet["figures"]} >= {(450000000, "NOK"), (3.5, "percent")}


def test_without_the_guides_pack_the_article_reads_as_the_guide_says(tmp_path: Path) -> None:
    _guide_files(tmp_path)
    sheet = _facts(tmp_path)
    assert [(p["name"], p["title"]) for p in sheet["people"]] == [("Kari Nordmann", "President")]
    assert {d["text"]: d["value"] for d in sheet["dates"]}["02/05/2024"] == "2024-02-05"
    assert not {(f["value"], f["unit"]) for f in sheet["figures"]} & {(450000000, "NOK"), (3.5, "percent")}


def test_the_guides_pack_passes_its_coverage_test(tmp_path: Path) -> None:
    _guide_files(tmp_path)
    out = subprocess.run([sys.executable, "-m", "summarizer", "rules", "test", "mypack", "--coverage"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert "packs: core -> europe -> mypack;" in out.stdout, out.stderr
    mine = [line for line in out.stdout.splitlines()
            if line.startswith(("FAIL", "COVERAGE")) and ("mypack" in line or "regions/europe" in line)]
    assert not mine, "\n".join(mine)
