"""Benchmark of the loaders on the london world (and a national-size calls file for memory).

    uv run python bench/bench_load.py [--world DIR] [--out bench/results/load_london.json]
                                      [--memory-calls N[,N...]] [--skip-load]

1. Generates the london world (``marsoc generate --scale london --seed 1``) unless
   ``--world`` names one already written.
2. Loads it with :func:`loaders.runner.load_directory` into a fresh embedded store,
   timing each file (rows/s) and the share of time spent inside store writes.
3. On the same store, in the same run, writes the same rows of every file with a bare
   ``UNWIND $rows AS row CREATE (n:BenchRow) SET n = row`` (the CSV rows as read, no
   checks, no merge): the ceiling the loader is compared with. For calls, also the
   least a link write costs: every stored call pair written again as a bare
   ``MATCH`` of both ends and ``CREATE`` of one link. And the floor for the graph each
   file produced: its nodes and links (by their ``source``) written again with bare
   ``CREATE`` statements (``bare_graph``, ``ratio_to_bare_graph``).
4. Measures identity resolution against the planted identities (ground_truth.json
   ``same_person``): precision and recall of all candidates and of the top-scored
   matches (pairs that are each other's best candidate).
5. Memory: for each size in ``--memory-calls`` writes a calls.csv of that many rows
   (national scale is 5,000,000; every callee a new number, the worst case for the
   caches) and loads it in a child process after the london reference data, reporting
   each child's peak RSS: streaming keeps it bounded as the file grows.

A section not measured in this run (``--skip-load``, ``--memory-calls 0``) is kept
from the previous results file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph_service.settings import load_settings  # noqa: E402
from graph_service.store import open_store  # noqa: E402
from loaders.runner import FILE_LOADERS, load_directory  # noqa: E402


def generate(scale: str, out: Path, seed: int = 1) -> None:
    if (out / "ground_truth.json").exists():
        return
    subprocess.run(
        ["uv", "run", "marsoc", "generate", "--scale", scale, "--seed", str(seed), "--out", str(out)],
        cwd=REPO,
        check=True,
    )


def timed_store(data_dir: Path):
    store = open_store(load_settings(data_dir=data_dir))
    spent = {"write_s": 0.0, "writes": 0}
    original = store._write

    def _write(cypher, params=None):
        started = time.perf_counter()
        try:
            return original(cypher, params)
        finally:
            spent["write_s"] += time.perf_counter() - started
            spent["writes"] += 1

    store._write = _write  # type: ignore[method-assign]
    return store, spent


def bare_rates(store, world: Path) -> dict[str, dict]:
    """rows/s of a bare UNWIND CREATE of each file's rows (as read from the CSV)."""
    out = {}
    cypher = "UNWIND $rows AS row CREATE (n:BenchRow) SET n = row"
    for name, _ in FILE_LOADERS:
        path = world / name
        if not path.exists():
            continue
        started = time.perf_counter()
        rows = 0
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            batch: list[dict] = []
            for row in reader:
                batch.append({k: v for k, v in row.items() if k})
                if len(batch) >= store.batch_size:
                    store.execute_write(cypher, {"rows": batch})
                    rows += len(batch)
                    batch = []
            if batch:
                store.execute_write(cypher, {"rows": batch})
                rows += len(batch)
        seconds = time.perf_counter() - started
        out[name] = {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds, 1)}
        while store.execute_write("MATCH (n:BenchRow) WITH n LIMIT 50000 DELETE n RETURN count(*) AS n")[0]["n"]:
            pass
    return out


# Labels whose nodes are found by an indexed ``id`` (the ends of every link the loaders write).
ID_LABELS = ("Person", "Phone", "Establishment", "Postcode", "OCG")


def _id_label(labels: list[str]) -> str:
    return next((label for label in ID_LABELS if label in labels), labels[0])


def bare_graph_rates(store, files: list[str]) -> dict[str, dict]:
    """Seconds a bare ``UNWIND CREATE`` takes to write the graph each file produced.

    The nodes and links whose ``source`` is the file are read back and written again
    as new elements with the same properties (links between the same ends, found by
    their indexed id): no checks, no merge, no aggregation. The loader does all of that
    on top of writing these elements, so this is the store's floor for the file's graph.
    """
    out = {}
    for file in files:
        nodes = [r["p"] for r in store.read_all("MATCH (n) WHERE n.source = $f RETURN properties(n) AS p", {"f": file})]
        links = store.read_all(
            "MATCH (a)-[r]->(b) WHERE r.source = $f RETURN a.id AS a, b.id AS b, labels(a) AS la, labels(b) AS lb, "
            "properties(r) AS p",
            {"f": file},
        )
        by_ends: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for link in links:
            by_ends[(_id_label(link["la"]), _id_label(link["lb"]))].append(
                {"a": link["a"], "b": link["b"], "p": link["p"]}
            )
        started = time.perf_counter()
        for start in range(0, len(nodes), store.batch_size):
            store.execute_write(
                "UNWIND $rows AS row CREATE (n:BenchNode) SET n = row",
                {"rows": nodes[start : start + store.batch_size]},
            )
        for (label_a, label_b), rows in by_ends.items():
            cypher = (
                f"UNWIND $rows AS row MATCH (a:{label_a} {{id: row.a}}) MATCH (b:{label_b} {{id: row.b}}) "
                "CREATE (a)-[r:BENCH_LINK]->(b) SET r = row.p"
            )
            for start in range(0, len(rows), store.batch_size):
                store.execute_write(cypher, {"rows": rows[start : start + store.batch_size]})
        seconds = time.perf_counter() - started
        out[file] = {"nodes": len(nodes), "links": len(links), "seconds": round(seconds, 3)}
        store.execute_write("MATCH ()-[r:BENCH_LINK]->() DELETE r")
        while store.execute_write("MATCH (n:BenchNode) WITH n LIMIT 50000 DELETE n RETURN count(*) AS n")[0]["n"]:
            pass
    return out


