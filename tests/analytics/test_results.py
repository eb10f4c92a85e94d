"""Typed results: one ``to_json`` path with the documented shape, rounding only there, typed errors."""

from __future__ import annotations

import dataclasses
import json
import math

import networkx as nx
import pytest
from pydantic import TypeAdapter

from graph_service.analytics import evidence_model as em
from graph_service.analytics import results as R
from graph_service.analytics.bridges import bridge_ranking, corruption_bridges
from graph_service.analytics.centrality import betweenness, subset_betweenness
from graph_service.analytics.changes import changes_between
from graph_service.analytics.cohort import cohort_priority
from graph_service.analytics.communities import communities
from graph_service.analytics.disruption import evidence_network, simulate
from graph_service.analytics.errors import AnalyticsError, NodeNotFound, NoPath
from graph_service.analytics.evidence import links_in
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.keyplayers import kpp_neg, kpp_pos
from graph_service.analytics.paths import ego_network, shortest_paths
from graph_service.analytics.projection import KIND_WEIGHT, count_factor, grading_factor, noisy_or, person_graph
from graph_service.analytics.scoping import scope_graph
from graph_service.analytics.stats import graph_stats, network_stats

# The documented JSON shape of every result type (docs/analytics.md, "Result types").
SHAPES: dict[type, list[str]] = {
    R.BridgeResult: [
        "id",
        "name",
        "role",
        "establishments",
        "merged_ids",
        "score",
        "weight_of_evidence",
        "reasons",
        "components",
        "ocgs",
        "paths",
        "brokerage",
        "betweenness_raw",
        "cut",
        "rank",
    ],
    R.BridgeComponents: ["paths", "colleagues", "betweenness", "cut", "brokerage"],
    R.BridgeSummary: ["staff", "staff_with_evidence", "staff_ranked", "min_weight"],
    R.BridgeRanking: ["summary", "results"],
    R.Component: ["value", "weight"],
    R.BridgePath: [
        "ocg",
        "target",
        "strength",
        "weight_of_evidence",
        "line",
        "hops",
        "nodes",
        "explained_by_declared_relationship",
        "steps",
        "membership",
        "reason",
    ],
    R.BridgeStep: ["from", "to", "strength", "weight_of_evidence", "declared", "duty", "evidence"],
    R.BrokerageRoles: ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "ocg_pairs"],
    R.CutPart: ["value", "pieces", "separated_ocg_members", "closes_custody_ocg"],
    R.HubResult: [
        "id",
        "kind",
        "name",
        "users",
        "prisoners",
        "establishments",
        "ocg_members",
        "ocgs",
        "community_contacts",
        "evidence",
        "score",
        "components",
        "rank",
    ],
    R.HubComponents: ["prisoners", "establishments", "ocg_reach", "exclusivity"],
    R.HubEvidence: ["prisoners", "ocg_members"],
    R.CommunitiesResult: ["seed", "resolution", "count", "modularity", "communities", "new_groups"],
    R.Community: [
        "community",
        "size",
        "members",
        "ocg_overlap",
        "best_ocg",
        "best_jaccard",
        "intelligence_links",
        "new_group",
    ],
    R.OcgOverlap: ["ocg", "members_inside", "jaccard", "share_of_ocg"],
    R.CohortResult: [
        "id",
        "name",
        "kind",
        "ocg",
        "last_activity",
        "days_since",
        "score",
        "components",
        "reference_date",
        "rank",
    ],
    R.CohortComponents: ["network", "ocg_band", "intelligence", "recency"],
    R.CohortComponent: ["value", "weight", "raw"],
    R.CohortMembership: ["ocg", "band", "role", "grading"],
    R.ShortestPathsResult: ["source", "target", "hops", "count", "truncated", "paths"],
    R.LinkPath: ["nodes", "hops", "steps"],
    R.LinkStep: ["from", "to", "links"],
    R.EgoNetworkResult: ["center", "hops", "nodes", "node_details", "links", "cut"],
    R.EgoNode: ["id", "labels", "name"],
    R.EgoCut: ["capped", "at_hop", "omitted", "max_nodes"],
    R.ChangesResult: ["since", "until", "new_links", "new_ocg_members", "movers"],
    R.NewLinks: ["count", "by_type", "links", "truncated"],
    R.NewLink: ["src", "dst", "type"],
    R.NewMember: ["id", "ocg", "role", "since"],
    R.Mover: ["id", "rank_before", "rank_after", "score_before", "score_after", "delta"],
    R.DisruptionResult: ["strategy", "mode", "removed", "curve", "nodes_before", "lcc_before"],
    R.DisruptionStep: [
        "step",
        "removed",
        "removed_total",
        "nodes",
        "lcc",
        "lcc_fraction",
        "fragmentation",
        "efficiency",
    ],
    R.KppNegResult: ["nodes", "curve", "fragmentation", "candidates"],
    R.KppPosResult: ["nodes", "curve", "reach", "max_hops", "candidates"],
    R.BetweennessResult: ["values", "method", "samples", "seed", "kernel"],
    R.SubsetBetweennessResult: ["values", "method", "sources", "sources_used", "targets", "seed", "kernel"],
    R.NetworkStats: [
        "nodes",
        "links",
        "pairs",
        "density",
        "components",
        "largest_component",
        "isolates",
        "average_clustering",
    ],
}

