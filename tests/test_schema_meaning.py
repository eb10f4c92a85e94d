"""The declared meaning of link types and the 3x5x2 vocabulary are the single source.

Link types: every declared type has a kind, the derived sets are what the analyses
read, and a new intelligence type (one line in ``INTELLIGENCE_LINK_TYPES``, or an
undeclared UPPER_SNAKE name from links.csv) is intelligence and evidence everywhere.
Grading: every module that validates, defaults or shows grading reads
:mod:`graph_service.grading`.
"""

from __future__ import annotations

import doctest
import re
import sys
import types
from pathlib import Path

import networkx as nx
import pytest

from graph_service import grading, schema
from graph_service.analytics import hubs, projection, scoping
from graph_service.analytics.errors import InvalidScope

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_KINDS = {
    "HELD_AT": schema.CUSTODY,
    "EMPLOYED_AT": schema.DUTY,
    "VISITED": schema.CONTACT,
    "CALLED": schema.CONTACT,
    "USES_PHONE": schema.ATTRIBUTION,
    "MEMBER_OF": schema.MEMBERSHIP,
    "LIVES_IN": schema.RESIDENCE,
    "POSSIBLY_SAME_AS": schema.IDENTITY,
    "CONNECTED_TO": schema.NETWORK,
    **{name: schema.INTELLIGENCE for name in schema.INTELLIGENCE_LINK_TYPES},
}


# --------------------------------------------------------------------------- link types
def test_every_declared_link_type_has_a_declared_kind():
    assert {t.type: t.kind for t in schema.LINK_TYPES} == EXPECTED_KINDS
    assert len(schema.LINK_KINDS_BY_NAME) == len(schema.LINK_KINDS)
    for t in schema.LINK_TYPES:
        assert t.meaning is schema.LINK_KINDS_BY_NAME[t.kind]
        assert t.meaning.meaning  # every kind says what it means


def test_an_undeclared_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        schema.LinkType("X", ("Person",), ("Person",), "x", "gossip")


def test_existing_flags_still_read():
    by_name = schema.LINK_TYPES_BY_NAME
    assert [t.type for t in schema.LINK_TYPES if t.duty] == ["EMPLOYED_AT"]
    assert [t.type for t in schema.LINK_TYPES if t.intelligence] == list(schema.INTELLIGENCE_LINK_TYPES)
    assert {t.type for t in schema.LINK_TYPES if t.aggregated} == {"CALLED", "VISITED"}
    assert not by_name["HELD_AT"].intelligence and not by_name["HELD_AT"].duty


def test_derived_sets():
    assert schema.STATE_LINK_TYPES == ("HELD_AT", "EMPLOYED_AT", "MEMBER_OF")
    assert schema.PLACE_LINK_TYPES == ("HELD_AT", "EMPLOYED_AT")
    assert set(schema.NON_EVIDENCE_LINK_TYPES) == {
        "HELD_AT",
        "EMPLOYED_AT",
        "MEMBER_OF",
        "POSSIBLY_SAME_AS",
        "CONNECTED_TO",
    }
    assert set(schema.EVIDENCE_LINK_TYPES) == {t.type for t in schema.LINK_TYPES} - set(schema.NON_EVIDENCE_LINK_TYPES)
    assert set(schema.NON_ASSOCIATION_LINK_TYPES) == {
        "HELD_AT",
        "EMPLOYED_AT",
        "MEMBER_OF",
        "POSSIBLY_SAME_AS",
        "LIVES_IN",
        "CONNECTED_TO",
    }
    assert set(schema.ASSOCIATION_LINK_TYPES) == {"VISITED", "CALLED", "USES_PHONE", *schema.INTELLIGENCE_LINK_TYPES}
    assert schema.DUTY_LINK_TYPES == ("EMPLOYED_AT",)
    assert schema.AGGREGATED_LINK_TYPES == ("VISITED", "CALLED")
    assert schema.IDENTITY_LINK_TYPES == ("POSSIBLY_SAME_AS",)
    # intelligence is always evidence and always an association; duty never evidence
    for t in schema.LINK_TYPES:
        if t.intelligence:
            assert t.evidence and t.association and not t.state and not t.place
        if t.duty:
            assert not t.evidence and t.place


def test_the_analyses_read_the_derived_sets():
    assert frozenset(schema.STATE_LINK_TYPES) == scoping.STATE_LINKS
    assert frozenset(schema.PLACE_LINK_TYPES) == scoping.PLACE_LINKS
    assert frozenset(schema.NON_EVIDENCE_LINK_TYPES) == projection.NON_EVIDENCE_TYPES
    assert frozenset(schema.PLACE_LINK_TYPES) == projection.PLACE_TYPES
    assert frozenset(schema.NON_ASSOCIATION_LINK_TYPES) == hubs.SKIP_TYPES


