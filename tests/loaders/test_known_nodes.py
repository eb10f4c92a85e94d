"""The reference check's view of which nodes exist: this load's own, then the store's."""

from __future__ import annotations

import pytest

import loaders.known as known_nodes
from loaders.known import KnownNodes
from loaders.rows import Ref


def _person(node_id: str) -> Ref:
    return Ref("caller_prison_number", node_id.split(":", 1)[1], "Person", node_id)


@pytest.fixture
def counted_reads(store, monkeypatch) -> list[str]:
    """The Cypher of every read the store answers from now on."""
    reads: list[str] = []
    original = store.read_all

    def read_all(cypher, params=None):
        reads.append(cypher)
        return original(cypher, params)

    monkeypatch.setattr(store, "read_all", read_all)
    return reads


def _store_with(store, run, *ids: str) -> None:
    store.upsert_nodes("Person", [{"id": i, "props": {"namespace": i.split(":")[0]}} for i in ids], run)


def test_a_label_is_read_once_per_file_and_later_unknowns_need_no_read(store, run, counted_reads):
    _store_with(store, run, "prisoner:A1", "prisoner:A2")
    known = KnownNodes(store)
    assert known.unknown([_person("prisoner:A1"), _person("prisoner:Z9")]) == {("Person", "prisoner:Z9")}
    reads = len(counted_reads)
    assert known.unknown([_person("prisoner:A2"), _person("prisoner:Y8")]) == {("Person", "prisoner:Y8")}
    assert len(counted_reads) == reads  # answered from memory: no read waits for a write in flight

    _store_with(store, run, "prisoner:Y8")  # written by someone else between two files
    known.new_file()
    assert known.unknown([_person("prisoner:Y8")]) == set()


def test_ids_defined_by_the_load_count_without_a_read(store, run, counted_reads):
    known = KnownNodes(store)
    known.add("Person", ["prisoner:B1"])
    assert known.unknown([_person("prisoner:B1")]) == set()
    assert counted_reads == []
    assert known.unknown([_person("prisoner:B2")]) == {("Person", "prisoner:B2")}
    known.add("Person", ["prisoner:B2"])  # a later chunk of the same file defines it
    assert known.unknown([_person("prisoner:B2")]) == set()


def test_a_label_too_large_to_read_whole_is_looked_up_chunk_by_chunk(store, run, counted_reads, monkeypatch):
    monkeypatch.setattr(known_nodes, "PRELOAD_MAX", 1)
    _store_with(store, run, "prisoner:C1", "prisoner:C2")
    known = KnownNodes(store)
    assert known.unknown([_person("prisoner:C1"), _person("prisoner:Z9")]) == {("Person", "prisoner:Z9")}
    assert not any("RETURN n.id AS id" in c and "$ids" not in c for c in counted_reads)  # never read whole
    before = len(counted_reads)
    assert known.unknown([_person("prisoner:C2"), _person("prisoner:Z8")]) == {("Person", "prisoner:Z8")}
    assert len(counted_reads) == before + 1  # one lookup for this chunk's ids
    assert known.unknown([_person("prisoner:C2")]) == set()  # found ids are remembered
    assert len(counted_reads) == before + 1
