"""The command line as a user meets it: outputs, determinism and exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "iran-russia-2024-10-01.txt"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          input=stdin, cwd=ROOT, timeout=120)


def test_facts_twice_gives_identical_bytes(capsys: pytest.CaptureFixture) -> None:
    assert main(["facts", str(SEED)]) == 0
    first = capsys.readouterr().out
    assert main(["facts", str(SEED)]) == 0
    assert capsys.readouterr().out == first


def test_facts_prints_the_contract_schema(capsys: pytest.CaptureFixture) -> None:
    main(["facts", str(SEED)])
    sheet = json.loads(capsys.readouterr().out)
    assert sheet["schema"] == "summarizer.factsheet/1"
    assert sheet["article"]["date"] == "2024-10-01"


def test_brief_reads_stdin() -> None:
    done = run("brief", "--format", "text", "-",
               stdin="date 2024-03-01\n\nVotes counted\n\nAna Ruiz met Pedro Alves in Lima on Friday.\n")
    assert done.returncode == 0, done.stderr
    assert "Ana Ruiz and Pedro Alves met in Lima" in done.stdout


def test_a_broken_rule_file_exits_2_naming_the_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: people.x\n    stage: entities\n    pattern: '(unclosed'\n",
                                       encoding="utf-8")
    assert main(["facts", "--rules", str(tmp_path), str(SEED)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:2" in err and "people.x" in err


def test_invalid_yaml_in_a_rules_folder_exits_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    assert main(["facts", "--rules", str(tmp_path), str(SEED)]) == 2
    assert "broken.yaml" in capsys.readouterr().err


def test_an_unreadable_article_exits_2_and_the_others_are_still_processed(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\u00e9 owners met the mayor.".encode("latin-1"))
    code = main(["facts", "--jsonl", str(bad), str(SEED)])
    captured = capsys.readouterr()
    assert code == 2
    assert "latin.txt" in captured.err and "byte 3" in captured.err
    assert json.loads(captured.out.splitlines()[0])["article"]["date"] == "2024-10-01"


def test_a_custom_template_that_renders_broken_json_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    template = tmp_path / "t.json.j2"
    template.write_text('{"schema": {{ facts.schema | json }},}', encoding="utf-8")
    assert main(["facts", "--template", str(template), str(SEED)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_a_custom_brief_template_is_rendered(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("{{ facts.people | length }} people on {{ facts.article.date }}", encoding="utf-8")
    assert main(["brief", "--template", str(template), str(SEED)]) == 0
    assert capsys.readouterr().out == "7 people on 2024-10-01\n"


def test_an_oversized_article_is_refused_and_the_others_are_still_processed(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    big = tmp_path / "dump.txt"
    big.write_text("Ana Ruiz met Pedro Alves in Lima. " * 400, encoding="utf-8")
    code = main(["facts", "--jsonl", "--max-mb", "0.01", str(big), str(SEED)])
    captured = capsys.readouterr()
    assert code == 2 and "dump.txt" in captured.err and "--max-mb" in captured.err
    assert captured.out.count("\n") == 1


def test_output_does_not_depend_on_the_hash_seed() -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "summarizer", "facts", "--jsonl", "samples"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") >= 4
