"""A day's exports loaded into a loaded world, twice: the load and its identity step.

    uv run python bench/bench_day_load.py national   # needs bench/work/national-1-data
    uv run python bench/bench_day_load.py london
    uv run python bench/bench_day_load.py national --data COPY --out FILE  # on a copy of the store

Writes a day (``bench_scale.write_day``: calls and visits re-drawn from the world's own
rows with new ids on the next day, a few transfers) and loads it through the real
loaders, twice with two different days. Identity resolution compares the Person
records written since the last resolution; load runs recorded before that mark existed
count as not resolved, so the first day also compares the records of earlier days, and
the second shows a day's own cost.
Results: ``bench/results/day_load_<world>.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench_scale import WORK, write_day

from graph_service.settings import load_settings
from graph_service.store import open_store
from loaders.runner import load_directory

ROOT = Path(__file__).resolve().parents[1]


def one_day(store, world: Path, day: Path, sizes: tuple[int, int, int], seed: int) -> dict:
    rows = write_day(world, day, *sizes, seed=seed)
    started = time.perf_counter()
    report = load_directory(store, day, progress=False, agency="hmpps")
    identity = report.identity or {}
    return {
        "rows": rows,
        "load_s": round(time.perf_counter() - started, 2),
        "ok": report.ok,
        "files_s": {f.file: f.seconds for f in report.files if f.status != "skipped"},
        "identity": {k: identity.get(k) for k in ("mode", "persons", "persons_written", "pairs_compared", "seconds")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("world", choices=["london", "national"])
    parser.add_argument(
        "--data", type=Path, help="the loaded store (default bench/work/<world>-1-data); it is written to"
    )
    parser.add_argument("--out", type=Path, help="the results file (default bench/results/day_load_<world>.json)")
    args = parser.parse_args()
    world, data = WORK / f"{args.world}-1", args.data or WORK / f"{args.world}-1-data"
    sizes = (15_000, 1_000, 5) if args.world == "national" else (1_500, 100, 5)
    result: dict = {"world": args.world, "day": {"calls": sizes[0], "visits": sizes[1], "transfers": sizes[2]}}
    with open_store(load_settings(data_dir=data)) as store:
        result["days"] = [one_day(store, world, WORK / f"{args.world}-day", sizes, seed) for seed in (11, 12)]
    out = args.out or ROOT / "bench" / "results" / f"day_load_{args.world}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
