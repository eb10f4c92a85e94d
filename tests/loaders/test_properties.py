"""Property-based tests (Hypothesis) of the CSV reader, the value parsers, the transforms,
the network parser and the rejects file: arbitrary input never raises outside the reject
path, every physical line is accounted for, and any valid row survives a round trip."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import bounds, csvsource, runner
from loaders import normalise as norm
from loaders.contract import CONTRACTS_BY_NAME, SPEC_ORDER
from loaders.csvsource import CsvSource, FileFormatError
from loaders.network import NetworkFormatError, parse_network
from loaders.rejects import Reject, RejectWriter, read_rejects
from loaders.rows import Excluded, RowError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PERSONS = CONTRACTS_BY_NAME["persons.csv"]
HEADER = b"person_ref,surname,forenames,dob,pnc_id,postcode,notes\n"
BREAKS = re.compile(rb"\r\n|\r|\n")

# Bytes a hostile file is made of: CSV syntax, line breaks, NUL and controls, bytes that
# are not UTF-8, BOMs, and plain text.
hostile_bytes = st.lists(
    st.one_of(
        st.sampled_from(
            [b",", b'"', b"\n", b"\r", b"\r\n", b"\x00", b"\t", b"\x07", b"\xe9", b"\x80", b"\xc3", b"\xef\xbb\xbf"]
        ),
        st.sampled_from([b"P1", b"Smith", b"1980-01-01", b"85/123456A", b"SE1 7PB", b" ", "Zoë".encode()]),
        st.binary(max_size=8),
    ),
    max_size=60,
).map(b"".join)


def physical_lines(data: bytes) -> list[bytes]:
    lines = BREAKS.split(data)
    return lines[:-1] if lines and lines[-1] == b"" else lines


def is_blank(raw: bytes) -> bool:
    """A line the reader may skip: valid UTF-8 whose cells are all blank."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not "".join(next(csv.reader([text]), [])).strip()


def read_all(path: Path, contract=PERSONS) -> list[csvsource.SourceRow]:
    return list(CsvSource(path, contract).rows())


@SETTINGS
@given(body=hostile_bytes)
def test_every_physical_line_after_the_header_is_a_row_or_blank(tmp_path, body):
    path = tmp_path / "persons.csv"
    path.write_bytes(HEADER + body)
    rows = read_all(path)
    numbers = [r.line for r in rows]
    assert numbers == sorted(set(numbers))  # each line once, in order
    lines = physical_lines(body)
    assert all(2 <= n <= len(lines) + 1 for n in numbers)
    yielded = set(numbers)
    for index, raw in enumerate(lines):
        if index + 2 not in yielded:
            assert is_blank(raw), (index + 2, raw)
    for row in rows:
        if row.problem is None:
            assert set(row.values) == set(CsvSource(path, PERSONS).header)
            assert not any(csvsource._CONTROL.search(v) for v in row.values.values())
        else:
            assert row.values == {} and row.problem.kind in ("encoding", "malformed", "out_of_bounds")
        try:  # the transform raises nothing but a reject
            model = runner.persons.transform(row)
        except RowError:
            continue
        assert model.line == row.line


LIMIT = 30  # bytes a line may hold in the test below (the header takes 28)


@SETTINGS
@given(body=hostile_bytes)
def test_small_blocks_and_a_small_line_limit_account_for_every_line(tmp_path, body):
    path = tmp_path / "persons.csv"
    path.write_bytes(b"person_ref,surname,forenames\n" + body)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvsource, "BLOCK", 5)
        patch.setattr(csvsource, "MAX_LINE_BYTES", LIMIT)
        small = read_all(path)
    lines = physical_lines(body)
    yielded = {r.line for r in small}
    assert len(yielded) == len(small)
    for index, raw in enumerate(lines):
        if len(raw) > LIMIT:
            (row,) = [r for r in small if r.line == index + 2]
            assert row.problem is not None and row.problem.kind == "out_of_bounds"
        elif index + 2 not in yielded:
            assert is_blank(raw)
    big = {r.line: r for r in read_all(path)}  # short lines read the same in any block size
    for row in small:
        if len(lines[row.line - 2]) <= LIMIT:
            assert (row.values, str(row.problem)) == (big[row.line].values, str(big[row.line].problem))


@SETTINGS
@given(data=st.binary(max_size=200) | hostile_bytes)
def test_any_bytes_are_either_refused_as_a_file_or_read_without_error(tmp_path, data):
    path = tmp_path / "persons.csv"
    path.write_bytes(data)
    try:
        source = CsvSource(path, PERSONS)
    except FileFormatError as error:
        assert str(error).startswith("persons.csv: ") and error.status in ("header_failed", "encoding_failed")
        return
    for row in source.rows():
        with contextlib.suppress(RowError):
            runner.persons.transform(row)


# Cells the contract allows: no control character, no line break, no lone surrogate.
cell = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"), max_size=12
) | st.sampled_from(["a,b", 'say "hi"', '"', " padded ", "Zoë O'Brien-Dvořák", "=1+2", ""])


