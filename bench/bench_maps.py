"""Maps in headless Chromium on the London world: time from navigation until the map is
drawn and usable (``data-map-ready``), page size and nodes drawn, per map size.

    uv run python bench/bench_maps.py [--sizes 250,700,1500,2000]

Serves the app (uvicorn, one process) over the London store of `bench/bench_scale.py`
(`bench/work/london-1-data`), signs a police analyst in through the sign-in page, then
opens the 3-hop map of the busiest establishment with ``max_nodes`` set to each size
(three times each; the median is reported). Results in `bench/results/maps_london.json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_api_load import DATA, PASSWORD, prepare, serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def busiest(store) -> str:
    rows = store.query("MATCH (e:Establishment)<-[r]-() RETURN e.id AS id, count(r) AS n ORDER BY n DESC LIMIT 1").rows
    return rows[0][0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="250,700,1500,2000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    settings = prepare(1)
    base, server = serve(settings)
    centre = busiest(server.config.app.state.store)
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True
        )
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/signin")
        page.fill("input[name=username]", "load.0")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.signin button[type=submit]")
        page.goto(f"{base}/purpose?next=/")
        page.fill("input[name=purpose]", "Benchmark of the maps")
        page.click("form.purpose button[type=submit]")
        for size in [int(s) for s in args.sizes.split(",")]:
            times, served, nodes, size_bytes = [], [], 0, 0
            for _ in range(args.repeat):
                hops = 3 if size <= 2000 else 4  # the 3-hop map of the establishment has under 5,000 nodes
                url = f"{base}/map/{centre}?hops={hops}&max_nodes={size}"
                started = time.perf_counter()
                response = page.goto(url)
                page.locator("body[data-map-ready='true']").wait_for(state="attached")
                times.append(time.perf_counter() - started)
                served.append(page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd") / 1000)
                nodes = int(page.get_attribute("body", "data-map-nodes") or 0)
                renderer = "webgl" if page.evaluate("() => !!window.bigMap") else "vis-network"
                size_bytes = len(response.body()) if response else 0
            results.append(
                {
                    "max_nodes": size,
                    "hops": hops,
                    "renderer": renderer,
                    "nodes_drawn": nodes,
                    "page_bytes": size_bytes,
                    "ready_s_median": round(statistics.median(times), 2),
                    "ready_s": [round(t, 2) for t in times],
                    "served_s_median": round(statistics.median(served), 2),
                }
            )
            print(results[-1], flush=True)
        browser.close()
    out = ROOT / "bench" / "results" / "maps_london.json"
    out.write_text(json.dumps({"centre": centre, "data": str(DATA), "maps": results}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
