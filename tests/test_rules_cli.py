"""`summarizer rules list|test|explain|profile`: what runs, from which pack, and whether its examples hold."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from summarizer.cli import main

FISH = """
rules:
  add:
    - id: figures.fish-catch
      stage: figures
      priority: 40
      description: A catch of fish in tonnes.
      pattern: '(?P<number>\\d+)\\s+(?P<unit>tonnes)\\s+of\\s+cod'
      examples:
        - text: Boats landed 40 tonnes of cod.
          yields: {value: 40, unit: tonne}
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rules-cache"))


def make_pack(tmp_path: Path, body: str, manifest: str = "name: fish\nextends: core\n") -> Path:
    folder = tmp_path / "fish"
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    (folder / "fish.yaml").write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_chain_and_where_each_rule_came_from(capsys) -> None:
    code, out, _ = run(capsys, "rules", "list", "--region", "europe")
    assert code == 0 and out.startswith("packs: core -> europe\n")
    line = next(ln for ln in out.splitlines() if ln.startswith("dates.numeric-date "))
    assert "europe" in line and "rules/regions/europe/dates.yaml:" in line and "(replaces core)" in line
    assert any(ln.startswith("dates.iso-date ") and "rules/core/dates.yaml:" in ln for ln in out.splitlines())


def test_list_with_a_user_pack_names_that_pack(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, FISH)
    code, out, _ = run(capsys, "rules", "list", "--rules", str(folder), "--stage", "figures")
    assert code == 0 and "packs: core -> fish" in out
    assert any(ln.startswith("figures.fish-catch ") and " fish " in ln and "fish.yaml:3" in ln
               for ln in out.splitlines())
    assert not any(ln.startswith("dates.") for ln in out.splitlines())


def test_list_regions_names_the_shipped_regions(capsys) -> None:
    code, out, _ = run(capsys, "rules", "list", "--regions")
    assert code == 0 and {"europe", "middle-east", "russia-eurasia", "south-asia", "us"} <= set(out.split())


def test_a_broken_pack_exits_2_naming_file_line_and_rule(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, "rules:\n  disable: [dates.no-such-rule]\n")
    code, out, err = run(capsys, "rules", "list", "--rules", str(folder))
    assert code == 2 and out == ""
    assert "fish.yaml:2: rule dates.no-such-rule: cannot disable a rule that does not exist" in err


def test_coverage_fails_on_a_rule_without_a_negative_example(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, FISH)
    code, out, _ = run(capsys, "rules", "test", str(folder), "--coverage")
    assert code == 1
    assert any(ln.startswith("COVERAGE") and "figures.fish-catch has no example that must yield nothing" in ln
               for ln in out.splitlines())


def test_coverage_passes_once_the_rule_has_both_kinds_of_example(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, FISH + "        - text: Boats landed cod.\n          yields: none\n")
    code, out, _ = run(capsys, "rules", "test", str(folder), "--coverage")
    assert not [ln for ln in out.splitlines() if "fish" in ln and ln.startswith(("FAIL", "COVERAGE"))]
    assert "coverage problems" in out.splitlines()[-1]
    assert code in (0, 1)  # 1 only if a core example fails, which the core's own tests report


def test_a_failing_example_is_reported_with_its_file_and_line(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, FISH.replace("yields: {value: 40, unit: tonne}", "yields: {value: 41, unit: tonne}"))
    code, out, _ = run(capsys, "rules", "test", str(folder))
    assert code == 1
    fail = next(ln for ln in out.splitlines() if ln.startswith("FAIL") and "figures.fish-catch" in ln)
    assert "fish.yaml:9" in fail and "(fish)" in fail and "'value': 41" in fail


def test_an_example_on_which_its_rule_timed_out_fails(tmp_path: Path, capsys) -> None:
    # the look-ahead backtracks for ever on a run of a's that does not end the text
    slow = FISH.replace("of\\s+cod'", "of\\s+cod(?!\\s+(?:a|a)+$)'").replace(
        "          yields: {value: 40, unit: tonne}",
        "          yields: {value: 40, unit: tonne}\n"
        "        - text: Boats landed 40 tonnes of cod aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n"
        "          yields: none")
    assert "(?:a|a)+$" in slow and "yields: none" in slow
    folder = make_pack(tmp_path, slow)
    code, out, _ = run(capsys, "rules", "test", str(folder), "--timeout", "0.2")
    assert code == 1
    fail = next(ln for ln in out.splitlines() if ln.startswith("FAIL") and "figures.fish-catch" in ln)
    assert "fish.yaml:11" in fail and "timed out" in fail


def test_using_a_renamed_id_warns_on_stderr_only(tmp_path: Path, capsys) -> None:
    base = make_pack(tmp_path, FISH.replace("stage: figures", "stage: figures\n      aliases: [figures.cod]"))
    user = tmp_path / "user"
    user.mkdir()
    (user / "pack.yaml").write_text("extends: ../fish\n", encoding="utf-8")
    (user / "more.yaml").write_text("rules:\n  replace:\n    - {id: figures.cod, priority: 41}\n", encoding="utf-8")
    code, out, err = run(capsys, "rules", "list", "--rules", str(base), "--rules", str(user))
    assert code == 0 and base.is_dir()
    assert "'figures.cod' was renamed to 'figures.fish-catch'" in err and "more.yaml:3" in err
    assert "was renamed" not in out


def test_explain_names_rule_pack_span_and_text_of_each_fact(tmp_path: Path, capsys) -> None:
    folder = make_pack(tmp_path, FISH)
    article = tmp_path / "port.txt"
    article.write_text("Boats landed 40 tonnes of cod in Tromso.\n", encoding="utf-8")
    code, out, _ = run(capsys, "rules", "explain", "--rules", str(folder), str(article))
    assert code == 0
    assert "packs merged: core -> fish" in out
    lines = out.splitlines()
    i = next(k for k, ln in enumerate(lines) if "figures.fish-catch [fish" in ln)
    assert lines[i].startswith("figure") and "fish.yaml:3" in lines[i]
    assert "span [13, 29) line 1:14: '40 tonnes of cod'" in lines[i + 1]


def test_explain_shows_the_region_chain_of_an_article_that_names_its_region(tmp_path: Path, capsys) -> None:
    article = tmp_path / "vienna.md"
    article.write_text("---\nregion: europe\n---\nThe deal was signed on 03/04/2024 in Vienna.\n", encoding="utf-8")
    code, out, _ = run(capsys, "rules", "explain", str(article))
    assert code == 0 and "packs merged: core -> europe (region europe)" in out
    assert "value='2024-04-03'" in out


def test_profile_reports_seconds_per_rule(tmp_path: Path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Exports rose 4.5 percent in March, the ministry said.\n", encoding="utf-8")
    code, out, _ = run(capsys, "rules", "profile", "--top", "3", str(article))
    assert code == 0 and out.startswith("1 article(s); packs: core")
    rows = [ln.split() for ln in out.splitlines()[2:]]
    rules = [r for r in rows if "(anchor" not in r[3]]  # the anchor scan has its own row
    assert len(rows) == 3 and all(float(r[0]) >= 0 and r[3].count(".") >= 1 for r in rules)
    assert [float(r[0]) for r in rows] == sorted((float(r[0]) for r in rows), reverse=True)
