"""The collector pause shared by extraction, analytics and loaders."""

from __future__ import annotations

import gc
import threading

import pytest

from graph_service.gc_pause import paused_gc
from graph_service.settings import load_settings
from graph_service.store import open_store


@pytest.fixture(autouse=True)
def collector_on_around_each_test():
    """Each test starts with the collector on; a broken pause must not leak into the next test."""
    assert gc.isenabled()
    yield
    gc.enable()


def automatic_collections_while(work) -> int:
    """How many collections the interpreter started on its own while ``work()`` ran."""
    started: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        work()
    finally:
        gc.callbacks.remove(seen)
    return len(started)


def allocate_containers() -> None:
    kept = []
    for _ in range(50_000):  # far over the first generation's threshold
        kept.append([[]])


def test_no_automatic_collection_runs_inside():
    assert automatic_collections_while(allocate_containers) > 0  # the probe sees collections

    def paused() -> None:
        with paused_gc():
            allocate_containers()

    assert automatic_collections_while(paused) == 0
    assert gc.isenabled()


def test_nested_pauses_restart_the_collector_only_at_the_outermost_exit():
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restarts_the_collector():
    seen: list[bool] = []
    with pytest.raises(ZeroDivisionError), paused_gc():
        seen.append(gc.isenabled())
        _ = 1 / 0
    assert seen == [False]
    assert gc.isenabled()


def test_an_error_through_nested_pauses_restarts_the_collector_once_out_of_both():
    seen: list[bool] = []
    with pytest.raises(ZeroDivisionError), paused_gc(), paused_gc():  # the error leaves both
        seen.append(gc.isenabled())
        _ = 1 / 0
    assert seen == [False]
    assert gc.isenabled()


def test_an_error_caught_between_nested_pauses_keeps_the_outer_pause():
    with paused_gc():
        with pytest.raises(ZeroDivisionError), paused_gc():
            _ = 1 / 0
        assert not gc.isenabled()  # the inner exit, by an error, did not restart it
    assert gc.isenabled()
    with paused_gc():  # the nesting count is back to zero: a later pause works as usual
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator():
    @paused_gc()
    def inside() -> bool:
        return gc.isenabled()

    @paused_gc()
    def failing() -> None:
        raise KeyError("inside")

    assert inside() is False
    assert gc.isenabled()
    with pytest.raises(KeyError):
        failing()
    assert gc.isenabled()
    with paused_gc():
        assert inside() is False
        assert not gc.isenabled()  # the decorated call's exit, nested, did not restart it
    assert gc.isenabled()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(load_settings(data_dir=tmp_path_factory.mktemp("gc-store")))
    store.delete_all()
    store.execute_write("CREATE (:Person {id: 'person:P1'})-[:KNOWS]->(:Person {id: 'person:P2'})")
    yield store
    store.close()


def test_store_subgraph_extracts_with_the_collector_paused(store, monkeypatch):
    seen: list[bool] = []
    read_all = store.read_all

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return read_all(*args, **kwargs)

    monkeypatch.setattr(store, "read_all", recording)
    graph = store.subgraph()
    assert set(graph.nodes) == {"person:P1", "person:P2"}
    assert seen and not any(seen)  # every read of the extraction ran paused
    assert gc.isenabled()


def test_store_subgraph_restarts_the_collector_when_a_read_fails(store, monkeypatch):
    def failing(*args, **kwargs):
        assert not gc.isenabled()
        raise RuntimeError("store went away")

    monkeypatch.setattr(store, "read_all", failing)
    with pytest.raises(RuntimeError, match="went away"):
        store.subgraph()
    assert gc.isenabled()


def test_other_threads_leave_the_collector_alone():
    seen: list[bool] = []

    def worker() -> None:
        with paused_gc():  # an API request on a pool thread
            seen.append(gc.isenabled())

    with paused_gc():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not gc.isenabled()  # the worker's exit did not restart it under the main thread
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False, True]  # the collector's state as the worker found it
    assert gc.isenabled()
