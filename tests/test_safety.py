"""Rules and templates are untrusted data: they can neither run code nor read files they were not given.

Templates render in Jinja's immutable sandbox with a loader that sees only the shipped templates;
rule packs are read with a safe YAML loader (no python tags, no includes).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import packs, render
from summarizer.cli import main
from summarizer.errors import RuleError, TemplateError

ARTICLE = "date 2024-04-02\n\nMayor Lena Dahl opened the harbour on Monday.\n"
SECRET = "hunter2-do-not-leak"

HOSTILE_TEMPLATES = {
    "class of a string": "{{ ''.__class__.__mro__ }}",
    "subclasses walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "class of the facts": "{{ facts.__class__ }}",
    "globals of a builtin global": "{{ cycler.__init__.__globals__ }}",
    "globals of lipsum": "{{ lipsum.__globals__['os'] }}",
    "private template reference": "{{ self._TemplateReference__context }}",
    "format string escape": "{{ '{0.__class__}'.format(facts) }}",
    "mutating the facts": "{{ facts.people.append(1) }}",
    "include an absolute path": "{% include '/etc/passwd' %}",
    "include a parent path": "{% include '../../../../../etc/passwd' %}",
    "extend an absolute path": "{% extends '/etc/passwd' %}",
    "import a module": "{% import 'os' as os %}{{ os.system('id') }}",
}


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.mark.parametrize("source", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_template_is_refused_by_the_cli_with_a_usage_error(source, tmp_path, article, capsys):
    template = tmp_path / "hostile.j2"
    template.write_text(source, encoding="utf-8")
    assert main(["facts", "--template", str(template), str(article)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(template) in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("source", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_template_raises_template_error_from_facts_json(source, tmp_path, core):
    template = tmp_path / "hostile.j2"
    template.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError):
        render.facts_json(core.facts(ARTICLE), str(template))


def test_attribute_escapes_are_named_as_refused_by_the_sandbox(tmp_path, core):
    template = tmp_path / "hostile.j2"
    template.write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="refused by the sandbox"):
        render.facts_json(core.facts(ARTICLE), str(template))


def test_a_template_asking_for_a_huge_range_is_refused(tmp_path, core):
    template = tmp_path / "hostile.j2"
    template.write_text("{{ range(10**9) | list }}", encoding="utf-8")
    with pytest.raises(TemplateError):
        render.facts_json(core.facts(ARTICLE), str(template))


@pytest.mark.parametrize("source,why", [
    ('{{ "x" * 1000000000 }}', "repeat"),
    ("{{ [0] * 10**8 }}", "repeat"),
    ("{{ 10 ** 10000000 }}", "power"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'x' * 64 }}{% endfor %}{% endfor %}", "output"),
    ("{{ (['x' * 1000] * 1000000)|join|length }}", "join"),
    ("{{ '%0300000000d' % 1 }}", "format width"),
    ("{{ '{:300000000}'.format(1) }}", "format width"),
    ("{{ 'x'|center(300000000) }}", "width"),
    ("{{ '%0300000000d'|format(1) }}", "width"),
], ids=["string repeat", "list repeat", "power", "output", "join", "percent", "str.format", "center", "format filter"])
def test_a_template_asking_for_too_much_memory_is_refused(tmp_path, core, source, why):
    template = tmp_path / "hostile.j2"
    template.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match=f"refused by the sandbox: .*{why}"):
        render.brief(core.facts(ARTICLE), template=str(template))


def test_a_template_that_loops_for_ever_is_stopped(tmp_path, core, monkeypatch):
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.3)
    template = tmp_path / "hostile.j2"
    template.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                        encoding="utf-8")
    with pytest.raises(TemplateError, match="ran longer than 0.3 s"):
        render.brief(core.facts(ARTICLE), template=str(template))


def test_small_repeats_and_powers_still_render(tmp_path, core):
    template = tmp_path / "fine.j2"
    template.write_text("{{ '-' * 3 }}{{ [1] * 2 }}{{ 2 ** 10 }}{{ '%3d' % 7 }}{{ 'ab'|center(4) }}"
                        "{{ ['a', 'b']|join('+') }}{{ '{:>3}'.format(1) }}", encoding="utf-8")
    assert render.brief(core.facts(ARTICLE), template=str(template)) == "---[1, 1]1024  7 ab a+b  1\n"


def test_a_template_cannot_read_a_file_beside_it(tmp_path, core):
    (tmp_path / "secret.j2").write_text(SECRET, encoding="utf-8")
    template = tmp_path / "hostile.j2"
    template.write_text("{% include 'secret.j2' %}", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render.facts_json(core.facts(ARTICLE), str(template))
    assert SECRET not in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Rule packs


def pack_with(tmp_path: Path, text: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / "pack.yaml").write_text("name: mine\nextends: core\n", encoding="utf-8")
    (pack / "rules.yaml").write_text(text, encoding="utf-8")
    return pack


@pytest.mark.parametrize("yaml_text", [
    "lexicons:\n  x: !!python/object/apply:os.system ['echo owned']\n",
    "lexicons:\n  x: !!python/name:builtins.open\n",
    "lexicons:\n  x: !!python/object/new:subprocess.Popen [['id']]\n",
    "macros:\n  m: !!python/object/apply:builtins.eval ['1+1']\n",
], ids=["object/apply", "name", "object/new", "eval"])
def test_python_yaml_tags_are_rejected_with_file_and_line(yaml_text, tmp_path):
    pack = pack_with(tmp_path, yaml_text)
    with pytest.raises(RuleError) as caught:
        packs.build([pack])
    assert caught.value.path == str(pack / "rules.yaml") and caught.value.line == 2


def test_an_include_tag_cannot_pull_in_another_file(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"password: {SECRET}\n", encoding="utf-8")
    pack = pack_with(tmp_path, f"lexicons:\n  x: !include {secret}\n")
    with pytest.raises(RuleError) as caught:
        packs.build([pack])
    assert SECRET not in str(caught.value)


def test_an_alias_cannot_reach_an_anchor_in_another_file(tmp_path):
    pack = pack_with(tmp_path, "lexicons:\n  x: *defined_elsewhere\n")
    (pack / "other.yaml").write_text("macros:\n  m: &defined_elsewhere 'x'\n", encoding="utf-8")
    with pytest.raises(RuleError, match="alias"):
        packs.build([pack])


def test_extends_cannot_reach_a_folder_outside_the_given_packs(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "creds.yaml").write_text(f"password: {SECRET}\n", encoding="utf-8")
    pack = tmp_path / "given" / "pack"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(f"name: mine\nextends: {outside}\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        packs.build([pack])
    assert "creds.yaml" not in str(caught.value) and "password" not in str(caught.value)


def _outside_pack(tmp_path: Path) -> Path:
    """A real pack (pack.yaml and all) in a folder nobody gave the program."""
    outside = tmp_path / "outside" / "evil"
    outside.mkdir(parents=True)
    (outside / "pack.yaml").write_text("name: evil\nextends: core\n", encoding="utf-8")
    (outside / "r.yaml").write_text("lexicons:\n  title+: [Grand Overlord]\n", encoding="utf-8")
    return outside


def _climb_to(target: Path, start: str = "") -> str:
    """target, written relative to a folder of the shipped packs (../../..)."""
    import os
    return os.path.relpath(target, packs._packs_root() / start)


@pytest.mark.parametrize("how", ["absolute", "climbing"])
def test_extends_cannot_name_a_pack_outside_the_given_ones(tmp_path, how):
    outside = _outside_pack(tmp_path)
    ref = str(outside) if how == "absolute" else _climb_to(outside)
    pack = tmp_path / "given" / "pack"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(f"name: mine\nextends: {ref}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="outside this pack|unknown pack"):
        packs.build([pack])


@pytest.mark.parametrize("how", ["absolute", "climbing"])
def test_a_region_is_a_shipped_name_not_a_path(tmp_path, how):
    outside = _outside_pack(tmp_path)
    region = str(outside) if how == "absolute" else _climb_to(outside, "regions")
    with pytest.raises(RuleError, match="unknown region"):
        packs.build([], region)


def test_an_articles_region_cannot_load_a_pack_from_a_path(tmp_path, core):
    outside = _outside_pack(tmp_path)
    text = f"---\ndate: 2024-05-02\nregion: {outside}\n---\n\nGrand Overlord Carl Jensen opened the quay.\n"
    people = core.facts(text)["people"]
    assert all(p.get("title") != "Grand Overlord" for p in people)

