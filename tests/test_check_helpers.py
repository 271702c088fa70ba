"""Shared helpers for the `summarizer check` tests: run the real CLI in-process on real files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summarizer import cli

DATA = Path(__file__).resolve().parent / "data" / "check"
TODAY = "2025-01-15"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def lines(self) -> list[str]:
        return [ln for ln in self.out.splitlines() if ln and not ln.startswith("summarizer check:")]

    def checks(self) -> list[str]:
        """The check ids of the findings printed in text format, in order."""
        return [ln.split("[", 1)[1].split("]", 1)[0] for ln in self.lines() if "[" in ln]


def run_cli(capsys, *args: str, today: str | None = TODAY) -> Result:
    argv = list(args)
    if today and argv and argv[0] == "check" and "--today" not in argv:
        argv += ["--today", today]
    code = cli.main(argv)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def test_helpers_pin_the_date_for_check_runs(capsys, monkeypatch):
    monkeypatch.chdir(DATA)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run_cli(capsys, "check", "future-date.md")
    assert "after today (2025-01-15)" in result.out
