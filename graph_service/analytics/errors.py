"""Typed errors of the analytics package.

Every error an analysis raises on purpose subclasses :class:`AnalyticsError`, so a
caller (the CLI, the API) can catch one type and show its message. The errors that
have a NetworkX counterpart also subclass it: :class:`NodeNotFound` is a
``networkx.NodeNotFound`` and :class:`NoPath` a ``networkx.NetworkXNoPath``, so code
written against NetworkX (``except nx.NodeNotFound``) catches them too.
"""

from __future__ import annotations

import networkx as nx


class AnalyticsError(ValueError):
    """An analysis could not run as asked; the message says why."""


class NodeNotFound(AnalyticsError, nx.NodeNotFound):
    """A node id that is not in the (scoped) graph (also a ``networkx.NodeNotFound``)."""

    def __init__(self, node: object, where: str = "the scoped graph") -> None:
        self.node = node
        super().__init__(f"node {node!r} is not in {where}")


class NoPath(AnalyticsError, nx.NetworkXNoPath):
    """No path joins two nodes within the hop limit (also a ``networkx.NetworkXNoPath``)."""

    def __init__(self, source: object, target: object, max_hops: int | None = None) -> None:
        self.source, self.target, self.max_hops = source, target, max_hops
        limit = f" within {max_hops} hops" if max_hops is not None else ""
        super().__init__(f"no path from {source!r} to {target!r}{limit}")


class InvalidScope(AnalyticsError):
    """A scope option that cannot be used (bad date, unknown grading code...)."""


__all__ = ["AnalyticsError", "InvalidScope", "NoPath", "NodeNotFound"]
