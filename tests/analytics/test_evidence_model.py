"""The evidence model of the bridges on tiny graphs: every kind, every part, and where it must be zero.

Each test builds a graph in the shape the store extracts (node ``labels``, link
``type``; see conftest.py), projects it and ranks the staff, and checks the answer by
hand from the model's documented weights (graph_service/analytics/evidence_model.py).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import networkx as nx
import pytest

from graph_service.analytics import evidence_model as em
from graph_service.analytics.bridges import bridge_ranking, relatives_circle, structural_graph
from graph_service.analytics.evidence_model import MODEL
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import to_json
from graph_service.analytics.scoping import scope_graph


def add_person(g: nx.MultiDiGraph, node: str, label: str, **props) -> None:
    """A person as the store extracts one (the conftest's helper, for this module)."""
    g.add_node(node, labels=sorted(["Person", label]), canonical_id=props.pop("canonical_id", node), **props)


def link(g: nx.MultiDiGraph, u: str, v: str, kind: str, **props) -> None:
    key, n = kind, 1
    while g.has_edge(u, v, key):
        n += 1
        key = f"{kind}#{n}"
    g.add_edge(u, v, key=key, type=kind, **props)


MEMBER = -math.log1p(-em.membership_probability({"grading": "1A P", "role": "member"}))  # 4.6 as a weight
ALL = replace(MODEL, min_weight=0.0)  # rank everyone with any evidence, to read weak weights


def base(*, role: str = "Prison Officer") -> nx.MultiDiGraph:
    """Staff S1 (posted at E1) and OCG member M1 (outside), each with a declared number."""
    g = nx.MultiDiGraph()
    for code in ("E1", "E2"):
        g.add_node(f"establishment:{code}", labels=["Establishment"], code=code)
    g.add_node("ocg:O1", labels=["OCG"], name="Alpha")
    add_person(g, "staff:S1", "Staff", role=role, surname="Stone")
    link(g, "staff:S1", "establishment:E1", "EMPLOYED_AT", role=role, valid_from="2015-01-01")
    add_person(g, "person:M1", "Nominal", surname="Mole")
    link(g, "person:M1", "ocg:O1", "MEMBER_OF", role="member")
    phone(g, "staff:S1", "+S1")
    phone(g, "person:M1", "+M1")
    return g


def phone(g: nx.MultiDiGraph, owner: str, number: str, source: str = "declared", **grading: str) -> str:
    node = f"phone:{number}"
    if node not in g:
        g.add_node(node, labels=["Phone"], number=number)
    link(g, owner, node, "USES_PHONE", attribution_source=source, **grading)
    return node


def calls(g: nx.MultiDiGraph, a: str, b: str, count: int, night: int = 0, **props) -> None:
    props.setdefault("first", "2024-01-01T20:00:00")
    props.setdefault("last", "2024-01-01T20:00:00")
    link(g, a, b, "CALLED", count=count, night_count=night, **props)


def rank(g: nx.MultiDiGraph, model: em.EvidenceModel = MODEL, **limits):
    return bridge_ranking(person_graph(scope_graph(g), **limits), model=model)


def weight(ranking, staff: str = "staff:S1") -> float:
    return next((r.weight_of_evidence for r in ranking.results if r.id == staff), 0.0)


def result(ranking, staff: str = "staff:S1"):
    return next(r for r in ranking.results if r.id == staff)


# ----------------------------------------------------------------- one item, by hand
def test_a_call_link_weighs_as_documented_chained_with_the_membership():
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 8, night=4, first="2024-01-01T22:00:00", last="2024-07-01T01:00:00")
    top = result(rank(g))
    spread = math.log2(1 + 182 / 30.44) / math.log2(13)
    call = 0.25 + 0.5 * 3 + 1.5 * (4 / 8) + 0.5 * spread * 1.0  # base + volume + night + spread (8 calls: full)
    assert top.paths[0].steps[0].weight_of_evidence == pytest.approx(call)
    expected = -math.log(1 - (1 - math.exp(-call)) * (1 - math.exp(-MEMBER)))
    assert top.weight_of_evidence == pytest.approx(expected)
    assert top.score == pytest.approx(1 - math.exp(-expected))
    assert top.components.betweenness.value == top.components.cut.value == top.components.brokerage.value == 0.0