# Evidence items (TypedDicts: plain dicts in the person graph), keys by kind.
EVIDENCE_KEYS = {
    "call": [
        "kind",
        "type",
        "via",
        "links",
        "grading",
        "count",
        "first",
        "last",
        "strength",
        "night_count",
        "total_seconds",
        "sources",
        "attribution",
        "degrees",
    ],
    "pin_list": ["kind", "type", "via", "links", "grading", "strength", "degrees"],
    "shared_phone": ["kind", "type", "via", "links", "grading", "strength", "members", "same_surname"],
    "postcode": ["kind", "type", "via", "links", "grading", "strength", "members", "same_surname"],
    "visit": ["kind", "type", "via", "links", "grading", "count", "relationship", "first", "last", "strength"],
    "intelligence": ["kind", "type", "via", "links", "grading", "date", "strength"],
    "identity": ["kind", "type", "via", "links", "grading", "score", "reasons", "strength"],
}
# Keys a bridge adds to the copies of the items it cites (after the item's own keys).
BRIDGE_ITEM_KEYS = ("llr", "duty")
LINK_KEYS = ["src", "dst", "type", "grading"]
MEMBERSHIP_KEYS = ["role", "grading", "strength", "link", "since"]


@pytest.fixture
def scoped(small_world):
    return scope_graph(small_world)


@pytest.fixture
def people(scoped):
    return person_graph(scoped, common_min_degree=10)


@pytest.fixture
def results_by_type(small_world, scoped, people):
    """One instance of every top-level result type, from the tiny world."""
    network = evidence_network(people)
    found = {
        "bridges": corruption_bridges(people)[0],
        "bridge_ranking": bridge_ranking(people),
        "hubs": custody_hubs(scoped, people)[0],
        "communities": communities(people, min_size=2),
        "cohort": cohort_priority(scoped, people, as_of="2024-06-01")[0],
        "paths": shortest_paths(scoped, "staff:S1", "person:P1", max_hops=3),
        "ego": ego_network(scoped, "phone:+HUB", hops=2, max_nodes=6),
        "changes": changes_between(small_world, "2023-12-31", "2024-12-31"),
        "disruption": simulate(network, strategy="kpp", mode="block", steps=2),
        "kpp_neg": kpp_neg(network, 2),
        "kpp_pos": kpp_pos(network, 2),
        "betweenness": betweenness(network),
        "subset_betweenness": subset_betweenness(network, ["prisoner:A3"], ["person:P1"]),
        "stats": graph_stats(scoped),
    }
    assert sorted(found) == sorted(TOP_LEVEL)
    return found


TOP_LEVEL = [
    "bridges",
    "bridge_ranking",
    "hubs",
    "communities",
    "cohort",
    "paths",
    "ego",
    "changes",
    "disruption",
    "kpp_neg",
    "kpp_pos",
    "betweenness",
    "subset_betweenness",
    "stats",
]


@pytest.fixture
def every_result(results_by_type, scoped, people):
    """Every result of the tiny world (all ranked rows, not only the first)."""
    rows = [*corruption_bridges(people), *custody_hubs(scoped, people), *cohort_priority(scoped, people)]
    return [*rows, *results_by_type.values()]


def _walk(value, found):
    """Every dataclass and dict reachable from a result (not through JSON)."""
    if dataclasses.is_dataclass(value):
        found.append(value)
        for f in dataclasses.fields(value):
            _walk(getattr(value, f.name), found)
    elif isinstance(value, dict):
        found.append(value)
        for v in value.values():
            _walk(v, found)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _walk(v, found)
    return found


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, list):
        for v in value:
            yield from _floats(v)


