"""The grading codes of a link, remembered per stored triple: the same answers as
reading them afresh, whatever the values, and a bounded memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph_service import grading
from graph_service.analytics.projection import grading_code, grading_factor


def fresh(attrs: dict) -> tuple[str, str, str]:
    return (
        str(attrs.get("source_eval") or "1"),
        str(attrs.get("intel_eval") or "A").upper(),
        str(attrs.get("handling") or "P").upper(),
    )


values = st.one_of(
    st.none(),
    st.sampled_from(["", "1", "2", "3", "a", "b", "E", "p", "c"]),
    st.integers(0, 4),
    st.text(max_size=3),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=2),
)


@given(values, values, values)
def test_remembered_codes_equal_fresh_ones(source, intel, handling):
    attrs = {"source_eval": source, "intel_eval": intel, "handling": handling}
    assert grading.grading_codes(attrs) == fresh(attrs)
    assert grading.grading_codes(attrs) == fresh(attrs)  # the second time from memory
    codes = fresh(attrs)
    assert grading_code(attrs) == f"{codes[0]}{codes[1]} {codes[2]}"
    assert 0.0 < grading_factor(attrs) <= 1.0


def test_one_and_true_are_not_confused():
    assert grading.grading_codes({"source_eval": 1}) == ("1", "A", "P")
    assert grading.grading_codes({"source_eval": True}) == ("True", "A", "P")


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(grading, "_CODES", {})  # the shared memory left as it was for other tests
    for n in range(grading.MAX_REMEMBERED_CODES + 100):
        assert grading.grading_codes({"source_eval": f"x{n}"}) == (f"x{n}", "A", "P")
    assert len(grading._CODES) == grading.MAX_REMEMBERED_CODES
