"""Loading contract files into the real embedded FalkorDB store."""

from __future__ import annotations

import json
import time

import pytest
from loaderdata import CALLS, ESTABLISHMENTS, PRISONERS, VISITS, bulk_world, small_world, write

from loaders.rejects import read_rejects
from loaders.runner import load_directory

VOLATILE = {"lastupdated", "load_run", "firstseen"}


def load(store, directory, **options):
    options.setdefault("progress", False)
    return load_directory(store, directory, **options)


def links_of(store, type_name):
    records = store.read_all(
        f"MATCH (a)-[r:{type_name}]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS p ORDER BY a, b"
    )
    return [(r["a"], r["b"], {k: v for k, v in r["p"].items() if k not in VOLATILE}) for r in records]


def node(store, node_id):
    records = store.read_all("MATCH (n {id: $id}) RETURN labels(n) AS labels, properties(n) AS p", {"id": node_id})
    assert records, node_id
    return sorted(records[0]["labels"]), records[0]["p"]


def test_small_world_nodes_and_links(store, tmp_path):
    report = load(store, small_world(tmp_path / "in"), report_path=tmp_path / "report.json")
    assert report.ok, report.problems
    assert all(f.reconciles() for f in report.files)
    counts = store.counts()
    assert counts["nodes"]["Person"] == 7
    assert counts["links"]["HELD_AT"] == 3  # a transfer is a second period
    labels, props = node(store, "prisoner:A1234BC")
    assert labels == ["Person", "Prisoner"]
    assert props["name"] == "Jonathan SMITH" and props["name_key"] == "jonathan smith"
    assert props["canonical_id"] == "prisoner:A1234BC"
    assert props["in_custody"] is True and props["establishment"] == "WWI"
    assert node(store, "prisoner:B2222BB")[0] == ["Nominal", "Person", "Prisoner"]  # OCG member
    assert node(store, "staff:S10001")[1]["role"] == "Prison Officer"
    assert node(store, "postcode:SE1 7PB")[1]["postcode"] == "SE1 7PB"
    held = {(a, p["from"]): p for a, b, p in links_of(store, "HELD_AT")}
    first = held[("prisoner:A1234BC", "2020-01-01")]
    assert (first["valid_from"], first["valid_to"], first["to"], first["cell"]) == (
        "2020-01-01",
        "2021-06-30",
        "2021-06-30",
        "B-2-14",
    )
    assert first["source"] == "prisoners.csv" and first["source_ref"] == "prisoners.csv:2"
    assert (first["source_eval"], first["intel_eval"], first["handling"]) == ("1", "A", "P")
    assert "valid_to" not in held[("prisoner:A1234BC", "2023-05-01")]  # open period
    visited = {(a, b): p for a, b, p in links_of(store, "VISITED")}
    v = visited[("visitor:V000001", "prisoner:B2222BB")]
    assert (v["count"], v["first"], v["last"], v["relationship"], sorted(v["event_ids"])) == (
        2,
        "2024-02-01",
        "2024-03-01",
        "cousin",
        ["VIS1", "VIS2"],
    )
    lives = {(a, b) for a, b, _ in links_of(store, "LIVES_IN")}
    assert ("visitor:V000001", "postcode:SE1 7PB") in lives and ("staff:S10001", "postcode:SE1 7PB") in lives
    uses = {(a, b): p for a, b, p in links_of(store, "USES_PHONE")}
    graded = uses[("person:P000001", "phone:+447702900456")]
    assert (graded["source_eval"], graded["intel_eval"], graded["handling"]) == ("2", "B", "C")
    assert graded["handling_conditions"] == "not to be shared outside the hub"
    called = {(a, b): p for a, b, p in links_of(store, "CALLED")}
    pin = called[("prisoner:B2222BB", "phone:+447701900123")]
    assert (pin["count"], pin["total_seconds"], pin["sources"], pin["establishments"]) == (2, 180, ["pin"], ["BXI"])
    assert (pin["valid_from"], pin["valid_to"]) == ("2024-02-02", "2024-02-03")
    assert ("phone:+447701900123", "phone:+447702900456") in called
    member = links_of(store, "MEMBER_OF")
    assert {(a, p["role"], p.get("since")) for a, _, p in member} == {
        ("prisoner:B2222BB", "principal", "2022-01-01"),
        ("person:P000002", "member", None),
    }
    corrupt = links_of(store, "CORRUPT_APPROACH")[0]
    assert corrupt[:2] == ("staff:S10001", "prisoner:B2222BB")
    assert corrupt[2]["source_ref"] == "IR-0002" and corrupt[2]["valid_from"] == "2024-03-10"
    assert links_of(store, "LINKED_TO_GROUP")[0][:2] == ("phone:+447701900123", "ocg:OCG-0001")
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["run_id"] == report.run_id and saved["ok"] is True
    calls_entry = next(f for f in saved["files"] if f["file"] == "calls.csv")
    assert calls_entry["rows_read"] == 4 and calls_entry["excluded_reasons"] == {"privileged": 1}
    assert calls_entry["rows_read"] == calls_entry["loaded"] + calls_entry["rejected"] + calls_entry["excluded"]
    assert {"seconds", "rows_per_s"} <= set(calls_entry)


