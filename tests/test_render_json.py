"""The fast JSON writer must give the json module's bytes exactly: fact sheets are compared byte for byte."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import render

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_writes_what_json_dumps_writes_with_two_space_indent(value):
    assert render.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_leaves_values_json_writes_differently_to_the_json_module():
    odd = {"nan": float("nan"), "tuple": (1, 2), 3: "int key"}
    assert render.dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_dumps_keeps_control_characters_escaped_and_other_characters_as_they_are():
    assert render.dumps(["\u0001\n\"é\u2028"]) == '[\n  "\\u0001\\n\\"é\u2028"\n]'
