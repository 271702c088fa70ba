"""The JSON writer (orjson) gives the json module's bytes, but for the spelling of very large or small floats."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import render

# floats json.dumps spells with an exponent (below 1e-4, from 1e16) orjson spells otherwise
usual_floats = st.floats(min_value=1e-4, max_value=1e15) | st.floats(min_value=-1e15, max_value=-1e-4) | st.just(0.0)
scalars = st.none() | st.booleans() | st.integers() | usual_floats | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_writes_what_json_dumps_writes_with_two_space_indent(value):
    assert render.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_leaves_what_orjson_refuses_to_the_json_module():
    odd = {"tuple": (1, 2), 3: "int key", "big": 2**70}
    assert render.dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_dumps_spells_very_large_and_small_floats_as_orjson_does_and_json_reads_them_back():
    numbers = [1e16, -2.5e20, 4.4e-05, 1e-7]
    assert render.dumps(numbers) == '[\n  1e16,\n  -2.5e20,\n  0.000044,\n  1e-7\n]'
    assert json.loads(render.dumps(numbers)) == numbers


def test_dumps_writes_nan_and_infinities_as_null_which_json_can_read():
    assert json.loads(render.dumps({"a": [float("nan"), float("inf"), -float("inf")]})) == {"a": [None, None, None]}


def test_dumps_keeps_control_characters_escaped_and_other_characters_as_they_are():
    assert render.dumps(["\u0001\n\"é\u2028"]) == '[\n  "\\u0001\\n\\"é\u2028"\n]'
