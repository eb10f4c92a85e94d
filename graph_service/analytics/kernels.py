"""Whole-graph kernels behind one interface: compiled (igraph) by default, NetworkX as
the reference.

The heavy measures of the analyses (betweenness, betweenness restricted to source and
target sets, connected components, articulation points, communities, layouts) are
computed by a :class:`Kernels` implementation chosen by name:

``igraph`` (default)
    python-igraph, the C igraph library: exact Brandes betweenness (also restricted to
    sources and targets), components, articulation points, Leiden communities and
    seeded force-directed layouts, on an integer-indexed copy of the graph
    (:class:`Indexed`). Exact where the NetworkX path samples today.
``networkx``
    The same measures with NetworkX's public functions (and so any NetworkX backend
    named by ``MARSOC_NETWORKX_BACKEND``): the reference the tests compare igraph with.
``gds``
    Neo4j Graph Data Science through its Python client (``graphdatascience``, the
    optional extra ``marsoc[gds]``), for deployments whose graph outgrows one machine:
    the graph is built in the GDS catalogue from the same integer-indexed copy
    (``gds.graph.construct``), the measures streamed back, the catalogue graph dropped.
    GDS has no betweenness restricted to sources and targets and no layout: those two
    stay on igraph. Tested when ``NEO4J_URI`` names a Neo4j with GDS.

Communities: Leiden (Traag, Waltman and van Eck 2019) rather than Louvain, because
Louvain can return badly connected, even disconnected, communities and Leiden
guarantees connected ones while optimising the same modularity; igraph ships it
(``community_leiden``, modularity objective), so no extra package is needed.

Values are keyed by the graph's own node keys, in the NetworkX conventions (the
normalisation of :func:`networkx.betweenness_centrality` and
:func:`networkx.betweenness_centrality_subset`), so callers do not change with the
kernel.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

KERNELS = ("igraph", "networkx", "gds")


class KernelError(ValueError):
    """An unknown kernel name, or a kernel that cannot run here."""


@dataclass(frozen=True)
class Indexed:
    """An undirected simple graph as integer indexes: ``nodes[i]`` is the key of vertex
    ``i``; ``edges`` are ``(i, j)`` pairs with ``i < j``, each once.

    Examples
    --------
    >>> g = nx.Graph([("b", "a"), ("a", "c")])
    >>> ix = Indexed.of(g)
    >>> ix.nodes, ix.edges
    (('a', 'b', 'c'), ((0, 1), (0, 2)))
    """

    nodes: tuple[Hashable, ...]
    edges: tuple[tuple[int, int], ...]
    weights: tuple[float, ...] | None = None

    @classmethod
    def of(cls, graph: nx.Graph, weight: str | None = None) -> Indexed:
        """The graph's nodes sorted by key as a string; with ``weight``, each link's
        value of that attribute (1.0 where missing; parallel links summed)."""
        nodes = tuple(sorted(graph.nodes, key=str))
        index = {node: i for i, node in enumerate(nodes)}
        pairs: dict[tuple[int, int], float] = {}
        for u, v, data in graph.edges(data=True):
            if u == v:
                continue
            i, j = index[u], index[v]
            key = (i, j) if i < j else (j, i)
            value = float(data.get(weight, 1.0)) if weight is not None else 1.0
            pairs[key] = pairs.get(key, 0.0) + value if graph.is_multigraph() else value
        edges = tuple(sorted(pairs))
        weights = tuple(pairs[e] for e in edges) if weight is not None else None
        return cls(nodes, edges, weights)

    def igraph(self) -> Any:
        import igraph as ig

        return ig.Graph(n=len(self.nodes), edges=list(self.edges), directed=False)


class Kernels(Protocol):
    """What a kernel implementation provides (undirected graphs, unweighted)."""

    name: str

    def betweenness(self, graph: nx.Graph, *, normalized: bool = True) -> dict[Hashable, float]: ...

    def subset_betweenness(
        self, graph: nx.Graph, sources: Iterable[Hashable], targets: Iterable[Hashable], *, normalized: bool = False
    ) -> dict[Hashable, float]: ...

    def components(self, graph: nx.Graph) -> list[set[Hashable]]: ...

    def articulation_points(self, graph: nx.Graph) -> set[Hashable]: ...

    def communities(
        self, graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weight: str | None = None
    ) -> list[set[Hashable]]: ...

    def layout(self, graph: nx.Graph, *, seed: int = 0) -> dict[Hashable, tuple[float, float]]: ...


class NetworkXKernels:
    """The reference: NetworkX's own functions (``backend`` passed on when set)."""

    name = "networkx"

    def __init__(self, backend: str | None = None) -> None:
        self.backend = backend

    def _call(self, function: Any, graph: nx.Graph, **kwargs: Any) -> Any:
        return function(graph, backend=self.backend, **kwargs) if self.backend else function(graph, **kwargs)

    def betweenness(self, graph: nx.Graph, *, normalized: bool = True) -> dict[Hashable, float]:
        return dict(self._call(nx.betweenness_centrality, graph, normalized=normalized))

    def subset_betweenness(
        self, graph: nx.Graph, sources: Iterable[Hashable], targets: Iterable[Hashable], *, normalized: bool = False
    ) -> dict[Hashable, float]:
        found = self._call(
            nx.betweenness_centrality_subset, graph, sources=list(sources), targets=list(targets), normalized=normalized
        )
        return dict(found)

    def components(self, graph: nx.Graph) -> list[set[Hashable]]:
        return sorted((set(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), min(map(str, c))))

    def articulation_points(self, graph: nx.Graph) -> set[Hashable]:
        return set(nx.articulation_points(graph))

    def communities(
        self, graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weight: str | None = None
    ) -> list[set[Hashable]]:
        found = nx.community.louvain_communities(graph, weight=weight, seed=seed, resolution=resolution)
        return sorted((set(c) for c in found), key=lambda c: (-len(c), min(map(str, c))))

    def layout(self, graph: nx.Graph, *, seed: int = 0) -> dict[Hashable, tuple[float, float]]:
        positions = nx.spring_layout(graph, seed=seed)
        return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


