"""The collector pause shared by extraction, analytics and loaders."""

from __future__ import annotations

import gc
import threading

import pytest

from graph_service.gc_pause import paused_gc


def test_nested_pauses_restart_the_collector_only_at_the_outermost_exit():
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restarts_the_collector():
    with pytest.raises(ZeroDivisionError), paused_gc():
        _ = 1 / 0
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator():
    @paused_gc()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
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
