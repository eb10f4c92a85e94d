"""The analysis graph kept warm: extracted once per store version, loads applied to it
as deltas, results cached per store version and scope.

A :class:`Workspace` holds, for one store:

* the *base graph*: the whole store as one ``MultiDiGraph`` (as
  :meth:`~graph_service.store.port.GraphStore.subgraph` extracts it), without the
  provenance the analyses never read (``DROPPED_PROPERTIES``: about a fifth of what
  each node and link holds, left in the store as it is read; a link keeps those its
  type's declared key names: an intelligence report's ``source_ref``);
* the store version it reflects (:class:`~graph_service.store.port.StoreVersion`: the
  latest load run recorded; each load records itself at its start and at its end);
* per :class:`~graph_service.analytics.scoping.Scope`: the scoped, identity-merged graph
  (:func:`~graph_service.analytics.scoping.scope_graph` of the base graph, which applies
  every rule the store would) and its person evidence graph
  (:func:`~graph_service.analytics.projection.person_graph`);
* the results of analyses, keyed by store version, analysis, scope and parameters;
* per scope and analysis, what an analysis keeps from one version to the next
  (:meth:`Workspace.kept`: the bridges' link weights, reused for the links a delta left
  as they were).

:meth:`Workspace.refresh` asks the store for its version (one small read). When load
runs were recorded since, it reads only what they wrote (``SubgraphFilter(runs=...)``:
the nodes and links whose ``load_run`` is one of them) and applies it to the base
graph (:func:`apply_changes`: a link replaces the stored link of the same type, ends
and declared key); a run that deleted or replaced data (``rewrite``: a network reload),
a store emptied or a version that went back make it extract again. The scoped graphs,
person graphs and results of the old version are then dropped and rebuilt on demand.

Every method takes the workspace's lock: one thread builds at a time and the others
wait for its result rather than building it again. Scopes and results are bounded
(least recently used first out). Scopes naming a generic network (``Scope.network``)
are extracted from the store each time (research data, small).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import networkx as nx

from graph_service.analytics.kernels import Kernels, resolve
from graph_service.analytics.projection import person_graph, person_graph_update
from graph_service.analytics.scoping import Scope, extract, identity_groups, scope_graph
from graph_service.gc_pause import paused_gc
from graph_service.multigraph import add_link, adjacency, links
from graph_service.schema import link_key
from graph_service.store.port import SubgraphFilter, share

# Provenance the analyses never read (evidence cites a link by its ends, type and grading).
DROPPED_PROPERTIES: tuple[str, ...] = ("firstseen", "lastupdated", "source_ref", "load_run")
MAX_SCOPES = 8  # the default scope of each agency, and a few more
MAX_RESULTS = 256

T = TypeVar("T")


@dataclass(frozen=True)
class Refresh:
    """What one :meth:`Workspace.refresh` did.

    ``kind``: ``unchanged``, ``full`` (extracted) or ``delta`` (``runs`` applied);
    ``nodes``/``links``: what was read from the store; ``seconds``: how long it took.
    """

    kind: Literal["unchanged", "full", "delta"]
    seq: int
    runs: tuple[str, ...]
    nodes: int
    links: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "version": self.seq,
            "runs": list(self.runs),
            "nodes": self.nodes,
            "links": self.links,
            "seconds": round(self.seconds, 3),
        }


UNREAD = SubgraphFilter(unread=frozenset(DROPPED_PROPERTIES))  # the warm graph's extraction


def _lean(data: dict, keep: tuple[str, ...] = ()) -> None:
    """Drop ``DROPPED_PROPERTIES`` but ``keep`` from ``data`` and share its short text values, in place."""
    for name in DROPPED_PROPERTIES:
        if name not in keep:
            data.pop(name, None)
    for name, value in data.items():  # values replaced, no key added or removed
        data[name] = share(value)


def compact(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What the warm graph's extraction (``UNREAD``) reads, from a graph read whole: drop
    ``DROPPED_PROPERTIES`` from every node and link but a link's declared key, in place,
    and share one copy of each short text value.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", name="A", lastupdated="2024-01-01T00:00:00")
    >>> _ = g.add_edge("a", "b", type="CALLED", load_run="r1", count=2)
    >>> _ = g.add_edge("a", "b", type="FINANCIAL", load_run="r1", source_ref="IR-1")
    >>> compact(g).nodes["a"], g.edges["a", "b", 0], g.edges["a", "b", 1]
    ({'name': 'A'}, {'type': 'CALLED', 'count': 2}, {'type': 'FINANCIAL', 'source_ref': 'IR-1'})
    """
    for _, data in graph.nodes(data=True):
        _lean(data)
    for _, _, data in links(graph):
        _lean(data, link_key(str(data.get("type"))))
    return graph


