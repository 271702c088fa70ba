"""The shipped samples: their fact sheets and briefs are golden files (python tests/regen_golden.py)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import regen_golden  # noqa: E402

ARTICLES = regen_golden.articles()


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_sample_output_matches_its_golden_files(article: Path) -> None:
    facts, brief = regen_golden.render(article)
    facts_path, brief_path = regen_golden.golden_paths(article)
    assert facts == facts_path.read_text(encoding="utf-8"), \
        f"fact sheet of {article.name} changed; if intended, run: python tests/regen_golden.py"
    assert brief == brief_path.read_text(encoding="utf-8"), \
        f"brief of {article.name} changed; if intended, run: python tests/regen_golden.py"


def test_there_are_at_least_three_samples_besides_the_seed() -> None:
    assert len(ARTICLES) >= 4


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_sample_fact_sheet_spans_index_the_article_text(article: Path) -> None:
    from summarizer.article import load_inputs
    art = next(iter(load_inputs([str(article)])))
    sheet = json.loads(regen_golden.golden_paths(article)[0].read_text(encoding="utf-8"))
    for quote in sheet["quotes"]:
        a, b = quote["span"]
        assert " ".join(art.text[a:b].split()).startswith(quote["text"].split()[0])
    for fig in sheet["figures"]:
        a, b = fig["span"]
        assert " ".join(art.text[a:b].split()) == fig["text"]


def test_the_seed_sample_yields_its_meeting_with_a_resolved_date() -> None:
    sheet = json.loads((regen_golden.ROOT / "samples/iran-russia-2024-10-01.facts.json").read_text(encoding="utf-8"))
    met = [m for m in sheet["meetings"] if {p["name"] for p in m["participants"]} ==
           {"Mikhail Mishustin", "Masoud Pezeshkian"}]
    assert met and met[0]["date"] == "2024-09-30"