# ----------------------------------------------------------------- shape
def test_every_result_type_has_its_documented_shape():
    documented = {cls for cls in vars(R).values() if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
    assert documented == set(SHAPES)  # a new result type needs its documented shape here
    for cls, keys in SHAPES.items():
        assert R.json_keys(cls) == keys, cls.__name__
        assert issubclass(cls, R.Result), cls.__name__


def test_to_json_of_every_result_is_the_documented_shape_and_plain_json(every_result):
    seen_types, seen_items = set(), set()
    for result in every_result:
        data = result.to_json()
        assert data == R.to_json(result)  # one path
        assert json.loads(json.dumps(data)) == data  # JSON-native: no tuples, sets or objects left
        for item in _walk(result, []):
            if dataclasses.is_dataclass(item):
                seen_types.add(type(item))
                assert list(R.to_json(item)) == SHAPES[type(item)]
            elif item.get("kind") in EVIDENCE_KEYS and "links" in item:
                keys = [k for k in item if k not in ("declared", "ocg", *BRIDGE_ITEM_KEYS)]
                assert keys == EVIDENCE_KEYS[item["kind"]], item
                bridge_keys = [k for k in item if k in BRIDGE_ITEM_KEYS]
                assert list(item)[len(item) - len(bridge_keys) :] == bridge_keys  # at the end
                seen_items.add(item["kind"])
            elif {"src", "dst", "grading"} <= set(item):
                assert list(item) == LINK_KEYS
                seen_items.add("link")
            elif "link" in item and "role" in item:
                assert list(item) == MEMBERSHIP_KEYS
                seen_items.add("membership")
    assert seen_types == set(SHAPES)  # every type was met in a real result
    assert seen_items >= {"call", "link", "membership"}  # intelligence: see the next test


def test_direct_intelligence_to_an_ocg_is_a_one_step_path(small_world):
    small_world.add_edge(
        "staff:S3",
        "ocg:O2",
        key="ASSOCIATE_OF",
        type="ASSOCIATE_OF",
        source_eval="2",
        intel_eval="B",
        date="2024-01-02",
    )
    people = person_graph(scope_graph(small_world), common_min_degree=10)
    s3 = next(r for r in corruption_bridges(people) if r.id == "staff:S3")
    path = s3.paths[0]
    assert (path.ocg, path.nodes, path.hops, path.membership) == ("ocg:O2", ("staff:S3", "ocg:O2"), 1, None)
    item = path.steps[0].evidence[0]
    assert list(item) == [*EVIDENCE_KEYS["intelligence"], "ocg", "llr"]
    assert item["strength"] == 0.8 * grading_factor({"source_eval": "2", "intel_eval": "B"})  # person graph
    assert path.line == "intelligence" and path.weight_of_evidence == item["llr"] == 1.8 * (0.85 * 0.9)
    assert path.strength == em.probability(path.weight_of_evidence)
    back = TypeAdapter(R.BridgeResult).validate_python(s3.to_json())
    assert back.to_json() == s3.to_json() and back.paths[0].steps[0].evidence[0]["ocg"] == "ocg:O2"


def test_cli_shapes_nest_as_documented(people):
    top = corruption_bridges(people)[0].to_json()
    step = top["paths"][0]["steps"][0]
    assert list(step) == ["from", "to", "strength", "weight_of_evidence", "declared", "duty", "evidence"]
    assert step["evidence"][0]["kind"] == "call" and list(step["evidence"][0]["links"][0]) == LINK_KEYS
    assert list(top["components"]["paths"]) == ["value", "weight"]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_pydantic_round_trips_every_result(results_by_type, name):
    """A pydantic TypeAdapter (what an API response model uses) reads the JSON back exactly."""
    result = results_by_type[name]
    adapter = TypeAdapter(type(result))
    back = adapter.validate_python(result.to_json())
    assert type(back) is type(result)
    assert back.to_json() == result.to_json()
    schema = adapter.json_schema(mode="serialization")
    assert list(schema["properties"]) == SHAPES[type(result)]


def test_bridge_step_schema_uses_the_json_key_from():
    schema = TypeAdapter(R.BridgeStep).json_schema(mode="serialization")
    assert list(schema["properties"]) == [
        "from",
        "to",
        "strength",
        "weight_of_evidence",
        "declared",
        "duty",
        "evidence",
    ]


def test_results_are_frozen(people):
    result = corruption_bridges(people)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]
    assert not hasattr(result, "__dict__")  # slots


def test_links_in_reads_dataclass_results(people):
    top = corruption_bridges(people)[:1]
    assert links_in(top) == links_in([r.to_json() for r in top])
    assert {"src": "phone:+S1", "dst": "phone:+P1", "type": "CALLED"} in links_in(top)


