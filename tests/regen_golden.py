"""Regenerate the golden fact sheets and briefs of samples/ (never edit them by hand).

Run from anywhere: python tests/regen_golden.py
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_SUFFIXES = (".txt", ".md", ".json")


def articles() -> list[Path]:
    return sorted(p for p in (ROOT / "samples").iterdir()
                  if p.suffix in ARTICLE_SUFFIXES and ".facts." not in p.name and ".brief." not in p.name)


def golden_paths(article: Path) -> tuple[Path, Path]:
    stem = article.name.rsplit(".", 1)[0]
    return article.with_name(f"{stem}.facts.json"), article.with_name(f"{stem}.brief.md")


def render(article: Path) -> tuple[str, str]:
    """The CLI's output for the article, run from the repository root with a relative path."""
    from summarizer.cli import main
    rel = str(article.relative_to(ROOT))
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        outputs = []
        for command in (["facts", rel], ["brief", rel]):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = main(command)
            if code != 0:
                raise SystemExit(f"summarizer {' '.join(command)} exited {code}")
            outputs.append(buf.getvalue())
        return outputs[0], outputs[1]
    finally:
        os.chdir(old)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for article in articles():
        facts, brief = render(article)
        facts_path, brief_path = golden_paths(article)
        facts_path.write_text(facts, encoding="utf-8")
        brief_path.write_text(brief, encoding="utf-8")
        print(f"wrote {facts_path.relative_to(ROOT)} and {brief_path.relative_to(ROOT)}")
