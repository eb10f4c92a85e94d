"""CSV reading: BOM, physical line numbers, blank lines, header check, chunks."""

from __future__ import annotations

import pytest

from loaders.contract import CONTRACTS_BY_NAME
from loaders.csvsource import CsvSource, HeaderError

PERSONS = CONTRACTS_BY_NAME["persons.csv"]


def test_bom_blank_lines_and_physical_line_numbers(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(
        "\ufeffperson_ref,surname,forenames,dob,pnc_id,postcode,nickname\n"
        "P1,Smith,John,1980-01-01,,,\n"
        "\n"
        'P2,"Jones\nPrice",Ann,,,,Annie\n'  # a quoted field over two lines
        "P3,Brown,Bob,,,,\n",
        encoding="utf-8",
    )
    source = CsvSource(path, PERSONS)
    assert source.header[0] == "person_ref"
    assert source.extra_columns == ["nickname"]
    rows = list(source.rows())
    assert [r.line for r in rows] == [2, 4, 6]
    assert rows[1].values["surname"] == "Jones\nPrice"
    assert [len(c) for c in source.chunks(2)] == [2, 1]


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
    assert error.value.missing == ["surname", "forenames"]
