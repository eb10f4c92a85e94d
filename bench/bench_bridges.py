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

Each world also reports the staff with any evidence and the staff ranked (the
ranking's summary), the planted staff missed from the top 15 with their rank, weight
and strongest reason, and the time of each part (scope, person graph, bridges, hubs).

**Sensitivity** (``--no-sensitivity`` to skip): every weight of the evidence model
named in ``evidence_model.WEIGHT_NAMES`` is moved by -20 % and +20 % in turn
(``EvidenceModel.scaled``) and the bridges ranked again; per weight and direction the
summary gives the mean number of the top 10 kept (of 10), the mean precision@10 and
the mean change of precision@10 against the unmoved model, over the seeds; the table
is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from graph_service.analytics.bridges import bridge_ranking
from graph_service.analytics.evidence_model import MODEL, WEIGHT_NAMES
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
        subprocess.run(
            [sys.executable, str(script), "--seed", str(seed), "--out", str(world), "--size", size], check=True
        )
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


def score_world(
    family: str, seed: int, work: Path, scale: str, size: str, *, with_sensitivity: bool = True
) -> dict[str, Any]:
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
            load_directory(store, world, progress=False, agency="hmpps")
            timings["load_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        raw = store.subgraph()
        timings["extract_s"] = round(time.perf_counter() - started, 2)
    finally:
        store.close()
    started = time.perf_counter()
    graph = scope_graph(raw, Scope())
    timings["scope_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    people = person_graph(graph)
    timings["person_graph_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    ranking = bridge_ranking(people, seed=seed)
    timings["bridges_s"] = round(time.perf_counter() - started, 2)
    bridges = list(ranking.results)
    started = time.perf_counter()
    hubs = custody_hubs(graph, people)
    timings["hubs_s"] = round(time.perf_counter() - started, 2)
    ranked = [b.id for b in bridges]
    corrupt = truth["corrupt"]
    top10, top15 = ranked[:10], ranked[:15]
    kinds: dict[str, list[bool]] = {}
    for staff, kind in corrupt.items():
        kinds.setdefault(kind, []).append(staff in top15)
    hub_ids = [h.id for h in hubs]
    sensitivity = _sensitivity(people, seed, top10, corrupt) if with_sensitivity else None
    return {
        "seed": seed,
        "staff": ranking.summary.staff,
        "staff_with_evidence": ranking.summary.staff_with_evidence,
        "staff_ranked": len(bridges),
        "planted": len(corrupt),
        "bridges_precision_at_10": sum(s in corrupt for s in top10) / 10,
        "bridges_recall_at_15": sum(s in top15 for s in corrupt) / max(1, len(corrupt)),
        "kinds_in_top15": {k: sum(v) / len(v) for k, v in sorted(kinds.items())},
        "planted_by_kind": {k: len(v) for k, v in sorted(kinds.items())},
        "ranks": {s: (ranked.index(s) + 1 if s in ranked else None) for s in sorted(corrupt)},
        "decoys_in_top10": {s: truth["decoys"][s] for s in top10 if s in truth["decoys"]},
        "top10": [
            {
                "id": b.id,
                "weight_of_evidence": round(b.weight_of_evidence, 4),
                "planted": corrupt.get(b.id),
                "decoy": truth["decoys"].get(b.id),
                "reason": b.reasons[0] if b.reasons else None,
            }
            for b in bridges[:10]
        ],
        "missed": _missed(people, seed, ranked, corrupt),
        "hubs_precision_at_10": sum(h in truth["hubs"] for h in hub_ids[:10]) / 10,
        "hubs_recall_at_15": sum(h in hub_ids[:15] for h in truth["hubs"]) / max(1, len(truth["hubs"])),
        "timings": timings,
        "first_bridge": to_json(bridges[0]) if bridges else None,
        "sensitivity": sensitivity,
    }


def _missed(people: Any, seed: int, ranked: list[Any], corrupt: dict[str, str]) -> dict[str, Any]:
    """Planted staff outside the top 15: kind, rank (None: not ranked), weight and strongest reason
    (from a ranking with no minimum weight, to show what evidence the model saw)."""
    missed = [s for s in sorted(corrupt) if s not in ranked[:15]]
    if not missed:
        return {}
    everyone = {r.id: r for r in bridge_ranking(people, seed=seed, model=replace(MODEL, min_weight=0.0)).results}
    found = {}
    for staff in missed:
        row = everyone.get(staff)
        found[staff] = {
            "kind": corrupt[staff],
            "rank": ranked.index(staff) + 1 if staff in ranked else None,
            "weight_of_evidence": round(row.weight_of_evidence, 4) if row else 0.0,
            "reason": row.reasons[0] if row and row.reasons else None,
        }
    return found


def _sensitivity(people: Any, seed: int, top10: list[Any], corrupt: dict[str, str]) -> dict[str, Any]:
    """Top 10 kept and precision@10 with each weight moved by -20 % and +20 %."""
    base = sum(s in corrupt for s in top10) / 10
    rows: dict[str, Any] = {}
    for name in WEIGHT_NAMES:
        for label, factor in (("-20%", 0.8), ("+20%", 1.2)):
            moved = [r.id for r in bridge_ranking(people, seed=seed, model=MODEL.scaled(name, factor)).results[:10]]
            precision = sum(s in corrupt for s in moved) / 10
            rows.setdefault(name, {})[label] = {
                "top10_kept": len(set(moved) & set(top10)),
                "precision_at_10": precision,
                "precision_change": round(precision - base, 4),
            }
    return rows


def summary(worlds: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, list[float]] = {}
    for w in worlds:
        for kind, found in w["kinds_in_top15"].items():
            kinds.setdefault(kind, []).append(found)
    sensitivity: dict[str, Any] = {}
    measured = [w["sensitivity"] for w in worlds if w.get("sensitivity")]
    for name in WEIGHT_NAMES if measured else ():
        for label in ("-20%", "+20%"):
            rows = [m[name][label] for m in measured]
            sensitivity.setdefault(name, {})[label] = {
                "top10_kept_mean": round(sum(r["top10_kept"] for r in rows) / len(rows), 2),
                "precision_at_10_mean": round(sum(r["precision_at_10"] for r in rows) / len(rows), 3),
                "precision_change_mean": round(sum(r["precision_change"] for r in rows) / len(rows), 3),
            }
    return {
        "sensitivity": sensitivity,
        "staff_with_evidence": [w["staff_with_evidence"] for w in worlds],
        "staff_ranked": [w["staff_ranked"] for w in worlds],
        "bridges_precision_at_10": [w["bridges_precision_at_10"] for w in worlds],
        "bridges_recall_at_15": [w["bridges_recall_at_15"] for w in worlds],
        "hubs_precision_at_10": [w["hubs_precision_at_10"] for w in worlds],
        "hubs_recall_at_15": [w["hubs_recall_at_15"] for w in worlds],
        "kinds_found_in_top15_per_seed": {k: v for k, v in sorted(kinds.items())},
    }


def sensitivity_table(family: str, rows: dict[str, Any]) -> str:
    """The sensitivity summary as a Markdown table (printed; copied into docs/analytics.md)."""
    lines = [
        f"Sensitivity ({family}): mean over the seeds, each weight moved alone",
        "",
        "| weight | top 10 kept, -20% | +20% | precision@10, -20% | +20% |",
        "|---|---|---|---|---|",
    ]
    for name, by in rows.items():
        lo, hi = by["-20%"], by["+20%"]
        lines.append(
            f"| `{name}` | {lo['top10_kept_mean']} | {hi['top10_kept_mean']} | "
            f"{lo['precision_at_10_mean']} | {hi['precision_at_10_mean']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", nargs="+", default=["independent", "generator"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--scale", default="demo", help="generator scale (demo, london)")
    parser.add_argument("--size", default="standard", help="independent world size (small, standard)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-sensitivity", action="store_true", help="skip the +-20 %% weight sensitivity runs")
    args = parser.parse_args()
    for family in args.family:
        worlds = [
            score_world(family, seed, args.work, args.scale, args.size, with_sensitivity=not args.no_sensitivity)
            for seed in args.seeds
        ]
        result = {
            "family": family,
            "scale": args.scale if family == "generator" else args.size,
            "machine": platform.platform(),
            "summary": summary(worlds),
            "worlds": worlds,
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"bridges_{family}.json").write_text(json.dumps(result, indent=1) + "\n")
        printed = {k: v for k, v in result["summary"].items() if k != "sensitivity"}
        print(json.dumps({"family": family, **printed}, indent=1))
        if result["summary"]["sensitivity"]:
            print(sensitivity_table(family, result["summary"]["sensitivity"]))


if __name__ == "__main__":
    main()
