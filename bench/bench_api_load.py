"""Concurrent signed-in clients against the real service on the London world.

    uv run python bench/bench_api_load.py [--clients 50] [--seconds 60]

Serves the app (uvicorn, one process, as `marsoc serve` does) over the London store of
`bench/bench_scale.py` (`bench/work/london-1-data`), signs in one analyst per client
through `POST /api/v1/auth/token`, then every client loops for the given time over four
requests: a people search, an entity, a 2-hop network and a cached analytics section,
each with its justification. Reports requests per second, errors and p50/p95/max per
endpoint in `bench/results/api_load_london.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "work" / "london-1-data"
PASSWORD = "bench password of the load test"
SECRET = "bench-secret-of-the-load-test-0123456789"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(settings) -> tuple[str, object]:
    import uvicorn

    from graph_service.api.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def prepare(clients: int):
    from graph_service.appdb import open_app_db
    from graph_service.appdb.users import Users
    from graph_service.settings import load_settings

    settings = load_settings(data_dir=DATA, secret_key=SECRET, signin_rate="100000/minute", query_rate="100000/minute")
    db = open_app_db(settings)
    try:
        users = Users(db)
        for n in range(clients):
            if users.get(f"load.{n}") is None:
                users.add(f"load.{n}", PASSWORD, "analyst", "police")
    finally:
        db.close()
    return settings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def client(base: str, n: int, people: list[str], until: float, found: dict) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        token = (await http.post("/api/v1/auth/token", data={"username": f"load.{n}", "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "X-Justification": f"load test client {n}"}
        rng = random.Random(n)
        while time.perf_counter() < until:
            person = rng.choice(people)
            for name, path in (
                ("search", f"/api/v1/entities?q={person.split(':')[1][:4]}&kind=person"),
                ("entity", f"/api/v1/entities/{person}"),
                ("network_2hop", f"/api/v1/network/{person}?hops=2"),
                ("analytics_cached", "/api/v1/analytics/hubs"),
            ):
                started = time.perf_counter()
                answer = await http.get(path, headers=headers)
                found.setdefault(name, {"ms": [], "errors": 0})
                found[name]["ms"].append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    found[name]["errors"] += 1


async def run(base: str, clients: int, seconds: float, people: list[str]) -> dict:
    found: dict = {}
    async with httpx.AsyncClient(base_url=base, timeout=600) as warm:  # the analysis computed once
        token = (await warm.post("/api/v1/auth/token", data={"username": "load.0", "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "X-Justification": "load test warm-up"}
        await warm.get("/api/v1/analytics/hubs", headers=headers)
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(base, n, people, until, found) for n in range(clients)))
    elapsed = time.perf_counter() - started
    total = sum(len(v["ms"]) for v in found.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "errors": sum(v["errors"] for v in found.values()),
        "endpoints": {
            name: {
                "requests": len(v["ms"]),
                "errors": v["errors"],
                "p50_ms": round(statistics.median(v["ms"]), 1),
                "p95_ms": round(percentile(v["ms"], 0.95), 1),
                "max_ms": round(max(v["ms"]), 1),
            }
            for name, v in sorted(found.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit("load the London world first: uv run python bench/bench_scale.py london")
    settings = prepare(args.clients)
    base, server = serve(settings)
    from graph_service.store import open_store

    with open_store(settings) as store:
        people = [r["id"] for r in store.read_internal("label-node-ids", label="Person")][:5000]
    result = asyncio.run(run(base, args.clients, args.seconds, people))
    server.should_exit = True
    out = ROOT / "bench" / "results" / "api_load_london.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
