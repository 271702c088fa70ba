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
