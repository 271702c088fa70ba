"""`summarizer check`: declarative article checks for CI, run like a linter.

One module per job: `spec` loads the check YAML files, `kinds` is the small vocabulary a check's
`test:` is written in, `subject` is one article as the checks see it, `config` finds and merges
summarizer.yaml / [tool.summarizer], `runner` drives a whole run with rules loaded once,
`snapshot` compares fact sheets with committed ones, and `formats` writes the report.
"""
from __future__ import annotations

SEVERITIES = ("error", "warning", "info")
RANK = {"info": 1, "warning": 2, "error": 3}
REPORT_SCHEMA = "summarizer.check/1"
