"""CSV reading: bytes to physical lines to rows, every line accounted for.

BOM, line endings, blank lines, header checks, undecodable lines, control characters,
unclosed quotes, overlong lines, whole-file encodings, confidential rows, chunks.
"""

from __future__ import annotations

import tracemalloc

import pytest

from loaders import csvsource
from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import CsvSource, EncodingError, HeaderError, escape

PERSONS = CONTRACTS_BY_NAME["persons.csv"]
CALLS = CONTRACTS_BY_NAME["calls.csv"]
PERSONS_HEADER = b"person_ref,surname,forenames,dob,pnc_id,postcode"
CALLS_HEADER = (
    b"call_id,caller_number,caller_prison_number,callee_number,started_at,duration_seconds,"
    b"call_source,establishment_code,privileged"
)


def source(tmp_path, data: bytes, contract=PERSONS) -> CsvSource:
    path = tmp_path / contract.name
    path.write_bytes(data)
    return CsvSource(path, contract)


def read(tmp_path, data: bytes, contract=PERSONS):
    return list(source(tmp_path, data, contract).rows())


def problems(rows):
    """(line, column, kind) of each row the reader refused."""
    return [(r.line, r.problem.column, r.problem.kind) for r in rows if r.problem is not None]


def test_bom_blank_lines_and_physical_line_numbers(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(
        "\ufeffperson_ref,surname,forenames,dob,pnc_id,postcode,nickname\n"
        "P1,Smith,John,1980-01-01,,,\n"
        "\n"
        ",,,,,,\n"
        "P3,Brown,Bob,,,,\n",
        encoding="utf-8",
    )
    source = CsvSource(path, PERSONS)
    assert source.header[0] == "person_ref"
    assert source.extra_columns == ["nickname"]
    rows = list(source.rows())
    assert [r.line for r in rows] == [2, 5]
    assert [len(c) for c in source.chunks(1)] == [1, 1]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_ending_gives_the_same_rows_and_lines(tmp_path, eol):
    lines = [PERSONS_HEADER, b"P1,Smith,John,,,", b"", b'P2,"Jones, Price",Ann,,,', b"P3,Brown,Bob,,,"]
    rows = read(tmp_path, eol.join(lines) + eol)
    assert [(r.line, r.values["person_ref"], r.values["surname"]) for r in rows] == [
        (2, "P1", "Smith"),
        (4, "P2", "Jones, Price"),
        (5, "P3", "Brown"),
    ]


def test_mixed_line_endings_and_no_final_line_break(tmp_path):
    data = PERSONS_HEADER + b"\r\nP1,A,B,,,\rP2,C,D,,,\nP3,E,F,,,\r\n\r\nP4,G,H,,,"
    assert [(r.line, r.values["person_ref"]) for r in read(tmp_path, data)] == [
        (2, "P1"),
        (3, "P2"),
        (4, "P3"),
        (6, "P4"),
    ]


def test_a_crlf_split_across_blocks_is_one_line_break(tmp_path, monkeypatch):
    monkeypatch.setattr(csvsource, "BLOCK", 7)
    data = PERSONS_HEADER + b"\r\n" + b"".join(b"P%d,Surname,Forename,,,\r\n" % i for i in range(40))
    rows = read(tmp_path, data)
    assert [r.line for r in rows] == list(range(2, 42)) and not problems(rows)
    assert rows[-1].values == {
        "person_ref": "P39",
        "surname": "Surname",
        "forenames": "Forename",
        "dob": "",
        "pnc_id": "",
        "postcode": "",
    }


def test_rows_of_the_wrong_width_are_flagged(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text("person_ref,surname,forenames\nP1,Smith\nP2,A,B,C\n", encoding="utf-8")
    rows = list(CsvSource(path, PERSONS).rows())
    assert rows[0].width_problem == "row has 2 fields, header has 3"
    assert rows[1].width_problem == "row has 4 fields, header has 3"


def test_missing_required_columns_fail_with_file_and_columns(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text("person_ref,surname_x,dob\nP1,Smith,\n", encoding="utf-8")
    with pytest.raises(HeaderError) as error:
        CsvSource(path, PERSONS)
    message = str(error.value)
    assert "persons.csv" in message and "surname" in message and "forenames" in message
    assert error.value.missing == ["surname", "forenames"] and error.value.status == "header_failed"


@pytest.mark.parametrize(
    "header, words",
    [
        (b"person_ref,surname,forenames,Surname ", ["repeats", "surname"]),
        (b"person_ref,surname,forenames,dob,DOB", ["repeats", "dob"]),
        (b'person_ref,"surname,forenames', ["unclosed quote"]),
        (b"person_ref,surname,forenames,no\x07te", ["control character", "U+0007"]),
        (b"person_ref\tsurname\tforenames", ["tab-separated"]),
        (b"person_ref,surname,forenames," + b",".join(b"c%d" % i for i in range(300)), ["303 columns"]),
        (b"person_ref,surname,forenames," + b"x" * 150, ["150 characters"]),
    ],
    ids=["duplicate", "duplicate-case", "unclosed-quote", "control", "tabs", "too-many-columns", "long-name"],
)
def test_a_header_that_cannot_be_trusted_fails_the_file(tmp_path, header, words):
    with pytest.raises(HeaderError) as error:
        source(tmp_path, header + b"\nP1,Smith,John\n")
    message = str(error.value)
    assert message.startswith("persons.csv: ") and "nothing was loaded" in message
    assert all(word in message for word in words), message


def test_a_duplicated_column_is_named(tmp_path):
    with pytest.raises(HeaderError) as error:
        source(tmp_path, b"person_ref,surname,forenames,surname\nP1,Smith,John,Jones\n")
    assert error.value.duplicates == ["surname"]


@pytest.mark.parametrize(
    "encoding, words",
    [
        ("utf-16", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_files_fail_as_a_whole(tmp_path, encoding, words):
    text = "person_ref,surname,forenames\nP1,Smith,John\n"
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    with pytest.raises(EncodingError) as error:
        source(tmp_path, data)
    assert words in str(error.value) and "save it as UTF-8" in str(error.value)
    assert error.value.status == "encoding_failed"


@pytest.mark.parametrize(
    "head, words",
    [
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),
        (b"+/v8person_ref", "UTF-7"),
    ],
)
def test_other_detectable_formats_fail_as_a_whole(tmp_path, head, words):
    with pytest.raises(EncodingError) as error:
        source(tmp_path, head + b"person_ref,surname,forenames\nP1,A,B\n")
    assert words in str(error.value)


def test_a_header_that_is_not_utf8_fails_the_file(tmp_path):
    with pytest.raises(EncodingError) as error:
        source(tmp_path, b"person_ref,surname,forenam\xe9s\nP1,A,B\n")
    assert "header (line 1)" in str(error.value) and "0xE9" in str(error.value)


def test_boms_on_the_first_line_are_tolerated(tmp_path):
    for bom in (b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"):
        rows = read(tmp_path, bom + PERSONS_HEADER + b"\nP1,Smith,John,,,\n")
        assert [(r.line, r.values["person_ref"]) for r in rows] == [(2, "P1")]


@pytest.mark.parametrize(
    "bad, reason",
    [
        (b"Sm\xe9th", "byte 0xE9"),  # Latin-1 é
        (b"Sm\x80th", "byte 0x80"),  # Windows-1252 euro sign
        (b"Sm\xc3", "byte 0xC3"),  # a sequence cut short
        (b"Sm\xc0\xafth", "byte 0xC0"),  # an overlong encoding of '/'
        (b"Sm\xed\xa0\x80th", "byte 0xED"),  # an encoded surrogate
    ],
    ids=["latin1", "cp1252", "truncated", "overlong", "surrogate"],
)
def test_a_line_that_is_not_utf8_is_rejected_and_reading_goes_on(tmp_path, bad, reason):
    data = PERSONS_HEADER + b"\nP1,Smith,John,,,\nP2," + bad + b",John,,,\nP3,Brown,Bob,,,\n"
    rows = read(tmp_path, data)
    assert [r.line for r in rows] == [2, 3, 4]
    assert problems(rows) == [(3, "surname", "encoding")]
    problem = rows[1].problem
    assert "not valid UTF-8" in problem.reason and reason in problem.reason
    assert "\\x" in problem.value and problem.value.startswith("Sm")  # the raw bytes, escaped
    assert rows[2].values["person_ref"] == "P3"


def test_many_undecodable_lines_in_one_block_keep_their_order(tmp_path):
    body = b"".join((b"P%d,Sm\xe9th,A,,," if i % 3 == 0 else b"P%d,Smith,A,,,") % i + b"\n" for i in range(30))
    rows = read(tmp_path, PERSONS_HEADER + b"\n" + body)
    assert [r.line for r in rows] == list(range(2, 32))
    assert [line for line, _, _ in problems(rows)] == [i + 2 for i in range(30) if i % 3 == 0]


@pytest.mark.parametrize(
    "cell, words",
    [
        (b"Sm\x00ith", "NUL"),
        (b"Sm\x07ith", "U+0007"),
        (b"Sm\x1bith", "U+001B"),
        ("Sm\u2028ith".encode(), "U+2028"),
        ("Sm\x85ith".encode(), "U+0085"),
        (b"Sm\tith", "a tab"),
    ],
    ids=["nul", "bell", "escape", "line-separator", "next-line", "tab"],
)
def test_control_characters_are_rejected_naming_the_column(tmp_path, cell, words):
    rows = read(tmp_path, PERSONS_HEADER + b"\nP1," + cell + b",John,,,\nP2,Brown,Bob,,,\n")
    assert problems(rows) == [(2, "surname", "encoding")]
    assert words in rows[0].problem.reason
    assert rows[0].problem.value.startswith("Sm\\") and rows[0].problem.value.isprintable()
    assert rows[1].values["person_ref"] == "P2"


def test_a_tab_is_accepted_in_free_text_only(tmp_path):
    rows = read(tmp_path, PERSONS_HEADER + b",notes\nP1,Smith,John,,,,one\ttwo\nP2,Sm\tith,John,,,,\n")
    assert rows[0].problem is None and rows[0].values["notes"] == "one\ttwo"
    assert problems(rows) == [(3, "surname", "encoding")]


@pytest.mark.parametrize("where", ["first", "middle", "last", "last-without-line-break"])
def test_an_unclosed_quote_is_rejected_on_its_line_and_the_rows_after_it_load(tmp_path, where):
    good = [b"P%d,Smith,John,,," % i for i in range(1, 6)]
    bad = b'P9,"Smith,John,,,'
    at = {"first": 0, "middle": 2, "last": 5, "last-without-line-break": 5}[where]
    lines = [*good[:at], bad, *good[at:]]
    data = PERSONS_HEADER + b"\n" + b"\n".join(lines) + (b"" if where == "last-without-line-break" else b"\n")
    rows = read(tmp_path, data)
    assert problems(rows) == [(at + 2, "surname", "malformed")]
    assert "unclosed quote" in rows[at].problem.reason
    assert [r.values["person_ref"] for r in rows if r.problem is None] == [f"P{i}" for i in range(1, 6)]


def test_an_unclosed_quote_far_from_the_end_does_not_swallow_the_file(tmp_path):
    lines = [b"P%d,Smith,John,,," % i for i in range(2000)]
    lines[1000] = b'P1000,Smith,"John,,,'
    rows = read(tmp_path, PERSONS_HEADER + b"\n" + b"\n".join(lines) + b"\n")
    assert len(rows) == 2000
    assert problems(rows) == [(1002, "forenames", "malformed")]


def test_a_field_holding_a_line_break_is_rejected_with_its_continuation(tmp_path):
    data = PERSONS_HEADER + b'\nP1,Smith,John,,,\nP2,"Jones\nPrice",Ann,,,\nP3,Brown,Bob,,,\n'
    rows = read(tmp_path, data)
    assert [r.line for r in rows] == [2, 3, 4, 5]
    assert problems(rows) == [(3, "surname", "malformed"), (4, "", "malformed")]
    assert "continuation of the quoted field opened on line 3" in rows[2].problem.reason
    assert rows[3].values["person_ref"] == "P3"


def test_the_header_repeated_in_the_middle_is_rejected(tmp_path):
    data = PERSONS_HEADER + b"\nP1,A,B,,,\n" + PERSONS_HEADER + b"\nP2,C,D,,,\n"
    rows = read(tmp_path, data)
    assert problems(rows) == [(3, "", "malformed")] and "header line again" in rows[1].problem.reason


def test_an_overlong_line_is_rejected_and_read_past_in_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(csvsource, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(csvsource, "BLOCK", 256)
    long = b"P2,Smith,John," + b"x" * 5000 + b",,"
    for eol in (b"\n", b"\r\n", b"\r"):
        data = eol.join([PERSONS_HEADER, b"P1,A,B,,,", long, b"P3,C,D,,,", long, b"P5,E,F,,,"]) + eol
        rows = read(tmp_path, data)
        assert [r.line for r in rows] == [2, 3, 4, 5, 6], eol
        assert problems(rows) == [(3, "", "out_of_bounds"), (5, "", "out_of_bounds")]
        assert "5,016 bytes" in rows[1].problem.reason and rows[1].problem.value.startswith("P2,Smith")
        assert [r.values["person_ref"] for r in rows if r.problem is None] == ["P1", "P3", "P5"]
    rows = read(tmp_path, PERSONS_HEADER + b"\nP1,A,B,,,\n" + long)  # at the very end
    assert problems(rows) == [(3, "", "out_of_bounds")]


def test_a_line_of_20_mb_is_never_held_whole(tmp_path):
    path = tmp_path / "persons.csv"
    with path.open("wb") as handle:
        handle.write(PERSONS_HEADER + b"\nP1,Smith,")
        for _ in range(20):
            handle.write(b"y" * (1 << 20))
        handle.write(b",John,,,\nP2,Brown,Bob,,,\n")
    tracemalloc.start()
    try:
        rows = list(CsvSource(path, PERSONS).rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems(rows) == [(2, "", "out_of_bounds")] and rows[1].values["person_ref"] == "P2"
    assert peak < 8 * (1 << 20), peak  # a few blocks of 1 MiB, not the 20 MiB line


def test_rejects_of_rows_that_may_be_privileged_carry_no_value(tmp_path):
    good = b"C1,,A1234BC,07700900123,2024-01-01T10:00:00,60,pin,BXI,"
    data = (
        CALLS_HEADER
        + b"\n"
        + b"\n".join(
            [
                good.replace(b"07700900123", b"0770\xe9900123") + b"N",  # readable: not privileged
                good.replace(b"07700900123", b"0770\xe9900123") + b"Y",  # privileged
                good.replace(b"07700900123", b'"07700900123') + b"N",  # privileged column not reached
                good.replace(b"BXI", b"B\x07XI") + b"N",
                good.replace(b"BXI", b"B\x07XI") + b"Y",
                good.replace(b"BXI", b"B\x07XI") + b"maybe",
            ]
        )
    )
    rows = read(tmp_path, data + b"\n", CALLS)
    shown = [(r.line, r.problem.column, bool(r.problem.value), "withheld" in r.problem.reason) for r in rows]
    assert shown == [
        (2, "callee_number", True, False),
        (3, "callee_number", False, True),
        (4, "callee_number", False, True),
        (5, "establishment_code", True, False),
        (6, "establishment_code", False, True),
        (7, "establishment_code", False, True),
    ]
    assert all("9900123" not in r.problem.reason for r in rows)


def test_escape_shows_bad_bytes_and_controls_on_one_line():
    assert escape(b"Sm\xe9th\x00\n") == "Sm\\xe9th\\x00\\x0a"
    assert escape("a\u2028b\tc") == "a\\u2028b\\x09c"
    assert escape("x" * 500, 10) == "x" * 10 + "..."


def test_chunks_cover_every_row_once(tmp_path):
    data = PERSONS_HEADER + b"\n" + b"".join(b"P%d,A,B,,,\n" % i for i in range(23))
    chunks = list(source(tmp_path, data).chunks(5))
    assert [len(c) for c in chunks] == [5, 5, 5, 5, 3]
    assert [r.line for c in chunks for r in c] == list(range(2, 25))


def test_an_empty_file_fails_its_header_check(tmp_path):
    with pytest.raises(HeaderError, match="missing required"):
        source(tmp_path, b"")
    with pytest.raises(HeaderError, match="missing required"):
        source(tmp_path, b"\n\n  \n")


@pytest.mark.parametrize("eol", [b"\r", b"\n", b"\r\n"])
def test_a_line_exactly_at_the_limit_is_read_one_byte_more_is_not(tmp_path, monkeypatch, eol):
    monkeypatch.setattr(csvsource, "MAX_LINE_BYTES", 30)
    line = b"P1,Smith," + b"J" * 21  # 30 bytes
    for block in (5, 7, 30):
        monkeypatch.setattr(csvsource, "BLOCK", block)
        rows = read(tmp_path, b"person_ref,surname,forenames\n" + line + eol + line + b"y" + eol + line + eol)
        assert [(r.line, r.problem.kind if r.problem else None) for r in rows] == [
            (2, None),
            (3, "out_of_bounds"),
            (4, None),
        ], block


def test_blank_lines_before_the_header_keep_the_line_numbers(tmp_path, monkeypatch):
    for block in (1 << 20, 4):
        monkeypatch.setattr(csvsource, "BLOCK", block)
        src = source(tmp_path, b"\xef\xbb\xbf\n ,\r\n" + PERSONS_HEADER + b"\nP1,A,B,,,\nP2,C,D,,,\n")
        assert src.header_line == 3
        assert [(r.line, r.values["person_ref"]) for r in src.rows()] == [(4, "P1"), (5, "P2")]
