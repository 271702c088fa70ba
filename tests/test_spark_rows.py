"""The rows Spark hands a partition, turned into fact-sheet columns (no Spark needed)."""
from __future__ import annotations

import json

from summarizer.spark import facts_for_rows


class Row:
    """What pyspark.sql.Row offers facts_for_rows: its values in order, and asDict()."""

    def __init__(self, **values: object) -> None:
        self.values = values

    def __iter__(self):
        return iter(self.values.values())

    def asDict(self) -> dict:  # noqa: N802 - pyspark's name
        return dict(self.values)


ROWS = [Row(id="a", text="date 2024-01-01\n\nPresident Ana Torres met Prime Minister Jonas Berg in Oslo.", date=None),
        Row(id="b", text=None, date=None),
        Row(id="c", text="The port handled 3 million tonnes.", date="2024-02-02"),
        Row(id="d", text="Mayor Lena Dahl said \"we are ready\" on Monday.", date="2024-03-04")]


def test_rows_in_chunks_get_the_fact_sheet_facts_gives_each(core):
    out = list(facts_for_rows(ROWS, core, "text", "id", "date", chunk=2))
    assert [o[:3] for o in out] == [tuple(r) for r in ROWS]
    for row, columns in zip(ROWS, out):
        if row.values["text"] is None:
            continue
        metadata = {"id": row.values["id"], **({"date": row.values["date"]} if row.values["date"] else {})}
        assert json.loads(columns[3]) == core.facts(row.values["text"], **metadata)


def test_a_row_without_text_gets_an_error_and_its_chunk_goes_on(core):
    out = list(facts_for_rows(ROWS, core, "text", "id", "date", chunk=4))
    assert out[1][3] is None and "is null or not a string" in out[1][4]
    assert all(o[3] is not None and o[4] is None for o in (out[0], out[2], out[3]))