def test_independent_items_on_one_link_add_and_calls_both_ways_are_one_fact():
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 3)
    calls(g, "phone:+M1", "phone:+S1", 1)
    link(g, "staff:S1", "person:M1", "FINANCIAL", source_eval="2", intel_eval="B", date="2024-02-01")
    people = person_graph(scope_graph(g))
    items = people["staff:S1"]["person:M1"]["evidence"]
    llrs = em.link_llrs(items)
    four_calls = 0.25 + 0.5 * 2  # one fact of 4 calls, not two facts of 3 and 1
    financial = 2.7 * (0.85 * 0.9)
    assert sum(llrs) == pytest.approx(four_calls + financial)
    step = result(bridge_ranking(people)).paths[0].steps[0]
    assert step.weight_of_evidence == pytest.approx(four_calls + financial)
    assert sorted(i["kind"] for i in step.evidence) == ["call", "call", "intelligence"]


def test_volume_and_unsocial_hours_raise_the_weight():
    weights = []
    for count, night in ((1, 0), (8, 0), (8, 6)):
        g = base()
        calls(g, "phone:+S1", "phone:+M1", count, night=night)
        weights.append(weight(rank(g, ALL)))
    assert 0 < weights[0] < weights[1] < weights[2]


def test_a_handset_download_and_a_number_attributed_by_intelligence_weigh_more():
    plain, handset, hidden = base(), base(), base()
    calls(plain, "phone:+S1", "phone:+M1", 4, sources=["cdr"])
    calls(handset, "phone:+S1", "phone:+M1", 4, sources=["handset_download"])
    phone(hidden, "staff:S1", "+S9", "intelligence", source_eval="1", intel_eval="B")
    calls(hidden, "phone:+S9", "phone:+M1", 4, sources=["cdr"])
    w_plain, w_handset, w_hidden = (weight(rank(g, ALL)) for g in (plain, handset, hidden))
    assert w_handset > w_plain and w_hidden > w_plain


# ----------------------------------------------------------------- grading
def test_grading_shrinks_the_log_ratio_and_e_is_near_zero():
    found = {}
    for code in ("2B", "3D", "3E"):
        g = base()
        link(g, "person:M1", "staff:S1", "ASSOCIATE_OF", source_eval=code[0], intel_eval=code[1])
        found[code] = weight(rank(g, ALL))
    assert found["2B"] > found["3D"] > found["3E"]
    assert found["3E"] < 0.02  # E: suspected false
    g = base()
    link(g, "person:M1", "staff:S1", "ASSOCIATE_OF", source_eval="3", intel_eval="E")
    assert rank(g).results == ()  # below the minimum weight: not ranked


def test_an_approach_known_directly_is_read_as_the_officers_own_report():
    reported, intelligence = base(), base()
    link(reported, "person:M1", "staff:S1", "CORRUPT_APPROACH", source_eval="1", intel_eval="A")
    link(intelligence, "person:M1", "staff:S1", "CORRUPT_APPROACH", source_eval="2", intel_eval="B")
    assert weight(rank(reported, ALL)) < weight(rank(intelligence, ALL))


def test_a_threat_is_not_evidence_of_corruption():
    g = base()
    link(g, "person:M1", "staff:S1", "THREATENED", source_eval="1", intel_eval="A")
    ranking = rank(g)
    assert ranking.results == () and ranking.summary.staff_with_evidence == 0


# ----------------------------------------------------------------- specificity
@pytest.mark.parametrize("others", [0, 3, 20])
def test_a_shared_postcode_weighs_less_the_more_people_share_it(others):
    g = base()
    g.add_node("postcode:LS1 1AA", labels=["Postcode"])
    for person in ("staff:S1", "person:M1"):
        link(g, person, "postcode:LS1 1AA", "LIVES_IN")
    for i in range(others):
        add_person(g, f"person:N{i}", "Nominal")
        link(g, f"person:N{i}", "postcode:LS1 1AA", "LIVES_IN")
    step = result(rank(g, ALL)).paths[0].steps[0]
    assert step.weight_of_evidence == pytest.approx(em.shared_llr(1.1, 2 + others))