# ----------------------------------------------------------------- rounding
def test_default_rounding_is_six_decimals(every_result):
    for result in every_result:
        if isinstance(result, (R.DisruptionResult, R.KppNegResult, R.KppPosResult)):
            continue
        for value in _floats(result.to_json()):
            assert value == round(value, R.ROUND_DIGITS)


def test_disruption_curve_is_output_unrounded_and_kpp_to_twelve_decimals(people):
    network = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 6)])
    sim = simulate(network, strategy="degree", steps=2)
    out = sim.to_json()["curve"]
    assert [s["efficiency"] for s in out] == [s.efficiency for s in sim.curve]
    assert any(s.efficiency != round(s.efficiency, 6) for s in sim.curve)  # it would have been rounded
    kpp = kpp_neg(network, 2)
    assert kpp.to_json()["curve"] == [round(v, 12) for v in kpp.curve]
    assert kpp.to_json()["fragmentation"] == round(kpp.fragmentation, 12)
    # inside a list (default precision) a dataclass keeps its own fields' precision
    assert R.to_json([sim])[0]["curve"] == out


def test_to_json_rounds_plain_data_and_keeps_keys():
    assert R.to_json({"a": (1 / 3, [2 / 3]), 1: {"x"}}) == {"a": [0.333333, [0.666667]], 1: ["x"]}
    assert R.to_json(1 / 3, digits=None) == 1 / 3
    assert R.to_json(True) is True and R.to_json(None) is None


def test_computations_no_longer_round():
    """A call and a membership graded 2: the path strength is the exact float product.

    Before, the call item, the person link and the path were each rounded to 6 places
    and multiplied again.
    """
    g = nx.MultiDiGraph()
    g.add_node("staff:S1", labels=["Person", "Staff"])
    g.add_node("person:P1", labels=["Nominal", "Person"])
    g.add_node("ocg:O1", labels=["OCG"], band="1A")
    call = {"type": "CALLED", "count": 3, "source_eval": "2", "intel_eval": "B"}
    member = {"type": "MEMBER_OF", "role": "member", "source_eval": "2", "intel_eval": "C"}
    g.add_edge("staff:S1", "person:P1", key="CALLED", **call)
    g.add_edge("person:P1", "ocg:O1", key="MEMBER_OF", **member)
    people = person_graph(g)

    item_strength = KIND_WEIGHT["call"] * count_factor(3) * grading_factor(call)
    link = people["staff:S1"]["person:P1"]
    assert link["evidence"][0]["strength"] == item_strength
    assert link["strength"] == noisy_or([item_strength])
    membership = people.nodes["person:P1"]["ocgs"]["ocg:O1"]
    assert membership["strength"] == grading_factor(member)

    path = corruption_bridges(people)[0].paths[0]
    step = em.item_llr(link["evidence"][0])
    exact = em.chain([step, -math.log1p(-em.membership_probability({"grading": "2C P", "role": "member"}))])
    assert path.weight_of_evidence == exact
    rounded_step = round(step, 6)
    twice_rounded = round(em.chain([rounded_step, round(4.6 * 0.85 * 0.75, 6)]), 6)
    assert exact != twice_rounded and path.weight_of_evidence != twice_rounded
    assert path.to_json()["weight_of_evidence"] == round(exact, 6)


def test_network_stats_is_the_json_form_of_graph_stats(scoped):
    stats = graph_stats(scoped)
    assert network_stats(scoped) == stats.to_json()
    assert network_stats(scoped)["density"] == round(stats.density, 6)


# ----------------------------------------------------------------- typed errors
def test_errors_are_networkx_errors_with_their_messages(scoped):
    with pytest.raises(nx.NodeNotFound, match="node 'person:NOBODY' is not in the scoped graph"):
        shortest_paths(scoped, "staff:S1", "person:NOBODY")
    with pytest.raises(nx.NetworkXNoPath, match="no path from 'staff:S1' to 'person:P1' within 2 hops"):
        shortest_paths(scoped, "staff:S1", "person:P1", max_hops=2)
    with pytest.raises(nx.NodeNotFound, match="is not in the network"):
        simulate(nx.path_graph(3), remove=[9])
    with pytest.raises(nx.NodeNotFound):
        ego_network(scoped, "person:NOBODY")
    for error in (NodeNotFound("x"), NoPath("a", "b", 2)):
        assert isinstance(error, AnalyticsError) and isinstance(error, ValueError)
        assert isinstance(error, nx.NetworkXException)
    assert issubclass(NoPath, nx.NetworkXNoPath) and issubclass(NodeNotFound, nx.NodeNotFound)
