"""Quality and speed of the analytics on generated London worlds.

    uv run python bench/bench_analytics.py --seeds 1 2 3 4 5

For each seed: generate the London world and load it through the real loaders into
the embedded store (skipped when the store already holds it), extract the graph,
time each part (extract, scope, projection, bridges, hubs, communities, cohort),
score bridges and hubs against ground_truth.json (precision and recall at 10, and
at the number planted), count decoys in the top 10, and check that every stored link
the top 10 bridges and hubs cite exists in the store. Betweenness on the person
graph: NetworkX (exact below settings.betweenness_exact_max_nodes, sampled above)
against igraph's exact computation of the same measure on the same graph, with the
sampling error on the top-20 ranking and the time ratio. Ground truth is read here
only, never by the analytics.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from graph_service.analytics.bridges import corruption_bridges
from graph_service.analytics.centrality import betweenness, ranking_overlap, top_ranking
from graph_service.analytics.changes import changes_between
from graph_service.analytics.cohort import cohort_priority
from graph_service.analytics.communities import communities
from graph_service.analytics.disruption import evidence_network, simulate
from graph_service.analytics.evidence import links_in, missing_links
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import Ranked, to_json
from graph_service.analytics.scoping import Scope, scope_graph
from graph_service.settings import load_settings
from graph_service.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def prepare(seed: int, world: Path, data: Path) -> dict:
    """Generate and load the world unless the store already holds it."""
    timings = {}
    if not (world / "ground_truth.json").exists():
        from graph_service.synthetic.generator import generate_world

        started = time.perf_counter()
        generate_world("london", seed, world)
        timings["generate_s"] = round(time.perf_counter() - started, 2)
    store = open_store(load_settings(data_dir=data))
    try:
        if not store.counts()["nodes"]:
            from loaders.runner import load_directory

            started = time.perf_counter()
            load_directory(store, world, agency="hmpps")
            timings["load_s"] = round(time.perf_counter() - started, 2)
    finally:
        store.close()
    return timings


def precision_recall(ranked: Sequence[Ranked], planted: set, k: int) -> dict:
    top = [r.id for r in ranked[:k]]
    hits = len(set(top) & planted)
    return {"k": k, "hits": hits, "precision": round(hits / k, 4), "recall": round(hits / len(planted), 4)}


def timed(name: str, timings: dict, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    timings[name] = round(time.perf_counter() - started, 3)
    return value


def igraph_betweenness(graph: nx.Graph) -> tuple[dict, float]:
    import igraph as ig

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False)
    started = time.perf_counter()
    raw = g.betweenness(directed=False)
    elapsed = time.perf_counter() - started
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # NetworkX normalisation (undirected)
    return {nodes[i]: raw[i] * scale for i in range(n)}, elapsed


def betweenness_comparison(people: nx.Graph, settings, seed: int) -> dict:
    simple = nx.Graph(people.edges())
    simple.add_nodes_from(people.nodes)
    out: dict = {
        "nodes": simple.number_of_nodes(),
        "links": simple.number_of_edges(),
        "exact_max_nodes": settings.betweenness_exact_max_nodes,
        "samples": settings.betweenness_samples,
    }
    started = time.perf_counter()
    ours = betweenness(
        simple,
        exact_max_nodes=settings.betweenness_exact_max_nodes,
        samples=settings.betweenness_samples,
        seed=seed,
        backend=settings.networkx_backend,
    )
    out["networkx_s"] = round(time.perf_counter() - started, 3)
    out["networkx_method"] = ours.method
    exact, ig_s = igraph_betweenness(simple)
    out["igraph_exact_s"] = round(ig_s, 3)
    out["time_ratio_networkx_over_igraph"] = round(out["networkx_s"] / ig_s, 1) if ig_s else None
    top_exact = top_ranking(exact, 20)
    top_ours = top_ranking(ours.values, 20)
    out["top20_overlap_with_exact"] = ranking_overlap(top_exact, top_ours)
    out["top20_max_abs_error"] = max(abs(ours.values[n] - exact[n]) for n in top_exact)
    out["top20_max_rel_error"] = round(max(abs(ours.values[n] - exact[n]) / exact[n] for n in top_exact if exact[n]), 4)
    # Below the exact threshold: the same exact measure in both, time ratio and agreement.
    hub = max(simple.nodes, key=lambda n: (simple.degree(n), str(n)))
    ball = list(nx.single_source_shortest_path_length(simple, hub, cutoff=6))[
        : min(2000, settings.betweenness_exact_max_nodes)
    ]
    sub = nx.Graph(simple.subgraph(ball))
    started = time.perf_counter()
    sub_nx = betweenness(sub, exact_max_nodes=settings.betweenness_exact_max_nodes).values
    sub_nx_s = time.perf_counter() - started
    sub_ig, sub_ig_s = igraph_betweenness(sub)
    out["exact_subgraph"] = {
        "nodes": sub.number_of_nodes(),
        "links": sub.number_of_edges(),
        "networkx_exact_s": round(sub_nx_s, 3),
        "igraph_exact_s": round(sub_ig_s, 4),
        "time_ratio_networkx_over_igraph": round(sub_nx_s / sub_ig_s, 1) if sub_ig_s else None,
        "max_abs_difference": max(abs(sub_nx[n] - sub_ig[n]) for n in sub),
    }
    return out


def latest_date(graph: nx.MultiDiGraph) -> str:
    return max(str(d["valid_to"])[:10] for *_, d in graph.edges(data=True) if d.get("valid_to"))


def other_work(raw: nx.MultiDiGraph, people: nx.Graph, settings, seed: int) -> dict:
    """Times of the work beside the full analysis: changes over the last 30 days and
    disruption of the person evidence network (10 steps per strategy)."""
    from datetime import date, timedelta

    timings: dict = {}
    until = latest_date(raw)
    since = (date.fromisoformat(until) - timedelta(days=30)).isoformat()
    changed = timed(
        "changes_30_days_s", timings, changes_between, raw, since, until, cohort_weights=settings.cohort_weights
    )
    network = timed("disruption_network_s", timings, evidence_network, people)
    options = dict(
        steps=10, seed=seed, exact_max_nodes=settings.betweenness_exact_max_nodes, samples=settings.betweenness_samples
    )
    curves = {}
    for strategy, mode in (("degree", "sequential"), ("kpp", "block"), ("kpp", "sequential")):
        result = timed(
            f"disrupt_{strategy}_{mode}_s", timings, simulate, network, strategy=strategy, mode=mode, **options
        )
        curves[f"{strategy}_{mode}"] = [round(step.lcc_fraction, 4) for step in result.curve]
    return {
        "timings": timings,
        "changes": {"since": since, "until": until, "new_links": changed.new_links.count},
        "disruption": {
            "nodes": network.number_of_nodes(),
            "links": network.number_of_edges(),
            "lcc_fraction_curves": curves,
        },
    }


def run_seed(seed: int, world: Path, data: Path) -> dict:
    result: dict = {"seed": seed, "prepare": prepare(seed, world, data)}
    truth = json.loads((world / "ground_truth.json").read_text())
    settings = load_settings(data_dir=data)
    timings: dict = {}
    store = open_store(settings)
    try:
        raw = timed("extract_s", timings, store.subgraph, Scope().subgraph_filter())
        graph = timed("scope_s", timings, scope_graph, raw, Scope())
        people = timed("projection_s", timings, person_graph, graph)
        bridges = timed("bridges_s", timings, corruption_bridges, people, seed=seed, backend=settings.networkx_backend)
        hubs = timed("hubs_s", timings, custody_hubs, graph, people)
        groups = timed("communities_s", timings, communities, people, seed=seed)
        cohort = timed("cohort_s", timings, cohort_priority, graph, people, weights=settings.cohort_weights)
        timings["analysis_s"] = round(sum(v for k, v in timings.items() if k != "extract_s"), 3)
        timings["total_with_extract_s"] = round(timings["analysis_s"] + timings["extract_s"], 3)
        cited = links_in(bridges[:10]) + links_in(hubs[:10])
        missing = missing_links(store, cited)
    finally:
        store.close()
    corrupt = {c["id"] for c in truth["corrupt_staff"]}
    planted_hubs = {h["id"] for h in truth["hubs"]}
    decoys = {
        d["id"]: kind for kind, rows in truth["decoys"].items() for d in rows if isinstance(d, dict) and "id" in d
    }
    decoys.update({d: kind for kind, rows in truth["decoys"].items() for d in rows if isinstance(d, str)})
    result.update(
        {
            "graph": {
                "nodes": graph.number_of_nodes(),
                "links": graph.number_of_edges(),
                "people": people.number_of_nodes(),
                "person_links": people.number_of_edges(),
                "common_numbers": people.graph["common_numbers"],
            },
            "timings": timings,
            "bridges": {
                "at_10": precision_recall(bridges, corrupt, 10),
                "at_planted": precision_recall(bridges, corrupt, len(corrupt)),
                "planted_ranks": sorted(next((r.rank for r in bridges if r.id == c), None) or -1 for c in corrupt),
                "decoys_in_top_10": [decoys[r.id] for r in bridges[:10] if r.id in decoys],
            },
            "hubs": {
                "at_10": precision_recall(hubs, planted_hubs, 10),
                "at_planted": precision_recall(hubs, planted_hubs, len(planted_hubs)),
                "planted_ranks": sorted(next((r.rank for r in hubs if r.id == h), None) or -1 for h in planted_hubs),
                "decoys_in_top_10": [decoys[r.id] for r in hubs[:10] if r.id in decoys],
            },
            "communities": {
                "count": groups.count,
                "modularity": to_json(groups.modularity),
                "new_groups": len(groups.new_groups),
            },
            "cohort": {"ranked": len(cohort)},
            "evidence": {
                "links_cited": len({(l["src"], l["dst"], l["type"]) for l in cited}),
                "missing_in_store": len(missing),
                "missing_examples": missing[:5],
            },
            "betweenness": betweenness_comparison(people, settings, seed),
            "other_work": other_work(raw, people, settings, seed),
        }
    )
    return result


def summary(runs: list[dict]) -> dict:
    def mean(path):
        values = [r for r in (_dig(run, path) for run in runs) if r is not None]
        return round(sum(values) / len(values), 4) if values else None

    keys = {
        "bridges_precision_at_10": "bridges.at_10.precision",
        "bridges_recall_at_10": "bridges.at_10.recall",
        "hubs_precision_at_10": "hubs.at_10.precision",
        "hubs_recall_at_10": "hubs.at_10.recall",
        "bridges_recall_at_planted": "bridges.at_planted.recall",
        "hubs_recall_at_planted": "hubs.at_planted.recall",
        "analysis_s": "timings.analysis_s",
        "extract_s": "timings.extract_s",
        "total_with_extract_s": "timings.total_with_extract_s",
        "changes_30_days_s": "other_work.timings.changes_30_days_s",
        "disrupt_degree_sequential_s": "other_work.timings.disrupt_degree_sequential_s",
        "disrupt_kpp_block_s": "other_work.timings.disrupt_kpp_block_s",
        "disrupt_kpp_sequential_s": "other_work.timings.disrupt_kpp_sequential_s",
        "betweenness_top20_overlap": "betweenness.top20_overlap_with_exact",
    }
    out = {name: mean(path) for name, path in keys.items()}
    out["min_bridges_precision_at_10"] = min(_dig(r, "bridges.at_10.precision") for r in runs)
    out["min_hubs_precision_at_10"] = min(_dig(r, "hubs.at_10.precision") for r in runs)
    out["max_total_with_extract_s"] = max(_dig(r, "timings.total_with_extract_s") for r in runs)
    out["missing_evidence_links"] = sum(_dig(r, "evidence.missing_in_store") for r in runs)
    return out


def _dig(value, path: str):
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument(
        "--world-dir",
        default=str(ROOT / "bench" / "work" / "london-{seed}" / "world"),
        help="where each world's files are (or go); {seed} is replaced",
    )
    parser.add_argument(
        "--data-dir",
        default=str(ROOT / "bench" / "work" / "london-{seed}" / "data"),
        help="each world's embedded store folder; {seed} is replaced",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "analytics_london.json"))
    args = parser.parse_args()
    random.seed(0)
    runs = []
    for seed in args.seeds:
        run = run_seed(seed, Path(args.world_dir.format(seed=seed)), Path(args.data_dir.format(seed=seed)))
        print(
            json.dumps({k: run[k] for k in ("seed", "timings", "bridges", "hubs", "evidence")}, default=str), flush=True
        )
        runs.append(run)
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "networkx": nx.__version__,
        },
        "summary": summary(runs),
        "runs": runs,
    }
    Path(args.out).write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report["summary"], indent=2))


if __name__ == "__main__":
    main()
