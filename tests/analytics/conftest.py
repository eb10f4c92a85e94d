"""Tiny graphs in the shape the store extracts (node ``labels``, link ``type``).

``small_world`` holds one planted corrupt officer and the decoys that must not
outrank them:

* ``staff:S1`` (corrupt): their number calls the number of ``person:P1``, a member
  of OCG ``ocg:O1``, six times.
* ``staff:S2`` (declared family): ``FAMILY_OF`` 1/A to ``prisoner:A2`` (an OCG
  member), visits them under a visitor record merged by an analyst
  (``visitor:V2`` with ``canonical_id`` ``staff:S2``), and calls their mother.
* ``staff:S3`` (chaplain): posts at three prisons, nothing else.
* ``staff:S4``: one ``CORRUPT_APPROACH`` graded 3/E from ``prisoner:A1``.
* ``phone:+TAXI``: a number everyone calls (every number and prisoner).
* ``phone:+HUB``: an OCG associate's number on the PIN lists of five prisoners in
  two prisons.
"""

from __future__ import annotations

import networkx as nx
import pytest

PERSON = "Person"


def add_person(g: nx.MultiDiGraph, node: str, role: str, **props) -> None:
    g.add_node(
        node,
        labels=sorted([PERSON, role]),
        canonical_id=props.pop("canonical_id", node),
        name=props.pop("name", node),
        **props,
    )


def link(g: nx.MultiDiGraph, u: str, v: str, kind: str, **props) -> None:
    key = kind
    n = 1
    while g.has_edge(u, v, key):
        n += 1
        key = f"{kind}#{n}"
    g.add_edge(u, v, key=key, type=kind, **props)


def build_small_world() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for code in ("E1", "E2", "E3"):
        g.add_node(f"establishment:{code}", labels=["Establishment"], code=code)
    g.add_node("ocg:O1", labels=["OCG"], band="1A", name="Alpha")
    g.add_node("ocg:O2", labels=["OCG"], band="3C", name="Beta")
    prisoners = {f"prisoner:A{i}": f"E{1 + i % 2}" for i in range(1, 9)}
    for node, est in prisoners.items():
        add_person(g, node, "Prisoner", establishment=est, in_custody=True)
        link(g, node, f"establishment:{est}", "HELD_AT", valid_from="2023-01-01")
    for i in range(1, 5):
        add_person(g, f"staff:S{i}", "Staff", establishment="E1")
        link(g, f"staff:S{i}", "establishment:E1", "EMPLOYED_AT", valid_from="2015-01-01")
    for est in ("E2", "E3"):
        link(g, "staff:S3", f"establishment:{est}", "EMPLOYED_AT", valid_from="2016-01-01")
    add_person(g, "person:P1", "Nominal")
    add_person(g, "person:P2", "Nominal")
    add_person(g, "visitor:V2", "Visitor", canonical_id="staff:S2")
    add_person(g, "visitor:M2", "Visitor", name="mother of A2")
    link(g, "person:P1", "ocg:O1", "MEMBER_OF", role="principal", valid_from="2022-01-01")
    link(g, "prisoner:A2", "ocg:O1", "MEMBER_OF", role="member", valid_from="2022-01-01")
    link(g, "prisoner:A1", "ocg:O1", "MEMBER_OF", role="member", valid_from="2022-01-01")
    link(
        g,
        "person:P2",
        "ocg:O2",
        "MEMBER_OF",
        role="associate",
        source_eval="2",
        intel_eval="B",
        valid_from="2024-06-01",
    )
    phones = {
        "staff:S1": "phone:+S1",
        "staff:S2": "phone:+S2",
        "staff:S4": "phone:+S4",
        "person:P1": "phone:+P1",
        "visitor:M2": "phone:+M2",
        "person:P2": "phone:+HUB",
    }
    for owner, phone in phones.items():
        g.add_node(phone, labels=["Phone"], number=phone[6:])
        link(g, owner, phone, "USES_PHONE", attribution_source="declared")
    g.add_node("phone:+TAXI", labels=["Phone"], number="TAXI")
    link(g, "phone:+S1", "phone:+P1", "CALLED", count=6, valid_from="2024-02-01", valid_to="2024-05-01")
    link(g, "phone:+S2", "phone:+M2", "CALLED", count=8, valid_from="2023-02-01", valid_to="2024-05-01")
    link(g, "staff:S2", "prisoner:A2", "FAMILY_OF", source_eval="1", intel_eval="A", date="2020-01-01")
    link(g, "visitor:V2", "prisoner:A2", "VISITED", count=5, relationship="brother", valid_from="2023-03-01")
    link(g, "visitor:M2", "prisoner:A2", "VISITED", count=9, relationship="mother", valid_from="2023-03-01")
    link(g, "prisoner:A1", "staff:S4", "CORRUPT_APPROACH", source_eval="3", intel_eval="E", date="2024-03-03")
    for phone in [*phones.values()]:
        if phone != "phone:+TAXI":
            link(g, phone, "phone:+TAXI", "CALLED", count=3, valid_from="2023-05-01")
    for node in prisoners:
        link(g, node, "phone:+TAXI", "CALLED", count=2, valid_from="2023-05-01")
    for i in (3, 4, 5, 6, 7):
        link(g, f"prisoner:A{i}", "phone:+HUB", "USES_PHONE", attribution_source="pin_list")
        link(g, f"prisoner:A{i}", "phone:+HUB", "CALLED", count=4, valid_from="2024-01-01")
    link(g, "phone:+HUB", "phone:+P1", "CALLED", count=2, valid_from="2024-01-01")
    return g


@pytest.fixture
def small_world() -> nx.MultiDiGraph:
    return build_small_world()
