"""Typed errors of the analytics package.

Every error an analysis raises on purpose subclasses :class:`AnalyticsError`, so a
caller (the CLI, the API) can catch one type and show its message.
"""

from __future__ import annotations


class AnalyticsError(ValueError):
    """An analysis could not run as asked; the message says why."""


class NodeNotFound(AnalyticsError):
    """A node id that is not in the (scoped) graph."""

    def __init__(self, node: object, where: str = "the scoped graph") -> None:
        self.node = node
        super().__init__(f"node {node!r} is not in {where}")


class NoPath(AnalyticsError):
    """No path joins two nodes within the hop limit."""

    def __init__(self, source: object, target: object, max_hops: int | None = None) -> None:
        self.source, self.target, self.max_hops = source, target, max_hops
        limit = f" within {max_hops} hops" if max_hops is not None else ""
        super().__init__(f"no path from {source!r} to {target!r}{limit}")


class InvalidScope(AnalyticsError):
    """A scope option that cannot be used (bad date, unknown grading code...)."""


__all__ = ["AnalyticsError", "InvalidScope", "NoPath", "NodeNotFound"]
