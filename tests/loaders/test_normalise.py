"""Normalisation rules: phones (E.164, GB default), names, dates, postcodes, grading."""

from __future__ import annotations

import pytest

from loaders import normalise as norm


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("07701 900123", "+447701900123"),  # national mobile with a space
        ("07701900123", "+447701900123"),
        ("+44 7701 900123", "+447701900123"),  # international
        ("+44 (0)7701 900123", "+447701900123"),  # the (0) trunk prefix in brackets
        ("0044 7701 900123", "+447701900123"),  # 00 international prefix
        ("(020) 7946 0001", "+442079460001"),  # brackets, London geographic
        ("020-7946-0001", "+442079460001"),
        ("+1 202 555 0143", "+12025550143"),  # foreign number kept in its own country
        ("0033 1 42 68 53 00", "+33142685300"),
    ],
)
def test_phone_numbers_become_e164(raw, expected):
    assert norm.phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12", "not a number", "07701 9001", "+44 1234", "0770190012345678", "0800 ABC"])
def test_invalid_phone_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(norm.ValueProblem) as problem:
        norm.phone(raw)
    assert "phone number" in str(problem.value)


def test_names_keep_display_form_and_fold_for_matching():
    assert norm.full_name("  Mary  Ann ", "o'brien") == "Mary Ann O'BRIEN"
    assert norm.name_key("Zoë", "Wiśniewski") == "zoe wisniewski"
    assert norm.name_key("Łukasz", "Dvořák") == "lukasz dvorak"
    assert norm.fold("O'Brien-Smith") == "obrien smith"
    assert norm.display("  Jon   Paul ") == "Jon Paul"


def test_dates_and_datetimes():
    assert norm.iso_date(" 2024-02-29 ") == "2024-02-29"
    for bad in ("2023-02-29", "12/03/2024", "2024-13-01", "20240101", "yesterday"):
        with pytest.raises(norm.ValueProblem):
            norm.iso_date(bad)
    assert norm.iso_datetime("2024-02-01T10:11:12") == "2024-02-01T10:11:12"
    assert norm.iso_datetime("2024-02-01 10:11") == "2024-02-01T10:11:00"
    assert norm.iso_datetime("2024-06-01T10:00:00+01:00") == "2024-06-01T09:00:00+00:00"
    assert norm.iso_datetime("2024-06-01T09:00:00Z") == "2024-06-01T09:00:00+00:00"
    with pytest.raises(norm.ValueProblem):
        norm.iso_datetime("01/02/2024 10:00")


def test_postcodes_get_one_space_and_upper_case():
    assert norm.postcode("se17pb") == "SE1 7PB"
    assert norm.postcode("SW1A  1AA") == "SW1A 1AA"
    assert norm.postcode("m1 1ae") == "M1 1AE"
    for bad in ("12345", "SE1", "ZZZ 999"):
        with pytest.raises(norm.ValueProblem):
            norm.postcode(bad)


def test_numbers_flags_and_grading():
    assert norm.integer("120") == 120
    assert norm.integer("120.0") == 120
    for bad in ("12s", "-5", "1.5"):
        with pytest.raises(norm.ValueProblem):
            norm.integer(bad)
    assert norm.yes_no("y") is True and norm.yes_no("") is False and norm.yes_no("N") is False
    with pytest.raises(norm.ValueProblem):
        norm.yes_no("maybe")
    assert norm.grading_value("source_eval", "2") == "2"
    assert norm.grading_value("intel_eval", "b") == "B"
    assert norm.grading_value("handling", "C") == "C"
    for column, bad in (("source_eval", "4"), ("intel_eval", "F"), ("handling", "X")):
        with pytest.raises(norm.ValueProblem):
            norm.grading_value(column, bad)


def test_the_quick_path_for_plain_uk_spellings_agrees_with_the_full_parse():
    import random

    from loaders.normalise import _GB_PLAIN, _parse_fully, _phone

    rng = random.Random(7)
    spellings = {"07700900123", "+447700900123", "02079460000", "+442079460000", "01632960001", "0800123456"}
    for prefix in ("0", "+44"):
        for first in "123456789":
            for length in (9, 10):
                for _ in range(60):
                    spellings.add(prefix + first + "".join(rng.choice("0123456789") for _ in range(length - 1)))
    quick = [s for s in spellings if _GB_PLAIN.fullmatch(s)]
    assert len(quick) == len(spellings)
    assert [_phone.__wrapped__(s, "GB") for s in quick] == [_parse_fully(s, "GB") for s in quick]
    assert {bool(_phone.__wrapped__(s, "GB")[0]) for s in quick} == {True, False}  # valid and invalid both met