def test_shared_postcode_weights_fall_with_residents():
    assert em.shared_llr(1.1, 2) > em.shared_llr(1.1, 3) > em.shared_llr(1.1, 10) > em.shared_llr(1.1, 40) > 0


def test_a_number_few_others_call_weighs_more_than_one_everybody_calls():
    weights = []
    for extra in (0, 60):
        g = base()
        calls(g, "phone:+S1", "phone:+M1", 8)
        for i in range(extra):  # everybody calls the member's number
            add_person(g, f"person:C{i}", "Nominal")
            calls(g, phone(g, f"person:C{i}", f"+C{i}"), "phone:+M1", 1)
        weights.append(weight(rank(g, ALL, common_min_degree=1000)))
    assert weights[1] < weights[0] / 2


def test_an_intermediary_with_few_contacts_carries_more_than_a_hub():
    weights = []
    for extra in (0, 30):
        g = base()
        add_person(g, "person:X", "Nominal")
        phone(g, "person:X", "+X")
        calls(g, "phone:+S1", "phone:+X", 8)
        calls(g, "phone:+X", "phone:+M1", 8)
        for i in range(extra):
            add_person(g, f"person:F{i}", "Nominal")
            link(g, "person:X", f"person:F{i}", "ASSOCIATE_OF", source_eval="1", intel_eval="A")
        weights.append(weight(rank(g, ALL)))
    assert weights[1] < weights[0]


def test_three_strong_specific_steps_outrank_one_weak_coincidence():
    g = base()
    add_person(g, "staff:S2", "Staff", role="Prison Officer")
    phone(g, "staff:S2", "+S2")
    calls(g, "phone:+S2", "phone:+M1", 1)  # one call: a coincidence
    chain = ["phone:+S1"]
    for name in ("A", "B"):
        add_person(g, f"person:{name}", "Nominal")
        chain.append(phone(g, f"person:{name}", f"+{name}"))
    chain.append("phone:+M1")
    for a, b in itertools.pairwise(chain):
        calls(g, a, b, 16, first="2024-01-01T20:00:00", last="2024-12-01T20:00:00")
    ranking = rank(g, ALL)
    assert result(ranking, "staff:S1").paths[0].hops == 3
    assert weight(ranking, "staff:S1") > weight(ranking, "staff:S2") > 0


# ----------------------------------------------------------------- doubtful facts count once
def test_everything_on_one_low_graded_attribution_counts_once():
    g = base()
    phone(g, "staff:S1", "+S9", "intelligence", source_eval="3", intel_eval="D")
    for i in range(3):
        add_person(g, f"person:M{i + 2}", "Nominal")
        link(g, f"person:M{i + 2}", "ocg:O1", "MEMBER_OF", role="member")
        calls(g, "phone:+S9", phone(g, f"person:M{i + 2}", f"+M{i + 2}"), 20)
    top = result(rank(g, ALL))
    assert [p.line for p in top.paths].count("contact") == 1  # one line: they all rest on the 3D attribution
    assert top.components.paths.value == pytest.approx(top.paths[0].weight_of_evidence)
    assert "number attributed by intelligence" in top.reasons[0] and "[3D P]" in top.reasons[0]


def test_sources_agreeing_on_an_attribution_make_it_more_reliable():
    one, two = base(), base()
    for g in (one, two):
        phone(g, "staff:S1", "+S9", "intelligence", source_eval="3", intel_eval="C")
        calls(g, "phone:+S9", "phone:+M1", 8)
    phone(two, "staff:S1", "+S9", "seized_handset", source_eval="2", intel_eval="B")
    assert weight(rank(two, ALL)) > weight(rank(one, ALL))


# ----------------------------------------------------------------- identity candidates
def identity_world(decision: str | None = None) -> nx.MultiDiGraph:
    g = base()
    add_person(g, "visitor:V1", "Visitor")
    add_person(g, "prisoner:P1", "Prisoner", in_custody=True, establishment="E1")
    link(g, "prisoner:P1", "establishment:E1", "HELD_AT", valid_from="2023-01-01")
    link(g, "prisoner:P1", "ocg:O1", "MEMBER_OF", role="principal")
    link(g, "visitor:V1", "prisoner:P1", "VISITED", count=6, first="2024-01-01", last="2024-09-01")
    props = {"score": 0.95, "reasons": ["surname same", "dob same"], "source_eval": "2", "intel_eval": "C"}
    if decision:
        props["decision"] = decision
    link(g, "staff:S1", "visitor:V1", "POSSIBLY_SAME_AS", **props)
    return g