def test_maps_leave_out_the_place_links():
    from graph_service.api.routers import maps

    assert maps.PLACE_LINK_TYPES is schema.PLACE_LINK_TYPES


def _schema_with_one_more_intelligence_line(name: str) -> types.ModuleType:
    """graph_service.schema as it would be with ``name`` added to INTELLIGENCE_LINK_TYPES."""
    source = Path(schema.__file__).read_text(encoding="utf-8")
    anchor = '    "CORRUPT_APPROACH",\n)'
    assert source.count(anchor) == 1
    patched = source.replace(anchor, f'    "CORRUPT_APPROACH",\n    "{name}",\n)')
    assert patched.count("\n") == source.count("\n") + 1  # one line
    module = types.ModuleType("_schema_one_more_line")
    sys.modules[module.__name__] = module
    try:
        exec(compile(patched, schema.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    return module


def test_a_new_intelligence_type_is_one_line():
    patched = _schema_with_one_more_intelligence_line("BRIBED")
    declared = patched.LINK_TYPES_BY_NAME["BRIBED"]
    assert declared.kind == patched.INTELLIGENCE and declared.intelligence and declared.evidence
    assert patched.link_type("BRIBED") is declared
    assert "BRIBED" in patched.EVIDENCE_LINK_TYPES and "BRIBED" in patched.ASSOCIATION_LINK_TYPES
    for derived in ("STATE_LINK_TYPES", "PLACE_LINK_TYPES", "NON_EVIDENCE_LINK_TYPES", "NON_ASSOCIATION_LINK_TYPES"):
        assert "BRIBED" not in getattr(patched, derived), derived
    assert patched.is_intelligence_type("BRIBED") and patched.is_evidence_type("BRIBED")


def test_an_undeclared_upper_snake_name_means_what_a_named_intelligence_type_means():
    named, other = schema.link_type("ASSOCIATE_OF"), schema.link_type("BRIBED")
    for attribute in ("kind", "from_labels", "to_labels", "key", "properties", "aggregated", "description"):
        assert getattr(other, attribute) == getattr(named, attribute), attribute
    assert schema.is_intelligence_type("BRIBED") and schema.is_evidence_type("BRIBED")
    assert not schema.is_intelligence_type("lower case") and not schema.is_evidence_type("lower case")


@pytest.mark.parametrize("name", ["ASSOCIATE_OF", "BRIBED"])
def test_intelligence_types_are_evidence_in_every_analysis(name):
    g = nx.MultiDiGraph()
    g.add_node("person:P1", labels=["Person", "Nominal"])
    g.add_node("person:P2", labels=["Person", "Nominal"])
    for i in range(2):
        g.add_node(f"prisoner:A{i}", labels=["Person", "Prisoner"])
        g.add_edge("person:P1", f"prisoner:A{i}", type="VISITED", count=2)
    g.add_edge("person:P1", "person:P2", type=name, valid_from="2020-01-01", valid_to="2020-02-01")
    # scoping: not a state link, so past intelligence stays in scope
    assert scoping.link_in_scope(g.edges["person:P1", "person:P2", 0], scoping.Scope(as_of="2024-01-01"))
    # projection: a person link with an intelligence item
    people = projection.person_graph(g)
    kinds = [item["kind"] for item in people["person:P1"]["person:P2"]["evidence"]]
    assert kinds == ["intelligence"]
    # hubs: counted on the outside side (reach), not skipped
    contacts = hubs._collect(g, people)
    assert "person:P2" in contacts.outside["person:P1"]


def test_non_evidence_links_make_no_person_link():
    g = nx.MultiDiGraph()
    g.add_node("person:P1", labels=["Person", "Nominal"])
    g.add_node("person:P2", labels=["Person", "Nominal"])
    for kind in schema.NON_EVIDENCE_LINK_TYPES:
        g.add_edge("person:P1", "person:P2", type=kind)
    assert projection.person_graph(g).number_of_edges() == 0


# ------------------------------------------------------------------------------ grading
def test_grading_vocabulary():
    assert grading.GRADING_PROPERTIES == ("source_eval", "intel_eval", "handling", "handling_conditions")
    assert grading.ALLOWED_VALUES == {
        "source_eval": ("1", "2", "3"),
        "intel_eval": ("A", "B", "C", "D", "E"),
        "handling": ("P", "C"),
    }
    assert grading.OFFICIAL_GRADING == {"source_eval": "1", "intel_eval": "A", "handling": "P"}
    assert grading.OFFICIAL_GRADING_TEXT == "1/A/P"


def test_schema_re_exports_the_grading_module():
    for name in ("GRADING_PROPERTIES", "SOURCE_EVALS", "INTEL_EVALS", "HANDLING_CODES", "OFFICIAL_GRADING"):
        assert getattr(schema, name) is getattr(grading, name), name


def test_loaders_accept_exactly_the_declared_values():
    from loaders.normalise import ValueProblem, grading_value

    for column, allowed in grading.ALLOWED_VALUES.items():
        for value in allowed:
            assert grading_value(column, f" {value.lower()} ") == value
        for value in ("0", "4", "F", "X", "PC", "1A"):
            if value not in allowed:
                with pytest.raises(ValueProblem, match=f"unknown {column}"):
                    grading_value(column, value)
    assert grading_value("handling_conditions", "  Not  for staff ") == "Not for staff"


def test_the_contract_takes_the_vocabulary_from_grading():
    from loaders import contract

    assert (*grading.GRADING_PROPERTIES, grading.ORIGINATING_AGENCY) == contract.GRADING
    assert contract.DEFAULT_GRADING == grading.OFFICIAL_GRADING
    for name, spec in contract.CONTRACT.items():
        file = contract.CONTRACTS_BY_NAME[name]
        assert file.default_grading == grading.OFFICIAL_GRADING
        if spec["grading"]:
            assert contract.columns(name)[-5:] == list(contract.GRADING)
            for column, allowed in grading.ALLOWED_VALUES.items():
                assert tuple(spec["enums"][column]) == allowed
        else:
            assert not set(spec["enums"]) & set(grading.GRADING_PROPERTIES)


def test_scope_accepts_exactly_the_declared_values():
    for value in grading.SOURCE_EVALS:
        scoping.Scope(min_source_eval=value)
    for value in grading.INTEL_EVALS:
        scoping.Scope(min_intel_eval=value, exclude_intel=(value,))
    scoping.Scope(handling=grading.HANDLING_CODES)
    for bad in ({"min_source_eval": "4"}, {"min_intel_eval": "F"}, {"handling": ("X",)}, {"exclude_intel": ("F",)}):
        with pytest.raises(InvalidScope):
            scoping.Scope(**bad)
    assert scoping.grading({}) == grading.OFFICIAL_CODES


def test_maps_show_the_text_form():
    from viz import network_map

    assert network_map.grading_text(grading.OFFICIAL_GRADING) == grading.OFFICIAL_GRADING_TEXT
    assert network_map.GRADING == grading.GRADING_PROPERTIES
    rows = network_map.detail_rows({**grading.OFFICIAL_GRADING, "count": 2})
    assert rows[1] == [grading.TEXT_LABEL, "1/A/P"]


def test_the_generator_writes_the_official_grading():
    import random

    from graph_service.synthetic import world

    seen = {world.official_grading(random.Random(seed)) for seed in range(40)}
    assert seen == {("", "", "", ""), grading.OFFICIAL_CELLS}
    assert {world.intel_grading(random.Random(seed))[2] for seed in range(60)} == set(grading.HANDLING_CODES)


def test_the_contract_belongs_to_the_loaders():
    from graph_service.synthetic import generator
    from loaders import contract

    assert generator.FILES is contract.FILES
    with pytest.raises(ModuleNotFoundError):
        __import__("graph_service.synthetic.contract")
    assert not hasattr(contract, "LOAD_ORDER")


# Files that read the declarations and must not spell them out again.
READERS = [
    "graph_service/schema.py",
    "graph_service/analytics/scoping.py",
    "graph_service/analytics/projection.py",
    "graph_service/analytics/hubs.py",
    "loaders/contract.py",
    "loaders/normalise.py",
    "viz/network_map.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "graph_service" / "synthetic").glob("*.py")),
]
SPELLED_OUT = [
    re.compile(r'"source_eval",\s*"intel_eval"'),
    re.compile(r'\(\s*"1",\s*"2",\s*"3"\s*\)'),
    re.compile(r'"A",\s*"B",\s*"C",\s*"D",\s*"E"'),
    re.compile(r'\(\s*"P",\s*"C"\s*\)'),
    re.compile(r'"1",\s*"A",\s*"P"'),
    re.compile(r'[({]\s*"(HELD_AT|EMPLOYED_AT|MEMBER_OF|POSSIBLY_SAME_AS|LIVES_IN|CONNECTED_TO)",\s*"[A-Z_]+"'),
]


@pytest.mark.parametrize("path", READERS)
def test_readers_do_not_spell_the_declarations_out(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    found = [p.pattern for p in SPELLED_OUT if p.search(text)]
    assert found == [], path


@pytest.mark.parametrize("module", [grading, schema])
def test_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("name", ["RISQUE_ÉLEVÉ", "A²", "LINK_٣", "lower_case", "_LEADING", "HAS SPACE", ""])
def test_only_ascii_upper_snake_names_are_intelligence_types(name):
    with pytest.raises(schema.SchemaError):
        schema.link_type(name)
    assert not schema.is_intelligence_type(name)


def test_an_ascii_upper_snake_name_is_an_intelligence_type():
    assert schema.link_type("SUPPLIES_DRUGS_2").intelligence
