"""The pure transforms: one source row in, one row model (or a RowError) out."""

from __future__ import annotations

import pytest

from loaders import calls, links, phones, prisoners, resolutions, visits
from loaders.csvsource import SourceRow
from loaders.rows import Excluded, RowError


def row(line: int = 2, **values: str) -> SourceRow:
    return SourceRow(line, values)


def prisoner_row(**over: str) -> SourceRow:
    base = dict(
        prison_number="a1234bc",
        surname=" Smith ",
        forenames="Jonathan  Paul",
        dob="1985-03-12",
        gender="M",
        pnc_id="",
        establishment_code="BXI",
        reception_date="2020-01-01",
        release_date="",
        cell_location="B-2-14",
    )
    return row(**{**base, **over})


def test_prisoner_row_model():
    m = prisoners.transform(prisoner_row())
    assert m.id == "prisoner:A1234BC"
    assert (m.surname, m.forenames, m.release_date, m.pnc_id) == ("Smith", "Jonathan Paul", None, None)
    assert m.grading == {"source_eval": "1", "intel_eval": "A", "handling": "P"}
    assert [(r.label, r.node_id) for r in m.refs()] == [("Establishment", "establishment:BXI")]
    assert [k.name for k in m.keys()]  # noqa: SIM118 (a row model, not a dict) == ["custody", "prisoner"]


@pytest.mark.parametrize(
    "over, column, text",
    [
        ({"surname": ""}, "surname", "missing required value"),
        ({"dob": "12/03/1985"}, "dob", "unparseable date"),
        ({"release_date": "2019-01-01"}, "release_date", "before reception_date"),
    ],
)
def test_prisoner_row_errors(over, column, text):
    with pytest.raises(RowError) as error:
        prisoners.transform(prisoner_row(**over))
    assert error.value.column == column and text in error.value.reason


def test_visit_and_phone_models():
    v = visits.transform(
        row(
            visit_id="VIS1",
            visit_date="2024-02-01",
            establishment_code="BXI",
            prison_number="b2222bb",
            visitor_ref="V1",
            visitor_surname="Jones",
            visitor_forenames="Kate",
            visitor_dob="",
            visitor_postcode="se17pb",
            relationship="Cousin",
        )
    )
    assert (v.visitor_id, v.prisoner_id, v.visitor_postcode, v.relationship) == (
        "visitor:V1",
        "prisoner:B2222BB",
        "SE1 7PB",
        "cousin",
    )
    p = phones.transform(
        row(
            phone_number="07701 900123",
            subject_type="Visitor",
            subject_id="V1",
            attribution_source="declared",
            first_seen="",
            last_seen="",
            source_eval="2",
            intel_eval="b",
            handling="",
            handling_conditions="",
        )
    )
    assert (p.number, p.subject) == ("+447701900123", "visitor:V1")
    assert p.grading == {"source_eval": "2", "intel_eval": "B", "handling": "P"}
    with pytest.raises(RowError) as error:
        phones.transform(
            row(phone_number="077", subject_type="visitor", subject_id="V1", attribution_source="declared")
        )
    assert error.value.column == "phone_number"
    with pytest.raises(RowError) as error:
        phones.transform(
            row(phone_number="07701900123", subject_type="dog", subject_id="V1", attribution_source="declared")
        )
    assert error.value.column == "subject_type" and "unknown subject_type" in error.value.reason


def call(**over: str) -> SourceRow:
    base = dict(
        call_id="C1",
        caller_number="",
        caller_prison_number="B2222BB",
        callee_number="07701900123",
        started_at="2024-02-02T10:00:00",
        duration_seconds="60",
        call_source="pin",
        establishment_code="BXI",
        privileged="N",
    )
    return row(**{**base, **over})


def test_call_models_and_privileged_exclusion():
    pin = calls.transform(call())
    assert pin.src == "prisoner:B2222BB" and pin.callee == "+447701900123" and pin.pin
    cdr = calls.transform(call(call_source="cdr", caller_number="+44 7702 900456", caller_prison_number=""))
    assert cdr.src == "phone:+447702900456" and not cdr.pin
    excluded = calls.transform(call(privileged="Y"))
    assert isinstance(excluded, Excluded) and excluded.reason == "privileged" and excluded.withheld
    assert [r.node_id for r in excluded.refs] == ["prisoner:B2222BB", "establishment:BXI"]
    # A broken privileged row is a reject that names the column but withholds the value.
    with pytest.raises(RowError) as error:
        calls.transform(call(privileged="Y", callee_number="020 7946 00"))
    assert error.value.column == "callee_number" and error.value.value == ""
    assert "withheld" in error.value.reason and "7946" not in error.value.reason
    with pytest.raises(RowError) as error:
        calls.transform(call(duration_seconds="ten"))
    assert error.value.column == "duration_seconds" and "unparseable number" in error.value.reason
    with pytest.raises(RowError) as error:
        calls.transform(call(caller_prison_number=""))
    assert error.value.column == "caller_prison_number"
    with pytest.raises(RowError) as error:
        calls.transform(call(call_source="cdr", caller_prison_number=""))
    assert error.value.column == "caller_number"


def link_row(**over: str) -> SourceRow:
    base = dict(
        from_type="person",
        from_id="P1",
        to_type="prisoner",
        to_id="a1234bc",
        link_type="ASSOCIATE_OF",
        date="2024-01-01",
        source_ref="",
        source_eval="",
        intel_eval="",
        handling="",
        handling_conditions="",
    )
    return row(line=7, **{**base, **over})


def test_link_models():
    m = links.transform(link_row())
    assert (m.src, m.dst, m.link_type, m.source_ref) == ("person:P1", "prisoner:A1234BC", "ASSOCIATE_OF", "links.csv:7")
    m = links.transform(link_row(to_type="phone", to_id="0044 7701 900123", link_type="USES_BURNER", source_ref="IR-9"))
    assert (m.dst, m.link_type, m.source_ref) == ("phone:+447701900123", "USES_BURNER", "IR-9")
    assert links.transform(link_row(to_type="ocg", to_id="OCG-1")).dst == "ocg:OCG-1"
    for over, column in (
        ({"link_type": "knows"}, "link_type"),
        ({"link_type": "HELD_AT"}, "link_type"),
        ({"source_eval": "7"}, "source_eval"),
        ({"intel_eval": "Z"}, "intel_eval"),
        ({"handling": "X"}, "handling"),
        ({"from_type": "alien"}, "from_type"),
        ({"date": "2024-1-1"}, "date"),
    ):
        with pytest.raises(RowError) as error:
            links.transform(link_row(**over))
        assert error.value.column == column, over


def test_resolution_models():
    m = resolutions.transform(
        row(
            left_type="visitor",
            left_id="V2",
            right_type="person",
            right_id="P1",
            decision="Same",
            decided_by="analyst1",
            decided_at="2024-05-01T10:00:00",
        )
    )
    assert m.pair == ("person:P1", "visitor:V2") and m.decision == "same"
    with pytest.raises(RowError) as error:
        resolutions.transform(
            row(
                left_type="visitor",
                left_id="V2",
                right_type="person",
                right_id="P1",
                decision="maybe",
                decided_by="a",
                decided_at="2024-05-01",
            )
        )
    assert error.value.column == "decision"