def _declared_key(data: dict) -> tuple:
    return (data.get("type"), *(data.get(k) for k in link_key(str(data.get("type")))))


@dataclass
class Touched:
    """What deltas changed in the base graph, for bringing person graphs up to date:
    ``nodes`` added or changed and the ends of links added or changed, those whose
    ``labels`` changed (``relabelled``), and ``unsafe``: why only building again will do
    (a number or an OCG relabelled, a person no longer one; the workspace adds
    identities merged differently)."""

    nodes: set = field(default_factory=set)
    relabelled: set = field(default_factory=set)
    unsafe: str | None = None

    def node(self, node: Any, old: dict | None, new: dict) -> None:
        if old == new:
            return
        self.nodes.add(node)
        before, after = set((old or {}).get("labels", ())), set(new.get("labels", ()))
        if old is not None and before != after:
            self.relabelled.add(node)
            changed = before ^ after
            if changed & {"Phone", "OCG"} or ("Person" in changed and ("Person" in before or "Phone" in after)):
                self.unsafe = self.unsafe or f"{node} was relabelled"


def apply_changes(base: nx.MultiDiGraph, changes: nx.MultiDiGraph, touched: Touched | None = None) -> tuple[int, int]:
    """Apply what load runs wrote (``changes``, as ``SubgraphFilter(runs=...)`` reads
    it) to ``base`` in place; returns (nodes, links) applied.

    A node with attributes replaces the node's attributes (a bare node, the other end of
    a changed link, is added only when missing). A link replaces the link between the
    same ends with the same type and the same values of its type's declared key
    properties (two custody periods of one prisoner at one prison stay two), or is added.
    ``touched``, when given, records what changed (:class:`Touched`).

    Examples
    --------
    >>> base = nx.MultiDiGraph()
    >>> base.add_node("phone:+1", labels=["Phone"])
    >>> _ = base.add_edge("phone:+1", "phone:+2", key="CALLED", type="CALLED", count=2)
    >>> changes = nx.MultiDiGraph()
    >>> _ = changes.add_edge("phone:+1", "phone:+2", key="CALLED", type="CALLED", count=5)
    >>> _ = changes.add_edge("phone:+1", "phone:+3", key="CALLED", type="CALLED", count=1)
    >>> apply_changes(base, changes)
    (3, 2)
    >>> sorted((v, d["count"]) for _, v, d in base.edges(data=True))
    [('phone:+2', 5), ('phone:+3', 1)]
    """
    # Attributes and the dicts of links between two nodes are replaced, never changed
    # in place: scoped graphs share them.
    record = touched or Touched()
    for node, data in changes.nodes(data=True):
        old = adjacency(base)[0].get(node)
        if old is None:
            base.add_node(node)
            record.node(node, None, dict(data))
        if data:
            if old is not None:
                record.node(node, old, data)
            adjacency(base)[0][node] = dict(data)
    applied = 0
    for u, v, data in changes.edges(data=True):
        applied += 1
        wanted = _declared_key(data)
        existing = base.get_edge_data(u, v) or {}
        same = next((k for k, d in existing.items() if _declared_key(d) == wanted), None)
        if same is None or existing[same] != data:
            record.nodes.update((u, v))
        if existing:  # replaced, never changed: scoped graphs share it
            adjacency(base)[1][u][v] = adjacency(base)[2][v][u] = keyed = dict(existing)
            if same is not None:
                keyed[same] = dict(data)
                continue
        add_link(base, u, v, str(data.get("type")), dict(data))
    nx._clear_cache(base)  # attributes were replaced without NetworkX's calls
    return changes.number_of_nodes(), applied