def test_an_undecided_identity_candidate_is_evidence_and_says_a_decision_is_needed():
    top = result(rank(identity_world()))
    path = top.paths[0]
    assert path.line == "identity" and path.nodes == ("staff:S1", "visitor:V1", "prisoner:P1")
    first = path.steps[0]
    assert first.evidence[0]["kind"] == "identity" and first.evidence[0]["score"] == 0.95
    assert first.weight_of_evidence == pytest.approx(3.7 * 0.9 * (0.85 * 0.75))
    assert top.reasons[0].startswith("possible same person: decision needed")
    assert "surname same, dob same" in top.reasons[0]


def test_a_different_decision_removes_the_candidate_and_a_same_decision_merges():
    assert rank(identity_world("different"), ALL).results == ()
    same = identity_world("same")
    same.nodes["visitor:V1"]["canonical_id"] = "staff:S1"  # what the analyst's decision writes
    top = result(rank(same))
    assert top.merged_ids == ("staff:S1", "visitor:V1")
    assert top.paths[0].line == "contact"  # the visits are the staff member's own now: no candidate left
    assert top.paths[0].steps[0].evidence[0]["kind"] == "visit"


# ----------------------------------------------------------------- declared and duty, on every part
def structure_world(**decl) -> nx.MultiDiGraph:
    """Prisoner A1 calls the staff member; the staff member calls OCG member M1: a bridge."""
    g = base()
    add_person(g, "prisoner:A1", "Prisoner", in_custody=True, establishment="E1")
    link(g, "prisoner:A1", "establishment:E1", "HELD_AT", valid_from="2023-01-01")
    calls(g, "prisoner:A1", "phone:+S1", 8)
    calls(g, "phone:+S1", "phone:+M1", 8)
    if decl:
        link(g, "staff:S1", "person:M1", "FAMILY_OF", **decl)
    return g


def test_the_bridge_parts_count_what_the_member_of_staff_separates():
    top = result(rank(structure_world()))
    assert top.cut.closes_custody_ocg and top.cut.separated_ocg_members == 1
    assert top.components.cut.value == pytest.approx(em.cut_value(1))
    assert top.components.cut.value > 0
    assert top.components.betweenness.value == 1.0
    assert top.brokerage.ocg_pairs == 1 and top.components.brokerage.value == 0.5


def test_a_declared_relationship_discounts_paths_and_every_structural_part():
    plain = result(rank(structure_world(), ALL))
    declared = result(rank(structure_world(source_eval="1", intel_eval="A"), ALL))
    assert declared.paths[0].explained_by_declared_relationship
    assert declared.paths[0].steps[0].declared
    assert declared.components.paths.value < plain.components.paths.value / 20  # 0.1 on the step and the line
    assert declared.components.betweenness.value == 0.0
    assert declared.components.cut.value == 0.0 and not declared.cut.closes_custody_ocg
    assert declared.components.brokerage.value == 0.0
    # the same family link graded as intelligence (2B) is not a declaration: evidence
    undeclared = result(rank(structure_world(source_eval="2", intel_eval="B"), ALL))
    assert undeclared.weight_of_evidence > plain.weight_of_evidence


def test_the_relatives_circle_is_explained_too():
    g = structure_world(source_eval="1", intel_eval="A")
    add_person(g, "visitor:W", "Visitor")
    link(g, "visitor:W", "person:M1", "VISITED", count=4)  # the relative's visitor (their family)
    people = person_graph(scope_graph(g))
    assert relatives_circle(people, ["person:M1"]) >= {"person:M1", "visitor:W"}


def duty_world(role: str, night: int = 0) -> nx.MultiDiGraph:
    """The staff member calls V1, who visits OCG prisoner P1 at the staff member's prison."""
    g = base(role=role)
    add_person(g, "visitor:V1", "Visitor")
    phone(g, "visitor:V1", "+V1", "pin_list")  # holder of a number on a PIN list
    add_person(g, "prisoner:P1", "Prisoner", in_custody=True, establishment="E1")
    link(g, "prisoner:P1", "establishment:E1", "HELD_AT", valid_from="2023-01-01")
    link(g, "prisoner:P1", "ocg:O1", "MEMBER_OF", role="member")
    link(g, "visitor:V1", "prisoner:P1", "VISITED", count=6)
    calls(g, "phone:+S1", "phone:+V1", 8, night=night)
    return g


