"""The JSON writer (orjson where it can) must give the json module's bytes exactly: fact sheets are
compared byte for byte, and orjson's spelling of some floats differs from json's and between its
own releases."""
from __future__ import annotations

import datetime
import enum
import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import render

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=30)


def as_json_writes_it(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_writes_what_json_dumps_writes_with_two_space_indent(value):
    assert render.dumps(value) == as_json_writes_it(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats() | st.integers(min_value=-2**70, max_value=2**70)))
def test_dumps_spells_every_number_as_json_dumps_does(numbers):
    assert render.dumps({"n": numbers}) == as_json_writes_it({"n": numbers})


def test_dumps_spells_floats_json_writes_with_an_exponent_as_json_does():
    numbers = [1e16, -2.5e20, 4.4e-05, 1e-7, float("nan"), float("inf")]
    assert render.dumps(numbers) == as_json_writes_it(numbers)


def test_dumps_leaves_what_orjson_refuses_or_writes_otherwise_to_the_json_module():
    class Level(enum.IntEnum):
        HIGH = 3

    odd = {"tuple": (1, 2), 3: "int key", "big": 2**70, "int subclass": [Level.HIGH]}
    assert render.dumps(odd) == as_json_writes_it(odd)


def test_dumps_refuses_what_json_refuses():
    with pytest.raises(TypeError):
        render.dumps({"when": datetime.date(2024, 1, 1)})


def test_dumps_keeps_control_characters_escaped_and_other_characters_as_they_are():
    assert render.dumps(["\u0001\n\"é\u2028\u007f"]) == '[\n  "\\u0001\\n\\"é\u2028\u007f"\n]'


def test_dumps_refuses_a_value_that_holds_itself_as_json_does():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        render.dumps(loop)


def test_dumps_leaves_a_dict_subclass_to_the_json_module():
    class Renamed(dict):
        def items(self):
            return [("z", 0)]

    value = {"inner": Renamed(a=1)}
    assert render.dumps(value) == as_json_writes_it(value)


def test_a_fact_sheet_is_written_as_its_json_text_reads_back():
    sheet = {key: [] for key in render.REQUIRED if render.REQUIRED[key] is list}
    sheet.update(schema="x", article={"odd keys": {1: "a", "1": "b"}}, dates=("a tuple",), places=[], problems=[])
    written = render.facts_json(sheet)
    assert json.loads(written)["dates"] == ["a tuple"]
    assert written.count('"1"') == 1
