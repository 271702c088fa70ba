"""`--expect FACTS.json`: compare a fact sheet with a committed one, difference by difference.

Lists of facts are compared item by item in order (ids follow the order of the text), so a rule
change that adds, drops or alters one quote shows up as one finding at that quote's span.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Difference:
    path: str
    text: str
    span: tuple[int, int] | None = None


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _span(item: Any) -> tuple[int, int] | None:
    span = item.get("span") if isinstance(item, dict) else None
    if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
        return (span[0], span[1])
    return None


def differences(expected: Any, actual: Any, ignore: list[str] = ()) -> list[Difference]:
    """Every leaf that differs, with the span of the nearest fact that holds it (for line/col)."""
    out: list[Difference] = []
    _walk(expected, actual, "", None, set(ignore), out)
    return out


def _walk(exp: Any, act: Any, path: str, span: tuple[int, int] | None, ignore: set[str],
          out: list[Difference]) -> None:
    if path in ignore:
        return
    if isinstance(exp, dict) and isinstance(act, dict):
        span = _span(act) or _span(exp) or span
        for key in list(exp) + [k for k in act if k not in exp]:
            sub = f"{path}.{key}" if path else str(key)
            if sub in ignore:
                continue
            if key not in act:
                out.append(Difference(sub, f"{sub} is missing (expected {_show(exp[key])})", span))
            elif key not in exp:
                out.append(Difference(sub, f"{sub} is new: {_show(act[key])}", span))
            else:
                _walk(exp[key], act[key], sub, span, ignore, out)
        return
    if isinstance(exp, list) and isinstance(act, list):
        for i in range(max(len(exp), len(act))):
            sub = f"{path}[{i}]"
            if i >= len(act):
                out.append(Difference(sub, f"{sub} is gone (expected {_show(exp[i])})", _span(exp[i]) or span))
            elif i >= len(exp):
                out.append(Difference(sub, f"{sub} is new: {_show(act[i])}", _span(act[i]) or span))
            else:
                _walk(exp[i], act[i], sub, span, ignore, out)
        return
    if exp != act or isinstance(exp, bool) != isinstance(act, bool):
        out.append(Difference(path, f"{path or 'the fact sheet'} is {_show(act)}, expected {_show(exp)}", span))


def load_expected(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The committed fact sheet, or the reason it cannot be used (reported as a finding)."""
    if not path.is_file():
        return None, f"no expected fact sheet at {path}; create it with 'summarizer facts ARTICLE > {path}'"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{path} is not a readable JSON fact sheet ({exc}); regenerate it with summarizer facts"
    if not isinstance(data, dict):
        return None, f"{path} is not a fact sheet (a JSON object); regenerate it with summarizer facts"
    return data, None


def expected_path(expect: Path, article_path: str) -> Path:
    """--expect FILE for one article; --expect DIR holds NAME.json for each article NAME.ext."""
    return expect / (Path(article_path).stem + ".json") if expect.is_dir() else expect
