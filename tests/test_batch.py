"""`summarizer batch`: a corpus in, one fact sheet per article out; failures recorded, never fatal.

Each test writes a tiny corpus of its own into tmp_path (texts written for these tests).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

from summarizer import api, batch
from summarizer.cli import main

ARTICLES = {
    "a.txt": "date 2024-03-05\n\nHarbour reopens\n\nMayor Lena Dahl opened the new harbour on Monday. "
             "\"It is a good day for the town,\" she said.\n",
    "b.txt": "date 2024-03-06\n\nThe council approved a budget of 4 million euros on Tuesday.\n",
    "c.md": "---\ndate: 2024-03-07\nid: story-c\n---\nFishing quotas rose 12 percent this year, the ministry said.\n",
}


def corpus(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in (extra or {}).items():
        (folder / name).write_bytes(data)
    return folder


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ids(path: Path) -> list[str]:
    return [r["article"]["id"] if "article" in r else r["id"] for r in records(path)]


def batch_feed(tmp_path: Path, lines: str, *args: str) -> tuple[int, Path]:
    """Run batch over a JSONL feed of these lines; the exit code and the JSONL output."""
    source = tmp_path / "feed.jsonl"
    source.write_text(lines, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    return main(["batch", str(source), "--out", str(out), *args]), out


def test_jsonl_output_holds_one_fact_sheet_per_article_in_input_order(tmp_path):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    got = records(out)
    assert [r["schema"] for r in got] == ["summarizer.factsheet/1"] * 3
    assert ids(out) == [str(folder / "a.txt"), str(folder / "b.txt"), "story-c"]


def test_each_line_equals_what_facts_jsonl_prints_for_that_article(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder / "a.txt"), "--out", str(out)])
    capsys.readouterr()
    main(["facts", "--jsonl", str(folder / "a.txt")])
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out


def test_an_unreadable_article_becomes_an_error_record_and_the_run_goes_on(tmp_path):
    folder = corpus(tmp_path, {"broken.txt": b"date 2024-03-08\n\nCaf\xe9 owners protested.\n"})
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    errors = [r for r in records(out) if "error" in r]
    assert len(errors) == 1
    assert errors[0]["id"] == str(folder / "broken.txt")
    assert errors[0]["source"] == str(folder / "broken.txt")
    assert "invalid UTF-8" in errors[0]["error"]
    assert sum("schema" in r for r in records(out)) == 3


def test_a_bad_jsonl_line_is_an_error_record_named_by_file_and_line(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_text('{"id": "n1", "text": "The port opened on Monday."}\n{broken\n'
                      '{"id": "n3", "text": "The port closed on Friday."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "--out", str(out)]) == 1
    assert ids(out) == ["n1", f"{source}:2", "n3"]
    assert "invalid JSON" in records(out)[1]["error"]


def test_summary_line_counts_done_failed_and_skipped(tmp_path, capsys):
    folder = corpus(tmp_path, {"broken.txt": b"\xff\xfe\x00\x00binary"})
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder), "--out", str(out)])
    assert "batch: 3 done, 1 failed, 0 skipped" in capsys.readouterr().err


def test_rerun_skips_ids_already_written_and_adds_no_duplicates(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder), "--out", str(out)])
    first = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert "0 done, 0 failed, 3 skipped" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == first


def test_rerun_processes_only_articles_added_since(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder), "--out", str(out)])
    (folder / "d.txt").write_text("date 2024-03-09\n\nThe ferry service resumed on Saturday.\n", encoding="utf-8")
    capsys.readouterr()
    main(["batch", str(folder), "--out", str(out)])
    assert "1 done, 0 failed, 3 skipped" in capsys.readouterr().err
    assert ids(out)[-1] == str(folder / "d.txt")


def test_rerun_retries_failed_articles_and_replaces_their_error_records(tmp_path):
    folder = corpus(tmp_path, {"late.txt": b"date 2024-03-08\n\nCaf\xe9 owners protested.\n"})
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    (folder / "late.txt").write_text("date 2024-03-08\n\nCafé owners protested.\n", encoding="utf-8")
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert not [r for r in records(out) if "error" in r]
    assert sorted(ids(out)) == sorted([str(folder / n) for n in ("a.txt", "b.txt", "late.txt")] + ["story-c"])


def test_a_torn_last_line_from_a_killed_run_is_dropped_and_redone(tmp_path):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder), "--out", str(out)])
    whole = out.read_text(encoding="utf-8")
    out.write_text(whole[: whole.rindex("\n", 0, len(whole) - 1) + 40], encoding="utf-8")  # cut mid-line
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == whole


def test_folder_output_writes_one_json_file_per_article(tmp_path):
    folder = corpus(tmp_path, {"broken.txt": b"\x00\x01\x02"})
    out = tmp_path / "sheets"
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    sheets = sorted(p.name for p in out.glob("*.json") if not p.name.endswith(".error.json"))
    failures = list(out.glob("*.error.json"))
    assert len(sheets) == 3 and len(failures) == 1
    assert json.loads(failures[0].read_text(encoding="utf-8"))["source"] == str(folder / "broken.txt")
    story = out / f"{batch.file_name('story-c')}.json"
    assert json.loads(story.read_text(encoding="utf-8"))["article"]["id"] == "story-c"


def test_folder_output_rerun_skips_articles_that_have_a_file(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "sheets"
    main(["batch", str(folder), "--out", str(out)])
    capsys.readouterr()
    main(["batch", str(folder), "--out", str(out)])
    assert "0 done, 0 failed, 3 skipped" in capsys.readouterr().err


def test_file_names_differ_for_ids_that_differ_only_in_unsafe_characters():
    assert batch.file_name("a/b.txt") != batch.file_name("a_b.txt")
    assert "/" not in batch.file_name("../../etc/passwd") and not batch.file_name("../x").startswith(".")


def test_parallel_jobs_write_the_same_bytes_as_one_job(tmp_path):
    folder = corpus(tmp_path, {"broken.txt": b"\xff"})
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["batch", str(folder), "--out", str(one)]) == 1
    assert main(["batch", str(folder), "--out", str(two), "--jobs", "2"]) == 1
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_an_article_listed_twice_is_processed_once(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder / "a.txt"), str(folder), "--out", str(out)])
    assert ids(out).count(str(folder / "a.txt")) == 1
    assert "3 done, 0 failed, 1 skipped" in capsys.readouterr().err


def test_two_articles_with_one_id_make_the_second_an_error(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_text('{"id": "same", "text": "The port opened."}\n{"id": "same", "text": "The port closed."}\n',
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "--out", str(out)]) == 1
    second = records(out)[1]
    assert second["id"] == "same" and "unique id" in second["error"]


def test_a_broken_rule_pack_stops_the_run_before_any_output(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "bad.yaml").write_text("rules:\n  - id: people.bad\n    stage: entities\n    pattern: '(unclosed'\n",
                                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(corpus(tmp_path)), "--out", str(out), "--rules", str(pack)]) == 2
    assert not out.exists()
    assert "people.bad" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, capsys):
    main(["batch", str(corpus(tmp_path)), "--out", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err
    assert "\r" not in err and "ETA" not in err


def test_progress_bar_shows_rate_and_eta_on_a_terminal(tmp_path):
    stream = io.StringIO()
    options = batch.Options((), None, 2.0, None)
    counts = batch.run([str(corpus(tmp_path))], str(tmp_path / "out.jsonl"), options, stderr=stream, progress=True)
    shown = stream.getvalue()
    assert "\r[" in shown and "articles/s" in shown and "ETA" in shown and "100%" in shown
    assert counts.done == 3


def test_the_feeder_never_runs_more_than_its_window_ahead():
    import threading
    window, stop = threading.Semaphore(3), threading.Event()
    pulled = []
    feeder = batch._bounded((pulled.append(i) or i for i in range(100)), window, stop)
    taken = [next(feeder) for _ in range(3)]
    worker = threading.Thread(target=lambda: taken.append(next(feeder, None)))
    worker.start()
    worker.join(0.5)
    assert len(pulled) == 4 and taken == [0, 1, 2]  # the fourth waits for a result to be written
    window.release()
    worker.join(2)
    assert taken == [0, 1, 2, 3]
    stop.set()


def test_a_jsonl_line_that_is_not_utf8_fails_alone(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_bytes(b'{"id": "n1", "text": "The port opened."}\n{"id": "n2", "text": "Caf\xe9"}\n'
                       b'{"id": "n3", "text": "The port closed."}\n')
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "--out", str(out)]) == 1
    assert ids(out) == ["n1", f"{source}:2", "n3"]
    assert "invalid UTF-8" in records(out)[1]["error"]


def test_articles_in_chunks_give_each_the_line_it_gets_alone(tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    alone = tmp_path / "alone.jsonl"
    monkeypatch.setattr(api, "CHUNK", 1)  # one article at a time
    main(["batch", str(folder), "--out", str(alone)])
    monkeypatch.setattr(api, "CHUNK", 2)  # a chunk of two, then one
    chunked = tmp_path / "chunked.jsonl"
    main(["batch", str(folder), "--out", str(chunked)])
    assert chunked.read_text(encoding="utf-8") == alone.read_text(encoding="utf-8")


def test_an_article_that_fails_inside_a_chunk_is_an_error_record_and_its_chunk_goes_on(tmp_path, break_quotes):
    break_quotes("budget")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(corpus(tmp_path)), "--out", str(out)]) == 1
    got = records(out)
    assert "internal error ValueError: broken on purpose" in got[1]["error"]
    assert got[0]["schema"] == got[2]["schema"] == "summarizer.factsheet/1"


def test_a_jsonl_output_inside_an_input_folder_is_not_read_back(tmp_path):
    folder = corpus(tmp_path)
    out = folder / "facts.jsonl"
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert main(["batch", str(folder), "--out", str(out)]) == 0  # its own lines are not articles
    assert len(records(out)) == 3


def test_a_folder_output_inside_an_input_folder_is_not_read_back(tmp_path):
    folder = corpus(tmp_path)
    out = folder / "sheets"
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert main(["batch", str(folder), "--out", str(out)]) == 0
    assert len(list(out.glob("*.json"))) == 3 and not list(out.glob("*.error.json"))


def test_two_articles_with_one_id_make_the_second_an_error_again_on_a_rerun(tmp_path, capsys):
    feed = '{"id": "same", "text": "The port opened."}\n{"id": "same", "text": "The port closed."}\n'
    assert batch_feed(tmp_path, feed)[0] == 1
    code, out = batch_feed(tmp_path, feed)
    assert code == 1  # not skipped as done
    assert "0 done, 1 failed, 1 skipped" in capsys.readouterr().err.splitlines()[-1]
    assert [r.get("error", "")[-60:] != "" for r in records(out)] == [False, True]


def test_a_long_id_in_another_script_gets_a_file_name_the_file_system_takes(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_text(json.dumps({"id": "日本語の記事" * 15, "text": "The port opened on Monday."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "sheets"  # a folder: one file per article
    assert main(["batch", str(source), "--out", str(out)]) == 0
    [written] = out.glob("*.json")
    assert len(written.name.encode("utf-8")) < 200


def test_a_lone_surrogate_escape_fails_its_line_alone(tmp_path):
    code, out = batch_feed(tmp_path, '{"id": "bad", "text": "The port said no \\udc80."}\n'
                                     '{"id": "good", "text": "The port opened."}\n')
    assert code == 1
    bad, good = records(out)
    assert "lone surrogate" in bad["error"] and bad["id"].endswith("feed.jsonl:1")
    assert good["article"]["id"] == "good"


def test_a_truncated_jsonl_line_names_its_column(tmp_path):
    code, out = batch_feed(tmp_path, '{"id": "broken", "text": \n{"id": "good", "text": "The port opened."}\n')
    assert code == 1
    assert "at column 26" in records(out)[0]["error"]  # the column on its line, after "text": and a space


def test_a_bad_line_of_json_lines_on_stdin_fails_alone(tmp_path, monkeypatch):
    feed = b'{"id": "one", "text": "The port opened.' + b'\n{"id": "two", "text": "Caf\xe9 owners met."}\n' \
        + b'{"id": "three", "text": "The port closed."}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(feed)))
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-", "--out", str(out)]) == 1
    assert ids(out) == ["<stdin>:1", "<stdin>:2", "three"]


def test_json_lines_on_stdin_are_read_line_by_line(tmp_path, monkeypatch):
    feed = '{"id": "one", "text": "The port opened."}\n{"id": "two", "text": "The port closed."}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(feed.encode("utf-8"))))
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-", "--out", str(out)]) == 0
    assert ids(out) == ["one", "two"]


def test_ctrl_c_with_parallel_jobs_ends_the_run_instead_of_hanging(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(20_000):
            fh.write(json.dumps({"id": f"a{i}", "text": f"date 2024-03-05\n\nMayor Lena Dahl opened pier {i} on "
                                f"Monday. \"It is a good day,\" she said."}) + "\n")
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "summarizer", "batch", str(feed), "--out", str(out), "--jobs", "2"],
                           stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out.exists() and out.stat().st_size > 0):
            time.sleep(0.05)
        os.killpg(run.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the run and its workers
        code = run.wait(timeout=60)
        assert code == 130, (code, run.stderr.read().decode("utf-8", "replace")[-2000:])
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        run.stderr.close()


def test_inputs_inside_a_folder_output_are_still_read(tmp_path):
    folder = corpus(tmp_path)
    sub = folder / "sub"
    sub.mkdir()
    (folder / "a.txt").rename(sub / "a.txt")
    assert main(["batch", str(sub), "--out", str(folder)]) == 0
    assert len(list(folder.glob("*--*.json"))) == 1


def test_a_long_ascii_id_keeps_the_file_name_it_always_had():
    art_id = "https://example.com/2024/" + "a" * 79
    assert batch.file_name(art_id).startswith("_" + "a" * 79 + "--")

