"""Pause Python's cyclic garbage collector around bulk graph work.

Extracting a graph from the store and building NetworkX graphs allocate millions of
small objects that all stay alive; each of them makes the collector walk a growing
heap again and again, which doubled the time of a London analysis (measured in
``docs/analytics.md``). Those structures hold no reference cycles, so nothing is
lost by pausing the collector while they are built: reference counting still frees
everything as usual, and cycles made meanwhile are collected once it runs again.

Only the main thread pauses (the CLI, the benchmarks, the loader's reading loop).
Work on other threads, such as API requests served from a thread pool, runs with the
collector as it is: overlapping requests could otherwise keep it off indefinitely.
Pauses nest; the outermost one restores the collector's state.
"""

from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator

_state = {"depth": 0, "restore": False}


class paused_gc(ContextDecorator):
    """Context manager and decorator: no cyclic collection inside (main thread only).

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """

    def __enter__(self) -> paused_gc:
        if threading.current_thread() is threading.main_thread():
            _state["depth"] += 1
            if _state["depth"] == 1:
                try:
                    _state["restore"] = gc.isenabled()
                    gc.disable()
                except BaseException:  # interrupted while entering: leave as found
                    _state["depth"] -= 1
                    if _state["restore"]:
                        gc.enable()
                    raise
        return self

    def __exit__(self, *exc: object) -> None:
        if threading.current_thread() is threading.main_thread():
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["restore"]:
                gc.enable()
