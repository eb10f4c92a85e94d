"""Pause Python's cyclic garbage collector around bulk graph work.

Extracting a graph from the store and building NetworkX graphs allocate millions of
small objects that all stay alive; each of them makes the collector walk a growing
heap again and again, which doubled the time of a London analysis (measured in
``docs/analytics.md``). Those structures hold no reference cycles, so nothing is
lost by pausing the collector while they are built: reference counting still frees
everything as usual, and cycles made meanwhile are collected once it runs again.

The pause is shared by threads (the API serves requests in a thread pool): the
collector stops when the first caller enters and restarts when the last one leaves.
"""

from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class paused_gc(ContextDecorator):
    """Context manager and decorator: no cyclic collection while inside.

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """

    def __enter__(self) -> "paused_gc":
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
