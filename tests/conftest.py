"""Shared fixtures: the shipped rules are built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.api import Summarizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def core() -> Summarizer:
    return Summarizer()


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return ROOT / "samples"


@pytest.fixture
def break_quotes(monkeypatch):
    """break_quotes(word): the quote stage raises ValueError("broken on purpose") for every article
    holding `word` (every article when None), as an unexpected error inside a stage would."""
    from summarizer import api
    real = api.find_quotes

    def apply(word: str | None = None) -> None:
        def failing(article, rules, run, trace, statements):
            if word is None or word in article.text:
                raise ValueError("broken on purpose")
            return real(article, rules, run, trace, statements)
        monkeypatch.setattr(api, "find_quotes", failing)

    return apply