def test_privileged_call_leaves_no_trace(store, tmp_path):
    load(store, small_world(tmp_path / "in"))
    number = "+442079460001"  # only ever dialled on the privileged call C4
    assert store.read_all("MATCH (n) WHERE n.id CONTAINS '2079460001' OR n.number = $n RETURN n", {"n": number}) == []
    everything = json.dumps(store.read_all("MATCH (a)-[r]->(b) RETURN properties(r) AS p, properties(a) AS a"))
    assert "2079460001" not in everything and "C4" not in everything


def test_loading_twice_changes_nothing(store, tmp_path):
    directory = small_world(tmp_path / "in")
    load(store, directory)
    first_counts = store.counts()
    types = sorted(first_counts["links"])
    first = {t: links_of(store, t) for t in types}
    second_report = load(store, directory)
    assert store.counts() == first_counts
    assert {t: links_of(store, t) for t in types} == first
    assert second_report.file("calls.csv").loaded == 3


def test_overlapping_call_exports_count_each_call_once(store, tmp_path):
    directory = small_world(tmp_path / "in")
    load(store, directory)
    later = tmp_path / "later"
    later.mkdir()
    write(
        later,
        "calls.csv",
        """
        call_id,caller_number,caller_prison_number,callee_number,started_at,duration_seconds,call_source,establishment_code,privileged
        C2,,B2222BB,07701 900123,2024-02-03T11:00:00,60,pin,BXI,N
        C5,,B2222BB,+447701900123,2024-02-09T08:00:00,15,pin,WWI,N
        C5,,B2222BB,+447701900123,2024-02-09T08:00:00,15,pin,WWI,N
        """,
    )
    report = load(store, later)
    calls = report.file("calls.csv")
    assert (calls.rows_read, calls.loaded, calls.excluded, calls.excluded_reasons) == (3, 2, 1, {"duplicate": 1})
    pin = {(a, b): p for a, b, p in links_of(store, "CALLED")}[("prisoner:B2222BB", "phone:+447701900123")]
    assert pin["count"] == 3  # C1, C2 (once, although in both exports), C5
    assert pin["total_seconds"] == 195 and pin["last"] == "2024-02-09T08:00:00"
    assert sorted(pin["event_ids"]) == ["C1", "C2", "C5"]
    assert sorted(pin["establishments"]) == ["BXI", "WWI"]


