"""The analyses at national scale on one machine: the warm graph, the sections, a daily delta.

    uv run python bench/bench_scale.py london    # generate + load London seed 1 if needed
    uv run python bench/bench_scale.py national  # needs the national world loaded (see below)

``national`` expects ``bench/work/national-1`` (``marsoc generate --scale national``) loaded
into ``bench/work/national-1-data`` (``marsoc load``); the load's own time and peak are
read from ``bench/work/national-1-load.time`` (``/usr/bin/time -v``) when present. Each
run, in one process: the full extraction into a :class:`Workspace`, every section of
``marsoc analyse`` timed, peak memory of the process (``ru_maxrss``; the embedded
FalkorDB server is a process of its own, its memory is reported beside). Then a day's
exports (``--day-calls`` new calls between known numbers, ``--day-visits`` visits,
``--day-transfers`` transfers) are written, loaded through the real loaders, the warm
graph refreshed (a delta) and every section run again; the delta's load, refresh and
analysis are timed. ``london`` also compares the product's exact betweenness of the
person graph (the kernels' call, conversion included) with igraph called directly on
the same graph in the same run. Results: ``bench/results/scale_<world>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import re
import resource
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

from graph_service.analytics.centrality import betweenness
from graph_service.analytics.kernels import Indexed
from graph_service.analytics.suite import analyse
from graph_service.analytics.workspace import Workspace
from graph_service.settings import load_settings
from graph_service.store import open_store

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def server_mb(data: Path) -> float | None:
    """Resident memory of the embedded FalkorDB server of ``data`` (None if not found)."""
    found = subprocess.run(["ps", "-eo", "rss,args"], capture_output=True, text=True, check=False).stdout
    for line in found.splitlines():
        if "redis-server" in line and str(data.resolve()) in line:
            return round(int(line.split()[0]) / 1024, 1)
    return None


def load_time(path: Path) -> dict | None:
    """Wall time and peak of a ``/usr/bin/time -v`` log."""
    if not path.exists():
        return None
    text = path.read_text(errors="replace")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not wall:
        return None
    hours, minutes, seconds = int(wall.group(1) or 0), int(wall.group(2)), float(wall.group(3))
    return {
        "wall_s": round(hours * 3600 + minutes * 60 + seconds, 1),
        "peak_mb": round(int(peak.group(1)) / 1024, 1) if peak else None,
    }


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _iso_day(value: str) -> bool:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return len(value) >= 10 and value[4] == "-"


def write_day(world: Path, day: Path, calls: int, visits: int, transfers: int, seed: int = 1) -> dict:
    """A day's exports after the world's last day: calls and visits re-drawn from the
    world's own rows (the same numbers and people, new ids, the next day), transfers of
    prisoners in custody to another establishment."""
    rng = random.Random(seed)
    day.mkdir(parents=True, exist_ok=True)
    prefix = "DAY" + time.strftime("%Y%m%d%H%M%S")  # new event ids on every run
    counts = {}
    for name, wanted, id_column, date_column in (
        ("calls.csv", calls, "call_id", "started_at"),
        ("visits.csv", visits, "visit_id", "visit_date"),
    ):
        header, rows = _rows(world / name)
        at = {c: i for i, c in enumerate(header)}
        rows = [r for r in rows if _iso_day(r[at[date_column]])]  # the exports' unreadable dates left out
        last = max(r[at[date_column]][:10] for r in rows)
        next_day = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
        chosen = []
        for n, row in enumerate(rng.sample(rows, wanted)):
            new = list(row)
            new[at[id_column]] = f"{prefix}{n:08d}"
            stamp = row[at[date_column]]
            new[at[date_column]] = next_day + stamp[10:]
            chosen.append(new)
        _write(day / name, header, chosen)
        counts[name] = len(chosen)
    header, rows = _rows(world / "prisoners.csv")
    at = {c: i for i, c in enumerate(header)}
    sites = sorted({r[at["establishment_code"]] for r in rows} - {""})
    open_rows = [r for r in rows if r[at["establishment_code"]] and not r[at["release_date"]]]
    moved_rows = []
    for row in rng.sample(open_rows, transfers):
        closed, moved = list(row), list(row)
        closed[at["release_date"]] = moved[at["reception_date"]] = date.today().isoformat()
        moved[at["establishment_code"]] = rng.choice([s for s in sites if s != row[at["establishment_code"]]])
        moved_rows += [closed, moved]
    _write(day / "prisoners.csv", header, moved_rows)
    counts["prisoners.csv"] = len(moved_rows)
    return counts


def sections_run(ws: Workspace) -> dict:
    found, timings = analyse(ws)
    return {
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "analysis_after_extraction_s": round(
            sum(v for k, v in timings.items() if k not in ("refresh_s", "total_s")), 3
        ),
        "top_bridges": [r.id for r in found["bridges"].value.results[:10]],
        "top_hubs": [r.id for r in found["hubs"].value[:10]],
    }


def betweenness_ratio(people: nx.Graph) -> dict:
    """The product's exact betweenness (conversion included) against igraph directly."""
    import igraph as ig

    simple = nx.Graph(people.edges())
    simple.add_nodes_from(people.nodes)
    ix = Indexed.of(simple)
    direct = ig.Graph(n=len(ix.nodes), edges=list(ix.edges), directed=False)
    started = time.perf_counter()
    raw = direct.betweenness(directed=False)
    direct_s = time.perf_counter() - started
    started = time.perf_counter()
    ours = betweenness(simple)
    ours_s = time.perf_counter() - started
    n = len(ix.nodes)
    scale = 2.0 / ((n - 1) * (n - 2))
    worst = max(abs(ours.values[node] - raw[i] * scale) for i, node in enumerate(ix.nodes))
    return {
        "nodes": simple.number_of_nodes(),
        "links": simple.number_of_edges(),
        "product_s": round(ours_s, 3),
        "igraph_direct_s": round(direct_s, 3),
        "ratio": round(ours_s / direct_s, 3),
        "method": ours.method,
        "kernel": ours.kernel,
        "max_abs_difference": worst,
    }


