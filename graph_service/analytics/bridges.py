"""Corruption bridges: staff connected to organised crime outside their duties.

Works on the person-level evidence graph
(:func:`graph_service.analytics.projection.person_graph`), which holds no duty
link. For every member of staff the score combines four parts, each in [0, 1]:

``paths`` (weight 0.6)
    Evidence paths of at most ``max_hops`` person-to-person steps to members of OCGs
    (any ``MEMBER_OF`` role, associates included). A path's strength is the product
    of its steps' strengths times the membership grading; the best path per OCG is
    kept and the OCGs are combined by noisy-or. A direct intelligence link to an OCG
    counts as a one-step path. A path that reaches or passes through a *declared
    relative* of the member of staff (a ``FAMILY_OF`` 1/A link between them) is
    multiplied by ``DECLARED_FACTOR``: the declared relationship explains the
    relative and the relative's circle.
``betweenness`` (0.15)
    Betweenness restricted to custody-community pairs (prisoners to OCG members
    not in custody), scaled by the largest value among staff.
``cut`` (0.15)
    1 when the member of staff is a cut point (articulation point) whose removal
    cuts OCG members off from every prisoner they were joined to; 0.5 when it is a
    cut point with OCG members on one side only.
``brokerage`` (0.1)
    Gould-Fernandez brokerage between the OCG group and the other groups
    (prisoners, staff, community): unlinked neighbour pairs the member of staff
    joins, ``x / (1 + x)``.

Steps weaker than ``min_strength`` (0.02) are not followed, so a single allegation
graded E (0.35 x 0.05 x 1.0) is not evidence on its own. Ties: score descending,
then id. Results are :class:`~graph_service.analytics.results.BridgeResult`; scores
and strengths are full floats, rounded only by ``to_json``.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from graph_service.analytics.brokerage import brokerage_roles, group_of
from graph_service.analytics.centrality import subset_betweenness
from graph_service.analytics.projection import DECLARED_FACTOR, noisy_or
from graph_service.analytics.results import (
    BridgeComponents,
    BridgePath,
    BridgeResult,
    BridgeStep,
    Component,
    CutPart,
    EvidenceItem,
    IntelligenceEvidence,
    rank_key,
)
from graph_service.gc_pause import paused_gc

WEIGHTS: dict[str, float] = {"paths": 0.6, "betweenness": 0.15, "cut": 0.15, "brokerage": 0.1}
MIN_STRENGTH = 0.02
MIN_PATH = 0.002


def best_paths(
    people: nx.Graph, source: Any, max_hops: int = 3, *, min_strength: float = MIN_STRENGTH, min_path: float = MIN_PATH
) -> dict[Any, tuple[float, list[Any]]]:
    """Strongest path (product of step strengths) to every node within ``max_hops``.

    Returns ``{node: (strength, [source, ..., node])}``; ties keep the path found
    first in id order.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("s", "a", strength=0.5); g.add_edge("a", "t", strength=0.5)
    >>> g.add_edge("s", "t", strength=0.2)
    >>> best_paths(g, "s")["t"]
    (0.25, ['s', 'a', 't'])
    """
    best: dict[Any, tuple[float, list[Any]]] = {source: (1.0, [source])}
    frontier = {source: (1.0, [source])}
    for _ in range(max_hops):
        nxt: dict[Any, tuple[float, list[Any]]] = {}
        for node in sorted(frontier, key=str):
            strength, path = frontier[node]
            for other, data in people[node].items():
                step = data.get("strength", 0.0)
                if step < min_strength or other in path:
                    continue
                value = strength * step
                if value < min_path:
                    continue
                if value > best.get(other, (0.0, None))[0] and value > nxt.get(other, (0.0, None))[0]:
                    nxt[other] = (value, [*path, other])
        for node, found in nxt.items():
            if found[0] > best.get(node, (0.0, None))[0]:
                best[node] = found
        frontier = nxt
        if not frontier:
            break
    del best[source]
    return best


def _step(people: nx.Graph, a: Any, b: Any) -> BridgeStep:
    data = people[a][b]
    evidence: list[EvidenceItem] = data["evidence"]
    return BridgeStep(
        from_=a, to=b, strength=data["strength"], declared=data.get("declared", False), evidence=tuple(evidence)
    )


def _intel_path(staff: Any, item: IntelligenceEvidence) -> BridgePath:
    """A direct intelligence link from ``staff`` to an OCG as a one-step path."""
    step = BridgeStep(from_=staff, to=item["ocg"], strength=item["strength"], declared=False, evidence=(item,))
    return BridgePath(
        ocg=item["ocg"],
        target=item["ocg"],
        strength=item["strength"],
        hops=1,
        nodes=(staff, item["ocg"]),
        explained_by_declared_relationship=False,
        steps=(step,),
        membership=None,
    )


def ocg_paths(people: nx.Graph, staff: Any, max_hops: int = 3, **limits: float) -> list[BridgePath]:
    """The strongest evidence path from ``staff`` to each OCG, strongest first.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S1", kind="staff", ocgs={}, ocg_intel=[])
    >>> g.add_node("person:P1", kind="nominal", ocg_intel=[],
    ...            ocgs={"ocg:O1": {"strength": 1.0, "role": "member", "link": {}}})
    >>> g.add_edge("staff:S1", "person:P1", strength=0.6, evidence=[{"kind": "call"}])
    >>> [(p.ocg, p.strength, p.nodes) for p in ocg_paths(g, "staff:S1")]
    [('ocg:O1', 0.6, ('staff:S1', 'person:P1'))]
    """
    best: dict[Any, tuple[float, Any, list[Any], Any, bool]] = {}
    relatives = {n for n, d in people[staff].items() if d.get("declared")}
    for target, (strength, path) in best_paths(people, staff, max_hops, **limits).items():
        for ocg, member in (people.nodes[target].get("ocgs") or {}).items():
            value = strength * member.get("strength", 1.0)
            explained = bool(relatives.intersection(path[1:]))
            if explained:
                value *= DECLARED_FACTOR
            if value > best.get(ocg, (0.0,))[0]:
                best[ocg] = (value, target, path, member, explained)
    found: dict[Any, BridgePath] = {
        ocg: BridgePath(
            ocg=ocg,
            target=target,
            strength=value,
            hops=len(path) - 1,
            nodes=tuple(path),
            explained_by_declared_relationship=explained,
            steps=tuple(_step(people, a, b) for a, b in itertools.pairwise(path)),
            membership=member,
        )
        for ocg, (value, target, path, member, explained) in best.items()
    }
    for item in people.nodes[staff].get("ocg_intel") or ():
        current = found.get(item["ocg"])
        if item["strength"] > (current.strength if current else 0.0):
            found[item["ocg"]] = _intel_path(staff, item)
    for ocg, membership in (people.nodes[staff].get("ocgs") or {}).items():
        found[ocg] = BridgePath(
            ocg=ocg,
            target=ocg,
            strength=membership.get("strength", 1.0),
            hops=0,
            nodes=(staff,),
            explained_by_declared_relationship=False,
            steps=(),
            membership=membership,
        )
    return sorted(found.values(), key=lambda p: (-rank_key(p.strength), str(p.ocg)))


def _cut_part(people: nx.Graph, node: Any, criminals: set, prisoners: set) -> CutPart:
    """Whether removing ``node`` cuts OCG members off from prisoners."""
    seen = {node}
    pieces = []
    for start in sorted(people[node], key=str):
        if start in seen:
            continue
        piece, stack = set(), [start]
        seen.add(start)
        while stack:
            current = stack.pop()
            piece.add(current)
            for nxt in people[current]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        pieces.append(piece)
    with_criminals = [p for p in pieces if p & criminals]
    with_prisoners = [p for p in pieces if p & prisoners]
    separated = sum(len(p & criminals) for p in with_criminals if not p & prisoners)
    closes = len(pieces) > 1 and any(a is not b for a in with_criminals for b in with_prisoners)
    value = 1.0 if closes else (0.5 if len(pieces) > 1 and with_criminals else 0.0)
    return CutPart(value=value, pieces=len(pieces), separated_ocg_members=separated, closes_custody_ocg=closes)


NO_CUT = CutPart(value=0.0, pieces=1, separated_ocg_members=0, closes_custody_ocg=False)


@paused_gc()
def corruption_bridges(
    people: nx.Graph,
    *,
    max_hops: int = 3,
    top: int | None = None,
    max_sources: int | None = 32,
    seed: int = 0,
    backend: str | None = None,
    min_strength: float = MIN_STRENGTH,
) -> list[BridgeResult]:
    """Rank staff by evidence of connection to organised crime outside their duties.

    Parameters
    ----------
    people : networkx.Graph
        The person-level evidence graph.
    max_hops : int
        Longest evidence path followed (person-to-person steps).
    top : int, optional
        Return only the first ``top`` results.
    max_sources, seed, backend
        Sampling of the custody-community betweenness sources (see
        :func:`graph_service.analytics.centrality.subset_betweenness`).

    Returns
    -------
    list of BridgeResult
        ``id``, ``name``, ``score``, ``components`` (each part's value and weight),
        ``paths`` (evidence paths, strongest first), ``brokerage`` (role counts),
        ``cut``, ``ocgs`` and ``rank``; staff with a zero score are left out.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("staff:S1", kind="staff", ocgs={}, ocg_intel=[])
    >>> g.add_node("prisoner:A1", kind="prisoner", ocg_intel=[],
    ...            ocgs={"ocg:O1": {"strength": 1.0, "role": "member", "link": {}}})
    >>> g.add_edge("staff:S1", "prisoner:A1", strength=0.5, evidence=[{"kind": "call"}])
    >>> [(r.id, r.components.paths.value, r.rank) for r in corruption_bridges(g)]
    [('staff:S1', 0.5, 1)]
    """
    staff = sorted((n for n, d in people.nodes(data=True) if d.get("kind") == "staff"), key=str)
    criminals = {n for n, d in people.nodes(data=True) if d.get("ocgs")}
    prisoners = {n for n, d in people.nodes(data=True) if d.get("kind") == "prisoner"}
    limits = {"min_strength": min_strength}
    candidates = {s: ocg_paths(people, s, max_hops, **limits) for s in staff}
    candidates = {s: p for s, p in candidates.items() if p}
    strong: nx.Graph = nx.Graph()
    strong.add_nodes_from(people)
    strong.add_edges_from((a, b) for a, b, d in people.edges(data=True) if d.get("strength", 0) >= min_strength)
    between: dict[Any, float] = (
        subset_betweenness(
            strong, prisoners, criminals - prisoners, max_sources=max_sources, seed=seed, backend=backend
        ).values
        if candidates
        else {}
    )
    top_between = max((between.get(s, 0.0) for s in candidates), default=0.0) or 1.0
    articulation = set(nx.articulation_points(strong)) if candidates else set()
    groups = {n: group_of(d) for n, d in people.nodes(data=True)}
    scored = []
    for s, paths in candidates.items():
        cut = _cut_part(strong, s, criminals, prisoners) if s in articulation else NO_CUT
        roles = brokerage_roles(strong, s, groups)
        parts = {
            "paths": noisy_or(p.strength for p in paths[:5]),
            "betweenness": between.get(s, 0.0) / top_between,
            "cut": cut.value,
            "brokerage": roles.ocg_pairs / (1.0 + roles.ocg_pairs),
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        if score > 0:
            scored.append((score, s, paths, parts, roles, cut))
    scored.sort(key=lambda row: (-rank_key(row[0]), str(row[1])))
    results = []
    for rank, (score, s, paths, parts, roles, cut) in enumerate(scored[:top] if top is not None else scored, 1):
        data = people.nodes[s]
        results.append(
            BridgeResult(
                id=s,
                name=data.get("name"),
                role=data.get("role"),
                establishments=tuple(data.get("establishments", ())),
                merged_ids=tuple(data.get("merged_ids", (s,))),
                score=score,
                components=BridgeComponents(**{k: Component(value=v, weight=WEIGHTS[k]) for k, v in parts.items()}),
                ocgs=tuple(p.ocg for p in paths),
                paths=tuple(paths),
                brokerage=roles,
                betweenness_raw=between.get(s, 0.0),
                cut=cut,
                rank=rank,
            )
        )
    return results


__all__ = ["WEIGHTS", "best_paths", "corruption_bridges", "ocg_paths"]