class Workspace:
    """The warm analysis graph of one store (see the module docstring); ``kernels``
    are those the analyses run on it use (:func:`~graph_service.analytics.kernels.resolve`)."""

    def __init__(
        self,
        store: Any,
        *,
        kernels: Kernels | str | None = None,
        max_scopes: int = MAX_SCOPES,
        max_results: int = MAX_RESULTS,
    ) -> None:
        self.store = store
        self.kernels = resolve(kernels)
        self.max_scopes = max_scopes
        self.max_results = max_results
        self.lock = threading.RLock()
        self.last_refresh: Refresh | None = None
        self.last_read: Refresh | None = None  # the last refresh that read the store
        self._base: nx.MultiDiGraph | None = None
        self._version: Any = None
        self._graphs: OrderedDict[Scope, nx.MultiDiGraph] = OrderedDict()
        self._people: OrderedDict[Scope, nx.Graph] = OrderedDict()
        # Person graphs of an earlier version, with what the deltas since touched.
        self._stale: OrderedDict[Scope, tuple[nx.Graph, Touched]] = OrderedDict()
        self._results: OrderedDict[tuple, Any] = OrderedDict()
        self._kept: OrderedDict[tuple[Scope, str], Any] = OrderedDict()
        self._groups: dict[str, list[str]] = {}
        self.last_people: Literal["full", "delta"] | None = None  # how the last person graph was made

    @property
    def version(self) -> Any:
        """The store version the warm graph reflects (None before the first refresh)."""
        return self._version

    @paused_gc()
    def refresh(self) -> Refresh:
        """Bring the base graph to the store's version: nothing, a delta or a full read."""
        with self.lock:
            started = time.perf_counter()
            current = self.store.version()
            if self._base is not None and current == self._version:
                return self._record(Refresh("unchanged", current.seq, (), 0, 0, time.perf_counter() - started))
            runs = self._delta_runs(current) if self._base is not None else None
            kind: Literal["full", "delta"]
            if runs is None:
                self._base = None  # free the old copy before reading the new one
                self._stale.clear()
                self._kept.clear()
                self._people.clear()
                self._base = self.store.subgraph(UNREAD)
                self._groups = identity_groups(self._base)
                nodes, links, kind = self._base.number_of_nodes(), self._base.number_of_edges(), "full"
            else:
                assert self._base is not None
                changes = self.store.subgraph(replace(UNREAD, runs=runs))
                touched = Touched()
                nodes, links = apply_changes(self._base, changes, touched)
                kind = "delta"
                self._keep_stale(touched)
            self._version = current
            self._graphs.clear()
            self._people.clear()
            self._results.clear()
            return self._record(Refresh(kind, current.seq, runs or (), nodes, links, time.perf_counter() - started))

    def _keep_stale(self, touched: Touched) -> None:
        """Keep the person graphs of the version before a delta, each with what every
        delta since touched, to be brought up to date when next asked for."""
        assert self._base is not None
        groups = identity_groups(self._base)
        if groups != self._groups:
            touched.unsafe = touched.unsafe or "identities merged differently"
        self._groups = groups
        for scope, people in self._people.items():
            self._stale[scope] = (people, Touched())
            self._stale.move_to_end(scope)
        for scope, (_, seen) in list(self._stale.items()):
            seen.nodes |= touched.nodes
            seen.relabelled |= touched.relabelled
            if touched.unsafe:
                del self._stale[scope]
        while len(self._stale) > self.max_scopes:
            self._stale.popitem(last=False)

    def _scoped_ids(self, scope: Scope, ids: set) -> set:
        """``ids`` as the scoped graph names them (a merged record by its representative)."""
        if not scope.merge_identities:
            return ids
        mapping = {m: rep for rep, members in self._groups.items() for m in members}
        return {mapping.get(n, n) for n in ids}

    def _person_graph(self, scope: Scope, graph: nx.MultiDiGraph) -> nx.Graph:
        """The scope's person graph: brought up to date from the one before the deltas
        since (``person_graph_update``), else built."""
        stale = self._stale.pop(scope, None)
        if stale is not None:
            found = person_graph_update(
                stale[0], graph, self._scoped_ids(scope, stale[1].nodes), self._scoped_ids(scope, stale[1].relabelled)
            )
            del stale  # the earlier graph is freed before a build
            if found is not None:
                self.last_people = "delta"
                return found
        self.last_people = "full"
        return person_graph(graph)

    def _record(self, refresh: Refresh) -> Refresh:
        self.last_refresh = refresh
        if refresh.kind != "unchanged":
            self.last_read = refresh
        return refresh

    def _delta_runs(self, current: Any) -> tuple[str, ...] | None:
        """The runs to apply to reach ``current``, or None when only a full read will do."""
        known = self._version
        if current.seq < known.seq or current.run is None:
            return None
        found = self.store.runs_since(known)
        if known.run is not None and not any(r["run"] == known.run for r in found):
            return None  # the store was emptied and loaded again
        new = [r for r in found if int(r["seq"]) > known.seq]
        if any(r.get("rewrite") for r in new):
            return None
        return tuple(str(r["run"]) for r in new)

    def base(self) -> nx.MultiDiGraph:
        """The whole warm graph at the store's version, unscoped and identities not
        merged (shared: do not change it)."""
        with self.lock:
            self.refresh()
            assert self._base is not None
            return self._base

    def canonical(self, node_id: Any) -> Any:
        """The id ``node_id`` goes by once identities are merged (itself when unmerged)."""
        data = self.base().nodes.get(node_id)
        return (data.get("canonical_id") or node_id) if data else node_id

    @paused_gc()
    def graph(self, scope: Scope | None = None) -> nx.MultiDiGraph:
        """The scoped, identity-merged graph (shared: do not change it)."""
        scope = scope or Scope()
        if scope.network is not None:
            return extract(self.store, scope)
        with self.lock:
            self.refresh()
            found = self._graphs.get(scope)
            if found is None:
                assert self._base is not None
                found = scope_graph(self._base, scope)
                self._remember(self._graphs, scope, found, self.max_scopes)
            else:
                self._graphs.move_to_end(scope)
            return found

    @paused_gc()
    def people(self, scope: Scope | None = None) -> nx.Graph:
        """The person evidence graph of the scope (shared: do not change it)."""
        scope = scope or Scope()
        if scope.network is not None:
            return person_graph(extract(self.store, scope))
        with self.lock:
            graph = self.graph(scope)
            found = self._people.get(scope)
            if found is None:
                found = self._person_graph(scope, graph)
                self._remember(self._people, scope, found, self.max_scopes)
            else:
                self._people.move_to_end(scope)
            return found

    def result(self, name: str, scope: Scope | None, params: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """``compute()``'s value, cached per store version, ``name``, scope and ``params``."""
        scope = scope or Scope()
        with self.lock:
            self.refresh()
            key = (self._version, name, scope, params)
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            value = compute()
            self._remember(self._results, key, value, self.max_results)
            return value

    def kept(self, scope: Scope | None, name: str, make: Callable[[], T]) -> T:
        """What the analysis ``name`` keeps for ``scope`` from one store version to the
        next (its own cache, made by ``make()`` the first time), dropped on a full read;
        a new one each time for a scope naming a generic network. At most ``max_scopes``
        are kept, like the person graphs whose link dicts they refer to."""
        scope = scope or Scope()
        if scope.network is not None:
            return make()
        with self.lock:
            key = (scope, name)
            found = self._kept.get(key)
            if found is None:
                found = make()
                self._remember(self._kept, key, found, self.max_scopes)
            else:
                self._kept.move_to_end(key)
            return found

    @staticmethod
    def _remember(cache: OrderedDict, key: Any, value: Any, limit: int) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > limit:
            cache.popitem(last=False)


__all__ = ["DROPPED_PROPERTIES", "UNREAD", "Refresh", "Touched", "Workspace", "apply_changes", "compact"]