def test_every_kind_of_contract_violation_is_rejected(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "prisoners.csv",
        PRISONERS.strip()
        + """
        C3333CC,,Anna,1991-01-01,F,,BXI,2024-01-01,,
        D4444DD,Doe,John,01/01/1980,M,,BXI,2024-01-01,,
        E5555EE,Eve,Mary,1980-01-01,F,,XXX,2024-01-01,,
        A1234BC,Smith,Jonathan,1985-03-12,M,85/123456A,WWI,2023-05-01,,C-1-01
        A1234BC,Smith,Jonathan,1986-03-12,M,85/123456A,BXI,2024-09-01,,C-1-01
        F6666FF,Short,Row
        """,
    )
    write(
        directory,
        "visits.csv",
        VISITS.strip()
        + """
        VIS4,2024-02-30,BXI,B2222BB,V000003,Green,Tom,,,friend
        VIS5,2024-03-01,BXI,Z9999ZZ,V000003,Green,Tom,,,friend
        VIS1,2024-02-01,WWI,B2222BB,V000001,Jones,Kate,1979-11-02,SE17PB,cousin
        """,
    )
    write(
        directory,
        "phones.csv",
        """
        phone_number,subject_type,subject_id,attribution_source,first_seen,last_seen,source_eval,intel_eval,handling,handling_conditions
        07701 900123,visitor,V000001,declared,2024-01-01,,,,,
        123,visitor,V000001,declared,,,,,,
        07702900456,dog,D1,declared,,,,,,
        07702900456,visitor,V999999,declared,,,,,,
        07702900456,visitor,V000001,rumour,,,,,,
        """,
    )
    write(
        directory,
        "calls.csv",
        CALLS.strip()
        + """
        C6,,B2222BB,07701900123,2024-02-02T10:00:00,ten,pin,BXI,N
        C7,,B2222BB,07701900123,yesterday,10,pin,BXI,N
        C8,,Q0000QQ,07701900123,2024-02-02T10:00:00,10,pin,BXI,N
        C1,,B2222BB,07701900123,2024-02-02T10:00:00,999,pin,BXI,N
        """,
    )
    write(
        directory,
        "links.csv",
        """
        from_type,from_id,to_type,to_id,link_type,date,source_ref,source_eval,intel_eval,handling,handling_conditions
        person,P000001,prisoner,A1234BC,ASSOCIATE_OF,2024-01-15,IR-0001,2,B,P,
        person,P404,prisoner,A1234BC,ASSOCIATE_OF,2024-01-15,IR-0003,2,B,P,
        person,P000001,prisoner,A1234BC,knows,2024-01-15,IR-0004,2,B,P,
        person,P000001,prisoner,A1234BC,FAMILY_OF,2024-01-15,IR-0005,9,B,P,
        martian,M1,prisoner,A1234BC,FAMILY_OF,,,,,,
        """,
    )
    report = load(store, directory, report_path=tmp_path / "out" / "report.json")
    rejects = read_rejects(tmp_path / "out" / "report.rejects.csv")
    got = {(r["file"], int(r["line"]), r["column"]) for r in rejects}
    expected = {
        ("prisoners.csv", 5, "surname"),  # missing required value
        ("prisoners.csv", 6, "dob"),  # unparseable date
        ("prisoners.csv", 7, "establishment_code"),  # unknown reference
        ("prisoners.csv", 9, "dob"),  # same prison_number, conflicting dob
        ("prisoners.csv", 10, ""),  # malformed row
        ("visits.csv", 5, "visit_date"),  # 30 February
        ("visits.csv", 6, "prison_number"),  # never seen in prisoners.csv nor in the store
        ("visits.csv", 7, "establishment_code"),  # duplicate visit id, conflicting values
        ("phones.csv", 3, "phone_number"),
        ("phones.csv", 4, "subject_type"),
        ("phones.csv", 5, "subject_id"),
        ("phones.csv", 6, "attribution_source"),
        ("calls.csv", 6, "duration_seconds"),
        ("calls.csv", 7, "started_at"),
        ("calls.csv", 8, "caller_prison_number"),
        ("calls.csv", 9, "duration_seconds"),  # same call_id, other duration
        ("links.csv", 3, "from_id"),
        ("links.csv", 4, "link_type"),
        ("links.csv", 5, "source_eval"),
        ("links.csv", 6, "from_type"),
    }
    assert got == expected
    reasons = {(r["file"], int(r["line"])): r["reason"] for r in rejects}
    assert "missing required value" in reasons[("prisoners.csv", 5)]
    assert "unparseable date" in reasons[("prisoners.csv", 6)]
    assert "unknown prison_number 'Z9999ZZ'" in reasons[("visits.csv", 6)]
    assert "not in prisoners.csv nor in the store" in reasons[("visits.csv", 6)]
    assert "conflicting" in reasons[("prisoners.csv", 9)] and "line 2" in reasons[("prisoners.csv", 9)]
    assert "unknown subject_type" in reasons[("phones.csv", 4)]
    assert "unparseable number" in reasons[("calls.csv", 6)]
    assert "unknown from_id 'P404'" in reasons[("links.csv", 3)]
    values = {(r["file"], int(r["line"])): r["value"] for r in rejects}
    assert values[("visits.csv", 6)] == "Z9999ZZ" and values[("calls.csv", 6)] == "ten"
    prisoners = report.file("prisoners.csv")
    # line 8 is an exact duplicate of line 3: excluded, not rejected
    assert (prisoners.rows_read, prisoners.loaded, prisoners.rejected, prisoners.excluded) == (9, 3, 5, 1)
    assert prisoners.excluded_reasons == {"duplicate": 1}
    assert all(f.reconciles() for f in report.files)
    assert report.ok  # no --max-reject-rate given
    # the rest of each file still loaded
    assert store.counts()["links"]["CALLED"] == 2
    assert store.read_all("MATCH (n {id: 'visitor:V000003'}) RETURN n") == []  # both its visits rejected
    assert store.read_all("MATCH (n {id: 'prisoner:Z9999ZZ'}) RETURN n") == []