# Above this many nodes the layout is igraph's Large Graph Layout (a grid-based
# force-directed layout grown from a root): 0.28 s for a 2,000-node map, against 2.9 s.
LAYOUT_FR_MAX_NODES = 600
# Large Graph Layout iterations. Measured on London maps (mean link length over a random
# pair's distance, lower is better): 2,000 nodes 0.58 at 150 and at 60-100 iterations;
# 10,000 nodes 0.33 at 150, 0.32 at 60. Fewer iterations draw as well, in half the time.
LAYOUT_LGL_ITERATIONS = 75


class IGraphKernels:
    """igraph's compiled kernels on an :class:`Indexed` copy of the graph.

    Examples
    --------
    >>> k = IGraphKernels()
    >>> k.betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    >>> sorted(k.articulation_points(nx.path_graph(4)))
    [1, 2]
    """

    name = "igraph"

    def __init__(self) -> None:
        try:
            import igraph  # noqa: F401
        except ImportError as error:  # pragma: no cover - a dependency of the project
            raise KernelError("the igraph kernels need python-igraph") from error

    def betweenness(self, graph: nx.Graph, *, normalized: bool = True) -> dict[Hashable, float]:
        ix = Indexed.of(graph)
        raw = ix.igraph().betweenness(directed=False) if ix.nodes else []
        n = len(ix.nodes)
        scale = 2.0 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
        return {node: raw[i] * scale for i, node in enumerate(ix.nodes)}

    def subset_betweenness(
        self, graph: nx.Graph, sources: Iterable[Hashable], targets: Iterable[Hashable], *, normalized: bool = False
    ) -> dict[Hashable, float]:
        """NetworkX's :func:`~networkx.betweenness_centrality_subset` on igraph.

        On an undirected graph igraph's restricted betweenness is NetworkX's
        unnormalised value (the pair dependencies summed from each source, halved);
        NetworkX's normalised value divides the unhalved sum by ``(n - 1)(n - 2)``.
        """
        ix = Indexed.of(graph)
        index = {node: i for i, node in enumerate(ix.nodes)}
        src = sorted({index[s] for s in sources if s in index})
        dst = sorted({index[t] for t in targets if t in index})
        values = dict.fromkeys(ix.nodes, 0.0)
        if not src or not dst:
            return values
        if len(dst) < len(src):
            # Undirected: the pairs (s, t) and (t, s) have the same dependencies, so
            # the search runs from the smaller set (one breadth-first search each).
            src, dst = dst, src
        raw = ix.igraph().betweenness(directed=False, sources=src, targets=dst)
        n = len(ix.nodes)
        scale = 2.0 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0
        return {node: raw[i] * scale for i, node in enumerate(ix.nodes)}

    def components(self, graph: nx.Graph) -> list[set[Hashable]]:
        ix = Indexed.of(graph)
        found = [{ix.nodes[i] for i in part} for part in ix.igraph().connected_components()] if ix.nodes else []
        return sorted(found, key=lambda c: (-len(c), min(map(str, c))))

    def articulation_points(self, graph: nx.Graph) -> set[Hashable]:
        ix = Indexed.of(graph)
        return {ix.nodes[i] for i in ix.igraph().articulation_points()} if ix.nodes else set()

    def communities(
        self, graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weight: str | None = None
    ) -> list[set[Hashable]]:
        ix = Indexed.of(graph, weight)
        if not ix.nodes:
            return []
        with _seeded(seed):
            found = ix.igraph().community_leiden(
                objective_function="modularity",
                weights=list(ix.weights) if ix.weights is not None else None,
                resolution=resolution,
                n_iterations=-1,
            )
        parts = [{ix.nodes[i] for i in part} for part in found]
        return sorted(parts, key=lambda c: (-len(c), min(map(str, c))))

    def layout(self, graph: nx.Graph, *, seed: int = 0) -> dict[Hashable, tuple[float, float]]:
        ix = Indexed.of(graph)
        if not ix.nodes:
            return {}
        rng = random.Random(seed)
        start = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in ix.nodes]
        with _seeded(seed):
            if len(ix.nodes) > LAYOUT_FR_MAX_NODES:  # Fruchterman-Reingold costs n^2 a step: 2.9 s for 2,000
                coords = ix.igraph().layout_lgl(maxiter=LAYOUT_LGL_ITERATIONS)
            else:
                coords = ix.igraph().layout_fruchterman_reingold(seed=start, niter=500)
        return {node: (float(x), float(y)) for node, (x, y) in zip(ix.nodes, coords.coords)}


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` for one call (then the
    module ``random`` again, as igraph uses by default)."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


class GDSKernels(IGraphKernels):
    """Neo4j Graph Data Science for betweenness, components, articulation points and
    Leiden; restricted betweenness and layouts from igraph (GDS has neither)."""

    name = "gds"

    def __init__(self, gds: Any) -> None:
        super().__init__()
        self.gds = gds

    @classmethod
    def connect(cls, uri: str, auth: tuple[str, str], database: str = "neo4j") -> GDSKernels:
        try:
            from graphdatascience import GraphDataScience
        except ImportError as error:
            raise KernelError("the gds kernels need the graphdatascience client: install marsoc[gds]") from error
        return cls(GraphDataScience(uri, auth=auth, database=database))

    @contextmanager
    def _projected(self, ix: Indexed) -> Iterator[Any]:
        import uuid

        import pandas as pd

        nodes = pd.DataFrame({"nodeId": range(len(ix.nodes)), "labels": "N"})
        relationships = pd.DataFrame(
            {
                "sourceNodeId": [a for a, _ in ix.edges],
                "targetNodeId": [b for _, b in ix.edges],
                "relationshipType": "L",
            }
        )
        graph = self.gds.graph.construct(
            f"marsoc-{uuid.uuid4().hex}", nodes, relationships, undirected_relationship_types=["L"]
        )
        try:
            yield graph
        finally:
            graph.drop()

    def _stream(self, graph: nx.Graph, algorithm: str, column: str, **config: Any) -> tuple[Indexed, dict[int, Any]]:
        ix = Indexed.of(graph)
        if not ix.nodes:
            return ix, {}
        with self._projected(ix) as projected:
            frame = getattr(self.gds, algorithm).stream(projected, **config)
        return ix, {int(row.nodeId): getattr(row, column) for row in frame.itertuples()}

    def betweenness(self, graph: nx.Graph, *, normalized: bool = True) -> dict[Hashable, float]:
        ix, found = self._stream(graph, "betweenness", "score")
        n = len(ix.nodes)
        # GDS counts each undirected pair in both directions: NetworkX's raw value is half.
        scale = (2.0 / ((n - 1) * (n - 2)) if normalized and n > 2 else 1.0) / 2.0
        return {node: float(found.get(i, 0.0)) * scale for i, node in enumerate(ix.nodes)}

    def components(self, graph: nx.Graph) -> list[set[Hashable]]:
        ix, found = self._stream(graph, "wcc", "componentId")
        parts: dict[Any, set[Hashable]] = {}
        for i, node in enumerate(ix.nodes):
            parts.setdefault(found.get(i, -1 - i), set()).add(node)
        return sorted(parts.values(), key=lambda c: (-len(c), min(map(str, c))))

    def articulation_points(self, graph: nx.Graph) -> set[Hashable]:
        ix, found = self._stream(graph, "articulationPoints", "nodeId")
        return {ix.nodes[i] for i in found}

    def communities(
        self, graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weight: str | None = None
    ) -> list[set[Hashable]]:
        if weight is not None:  # the catalogue graph is built unweighted
            return super().communities(graph, seed=seed, resolution=resolution, weight=weight)
        ix, found = self._stream(graph, "leiden", "communityId", randomSeed=seed, gamma=resolution)
        parts: dict[Any, set[Hashable]] = {}
        for i, node in enumerate(ix.nodes):
            parts.setdefault(found.get(i, -1 - i), set()).add(node)
        return sorted(parts.values(), key=lambda c: (-len(c), min(map(str, c))))


def kernels(name: str = "igraph", *, backend: str | None = None, gds: Any = None) -> Kernels:
    """The kernel implementation called ``name`` (``igraph`` or ``networkx``).

    Examples
    --------
    >>> kernels("networkx").name, kernels().name
    ('networkx', 'igraph')
    """
    if name == "igraph":
        return IGraphKernels()
    if name == "networkx":
        return NetworkXKernels(backend)
    if name == "gds":
        if gds is None:
            raise KernelError("the gds kernels need a GraphDataScience client (GDSKernels.connect)")
        return GDSKernels(gds)
    raise KernelError(f"unknown kernel {name!r}; choose one of {', '.join(KERNELS)}")


def resolve(chosen: Kernels | str | None = None, *, backend: str | None = None) -> Kernels:
    """The kernels an analysis uses: ``chosen`` (an instance or a name), else NetworkX
    when a NetworkX ``backend`` is named (``MARSOC_NETWORKX_BACKEND``), else igraph.

    Examples
    --------
    >>> resolve().name, resolve(backend="parallel").name, resolve("networkx").name
    ('igraph', 'networkx', 'networkx')
    """
    if chosen is None:
        return NetworkXKernels(backend) if backend else IGraphKernels()
    if isinstance(chosen, str):
        return kernels(chosen, backend=backend)
    return chosen


def kernels_for(settings: Any) -> Kernels:
    """The kernels the settings choose (``MARSOC_KERNELS``, see :func:`resolve`)."""
    if settings.kernels == "gds":
        return GDSKernels.connect(
            settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password), settings.neo4j_database
        )
    return resolve(settings.kernels, backend=settings.networkx_backend)


def modularity(graph: nx.Graph, parts: Sequence[set[Hashable]]) -> float:
    """Modularity of a partition (NetworkX's definition), to compare kernels.

    Examples
    --------
    >>> round(modularity(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}]), 3)
    0.357
    """
    return float(nx.community.modularity(graph, parts))


__all__ = [
    "KERNELS",
    "GDSKernels",
    "IGraphKernels",
    "Indexed",
    "KernelError",
    "Kernels",
    "NetworkXKernels",
    "kernels",
    "kernels_for",
    "modularity",
    "resolve",
]