def bare_call_links(store) -> dict:
    """rows/s of the least a store must do per aggregated call pair: find both ends by
    id and create one link (``UNWIND $rows MATCH (a {id}) MATCH (b {id}) CREATE``),
    replayed for every CALLED pair the load wrote; no checks, no merge, no counting."""
    out = {}
    total_rows, total_s = 0, 0.0
    for src_label in ("Person", "Phone"):
        pairs = store.read_all(f"MATCH (a:{src_label})-[:CALLED]->(b:Phone) RETURN a.id AS src, b.id AS dst")
        cypher = (
            f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}}) MATCH (b:Phone {{id: row.dst}}) "
            "CREATE (a)-[:BENCH_LINK]->(b)"
        )
        started = time.perf_counter()
        for start in range(0, len(pairs), store.batch_size):
            store.execute_write(cypher, {"rows": pairs[start : start + store.batch_size]})
        total_s += time.perf_counter() - started
        total_rows += len(pairs)
        store.execute_write("MATCH ()-[r:BENCH_LINK]->() DELETE r")
    out["pairs"] = total_rows
    out["seconds"] = round(total_s, 3)
    out["rows_per_s"] = round(total_rows / total_s, 1) if total_s else None
    return out


def identity_quality(store, truth_path: Path) -> dict:
    truth = json.loads(truth_path.read_text())
    planted = {tuple(sorted(x["ids"])) for x in truth["same_person"]}
    look_alikes = {tuple(sorted(x["ids"])) for x in truth.get("not_same", [])}
    rows = store.read_all(
        "MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person) WHERE r.score IS NOT NULL "
        "RETURN a.id AS a, b.id AS b, r.score AS score, r.reasons AS reasons"
    )
    candidates = {(r["a"], r["b"]): r["score"] for r in rows}
    reasons = {(r["a"], r["b"]): r["reasons"] for r in rows}
    best: dict[str, tuple[float, tuple[str, str]]] = {}
    for pair, score in candidates.items():
        for end in pair:
            if end not in best or score > best[end][0]:
                best[end] = (score, pair)
    top = {pair for pair in candidates if best[pair[0]][1] == pair and best[pair[1]][1] == pair}

    def pr(found: set) -> dict:
        hits = len(found & planted)
        return {
            "pairs": len(found),
            "true_positives": hits,
            "precision": round(hits / len(found), 4) if found else None,
            "recall": round(hits / len(planted), 4) if planted else None,
        }

    missed = sorted(planted - set(candidates))
    kinds = {tuple(sorted(x["ids"])): x["kind"] for x in truth["same_person"]}
    return {
        "planted_same_person": len(planted),
        "candidates": pr(set(candidates)),
        "top_matches": pr(top),
        "look_alikes_flagged": len(look_alikes & set(candidates)),
        "look_alikes_planted": len(look_alikes),
        "missed": [{"ids": list(p), "kind": kinds[p]} for p in missed[:20]],
        "not_planted": [
            {"ids": list(p), "score": candidates[p], "reasons": reasons[p]}
            for p in sorted(set(candidates) - planted)[:20]
        ],
        "missed_by_kind": {k: sum(1 for p in missed if kinds[p] == k) for k in sorted({kinds[p] for p in missed})},
    }