def test_duty_contacts_are_discounted_unless_they_reach_outside_the_role():
    liaison = result(rank(duty_world("Family Liaison"), ALL))
    officer = result(rank(duty_world("Prison Officer"), ALL))
    at_night = result(rank(duty_world("Family Liaison", night=6), ALL))
    assert liaison.paths[0].steps[0].duty and liaison.paths[0].steps[0].evidence[0]["duty"] is True
    assert liaison.weight_of_evidence == pytest.approx(officer.weight_of_evidence * 0.1, rel=0.2)
    assert not at_night.paths[0].steps[0].duty and at_night.weight_of_evidence > officer.weight_of_evidence
    assert "staff:S1" not in [r.id for r in rank(duty_world("Family Liaison")).results]
    people = person_graph(scope_graph(duty_world("Family Liaison")))
    assert not structural_graph(people).has_edge("staff:S1", "visitor:V1")  # no structural part either


def test_the_cut_is_zero_when_no_ocg_member_is_separated():
    g = structure_world()
    for edge in [e for e in g.edges(keys=True, data=True) if e[2] == "MEMBER_OF"]:
        g.remove_edge(edge[0], edge[1], edge[2])
    link(g, "prisoner:A1", "ocg:O1", "MEMBER_OF", role="member")  # the OCG is inside, not beyond the staff member
    add_person(g, "person:Z", "Nominal")
    calls(g, "phone:+S1", phone(g, "person:Z", "+Z"), 8)
    top = result(rank(g, ALL))
    assert top.cut.pieces >= 2 and top.cut.separated_ocg_members == 0
    assert top.components.cut.value == 0.0


def test_the_cut_grows_with_the_members_it_separates():
    one = result(rank(structure_world()))
    g = structure_world()
    for i in range(3):
        add_person(g, f"person:K{i}", "Nominal")
        link(g, f"person:K{i}", "ocg:O1", "MEMBER_OF", role="member")
        calls(g, "phone:+M1", phone(g, f"person:K{i}", f"+K{i}"), 8)
    four = result(rank(g))
    assert four.cut.separated_ocg_members == 4
    assert four.components.cut.value == pytest.approx(em.cut_value(4))
    assert four.components.cut.value > one.components.cut.value


# ----------------------------------------------------------------- colleagues
def colleague_world() -> nx.MultiDiGraph:
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 16, night=4, first="2024-01-01T20:00:00", last="2024-10-01T20:00:00")
    for i in range(2, 30):  # a rota: colleagues calling each other a few times in the day
        add_person(g, f"staff:S{i}", "Staff", role="Prison Officer")
        phone(g, f"staff:S{i}", f"+S{i}")
    for i in range(2, 30):
        calls(g, f"phone:+S{i}", f"phone:+S{2 + (i - 1) % 28}", 1 + i % 3)
    calls(g, "phone:+S3", "phone:+S1", 3)  # a rota call to the suspected officer
    calls(g, "phone:+S2", "phone:+S1", 30, night=20)  # a colleague drawn in: night calls, far beyond the usual
    return g


def test_unusual_contact_with_a_suspected_colleague_counts_and_rota_calls_do_not():
    ranking = rank(colleague_world())
    ids = [r.id for r in ranking.results]
    assert ids[0] == "staff:S1" and "staff:S2" in ids
    drawn_in = result(ranking, "staff:S2")
    assert drawn_in.paths[0].line == "colleague" and drawn_in.components.colleagues.value > 0
    assert drawn_in.reasons[0].startswith("contact with suspected colleague staff:S1")
    assert "staff:S3" not in ids  # three daytime calls: ordinary


def test_staff_to_staff_contact_is_not_a_path_step():
    g = colleague_world()
    ranking = rank(g, ALL)
    for r in ranking.results:
        for path in r.paths:
            if path.line != "colleague":
                assert not any(n.startswith("staff:") for n in path.nodes[1:])


