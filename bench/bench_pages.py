"""The analytics pages on the London world: the first computation of each page's result
and the answer once the analysis is cached, through the real app and HTTP.

    uv run python bench/bench_pages.py [--repeat 3]

Serves the app (uvicorn, one process) over the London store of `bench/bench_scale.py`
(`bench/work/london-1-data`), signs a police analyst in with a bearer token, then for
each analytics page fetches the page itself and its result (``part=result``, what the
page's script fetches): the first fetch computes the analysis (the warm graph extracted
on the first of all), the next ``--repeat`` come from the cache (median reported).
Results in `bench/results/pages_london.json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_api_load import PASSWORD, prepare, serve  # noqa: E402

PAGES = (
    "bridges",
    "hubs",
    "cohort",
    "communities",
    "keyplayers",
    "changes?since=2024-01-01",
    "disruption?steps=5",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = prepare(1)
    base, _server = serve(settings)
    with httpx.Client(base_url=base, timeout=900) as client:
        token = client.post("/api/v1/auth/token", data={"username": "load.0", "password": PASSWORD}).json()
        client.headers.update(
            {"Authorization": f"Bearer {token['access_token']}", "X-Justification": "Benchmark of the pages"}
        )
        results = []
        for page in PAGES:
            name, _, query = page.partition("?")
            url = f"/analytics/{name}?{query}"
            started = time.perf_counter()
            shell = client.get(url, headers={"Accept": "text/html"})
            shell_s = time.perf_counter() - started
            started = time.perf_counter()
            first = client.get(url + "&part=result", headers={"Accept": "text/html"})
            first_s = time.perf_counter() - started
            cached = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                again = client.get(url + "&part=result", headers={"Accept": "text/html"})
                cached.append(time.perf_counter() - started)
            assert shell.status_code == first.status_code == again.status_code == 200, (page, first.text[:300])
            results.append(
                {
                    "page": page,
                    "page_s": round(shell_s, 3),
                    "first_result_s": round(first_s, 2),
                    "cached_result_s_median": round(statistics.median(cached), 3),
                    "cached_result_s": [round(t, 3) for t in cached],
                    "result_bytes": len(again.content),
                }
            )
            print(results[-1], flush=True)
    out = ROOT / "bench" / "results" / "pages_london.json"
    out.write_text(json.dumps({"pages": results}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
