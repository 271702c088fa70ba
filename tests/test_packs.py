"""Rule packs extend the core strictly: every override is explicit, and every mistake names file, line and id."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from summarizer import packs
from summarizer.errors import RuleError
from summarizer.lexicon import Lexicon, role_on


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rules-cache"))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def pack(tmp_path: Path, body: str, name: str = "mine", manifest: str = "extends: core\n") -> Path:
    folder = tmp_path / name
    write(folder, "pack.yaml", manifest)
    write(folder, "rules.yaml", body)
    return folder


FISH_RULE = """
    - id: figures.fish-catch
      stage: figures
      description: A catch of fish in tonnes.
      pattern: '(?P<number>\\d+)\\s+(?P<unit>tonnes)\\s+of\\s+cod'
      examples:
        - text: Boats landed 40 tonnes of cod.
          yields: {value: 40, unit: tonne}
        - text: Boats landed cod.
          yields: none
"""


# -- adding, replacing, disabling rules ------------------------------------------------------


def test_a_user_pack_adds_a_rule_after_the_core(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:\n  add:" + textwrap.indent(textwrap.dedent(FISH_RULE), "    "))
    ruleset = packs.build([folder])
    rule = ruleset.rule("figures.fish-catch")
    assert rule is not None and rule.pack == "mine"
    assert rule.path.endswith("rules.yaml") and rule.line == 3
    assert ruleset.chain == ["core", "mine"]


def test_adding_an_id_that_exists_names_file_line_and_id(tmp_path: Path) -> None:
    folder = pack(tmp_path, """
        rules:
          add:
            - id: dates.iso-date
              stage: dates
              pattern: '\\d{4}'
        """)
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.path.endswith("rules.yaml")
    assert (err.value.line, err.value.rule_id) == (3, "dates.iso-date")
    assert "already exists" in err.value.cause and "replace" in err.value.cause


def test_replacing_a_missing_id_names_file_line_and_id(tmp_path: Path) -> None:
    folder = pack(tmp_path, """
        rules:
          replace:
            - id: dates.iso-dates
              priority: 9
        """)
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.path.endswith("rules.yaml")
    assert (err.value.line, err.value.rule_id) == (3, "dates.iso-dates")
    assert "did you mean dates.iso-date" in err.value.cause


def test_disabling_a_missing_id_names_the_line_of_that_id(tmp_path: Path) -> None:
    folder = pack(tmp_path, """
        rules:
          disable:
            - dates.year
            - dates.no-such-rule
        """)
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.path.endswith("rules.yaml")
    assert (err.value.line, err.value.rule_id) == (4, "dates.no-such-rule")


def test_disabling_a_rule_removes_it_from_what_runs(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:\n  disable: [dates.year]\n")
    ruleset = packs.build([folder])
    assert ruleset.rule("dates.year") is None
    assert ruleset.rule("dates.iso-date") is not None


def test_a_replacement_changes_only_the_keys_it_gives_and_keeps_its_place(tmp_path: Path) -> None:
    core = packs.build()
    base = core.rule("dates.numeric-date")
    folder = pack(tmp_path, """
        rules:
          replace:
            - id: dates.numeric-date
              order: dmy
        """)
    rule = packs.build([folder]).rule("dates.numeric-date")
    assert (rule.order, rule.pattern, rule.priority, rule.index) == ("dmy", base.pattern, base.priority, base.index)
    assert rule.pack == "mine" and rule.replaced[0].startswith("core (")


def test_a_replacement_without_examples_keeps_the_base_examples_and_their_file(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:\n  replace:\n    - {id: dates.year, priority: 7}\n")
    rule = packs.build([folder]).rule("dates.year")
    assert rule.examples and all(e.path.endswith("dates.yaml") for e in rule.examples)


def test_rules_listed_without_add_are_added(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:" + textwrap.indent(textwrap.dedent(FISH_RULE), "  "))
    assert packs.build([folder]).rule("figures.fish-catch") is not None


def test_unknown_keys_under_rules_are_an_error(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:\n  remove: [dates.year]\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert (err.value.line, "'remove'" in err.value.cause) == (2, True)


# -- renamed ids -----------------------------------------------------------------------------


def test_a_renamed_rule_answers_to_its_old_id_with_a_warning(tmp_path: Path) -> None:
    base = pack(tmp_path, "rules:" + textwrap.indent(textwrap.dedent(FISH_RULE), "  ").replace(
        "stage: figures", "stage: figures\n    aliases: [figures.cod]"), name="base")
    user = pack(tmp_path, "rules:\n  replace:\n    - {id: figures.cod, priority: 4}\n",
                manifest="extends: ../base\n")
    ruleset = packs.build([base, user])
    assert ruleset.rule("figures.cod").id == "figures.fish-catch"
    assert ruleset.rule("figures.fish-catch").priority == 4
    assert any("'figures.cod' was renamed to 'figures.fish-catch'" in w and "rules.yaml:3" in w
               for w in ruleset.warnings)
    assert base.is_dir()


def test_an_alias_that_names_an_existing_rule_is_an_error(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:" + textwrap.indent(textwrap.dedent(FISH_RULE), "  ").replace(
        "stage: figures", "stage: figures\n    aliases: [dates.year]"))
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.rule_id == "figures.fish-catch" and "alias 'dates.year'" in err.value.cause


# -- lexicons and macros ---------------------------------------------------------------------


def test_lexicon_edits_add_remove_and_replace_entries(tmp_path: Path) -> None:
    folder = pack(tmp_path, """
        lexicons:
          title+: [Harbour Master]
          title-: [Sheriff]
          season=: {monsoon: {value: SU}}
        """)
    ruleset = packs.build([folder])
    assert "Harbour Master" in ruleset.lexicon("title") and "Sheriff" not in ruleset.lexicon("title")
    assert list(ruleset.lexicon("season")) == ["monsoon"]


def test_removing_a_missing_lexicon_entry_names_file_and_line(tmp_path: Path) -> None:
    folder = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n  title-: [Grand Vizier]\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.line == 3 and "Grand Vizier" in err.value.cause


def test_defining_an_existing_lexicon_again_is_an_error(tmp_path: Path) -> None:
    folder = pack(tmp_path, "lexicons:\n  title: [Harbour Master]\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.line == 2 and "title+:" in err.value.cause


def test_editing_a_lexicon_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    folder = pack(tmp_path, "lexicons:\n  harbour_title+: [Harbour Master]\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.line == 2 and "define it with 'harbour_title:'" in err.value.cause


def test_a_macro_is_replaced_only_with_an_equals_sign(tmp_path: Path) -> None:
    redefined = pack(tmp_path, "macros:\n  year4: '(?P<year>\\d{4})'\n", name="a")
    with pytest.raises(RuleError) as err:
        packs.build([redefined])
    assert err.value.line == 2 and "year4=:" in err.value.cause
    replaced = pack(tmp_path, "macros:\n  year4=: '(?P<year>20\\d\\d)'\n", name="b")
    assert packs.build([replaced]).macros["year4"] == "(?P<year>20\\d\\d)"


def test_replacing_a_macro_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    folder = pack(tmp_path, "macros:\n  harbour=: 'quay'\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.line == 2 and "does not exist" in err.value.cause


def test_a_pattern_naming_an_unknown_lexicon_suggests_the_close_one(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:" + textwrap.indent(textwrap.dedent(FISH_RULE), "  ").replace(
        "(?P<unit>tonnes)", "(?P<unit>{unit_words})"))
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.rule_id == "figures.fish-catch" and "did you mean unit_word" in err.value.cause


# -- pack structure --------------------------------------------------------------------------


def test_extending_an_unknown_pack_names_the_manifest_line(tmp_path: Path) -> None:
    folder = pack(tmp_path, "lexicons: {}\n", manifest="name: mine\nextends: atlantis\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.path.endswith("pack.yaml") and err.value.line == 2 and "atlantis" in err.value.cause


def test_packs_that_extend_each_other_in_a_loop_are_an_error(tmp_path: Path) -> None:
    pack(tmp_path, "lexicons: {}\n", name="a", manifest="extends: ../b\n")
    b = pack(tmp_path, "lexicons: {}\n", name="b", manifest="extends: ../a\n")
    with pytest.raises(RuleError, match="loop"):
        packs.build([tmp_path / "a", b])


def test_extends_belongs_in_the_manifest_only(tmp_path: Path) -> None:
    folder = pack(tmp_path, "extends: europe\nlexicons: {}\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert err.value.path.endswith("rules.yaml") and err.value.line == 1 and "pack.yaml" in err.value.cause


def test_a_numeric_date_order_must_be_mdy_or_dmy(tmp_path: Path) -> None:
    folder = pack(tmp_path, "rules:\n  replace:\n    - {id: dates.numeric-date, order: ymd}\n")
    with pytest.raises(RuleError) as err:
        packs.build([folder])
    assert (err.value.line, err.value.rule_id) == (3, "dates.numeric-date") and "dmy" in err.value.cause


def test_a_user_pack_may_extend_a_shipped_region(tmp_path: Path) -> None:
    folder = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n", manifest="extends: europe\n")
    ruleset = packs.build([folder])
    assert ruleset.chain == ["core", "europe", "mine"]
    assert ruleset.rule("dates.numeric-date").order == "dmy"


# -- the compiled-rules cache ----------------------------------------------------------------


def test_a_second_build_of_the_same_files_comes_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    folder = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n")
    first = packs.build([folder])
    monkeypatch.setattr(packs, "_build", lambda order: pytest.fail("the rule set was compiled again"))
    again = packs.build([folder])
    assert [r.id for r in again.rules] == [r.id for r in first.rules]


def test_editing_a_pack_reached_through_extends_rebuilds_the_cached_set(tmp_path: Path) -> None:
    base = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n", name="base")
    user = pack(tmp_path, "lexicons:\n  title+: [Lock Keeper]\n", manifest="extends: ../base\n")
    assert "Harbour Master" in packs.build([base, user]).lexicon("title")
    write(base, "rules.yaml", "lexicons:\n  title+: [Pier Master, Dock Warden]\n")
    rebuilt = packs.build([base, user]).lexicon("title")
    assert "Dock Warden" in rebuilt and "Harbour Master" not in rebuilt


def test_a_file_rewritten_with_its_old_size_and_mtime_rebuilds_the_cached_set(tmp_path: Path) -> None:
    import os
    folder = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n")
    assert "Harbour Master" in packs.build([folder]).lexicon("title")
    rules = folder / "rules.yaml"
    before = rules.stat()
    write(folder, "rules.yaml", "lexicons:\n  title+: [Harbour Mister]\n")  # as cp -p or rsync -t leave it
    os.utime(rules, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rules.stat().st_size == before.st_size
    assert "Harbour Mister" in packs.build([folder]).lexicon("title")


def test_a_manifest_rewritten_with_its_old_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    import os
    folder = pack(tmp_path, "lexicons:\n  title+: [Harbour Master]\n", manifest="extends: europe\n")
    assert packs.build([folder]).chain == ["core", "europe", "mine"]
    manifest = folder / "pack.yaml"
    before = manifest.stat()
    text = manifest.read_text(encoding="utf-8").replace("extends: europe", "extends: core  ")
    manifest.write_text(text, encoding="utf-8")
    os.utime(manifest, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert manifest.stat().st_size == before.st_size
    assert packs.build([folder]).chain == ["core", "mine"]


# -- lexicon aliases and date-bounded roles --------------------------------------------------


def test_a_lexicon_alias_matches_and_looks_up_as_its_entry() -> None:
    lex = Lexicon.from_yaml("people", {"Masoud Pezeshkian": {"aliases": ["Pezeshkiyan"], "country": "Iran"}},
                            "people.yaml", 1)
    assert lex.get("pezeshkiyan")["text"] == "Masoud Pezeshkian"
    import regex
    assert regex.fullmatch(lex.alternation(), "Pezeshkiyan")


@pytest.mark.parametrize("text", ["Minister", "Minister of State", "Minister of Defence", "Minister-of-State",
                                  "Minister of", "Ministers"])
def test_a_lexicon_matches_what_the_plain_alternation_of_its_entries_matches_longest_first(text: str) -> None:
    import regex
    entries = ["Minister", "Minister of State", "Minister of Defence", "Prime Minister"]
    lex = Lexicon.from_yaml("title", {e: {} for e in entries}, "titles.yaml", 1)
    plain = "|".join(regex.escape(e).replace(r"\ ", r"[\s\-]+") for e in sorted(entries, key=len, reverse=True))
    found, expected = regex.match(lex.alternation(), text), regex.match(f"(?:{plain})", text)
    assert (found and found.group()) == (expected and expected.group())


def test_an_entry_that_starts_a_longer_one_adds_no_repeat_to_the_pattern() -> None:
    """Each repeat in a pattern costs every regex call (the `regex` module resets them all), so
    the trie writes "Minister(?:...of State|)" rather than an optional group."""
    lex = Lexicon.from_yaml("title", {"Minister": {}, "Minister of State": {}}, "titles.yaml", 1)
    assert ")?" not in lex.alternation()


def test_an_alias_that_names_another_entry_is_an_error() -> None:
    with pytest.raises(RuleError, match="already names"):
        Lexicon.from_yaml("people", {"Ali Reza": {}, "Alireza Tangsiri": {"aliases": ["Ali Reza"]}},
                          "people.yaml", 4)


RAISI = {"country": "Iran", "roles": [
    {"title": "Head of the Judiciary", "from": "2019-03-07", "until": "2021-07-01"},
    {"title": "President", "from": "2021-08-03", "until": "2024-05"},
]}


def test_the_role_is_the_one_the_article_date_falls_in() -> None:
    assert role_on(RAISI, "2020-01-10")["title"] == "Head of the Judiciary"
    assert role_on(RAISI, "2023-02-01") == {"title": "President", "from": "2021-08-03", "until": "2024-05",
                                            "country": "Iran"}


def test_an_until_month_includes_the_whole_month() -> None:
    assert role_on(RAISI, "2024-05-31")["title"] == "President"
    assert role_on(RAISI, "2024-06-01") is None


def test_without_a_date_only_an_open_ended_role_applies() -> None:
    assert role_on(RAISI, None) is None
    assert role_on({"roles": [{"title": "Speaker", "from": "2020"}]}, None)["title"] == "Speaker"


def test_a_role_date_must_be_iso() -> None:
    with pytest.raises(RuleError, match="YYYY-MM-DD"):
        Lexicon.from_yaml("people", {"A B": {"roles": [{"title": "President", "until": "May 2024"}]}}, "p.yaml", 2)


def test_removing_an_alias_keeps_its_entry() -> None:
    lex = Lexicon.from_yaml("people", {"Vladimir Putin": {"aliases": ["Putin", "Poutine"]}}, "p.yaml", 1)
    smaller = lex.minus(Lexicon.from_yaml("people", ["Poutine"], "q.yaml", 2), "q.yaml", 2)
    assert "Poutine" not in smaller and smaller.get("Putin")["text"] == "Vladimir Putin"