# ----------------------------------------------------------------- the projection's facts
def test_a_pin_list_attribution_to_a_visitor_names_the_holder_of_the_number():
    g = duty_world("Prison Officer")
    people = person_graph(scope_graph(g))
    assert people.has_edge("staff:S1", "visitor:V1")  # the visitor holds the number the staff member calls


def test_an_unattributed_number_can_be_an_intermediary():
    g = base()
    g.add_node("phone:+U", labels=["Phone"], number="+U")  # nobody is attributed it
    calls(g, "phone:+S1", "phone:+U", 10)
    calls(g, "phone:+U", "phone:+M1", 10)
    people = person_graph(scope_graph(g))
    assert not people.has_edge("staff:S1", "person:M1")
    assert sorted(p for p, _ in people.graph["unattributed_numbers"]["phone:+U"]) == ["person:M1", "staff:S1"]
    top = result(bridge_ranking(people))
    assert top.paths[0].nodes == ("staff:S1", "phone:+U", "person:M1")


def test_calls_without_a_night_count_read_as_zero():
    g = base()
    link(g, "phone:+S1", "phone:+M1", "CALLED", count=5)  # written before night_count existed
    (item,) = person_graph(scope_graph(g))["staff:S1"]["person:M1"]["evidence"]
    assert item["night_count"] == 0 and em.night_share(item) == 0.0


# ----------------------------------------------------------------- no evidence, no rank; reasons
def test_no_evidence_no_rank_and_the_summary_counts_both():
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 8)
    add_person(g, "staff:S2", "Staff", role="OSG")
    phone(g, "staff:S2", "+S2")
    calls(g, "phone:+S2", "phone:+M1", 1)  # one call: some evidence, below the minimum weight
    add_person(g, "staff:S3", "Staff", role="OSG")  # nothing at all
    ranking = rank(g)
    assert [r.id for r in ranking.results] == ["staff:S1"]
    assert (ranking.summary.staff, ranking.summary.staff_with_evidence, ranking.summary.staff_ranked) == (3, 2, 1)
    assert ranking.summary.min_weight == MODEL.min_weight
    assert 0 < weight(rank(g, ALL), "staff:S2") < MODEL.min_weight
    assert list(to_json(ranking)) == ["summary", "results"]


def test_reasons_give_the_strongest_facts_with_their_grading_in_one_line():
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 8, night=2, first="2024-01-05T22:00:00", last="2024-06-01T23:00:00")
    link(g, "person:M1", "staff:S1", "CORRUPT_APPROACH", source_eval="2", intel_eval="B", date="2024-03-01")
    top = result(rank(g))
    assert len(top.reasons) == 1 and "\n" not in top.reasons[0]  # one line through M1 (two facts on it)
    reason = top.reasons[0]
    assert reason.startswith("ocg:O1 through person:M1 (member 1A P): staff:S1 - person:M1: ")
    assert "8 calls (2 at night), 2024-01-05 to 2024-06-01 [1A P]" in reason and "(+1 more)" in reason
    assert reason.endswith(f"(weight {top.weight_of_evidence:.2f})")


# ----------------------------------------------------------------- stability
def shuffled(g: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    """The same graph, its nodes and links inserted in another order (as another load would)."""
    rng = random.Random(seed)
    nodes = list(g.nodes(data=True))
    edges = list(g.edges(keys=True, data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_is_the_same_however_the_data_was_loaded(small_world, seed):
    for world in (small_world, colleague_world(), structure_world(), identity_world()):
        first = to_json(bridge_ranking(person_graph(scope_graph(world), common_min_degree=10), model=ALL))
        again = to_json(
            bridge_ranking(person_graph(scope_graph(shuffled(world, seed)), common_min_degree=10), model=ALL)
        )
        assert first == again


def test_a_scaled_model_moves_one_weight():
    moved = MODEL.scaled("night", 1.2)
    assert moved.night == pytest.approx(1.8) and moved.call == MODEL.call
    assert set(em.WEIGHT_NAMES) >= {"call", "postcode", "intel:FINANCIAL", "declared", "duty", "cut", "min_weight"}
    g = base()
    calls(g, "phone:+S1", "phone:+M1", 8, night=8)
    assert weight(rank(g, moved)) > weight(rank(g))
