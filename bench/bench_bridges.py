"""Corruption bridges and custody hubs scored on two families of worlds.

    uv run python bench/bench_bridges.py --family independent generator --seeds 1 2 3 4 5

``generator``: the product's own generator (``marsoc generate``, scale ``demo`` by
default, ``--scale london`` for the full size). ``independent``: the world generator in
``bench/independent_world/`` written only from the loaders' contract and the typology
document by an author who had not read the analytics (see its README). Each world is
generated, loaded through the real loaders into its own embedded store (reused when
present), extracted, scoped and scored: bridges precision@10 and recall@15 against the
planted corrupt staff, per planted kind whether it is in the top 15, decoys in the top
10, hubs precision@10 and recall@15. Ground truth is read here only. Results go to
``bench/results/bridges_<family>.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from graph_service.analytics.bridges import corruption_bridges
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import to_json
from graph_service.analytics.scoping import Scope, scope_graph
from graph_service.settings import load_settings
from graph_service.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def generate(family: str, seed: int, world: Path, scale: str, size: str) -> None:
    if (world / "truth.json").exists() or (world / "ground_truth.json").exists():
        return
    if family == "independent":
        script = ROOT / "bench" / "independent_world" / "generate.py"
        subprocess.run([sys.executable, str(script), "--seed", str(seed), "--out", str(world), "--size", size], check=True)
    else:
        from graph_service.synthetic.generator import generate_world

        generate_world(scale, seed, world)


def truth_of(family: str, world: Path) -> dict[str, Any]:
    """Planted corrupt staff with their kinds, decoys and hubs, in one shape for both families."""
    if family == "independent":
        raw = json.loads((world / "truth.json").read_text())
        return {
            "corrupt": {c["staff_id"]: c["kind"] for c in raw["corrupt_staff"]},
            "decoys": {d["staff_id"]: d["kind"] for d in raw["decoys"]},
            "hubs": {h["node_id"] for h in raw["hubs"]},
        }
    raw = json.loads((world / "ground_truth.json").read_text())
    decoys: dict[str, str] = {}
    for kind, rows in raw["decoys"].items():
        for d in rows:
            if isinstance(d, dict) and "id" in d:
                decoys[d["id"]] = kind
            elif isinstance(d, str):
                decoys[d] = kind
    return {
        "corrupt": {c["id"]: c.get("kind", c.get("typology", "planted")) for c in raw["corrupt_staff"]},
        "decoys": decoys,
        "hubs": {h["id"] for h in raw["hubs"]},
    }


def score_world(family: str, seed: int, work: Path, scale: str, size: str) -> dict[str, Any]:
    world = work / f"{family}-{scale if family == 'generator' else size}-{seed}" / "world"
    data = world.parent / "data"
    generate(family, seed, world, scale, size)
    truth = truth_of(family, world)
    store = open_store(load_settings(data_dir=data))
    timings: dict[str, float] = {}
    try:
        if not store.counts()["nodes"]:
            from loaders.runner import load_directory

            started = time.perf_counter()
            load_directory(store, world, progress=False)
            timings["load_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        raw = store.subgraph()
        timings["extract_s"] = round(time.perf_counter() - started, 2)
    finally:
        store.close()
    started = time.perf_counter()
    graph = scope_graph(raw, Scope())
    people = person_graph(graph)
    bridges = corruption_bridges(people, seed=seed)
    timings["bridges_s"] = round(time.perf_counter() - started, 2)
    hubs = custody_hubs(graph, people)
    ranked = [b.id for b in bridges]
    corrupt = truth["corrupt"]
    top10, top15 = ranked[:10], ranked[:15]
    kinds: dict[str, list[bool]] = {}
    for staff, kind in corrupt.items():
        kinds.setdefault(kind, []).append(staff in top15)
    hub_ids = [h.id for h in hubs]
    return {
        "seed": seed,
        "staff_ranked": len(bridges),
        "planted": len(corrupt),
        "bridges_precision_at_10": sum(s in corrupt for s in top10) / 10,
        "bridges_recall_at_15": sum(s in top15 for s in corrupt) / max(1, len(corrupt)),
        "kinds_in_top15": {k: sum(v) / len(v) for k, v in sorted(kinds.items())},
        "ranks": {s: (ranked.index(s) + 1 if s in ranked else None) for s in sorted(corrupt)},
        "decoys_in_top10": {s: truth["decoys"][s] for s in top10 if s in truth["decoys"]},
        "top10": [
            {"id": b.id, "score": round(b.score, 4), "planted": corrupt.get(b.id), "decoy": truth["decoys"].get(b.id)}
            for b in bridges[:10]
        ],
        "hubs_precision_at_10": sum(h in truth["hubs"] for h in hub_ids[:10]) / 10,
        "hubs_recall_at_15": sum(h in hub_ids[:15] for h in truth["hubs"]) / max(1, len(truth["hubs"])),
        "timings": timings,
        "first_bridge": to_json(bridges[0]) if bridges else None,
    }


def summary(worlds: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, list[float]] = {}
    for w in worlds:
        for kind, found in w["kinds_in_top15"].items():
            kinds.setdefault(kind, []).append(found)
    return {
        "bridges_precision_at_10": [w["bridges_precision_at_10"] for w in worlds],
        "bridges_recall_at_15": [w["bridges_recall_at_15"] for w in worlds],
        "hubs_precision_at_10": [w["hubs_precision_at_10"] for w in worlds],
        "hubs_recall_at_15": [w["hubs_recall_at_15"] for w in worlds],
        "kinds_found_in_top15_per_seed": {k: v for k, v in sorted(kinds.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", nargs="+", default=["independent", "generator"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--scale", default="demo", help="generator scale (demo, london)")
    parser.add_argument("--size", default="standard", help="independent world size (small, standard)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    for family in args.family:
        worlds = [score_world(family, seed, args.work, args.scale, args.size) for seed in args.seeds]
        result = {
            "family": family,
            "scale": args.scale if family == "generator" else args.size,
            "machine": platform.platform(),
            "summary": summary(worlds),
            "worlds": worlds,
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"bridges_{family}.json").write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps({"family": family, **result["summary"]}, indent=1))


if __name__ == "__main__":
    main()