def test_reference_to_a_record_already_in_the_store_is_accepted(store, tmp_path):
    load(store, small_world(tmp_path / "first"))
    later = tmp_path / "later"
    later.mkdir()
    write(
        later,
        "visits.csv",
        """
        visit_id,visit_date,establishment_code,prison_number,visitor_ref,visitor_surname,visitor_forenames,visitor_dob,visitor_postcode,relationship
        VIS9,2024-06-01,WWI,A1234BC,V000009,Green,Tom,,,friend
        """,
    )
    report = load(store, later)
    assert report.file("visits.csv").loaded == 1
    assert report.file("prisoners.csv").status == "skipped"
    assert "not found" in report.file("prisoners.csv").message


def test_header_failure_loads_nothing_from_that_file_and_fails(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(directory, "visits.csv", VISITS.replace("visitor_surname,", "visitor_name,"))
    report = load(store, directory)
    visits = report.file("visits.csv")
    assert visits.status == "header_failed" and visits.rows_read == 0
    assert "visits.csv" in visits.message and "visitor_surname" in visits.message
    assert not report.ok
    assert store.counts()["nodes"].get("Visitor", 0) == 0
    assert "VISITED" not in store.counts()["links"]
    assert store.counts()["links"]["HELD_AT"] == 3  # other files loaded


def test_max_reject_rate(store, tmp_path):
    directory = tmp_path / "in"
    directory.mkdir()
    write(directory, "establishments.csv", ESTABLISHMENTS + "\n,No code,London,B\n")
    report = load(store, directory, max_reject_rate=0.2)
    establishments = report.file("establishments.csv")
    assert establishments.loaded == 2 and establishments.rejected == 1
    assert not report.ok and "exceeds" in report.problems[0] and "still loaded" in report.problems[0]
    assert load(store, directory, max_reject_rate=0.5).ok


def test_small_batches_give_the_same_graph(store, tmp_path):
    directory = small_world(tmp_path / "in")
    load(store, directory)
    reference = store.counts()
    visited = links_of(store, "VISITED")
    store.delete_all()
    store.batch_size = 1
    report = load(store, directory)
    assert report.file("visits.csv").batches == 3
    assert store.counts() == reference
    strip = lambda links: [(a, b, {k: v for k, v in p.items() if k != "source_ref"}) for a, b, p in links]  # noqa: E731
    assert strip(links_of(store, "VISITED")) == strip(visited)


def _call_writes(monkeypatch) -> list[int]:
    """The number of calls in each write of calls.csv (the real write still runs)."""
    from dataclasses import replace

    from loaders import calls, runner

    written: list[int] = []

    def counted(models):
        written.append(len(models))
        return calls.prepare(models)

    counting = replace(calls.LOADER, prepare=counted)
    loaders = tuple((name, counting if loader is calls.LOADER else loader) for name, loader in runner.FILE_LOADERS)
    monkeypatch.setattr(runner, "FILE_LOADERS", loaders)
    return written


def test_calls_are_written_a_window_of_chunks_at_a_time_with_the_same_result(store, tmp_path, monkeypatch):
    from loaders import calls

    directory = bulk_world(tmp_path / "in")  # 1,500 calls; a pair called again 500 calls later
    load(store, directory, resolve=False)
    reference = links_of(store, "CALLED")
    store.delete_all()
    store.batch_size = 7
    written = _call_writes(monkeypatch)
    report = load(store, directory, resolve=False)
    window = 7 * calls.LOADER.gather_chunks
    growing = [7, 14, 28, 56, 112]  # the first write after one chunk, each later one twice as big
    assert window == 140 and written == growing + [window] * 9 + [1500 - sum(growing) - 9 * window]
    assert report.file("calls.csv").loaded == 1500
    strip = lambda links: [(a, b, {k: v for k, v in p.items() if k != "source_ref"}) for a, b, p in links]  # noqa: E731
    assert strip(links_of(store, "CALLED")) == strip(reference)
    assert sum(p["count"] for _, _, p in reference) == 1500
    assert max(p["count"] for _, _, p in reference) > 1  # pairs called in different windows


def test_the_gathering_window_is_capped_in_rows(store, tmp_path, monkeypatch):
    from loaders import runner

    directory = bulk_world(tmp_path / "in", calls=100)
    store.batch_size = 7
    monkeypatch.setattr(runner, "GATHER_MAX_ROWS", 20)
    written = _call_writes(monkeypatch)
    load(store, directory, resolve=False)
    assert written == [7, 14, 21, 21, 21, 16]  # growing, then three 7-row chunks reach the 20-row cap


def test_extra_columns_are_kept(store, tmp_path):
    directory = tmp_path / "in"
    directory.mkdir()
    write(directory, "establishments.csv", "establishment_code,name,Local Note\nBXI,HMP Brixton,near the station\n")
    report = load(store, directory)
    assert report.file("establishments.csv").extra_columns == ["local note"]
    assert node(store, "establishment:BXI")[1]["local_note"] == "near the station"


def test_a_later_row_missing_a_value_keeps_the_earlier_one(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "visits.csv",
        VISITS.strip()
        + """
        VIS4,2024-04-01,BXI,B2222BB,V000001,Jones,Kate,,,cousin
        """,
    )
    for size in (5000, 2):  # in one batch, and over several batches
        store.delete_all()
        store.batch_size = size
        load(store, directory)
        props = node(store, "visitor:V000001")[1]
        assert (props["dob"], props["postcode"]) == ("1979-11-02", "SE1 7PB")


def test_broken_privileged_calls_are_rejects_without_their_values(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "calls.csv",
        CALLS.strip()
        + """
        C9,,B2222BB,020 7946 00,2024-02-05T09:00:00,600,pin,BXI,Y
        C10,,Z9999ZZ,020 7946 0002,2024-02-05T09:00:00,600,pin,BXI,Y
        C11,,B2222BB,020 7946 0003,2024-02-05T09:00:00,600,pin,BXI,maybe
        """,
    )
    report = load(store, directory, report_path=tmp_path / "out" / "r.json")
    calls = report.file("calls.csv")
    assert (calls.rows_read, calls.loaded, calls.rejected, calls.excluded) == (7, 3, 3, 1)
    rejects = {int(r["line"]): r for r in read_rejects(tmp_path / "out" / "r.rejects.csv")}
    assert (rejects[6]["column"], rejects[6]["value"]) == ("callee_number", "")
    assert (rejects[7]["column"], rejects[7]["value"]) == ("caller_prison_number", "")
    assert "withheld" in rejects[6]["reason"] and "withheld" in rejects[7]["reason"]
    assert rejects[8]["column"] == "privileged"
    text = (tmp_path / "out" / "r.rejects.csv").read_text()
    assert "7946" not in text and "Z9999ZZ" not in text
    assert "7946 00" not in json.dumps(store.read_all("MATCH (n) RETURN properties(n) AS p"))


def chunks_in(store) -> list[str]:
    return [r["id"] for r in store.read_all("MATCH (n:Chunk) RETURN n.id AS id ORDER BY id")]


def test_chunk_writes_run_in_order_and_a_failed_write_stops_the_rest(store):
    from loaders.runner import _ChunkWriter

    done: list[int] = []

    def write(n: int) -> None:
        if n == 2:
            raise RuntimeError("store refused chunk 2")
        store.execute_write("CREATE (:Chunk {id: $id})", {"id": f"chunk:{n}"})
        done.append(n)

    writer = _ChunkWriter()
    writer.submit(lambda: write(1))
    writer.submit(lambda: write(2))
    with pytest.raises(RuntimeError, match="chunk 2"):
        writer.submit(lambda: write(3))  # the failure surfaces at the next hand-over
    writer.finish()  # raised once already: nothing is left to wait for nor to raise
    assert done == [1]
    assert chunks_in(store) == ["chunk:1"]  # exactly the chunk before the failure, once
    with pytest.raises(RuntimeError, match="shutdown"):
        writer.submit(lambda: write(4))  # finish stopped the writer thread
    assert chunks_in(store) == ["chunk:1"]


def test_finish_waits_for_the_last_write_and_raises_its_error(store):
    from loaders.runner import _ChunkWriter

    def slow_write() -> None:
        time.sleep(0.3)
        store.execute_write("CREATE (:Chunk {id: 'chunk:last'})")

    writer = _ChunkWriter()
    assert writer.submit(slow_write) < 0.1  # nothing to wait for yet: the write runs behind
    waited = writer.finish()
    assert chunks_in(store) == ["chunk:last"]  # written by the time finish returns
    assert 0.2 <= waited < 10  # the seconds finish spent waiting for it

    failing = _ChunkWriter()
    failing.submit(lambda: (_ for _ in ()).throw(RuntimeError("store refused the last chunk")))
    with pytest.raises(RuntimeError, match="last chunk"):
        failing.finish()


def test_a_load_already_failing_reports_its_own_error_not_the_writer_s(caplog):
    from loaders.runner import _ChunkWriter

    writer = _ChunkWriter()
    writer.submit(lambda: (_ for _ in ()).throw(RuntimeError("write failed too")))
    writer.abandon()  # logs, does not replace the error already on its way out
    assert "write failed too" in caplog.text


def test_a_failed_last_chunk_fails_the_file(store, run, tmp_path):
    from dataclasses import replace

    from loaders import establishments
    from loaders.context import LoaderContext
    from loaders.duplicates import DuplicateIndex
    from loaders.known import KnownNodes
    from loaders.rejects import RejectWriter
    from loaders.report import FileReport
    from loaders.runner import load_file

    path = tmp_path / "establishments.csv"
    path.write_text(ESTABLISHMENTS.strip() + "\n")
    rows = len(ESTABLISHMENTS.strip().splitlines()) - 1
    calls: list[int] = []

    def load(store_, models, run_, ctx):
        calls.append(len(models))
        if len(calls) == rows:
            raise RuntimeError("store refused the last chunk")
        establishments.load(store_, models, run_, ctx)

    loader = replace(establishments.LOADER, load=load)
    report = FileReport("establishments.csv")
    ctx = LoaderContext(store, KnownNodes(store), DuplicateIndex())
    with pytest.raises(RuntimeError, match="last chunk"):
        load_file(
            store,
            path,
            loader,
            ctx,
            run,
            RejectWriter(None, run.run_id),
            report,
            batch_size=1,
            progress=lambda *args: None,
        )
    assert report.loaded == rows - 1 == store.counts()["nodes"]["Establishment"]
    # the report accounts for the row read but never written, and says what the store holds
    assert report.not_written == 1 and report.reconciles() and report.stored_through_line == rows
    assert f"up to line {rows:,} ({rows - 1} rows)" in report.store_holds
