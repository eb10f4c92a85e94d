"""The person graph brought up to date under a delta equals the person graph built again,
order included, on random worlds and random deltas (hypothesis): calls, numbers changing
hands, PIN lists, postcodes, visits, intelligence (to people, numbers and OCGs),
declared families, identity candidates, people relabelled or renamed, merged records."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.analytics.bridges import WeightCache, bridge_ranking
from graph_service.analytics.projection import person_graph, person_graph_update
from graph_service.analytics.scoping import Scope, identity_groups, scope_graph
from graph_service.analytics.workspace import Touched, apply_changes

KINDS = ("Staff", "Prisoner", "Visitor", "Nominal")
GRADES = [("1", "A"), ("2", "B"), ("3", "C"), ("2", "E")]
INTEL = ("ASSOCIATE_OF", "FINANCIAL", "CORRUPT_APPROACH", "SHARES_ADDRESS", "FAMILY_OF")
MIN_DEGREE = 4  # small worlds have common numbers too


def _graded(rng: random.Random, kind: str, **extra) -> dict:
    source, intel = rng.choice(GRADES)
    return {"type": kind, "source_eval": source, "intel_eval": intel, "handling": "P", **extra}


class _World:
    """Random nodes and links, written as a store's delta would be (a changes graph)."""

    def __init__(self, rng: random.Random, people: int, phones: int) -> None:
        self.rng = rng
        self.people = [f"person:{i}" for i in range(people)]
        self.phones = [f"phone:+{i}" for i in range(phones)]
        self.places = [f"postcode:P{i}" for i in range(max(2, people // 6))]
        self.ocgs = ["ocg:O1", "ocg:O2"]
        self.prisons = ["establishment:HMP-A", "establishment:HMP-B"]

    def person(self, node: str) -> dict:
        kind = self.rng.choice(KINDS)
        data = {"labels": sorted(["Person", kind]), "name": node.upper(), "surname": self.rng.choice("ABC")}
        if self.rng.random() < 0.1:
            data["canonical_id"] = self.rng.choice(self.people)
        return data

    def nodes(self, graph: nx.MultiDiGraph) -> None:
        for n in self.people:
            graph.add_node(n, **self.person(n))
        for n in self.phones:
            graph.add_node(n, labels=["Phone"], privileged=self.rng.random() < 0.03)
        for n in self.places:
            graph.add_node(n, labels=["Postcode"])
        for n in self.ocgs:
            graph.add_node(n, labels=["OCG"])
        for n in self.prisons:
            graph.add_node(n, labels=["Establishment"])

    def link(self) -> tuple[str, str, dict]:
        rng, kind = self.rng, self.rng.random()
        if kind < 0.35:
            u = rng.choice(self.phones + self.people[:3])
            return (
                u,
                rng.choice(self.phones),
                _graded(rng, "CALLED", count=rng.randint(1, 9), night_count=rng.randint(0, 2)),
            )
        if kind < 0.55:
            source = rng.choice(["subscriber", "pin_list", "intelligence"])
            return (
                rng.choice(self.people),
                rng.choice(self.phones),
                _graded(rng, "USES_PHONE", attribution_source=source),
            )
        if kind < 0.62:
            return rng.choice(self.people), rng.choice(self.places), _graded(rng, "LIVES_IN")
        if kind < 0.72:
            return rng.choice(self.people), rng.choice(self.people), _graded(rng, "VISITED", count=rng.randint(1, 5))
        if kind < 0.82:
            ends = self.people + self.phones[:4] + self.ocgs
            return rng.choice(ends), rng.choice(ends), _graded(rng, rng.choice(INTEL), date="2024-01-01")
        if kind < 0.87:
            return rng.choice(self.people), rng.choice(self.ocgs), _graded(rng, "MEMBER_OF", role="member")
        if kind < 0.92:
            return rng.choice(self.people), rng.choice(self.people), _graded(rng, "POSSIBLY_SAME_AS", score=0.7)
        return rng.choice(self.people), rng.choice(self.prisons), _graded(rng, "HELD_AT", valid_from="2024-01-01")


def _world(rng: random.Random) -> tuple[_World, nx.MultiDiGraph]:
    world = _World(rng, rng.randint(6, 30), rng.randint(4, 30))
    graph = nx.MultiDiGraph()
    world.nodes(graph)
    for _ in range(rng.randint(5, 120)):
        u, v, data = world.link()
        graph.add_edge(u, v, key=f"{data['type']}#{graph.number_of_edges()}", **data)
    return world, graph


def _delta(world: _World, base: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """New people and numbers, new links, links replaced (a call's count), people
    renamed or relabelled, and the links' other ends as bare nodes."""
    rng, changes = world.rng, nx.MultiDiGraph()
    for i in range(rng.randint(0, 3)):
        world.people.append(f"person:new{len(world.people)}-{i}")
        changes.add_node(world.people[-1], **{**world.person(world.people[-1]), "canonical_id": None})
    for i in range(rng.randint(0, 2)):
        world.phones.append(f"phone:+new{len(world.phones)}-{i}")
        changes.add_node(world.phones[-1], labels=["Phone"])
    for node in rng.sample(world.people[: len(world.people) // 2], k=min(2, len(world.people) // 2)):
        data = dict(base.nodes[node]) if node in base else world.person(node)
        if rng.random() < 0.5:
            data["surname"] = rng.choice("ABCD")
        else:
            data["labels"] = sorted({*data["labels"], rng.choice(KINDS)})
        changes.add_node(node, **data)
    existing = list(base.edges(data=True))
    for _ in range(rng.randint(0, 6)):
        if existing and rng.random() < 0.4:
            u, v, data = rng.choice(existing)
            data = {**data, "count": int(data.get("count") or 1) + 1, "intel_eval": rng.choice("ABC")}
        else:
            u, v, data = world.link()
        for end in (u, v):
            if end not in changes:
                changes.add_node(end)
        changes.add_edge(u, v, **data)
    return changes


def _same(got: nx.Graph, expected: nx.Graph) -> None:
    assert list(got.nodes(data=True)) == list(expected.nodes(data=True))
    for node, nbrs in expected.adj.items():
        assert list(got.adj[node].items()) == list(nbrs.items()), node
    assert got.graph == expected.graph


def _scoped(graph: nx.MultiDiGraph, ids: set) -> set:
    mapping = {m: rep for rep, members in identity_groups(graph).items() for m in members}
    return {mapping.get(n, n) for n in ids}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_an_update_equals_the_graph_built_again(seed, days):
    rng = random.Random(seed)
    world, base = _world(rng)
    before = person_graph(scope_graph(base, Scope()), common_min_degree=MIN_DEGREE)
    groups = identity_groups(base)
    touched = Touched()
    for _ in range(days):  # several deltas before the person graph is asked for again
        apply_changes(base, _delta(world, base), touched)
    if touched.unsafe or identity_groups(base) != groups:
        return  # the workspace builds again (tested below)
    graph = scope_graph(base, Scope())
    expected = person_graph(graph, common_min_degree=MIN_DEGREE)
    got = person_graph_update(
        before, graph, _scoped(base, touched.nodes), _scoped(base, touched.relabelled), common_min_degree=MIN_DEGREE
    )
    if got is None:  # only when the common numbers changed or a person left
        assert expected.graph["common_numbers"] != before.graph["common_numbers"] or set(before) - set(expected)
        return
    _same(got, expected)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_bridges_with_the_weights_kept_from_before_a_delta_equal_bridges_ranked_afresh(seed):
    rng = random.Random(seed)
    world, base = _world(rng)
    before = person_graph(scope_graph(base, Scope()), common_min_degree=MIN_DEGREE)
    cache = WeightCache()
    assert bridge_ranking(before, cache=cache) == bridge_ranking(before)
    assert len(cache) == before.number_of_edges()
    touched = Touched()
    apply_changes(base, _delta(world, base), touched)
    graph = scope_graph(base, Scope())
    after = None
    if not touched.unsafe:
        after = person_graph_update(
            before, graph, _scoped(base, touched.nodes), _scoped(base, touched.relabelled), common_min_degree=MIN_DEGREE
        )
    after = after or person_graph(graph, common_min_degree=MIN_DEGREE)
    kept = {id(d) for _, _, d in before.edges(data=True)} & {id(d) for _, _, d in after.edges(data=True)}
    assert bridge_ranking(after, cache=cache) == bridge_ranking(after)
    assert cache.reused == len(kept)


def test_a_kept_staff_link_is_weighed_again_when_its_context_changed():
    """The same call link between a chaplain and a visitor becomes a duty contact once the
    visitor visits a prisoner where the chaplain works: the kept weights must not hide it."""
    ocgs = {"ocg:O1": {"grading": "1A P", "role": "member", "link": {}}}
    before = nx.Graph()
    before.add_node("staff:S", kind="staff", roles=["Chaplaincy"], establishments=["establishment:E"], ocg_intel=[])
    before.add_node("visitor:V", kind="visitor", ocgs={}, ocg_intel=[])
    before.add_node("person:M", kind="nominal", ocgs=ocgs, ocg_intel=[])
    before.add_node("prisoner:P", kind="prisoner", establishments=["establishment:E"], ocgs={}, ocg_intel=[])
    calls = {"kind": "call", "count": 12, "night_count": 0, "links": [], "attribution": ["declared"]}
    before.add_edge("staff:S", "visitor:V", evidence=[calls], declared=False, strength=0.9)
    before.add_edge("visitor:V", "person:M", evidence=[{**calls, "attribution": []}], declared=False, strength=0.9)
    after = nx.Graph()
    after.add_nodes_from(before.nodes(data=True))
    for a, b, data in before.edges(data=True):  # the same link dicts, as an update keeps them
        after.add_edge(a, b)
        after._adj[a][b] = after._adj[b][a] = data  # type: ignore[attr-defined]
    visit = {"kind": "visit", "count": 4, "links": []}
    after.add_edge("visitor:V", "prisoner:P", evidence=[visit], declared=False, strength=0.5)
    cache = WeightCache()
    first = bridge_ranking(before, cache=cache)
    again = bridge_ranking(after, cache=cache)
    assert cache.reused == 2
    assert again == bridge_ranking(after)
    assert first.summary.staff_ranked == 1
    assert again.summary.staff_ranked == 0  # a duty contact now: weighed down


def test_an_update_with_nothing_touched_is_the_same_graph():
    rng = random.Random(7)
    _, base = _world(rng)
    graph = scope_graph(base, Scope())
    before = person_graph(graph)
    _same(person_graph_update(before, graph, set()), before)


def test_a_number_that_becomes_common_means_building_again():
    g = nx.MultiDiGraph()
    g.add_node("phone:+0", labels=["Phone"])
    for i in range(1, 8):
        g.add_node(f"person:{i}", labels=["Person", "Nominal"])
        g.add_node(f"phone:+{i}", labels=["Phone"])
        g.add_edge(f"person:{i}", f"phone:+{i}", type="USES_PHONE")
        if i < 4:
            g.add_edge(f"phone:+{i}", "phone:+0", type="CALLED", count=1)
    before = person_graph(g, common_min_degree=4)
    assert before.graph["common_numbers"] == []
    for i in range(4, 8):
        g.add_edge(f"phone:+{i}", "phone:+0", type="CALLED", count=1)
    assert person_graph(g, common_min_degree=4).graph["common_numbers"] == ["phone:+0"]
    touched = {"phone:+0", *(f"phone:+{i}" for i in range(4, 8))}
    assert person_graph_update(before, g, touched, common_min_degree=4) is None


@pytest.mark.parametrize(
    ("old", "new", "unsafe"),
    [
        (["Person", "Visitor"], ["Nominal", "Person", "Visitor"], False),
        (["Person", "Visitor"], ["Visitor"], True),
        (["Phone"], ["Person", "Phone"], True),
        (["Organisation"], ["OCG", "Organisation"], True),
    ],
)
def test_relabelling_is_recorded_and_what_only_a_build_can_follow_is_unsafe(old, new, unsafe):
    base = nx.MultiDiGraph()
    base.add_node("n", labels=old)
    changes = nx.MultiDiGraph()
    changes.add_node("n", labels=new)
    touched = Touched()
    apply_changes(base, changes, touched)
    assert touched.nodes == {"n"} and touched.relabelled == {"n"}
    assert bool(touched.unsafe) is unsafe


def test_a_link_written_again_unchanged_touches_nothing():
    base = nx.MultiDiGraph()
    base.add_node("a", labels=["Phone"])
    base.add_node("b", labels=["Phone"])
    base.add_edge("a", "b", key="CALLED", type="CALLED", count=2)
    changes = nx.MultiDiGraph()
    changes.add_node("a", labels=["Phone"])
    changes.add_node("b")
    changes.add_edge("a", "b", type="CALLED", count=2)
    touched = Touched()
    apply_changes(base, changes, touched)
    assert touched.nodes == set()
    changes.edges["a", "b", 0]["count"] = 3
    apply_changes(base, changes, touched)
    assert touched.nodes == {"a", "b"}


def _links_of(graph: nx.MultiDiGraph) -> list:
    return [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)]


@pytest.mark.parametrize("scope", [Scope(), Scope(min_intel_eval="B"), Scope(merge_identities=False)])
@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_a_delta_leaves_a_scoped_graph_of_before_as_it_was(scope, seed):
    """Scoped graphs share the base graph's link dicts: a delta replaces them."""
    rng = random.Random(seed)
    world, base = _world(rng)
    scoped = scope_graph(base, scope)
    links_before, nodes_before = _links_of(scoped), list(scoped.nodes(data=True))
    apply_changes(base, _delta(world, base))
    assert _links_of(scoped) == links_before and list(scoped.nodes(data=True)) == nodes_before
    fresh = nx.MultiDiGraph()
    fresh.add_nodes_from(base.nodes(data=True))
    fresh.add_edges_from(_links_of(base))
    assert _links_of(scope_graph(base, scope)) == _links_of(scope_graph(fresh, scope))