@SETTINGS
@given(
    rows=st.lists(st.tuples(st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True), cell, cell, cell), max_size=15),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
)
def test_any_valid_row_survives_a_round_trip(tmp_path, rows, quoting, eol, bom):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting, lineterminator=eol)
    writer.writerow(["person_ref", "surname", "forenames", "notes"])
    writer.writerows(rows)
    path = tmp_path / "persons.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    got = read_all(path)
    assert [r.problem for r in got] == [None] * len(rows)
    assert [r.line for r in got] == list(range(2, len(rows) + 2))
    assert [tuple(r.values.values()) for r in got] == [tuple(row) for row in rows]


names = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=30)
valid_person = st.fixed_dictionaries(
    {
        "person_ref": st.from_regex(r"[A-Z][0-9]{1,10}", fullmatch=True),
        "surname": names,
        "forenames": names,
        "dob": st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(lambda d: d.isoformat()),
        "pnc_id": st.from_regex(r"(19|20)[0-9]{2}/[0-9]{7}[A-Z]", fullmatch=True),
        "postcode": st.sampled_from(["SE1 7PB", "sw1a1aa", "M1 1AE", "B33 8TH", ""]),
    }
)


@SETTINGS
@given(people=st.lists(valid_person, min_size=1, max_size=10))
def test_valid_persons_survive_reading_and_the_transform(tmp_path, people):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SPEC_ORDER["persons.csv"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(people)
    path = tmp_path / "persons.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    for row, person in zip(read_all(path), people):
        model = runner.persons.transform(row)
        assert (model.person_ref, model.surname, model.forenames, model.dob, model.pnc_id) == (
            person["person_ref"],
            person["surname"],
            person["forenames"],
            person["dob"],
            person["pnc_id"],
        )
        assert (model.postcode or "") == (norm.postcode(person["postcode"]) if person["postcode"] else "")


text_values = st.text(max_size=40) | st.sampled_from(
    ["1e400", "nan", "-inf", "9223372036854775808", "99999999999999999999", "١٢٣", "9999-12-31T23:59:59-05:00", "0"]
)


@SETTINGS
@given(value=text_values)
def test_value_parsers_raise_nothing_but_a_value_problem(value):
    parsers = [
        norm.iso_date,
        norm.iso_datetime,
        norm.integer,
        lambda v: norm.integer(v, minimum=None),
        norm.number,
        norm.postcode,
        norm.phone,
        norm.yes_no,
        lambda v: norm.choice(v, ("a", "b"), "x", lower=True),
        lambda v: norm.grading_value("source_eval", v),
    ]
    for parse in parsers:
        try:
            parse(value)
        except norm.ValueProblem as problem:
            assert str(problem) and problem.kind in ("invalid", "out_of_bounds")
    for kind in ("prison_number", "pnc_id", "staff_number", "call_id", "identifier", "name", "free_text"):
        if value.strip():
            try:
                bounds.check("c", value.strip(), kind)
            except RowError as error:
                assert error.column == "c" and len(error.reason) < 400


@SETTINGS
@given(data=st.data())
def test_every_transform_raises_nothing_but_a_reject(data):
    for name, loader in runner.FILE_LOADERS:
        columns = SPEC_ORDER[name]
        values = data.draw(st.fixed_dictionaries({c: text_values for c in columns}), label=name)
        row = csvsource.SourceRow(2, values)
        try:
            model = loader.transform(row)
        except RowError as error:
            assert error.kind in ("missing", "invalid", "out_of_bounds", "malformed")
            continue
        assert isinstance(model, Excluded) or model.line == 2


@SETTINGS
@given(data=st.binary(max_size=120) | hostile_bytes.map(lambda b: b"a,b,c,d\n" + b))
def test_the_network_parser_raises_nothing_but_a_format_error(tmp_path, data):
    path = tmp_path / "net.csv"
    path.write_bytes(data)
    try:
        report, labels, links = parse_network(path)
    except NetworkFormatError:
        return
    assert all(len(label) <= 256 for label in labels)
    assert all(weight >= 0 and weight == weight and weight != float("inf") for weight, _ in links.values())
    assert report.rows_read + report.blank_rows_skipped >= len(links) // max(len(labels), 1)


@SETTINGS
@given(values=st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_the_rejects_file_keeps_one_safe_row_per_reject(tmp_path, values):
    path = tmp_path / "rejects.csv"
    writer = RejectWriter(path, "run")
    for i, value in enumerate(values):
        writer.add(Reject("persons.csv", i + 2, value[:5], value, "reason " + value))
    writer.close()
    rows = read_rejects(path)
    assert [int(r["line"]) for r in rows] == list(range(2, len(values) + 2))
    for row in rows:
        for text in row.values():
            assert text.isprintable() and not text.startswith(("=", "+", "-", "@", "\t", "\r"))