def save(result: dict) -> Path:
    out = ROOT / "bench" / "results" / f"scale_{result['world']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return out


def run(world_name: str, world: Path, data: Path, day_sizes: tuple[int, int, int]) -> dict:
    result: dict = {
        "world": world_name,
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
    }
    if world_name == "national":
        result["load"] = load_time(WORK / "national-1-load.time")
    store = open_store(load_settings(data_dir=data))
    try:
        result["store"] = store.counts()
        ws = Workspace(store)
        started = time.perf_counter()
        refresh = ws.refresh()
        result["extraction"] = {**refresh.to_json(), "seconds": round(time.perf_counter() - started, 2)}
        result["peak_mb_after_extraction"] = peak_mb()
        result["analysis"] = sections_run(ws)
        people = ws.people()
        result["person_graph"] = {"nodes": people.number_of_nodes(), "links": people.number_of_edges()}
        result["peak_mb_after_analysis"] = peak_mb()
        result["store_server_mb"] = server_mb(data)
        if world_name == "london":
            result["betweenness"] = betweenness_ratio(people)
        save(result)  # what is measured so far, should the day's part fail
        day = WORK / f"{world_name}-day"
        if day.exists():
            import shutil

            shutil.rmtree(day)
        result["day"] = {"rows": write_day(world, day, *day_sizes)}
        from loaders.runner import load_directory

        started = time.perf_counter()
        report = load_directory(store, day, progress=False, agency="hmpps")
        result["day"]["load_s"] = round(time.perf_counter() - started, 2)
        result["day"]["load_ok"] = report.ok
        result["day"]["files_s"] = {f.file: f.seconds for f in report.files if f.status != "skipped"}
        result["day"]["identity_s"] = (report.identity or {}).get("seconds")
        result["day"]["identity"] = {
            k: (report.identity or {}).get(k) for k in ("mode", "persons", "persons_written", "pairs_compared")
        }
        started = time.perf_counter()
        refresh = ws.refresh()
        result["day"]["refresh"] = refresh.to_json()
        result["day"]["refresh_s"] = round(time.perf_counter() - started, 2)
        again = sections_run(ws)
        result["day"]["analysis"] = again
        result["day"]["load_plus_refreshed_analysis_s"] = round(
            result["day"]["load_s"] + result["day"]["refresh_s"] + again["timings_s"]["total_s"], 2
        )
        result["peak_mb"] = peak_mb()
    finally:
        store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("world", choices=["london", "national"])
    parser.add_argument("--day-calls", type=int, default=15_000)
    parser.add_argument("--day-visits", type=int, default=1_000)
    parser.add_argument("--day-transfers", type=int, default=5)
    args = parser.parse_args()
    world, data = WORK / f"{args.world}-1", WORK / f"{args.world}-1-data"
    if args.world == "london" and not (world / "ground_truth.json").exists():
        from graph_service.synthetic.generator import generate_world

        generate_world("london", 1, world)
    if not data.exists():
        if args.world == "national":
            raise SystemExit(f"load the national world first: marsoc load {world} --data-dir {data}")
        from loaders.runner import load_directory

        with open_store(load_settings(data_dir=data)) as store:
            load_directory(store, world, progress=False, agency="hmpps")
    sizes = (args.day_calls, args.day_visits, args.day_transfers)
    if args.world == "london":
        sizes = (max(1, sizes[0] // 10), max(1, sizes[1] // 10), sizes[2])  # a tenth of the country
    result = run(args.world, world, data, sizes)
    save(result)
    print(json.dumps({k: v for k, v in result.items() if k != "store"}, indent=2))


if __name__ == "__main__":
    main()