def write_calls(path: Path, rows: int, world: Path) -> None:
    """A calls.csv of ``rows`` PIN and CDR calls between the london prisoners and numbers."""
    prisoners = []
    with (world / "prisoners.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["prison_number"] and row["establishment_code"]:
                prisoners.append((row["prison_number"], row["establishment_code"]))
    prisoners = sorted(set(prisoners))[:5000]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "call_id",
                "caller_number",
                "caller_prison_number",
                "callee_number",
                "started_at",
                "duration_seconds",
                "call_source",
                "establishment_code",
                "privileged",
            ]
        )
        for i in range(rows):
            number, est = prisoners[(i * 7919) % len(prisoners)]
            callee = f"0770{1 + i % 9}{(i * 104729) % 1_000_000:06d}"  # valid GB mobiles (07701-07709)
            day = 1 + i % 28
            stamp = f"2024-{1 + i % 12:02d}-{day:02d}T{i % 24:02d}:{i % 60:02d}:{(i // 60) % 60:02d}"
            if i % 4:
                out.writerow([f"N{i:09d}", "", number, callee, stamp, i % 900, "pin", est, "N"])
            else:
                caller = f"0770{1 + (i // 3) % 9}{(i * 7907) % 1_000_000:06d}"
                out.writerow([f"N{i:09d}", caller, "", callee, stamp, i % 900, "cdr", "", "N"])


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from graph_service.settings import load_settings
from graph_service.store import open_store
from loaders.runner import load_directory
store = open_store(load_settings(data_dir=Path(sys.argv[3])))
try:
    started = time.perf_counter()
    report = load_directory(store, Path(sys.argv[2]), progress=False, resolve=False)
    f = report.file("calls.csv")
    print(json.dumps({"rows": f.rows_read, "loaded": f.loaded, "seconds": round(time.perf_counter() - started, 2),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
finally:
    store.close()
"""


def memory_run(world: Path, rows: int, work: Path) -> dict:
    folder = work / f"calls-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("establishments.csv", "prisoners.csv"):
        shutil.copy(world / name, folder / name)
    write_calls(folder / "calls.csv", rows, world)
    size = (folder / "calls.csv").stat().st_size
    data = work / f"data-{rows}"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO), str(folder), str(data)], capture_output=True, text=True, check=True
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["file_mb"] = round(size / 1e6, 1)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", type=Path, default=None, help="a generated london world (generated when absent)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "load_london.json")
    parser.add_argument(
        "--memory-calls",
        default="120000,1200000",
        help="rows of each calls file measured for memory, comma separated (0: skip)",
    )
    parser.add_argument("--skip-load", action="store_true", help="only the memory measurement")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="marsoc-bench-"))
    world = args.world or (REPO / "bench" / "results" / "tmp" / "london")
    results: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "world": str(world),
    }
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    try:
        started = time.perf_counter()
        generate("london", world)
        results["generate_s"] = round(time.perf_counter() - started, 1)
        if not args.skip_load:
            store, spent = timed_store(work / "data")
            try:
                per_file_writes: dict[str, float] = defaultdict(float)
                current = {"file": None, "mark": 0.0}

                def progress(event, file, info):
                    if event == "start":
                        current["file"], current["mark"] = file, spent["write_s"]
                    elif event == "done":
                        per_file_writes[file] = spent["write_s"] - current["mark"]

                started = time.perf_counter()
                report = load_directory(store, world, progress=progress, agency="hmpps")
                total = time.perf_counter() - started
                bare = bare_rates(store, world)
                call_links = bare_call_links(store)
                bare_graph = bare_graph_rates(store, [f.file for f in report.files if f.status == "loaded"])
                files = {}
                for f in report.files:
                    if f.status != "loaded":
                        continue
                    entry = {
                        "rows_read": f.rows_read,
                        "loaded": f.loaded,
                        "rejected": f.rejected,
                        "excluded": f.excluded,
                        "seconds": f.seconds,
                        "rows_per_s": f.rows_per_s,
                        "store_write_s": round(per_file_writes.get(f.file, 0.0), 3),
                        "bare_create_rows_per_s": bare.get(f.file, {}).get("rows_per_s"),
                        "stages_s": f.stages,
                    }
                    if entry["bare_create_rows_per_s"]:
                        entry["ratio_to_bare"] = round(f.rows_per_s / entry["bare_create_rows_per_s"], 3)
                    graph = bare_graph.get(f.file)
                    if graph and f.seconds:
                        entry["bare_graph"] = graph
                        entry["ratio_to_bare_graph"] = round(graph["seconds"] / f.seconds, 3)
                    files[f.file] = entry
                rows = sum(f.rows_read for f in report.files)
                results["load"] = {
                    "total_s": round(total, 1),
                    "rows": rows,
                    "rows_per_s": round(rows / total, 1),
                    "store_write_s": round(spent["write_s"], 1),
                    "batch_size": store.batch_size,
                    "files": files,
                    "bare_call_links": call_links,
                    "identity": report.identity,
                    "resolutions": report.resolutions,
                    "counts": report.counts,
                    "under_5_minutes": total < 300,
                }
                results["identity_quality"] = identity_quality(store, world / "ground_truth.json")
            finally:
                store.close()
        sizes = [int(n) for n in str(args.memory_calls).split(",") if int(n) > 0]
        if sizes:
            results["memory"] = {
                "note": "peak RSS of a child process loading establishments, prisoners and a calls.csv of N rows "
                "(every callee a new number: the worst case for the caches); one child per size",
                "runs": [memory_run(world, rows, work) for rows in sizes],
            }
        for section in ("load", "identity_quality", "memory"):
            if section not in results and section in previous:
                results[section] = previous[section]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
