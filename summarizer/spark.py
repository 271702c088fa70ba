"""Fact sheets as columns of a PySpark DataFrame (optional extra: pip install 'summarizer[spark]').

    from summarizer.spark import with_facts
    out = with_facts(spark.read.json("articles.jsonl"), text_col="text", id_col="id", date_col="date")

Rows go through `mapPartitions`: each Python worker builds its Summarizer once (the Summarizer pickles
without its compiled rules, which each executor loads from its own disk cache or compiles once) and
reuses it for every partition it runs. No pandas and no Arrow are needed. An article that fails
gets a null fact sheet and the reason in `facts_error`; the job goes on.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from .api import Summarizer, chunks

# Added columns: name -> Spark SQL type (DDL), so the schema is declared, never inferred.
COLUMNS = {
    "facts": "string",  # the whole fact sheet as JSON (contract: docs/factsheet.md)
    "facts_error": "string",  # null when the article was processed
    "headline": "string",
    "people": "array<string>",
    "organizations": "array<string>",
    "places": "array<string>",
    "quotes": "array<struct<text:string,speaker:string,start:int,end:int>>",
    "meetings": "array<struct<kind:string,participants:array<string>,date:string,place:string>>",
    "dates": "array<struct<text:string,value:string>>",
}

_SUMMARIZERS: dict[tuple, Summarizer] = {}  # one per Python worker process and settings


def _summarizer(template: Summarizer) -> Summarizer:
    key = (tuple(template.rule_dirs), template.region, template.timeout)
    if key not in _SUMMARIZERS:
        _SUMMARIZERS[key] = template
        template.ruleset(template.region)  # compile (or load from the disk cache) once per worker
    return _SUMMARIZERS[key]


def columns_of(sheet: dict[str, Any] | None, error: str | None) -> tuple:
    """The added columns' values for one fact sheet (or all null but the error)."""
    if sheet is None:
        return (None, error, None, None, None, None, None, None, None)
    quotes = [(q["text"], (q.get("speaker") or {}).get("name"), q["span"][0], q["span"][1]) for q in sheet["quotes"]]
    meetings = [(m["kind"], [p["name"] for p in m["participants"]], m.get("date"), m.get("place"))
                for m in sheet["meetings"]]
    return (json.dumps(sheet, ensure_ascii=False), None, sheet["article"].get("headline"),
            [p["name"] for p in sheet["people"]], [o["name"] for o in sheet["organizations"]],
            [p["name"] for p in sheet.get("places", [])], quotes, meetings,
            [(d["text"], d.get("value")) for d in sheet["dates"]])


def facts_for_rows(rows: Iterable[Any], template: Summarizer, text_col: str, id_col: str | None,
                   date_col: str | None, chunk: int | None = None) -> Iterator[tuple]:
    """Each row's own values followed by the fact-sheet columns; a failing row gets facts_error, never
    raises. Rows are analysed a chunk at a time (api.chunks, Summarizer.facts_of_chunk), in order."""
    summarizer = _summarizer(template)
    # (row values, the loaded article or the error message)
    loaded = (_article_of(summarizer, row, text_col, id_col, date_col) for row in rows)
    for pending in chunks(loaded, lambda entry: getattr(entry[1], "text", ""), chunk):
        yield from _columns(summarizer, pending)


def _article_of(summarizer: Summarizer, row: Any, text_col: str, id_col: str | None,
                date_col: str | None) -> tuple[tuple, Any]:
    values = tuple(row)
    record = row.asDict()
    text = record.get(text_col)
    art_id = record.get(id_col) if id_col else None
    date = record.get(date_col) if date_col else None
    metadata: dict[str, Any] = {}
    if art_id is not None:
        metadata["id"] = str(art_id)
    if date is not None:
        metadata["date"] = date.isoformat() if hasattr(date, "isoformat") else str(date)
    if not isinstance(text, str):
        return values, f"column {text_col!r} is null or not a string"
    try:
        return values, summarizer.load(text, **metadata)
    except Exception as exc:  # noqa: BLE001 - one bad row must not fail a job over millions
        return values, f"{type(exc).__name__}: {exc}"


def _columns(summarizer: Summarizer, pending: list[tuple[tuple, Any]]) -> Iterator[tuple]:
    sheets = iter(summarizer.facts_of_chunk([a for _, a in pending if not isinstance(a, str)]))
    for values, art in pending:
        if isinstance(art, str):
            yield values + columns_of(None, art)
            continue
        sheet = next(sheets)
        if isinstance(sheet, Exception):
            yield values + columns_of(None, f"{type(sheet).__name__}: {sheet}")
        else:
            yield values + columns_of(sheet, None)


def with_facts(df: Any, text_col: str = "text", id_col: str | None = "id", date_col: str | None = "date",
               region: str | None = None, rules: Iterable[str] = (), timeout: float = 2.0) -> Any:
    """A DataFrame with the fact-sheet columns of COLUMNS added after df's own.

    id_col and date_col are used when df has them (ids name the fact sheet; the date resolves
    "on Monday"); text_col must exist. Rule packs are checked here, on the driver, before any job runs.
    """
    from pyspark.sql.types import StructType, _parse_datatype_string

    if text_col not in df.columns:
        raise ValueError(f"the DataFrame has no column {text_col!r}; pass text_col= the column holding "
                         f"the article text (columns: {', '.join(df.columns)})")
    clash = [c for c in COLUMNS if c in df.columns]
    if clash:
        raise ValueError(f"the DataFrame already has column(s) {clash}; rename or drop them first")
    template = Summarizer(list(rules), region=region, timeout=timeout)  # a broken pack fails on the driver
    id_col = id_col if id_col in df.columns else None
    date_col = date_col if date_col in df.columns else None
    schema = StructType(list(df.schema.fields))
    for name, ddl in COLUMNS.items():
        schema = schema.add(name, _parse_datatype_string(ddl), nullable=True)
    rdd = df.rdd.mapPartitions(lambda rows: facts_for_rows(rows, template, text_col, id_col, date_col))
    return df.sparkSession.createDataFrame(rdd, schema)
