"""Write a check Report: text, JSON (summarizer.check/1), GitHub annotations, SARIF 2.1.0, JUnit XML.

Machine formats carry every shown finding and nothing else on stdout; the summary line goes to
stderr for them, so a redirected report always parses.
"""
from __future__ import annotations

import json
from typing import Callable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .. import __version__
from . import RANK, REPORT_SCHEMA
from .runner import Finding, Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary(report: Report) -> str:
    """One line: what was found, what is hidden, and the policy that decides the exit code."""
    c = report.counts()
    hidden = len(report.findings) - len(report.shown())
    files_with = len({f.path for f in report.findings})
    parts = [f"{_plural(len(report.files), 'file')} checked", _plural(c["error"], "error"),
             _plural(c["warning"], "warning"), _plural(c["info"], "info")]
    text = ", ".join(parts) + f" in {_plural(files_with, 'file')}"
    if hidden:
        text += f" ({hidden} below min-severity {report.min_severity} not shown)"
    policy = "never fails on findings" if report.fail_on == "none" else f"fails on {report.fail_on} or worse"
    if report.errors:
        verdict = f"{_plural(len(report.errors), 'usage error')}: exit 2"
    elif report.exit_code:
        n = sum(1 for f in report.findings if report.failing(f))
        verdict = f"{n} finding(s) at or above {report.fail_on}: exit 1"
    else:
        verdict = "passed: exit 0"
    return f"summarizer check: {text}; policy: {policy}; {verdict}"


def text(report: Report) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.check}] {f.message}" for f in report.shown()]
    return "".join(line + "\n" for line in lines)


def as_json(report: Report) -> str:
    c = report.counts()
    doc = {
        "schema": REPORT_SCHEMA,
        "tool": {"name": "summarizer", "version": __version__},
        "policy": {"fail_on": report.fail_on, "min_severity": report.min_severity,
                   "today": report.today.isoformat()},
        "summary": {"files": len(report.files), "files_with_findings": len({f.path for f in report.findings}),
                    "error": c["error"], "warning": c["warning"], "info": c["info"],
                    "shown": len(report.shown()), "exit_code": report.exit_code},
        "files": list(report.files),
        "errors": list(report.errors),
        "findings": [f.as_dict() for f in report.shown()],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(report: Report) -> str:
    """Workflow commands GitHub turns into annotations on the pull request's files."""
    out = []
    for f in report.shown():
        props = [f"file={_gh_escape(f.path, True)}", f"line={f.line}", f"col={f.column}"]
        if f.end_line:
            props += [f"endLine={f.end_line}", f"endColumn={f.end_column}"]
        props.append(f"title={_gh_escape('summarizer ' + f.check, True)}")
        out.append(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(f.message)}\n")
    return "".join(out)


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:._-~")


def sarif(report: Report) -> str:
    checks = sorted(report.checks.values(), key=lambda c: c.id)
    index = {c.id: i for i, c in enumerate(checks)}
    rules = [{
        "id": c.id,
        "name": "".join(part.capitalize() for part in c.id.split("-")),
        "shortDescription": {"text": c.description or c.id},
        "fullDescription": {"text": c.description or c.message},
        "defaultConfiguration": {"level": SARIF_LEVEL[c.severity], "enabled": c.enabled},
        "help": {"text": f"{c.message} (configure it as {c.id} in summarizer.yaml; see docs/check.md)"},
        "properties": {"kind": c.kind},
    } for c in checks]
    results = []
    for f in report.shown():
        region = {"startLine": f.line, "startColumn": f.column}
        if f.end_line:
            region.update({"endLine": f.end_line, "endColumn": f.end_column})
        result = {
            "ruleId": f.check,
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                "region": region}}],
        }
        if f.check in index:
            result["ruleIndex"] = index[f.check]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "summarizer", "version": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the folder summarizer check ran in"}}},
            "artifacts": [{"location": {"uri": _uri(p), "uriBaseId": "%SRCROOT%"}} for p in report.files],
            "invocations": [{"executionSuccessful": not report.errors, "exitCode": report.exit_code,
                             "toolExecutionNotifications": [
                                 {"level": "error", "message": {"text": e}} for e in report.errors]}],
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def junit(report: Report) -> str:
    """One test case per checked file: it fails when the file has findings at or above --fail-on."""
    by_file: dict[str, list[Finding]] = {p: [] for p in report.files}
    for f in report.shown():
        by_file.setdefault(f.path, []).append(f)
    failing_all = {f.path for f in report.findings if report.failing(f)}
    suite = ET.Element("testsuite", name="summarizer check", tests=str(len(by_file)),
                       failures=str(len([p for p in by_file if p in failing_all])),
                       errors=str(len(report.errors)), skipped="0", time="0")
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="summarizer.check", name=path, time="0")
        bad = [f for f in report.findings if f.path == path and report.failing(f)]
        if bad:
            worst = max(bad, key=lambda f: RANK[f.severity])
            fail = ET.SubElement(case, "failure", type=worst.check,
                                 message=f"{len(bad)} finding(s) at or above {report.fail_on}: {worst.message}")
            fail.text = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.check}] {f.message}"
                                  for f in bad)
        rest = [f for f in found if not report.failing(f)]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.check}] {f.message}" for f in rest)
    for message in report.errors:
        case = ET.SubElement(suite, "testcase", classname="summarizer.check", name="usage", time="0")
        ET.SubElement(case, "error", type="usage", message=message)
    suite.set("tests", str(len(suite)))
    suites = ET.Element("testsuites", name="summarizer check", tests=suite.get("tests"),
                        failures=suite.get("failures"), errors=suite.get("errors"), time="0")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


WRITERS: dict[str, Callable[[Report], str]] = {
    "text": text, "json": as_json, "github": github, "sarif": sarif, "junit": junit,
}
