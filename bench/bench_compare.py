"""The analysis of ``marsoc analyse`` timed on this checkout and on an earlier commit,
alternately in the same run (the machine is noisy: ratios, not absolute times).

    uv run python bench/bench_compare.py --against 8fc4724 [--rounds 2] [--data DIR]

The earlier commit is checked out into a temporary git worktree; each round runs, in a
fresh process for each code, the full extraction into a Workspace (``refresh``) then
every section (:func:`graph_service.analytics.suite.analyse`), on the same store
(London seed 1 by default: ``bench/bench_scale.py london`` makes it). Results:
``bench/results/compare_<world>.json`` with every round and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside the code under test (its own directory first on sys.path).
PROBE = """
import json, resource, sys, time
from pathlib import Path
import graph_service
assert graph_service.__file__.startswith(sys.argv[1]), graph_service.__file__
from graph_service.analytics.suite import analyse
from graph_service.analytics.workspace import Workspace
from graph_service.settings import load_settings
from graph_service.store import open_store
store = open_store(load_settings(data_dir=Path(sys.argv[2])))
try:
    store.counts()
    ws = Workspace(store)
    started = time.perf_counter()
    ws.refresh()
    extraction = time.perf_counter() - started
    _, timings = analyse(ws)
finally:
    store.close()
timings = {k: round(v, 3) for k, v in timings.items() if k != "refresh_s"}
timings["extraction_s"] = round(extraction, 3)
timings["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(timings))
"""


def probe(code: Path, data: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(code), str(data)], cwd=code, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "work" / "london-1-data")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no store at {args.data}: run bench/bench_scale.py london first")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        earlier = Path(tmp) / "earlier"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(earlier), args.against], cwd=ROOT, check=True)
        try:
            rounds = []
            for n in range(args.rounds):
                rounds.append({"earlier": probe(earlier, args.data), "this": probe(ROOT, args.data)})
                print(f"round {n + 1}: {json.dumps(rounds[-1])}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(earlier)], cwd=ROOT, check=False)
    keys = sorted(rounds[0]["this"])
    median = {side: {k: statistics.median(r[side][k] for r in rounds) for k in keys} for side in ("earlier", "this")}
    result = {
        "data": str(args.data.relative_to(ROOT)) if args.data.is_relative_to(ROOT) else str(args.data),
        "earlier": args.against,
        "this": head.strip() + ("+changes" if _dirty() else ""),
        "rounds": rounds,
        "median": median,
        "ratio_this_to_earlier": {
            k: round(median["this"][k] / median["earlier"][k], 3) for k in keys if median["earlier"][k]
        },
    }
    world = "london" if "london" in str(args.data) else args.data.name
    out = ROOT / "bench" / "results" / f"compare_{world}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["ratio_this_to_earlier"], indent=2))


def _dirty() -> bool:
    return bool(
        subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )


if __name__ == "__main__":
    main()
