"""The evidence model's one-pass weighing against its definitions, on random items
(hypothesis): the merged call, and each item's log ratio from the documented parts."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.analytics import evidence_model as em
from graph_service.analytics.evidence_model import MODEL

NUMBERS = ["phone:+1", "phone:+2", "phone:+3"]
DAYS = st.one_of(
    st.none(), st.dates(date(2023, 1, 1), date(2025, 1, 1)).map(lambda d: d.isoformat()), st.just("not a date")
)
COUNTS = st.one_of(
    st.integers(1, 3),
    st.none(),
    st.integers(-3, 8),
    st.integers(9, 5000),
    st.just("12"),
    st.just("many"),
    st.booleans(),
)


def _link(kind: str):
    return st.fixed_dictionaries(
        {
            "src": st.sampled_from(["staff:S1", "person:P1", *NUMBERS]),
            "dst": st.sampled_from(NUMBERS),
            "type": st.just(kind),
            "grading": st.sampled_from(["1A P", "2B P", "3D C", "", None]),
        }
    )


CALLS = st.fixed_dictionaries(
    {
        "kind": st.just("call"),
        "count": COUNTS,
        "night_count": st.one_of(st.none(), st.integers(0, 50)),
        "total_seconds": st.one_of(st.none(), st.integers(0, 100_000)),
        "first": DAYS,
        "last": DAYS,
        "sources": st.lists(st.sampled_from(["cdr", "handset_download", "pin"]), max_size=2),
        "attribution": st.lists(st.sampled_from(["declared", "intelligence", "pin_list"]), max_size=2),
        "degrees": st.lists(st.integers(0, 400), max_size=2),
        "via": st.just(NUMBERS[:2]),
        "links": st.lists(st.one_of(_link("CALLED"), _link("USES_PHONE")), max_size=3),
    }
)


def _merged_by_definition(items):
    """The merge as its docstring defines it, a pass per field."""
    distinct = {}
    for item in items:
        calls = [link for link in item.get("links") or () if link.get("type") == "CALLED"]
        key = tuple(sorted((str(c.get("src")), str(c.get("dst"))) for c in calls)) or id(item)
        distinct.setdefault(key, item)
    counted = list(distinct.values())
    merged = dict(items[0])
    merged["count"] = sum(_count(i.get("count")) for i in counted)
    merged["night_count"] = sum(int(i.get("night_count") or 0) for i in counted)
    seconds = [i.get("total_seconds") for i in counted if i.get("total_seconds") is not None]
    merged["total_seconds"] = sum(seconds) if seconds else None
    firsts = [str(i["first"]) for i in items if i.get("first")]
    lasts = [str(i["last"]) for i in items if i.get("last")]
    merged["first"] = min(firsts) if firsts else None
    merged["last"] = max(lasts) if lasts else None
    merged["sources"] = sorted({s for i in items for s in i.get("sources") or ()})
    merged["attribution"] = sorted({a for i in items for a in i.get("attribution") or ()})
    merged["degrees"] = [max((int(d) for i in items for d in i.get("degrees") or ()), default=1)]
    seen, links = set(), []
    for item in items:
        for link in item.get("links") or ():
            key = (link.get("src"), link.get("dst"), link.get("type"), link.get("grading"))
            if key not in seen:
                seen.add(key)
                links.append(link)
    merged["links"] = links
    return merged


def _count(count):
    try:
        return max(1, int(count or 1))
    except (TypeError, ValueError):
        return 1


def _pattern(item, base):
    """The documented volume and spread parts, on their own (none of the model's helpers)."""
    n = _count(item.get("count"))
    body = base + MODEL.volume * min(math.log2(n), MODEL.volume_cap)
    repetition = min(1.0, math.log2(n) / 3.0)
    return body, repetition


def _call_llr_by_definition(item, rel):
    """A call's log ratio from the documented parts."""
    degrees = item.get("degrees")
    spec = em.number_specificity(max(map(int, degrees)) if degrees else 1, MODEL)
    n = _count(item.get("count"))
    body, repetition = _pattern(item, MODEL.call)
    body += MODEL.night * min(1.0, float(item.get("night_count") or 0) / n)
    body += MODEL.spread * em.spread_share(item.get("first"), item.get("last")) * repetition
    seconds = item.get("total_seconds")
    brief = max(0.0, 1.0 - float(seconds) / n / MODEL.brief_seconds) if seconds else 0.0
    body += MODEL.brief * brief
    if "handset_download" in (item.get("sources") or ()):
        body += MODEL.handset
    if any(a in em.HIDDEN_ATTRIBUTIONS for a in item.get("attribution") or ()):
        body += MODEL.hidden_number
    return rel * spec * body


@settings(max_examples=300, deadline=None)
@given(st.lists(CALLS, min_size=1, max_size=4))
def test_merged_calls_are_the_merge_as_defined(items):
    items = items + items[:1]  # an item repeated for a second attribution counts once
    assert em.merged_calls(items) == _merged_by_definition(items)


@settings(max_examples=300, deadline=None)
@given(CALLS, st.floats(0.0, 1.0))
def test_a_calls_log_ratio_is_its_documented_parts(item, rel):
    ours, ref = em._item_llr(item, MODEL, rel), _call_llr_by_definition(item, rel)
    assert ours == ref or (math.isnan(ours) and math.isnan(ref))


@settings(max_examples=300, deadline=None)
@given(st.lists(CALLS, min_size=1, max_size=3))
def test_reliability_of_an_item_is_its_weakest_doubtful_fact(items):
    for item in items:
        graded = [(link, em.reliability(link["grading"])) for link in item["links"] if link.get("grading")]
        certain = {em._fact_key(link) for link, r in graded if r >= 1.0}
        doubt: dict = {}
        for link, r in graded:
            if r < 1.0:
                doubt[em._fact_key(link)] = doubt.get(em._fact_key(link), 1.0) * (1.0 - r)
        facts = {k: 1.0 - d for k, d in doubt.items() if k not in certain}
        if not graded:
            expected = (em.reliability(item.get("grading")), None)
        elif not facts:
            expected = (1.0, None)
        else:
            weakest = min(facts, key=lambda k: (facts[k], k))
            expected = (facts[weakest], weakest)
        assert em._reliability_and_weakest(item, MODEL) == expected


@settings(max_examples=300, deadline=None)
@given(CALLS, st.floats(0.0, 1.0))
def test_a_visits_log_ratio_is_its_documented_parts(call, rel):
    visit = {**call, "kind": "visit"}
    body, repetition = _pattern(visit, MODEL.visit)
    body += MODEL.spread * em.spread_share(visit.get("first"), visit.get("last")) * repetition
    assert em._item_llr(visit, MODEL, rel) == rel * body
