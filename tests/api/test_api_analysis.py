"""``/api/analysis`` on the real app and store: results from the warm graph, cached per
store version, equal to the analysis run directly on a fresh extraction."""

from __future__ import annotations

from conftest import sign_in

from graph_service.analytics.bridges import bridge_ranking
from graph_service.analytics.hubs import custody_hubs
from graph_service.analytics.projection import person_graph
from graph_service.analytics.results import to_json
from graph_service.analytics.scoping import extract
from graph_service.store import LoadRun


def _cold(store, name):
    graph = extract(store)
    people = person_graph(graph)
    if name == "bridges":
        return to_json(bridge_ranking(people, top=10))
    return to_json(custody_hubs(graph, people, top=10))


def test_sections_come_from_the_warm_graph_and_are_cached(client):
    index = client.get("/api/analysis").json()
    assert index["sections"] == ["bridges", "hubs", "communities", "cohort", "keyplayers", "changes", "disruption"]
    assert index["kernels"] == "igraph" and index["graph"] is None  # the warm graph's counts: admins only
    admin = client.get("/api/analysis", headers=sign_in(client, "admin.police")).json()
    assert admin["graph"]["kind"] in ("full", "unchanged") and admin["version"] == admin["graph"]["version"]
    store = client.app.state.store
    for name in ("bridges", "hubs"):
        first = client.get(f"/api/analysis/{name}").json()
        assert first["result"] == _cold(store, name)
        again = client.get(f"/api/analysis/{name}").json()
        assert again["cached"] is True and again["result"] == first["result"]
    for name in ("communities", "cohort", "keyplayers"):
        assert client.get(f"/api/analysis/{name}").status_code == 200


def test_a_load_moves_the_version_and_the_result_is_computed_again(client):
    store = client.app.state.store
    before = client.get("/api/analysis/hubs").json()
    run = LoadRun("api-analysis-test")
    store.record_run(run)
    store.record_run(run)
    after = client.get("/api/analysis/hubs").json()
    assert after["version"] > before["version"] and after["cached"] is False
    assert after["result"] == _cold(store, "hubs")
    admin = sign_in(client, "admin.police")
    assert client.get("/api/analysis", headers=admin).json()["graph"]["kind"] == "unchanged"


def test_bad_requests_are_refused_with_the_reason(client):
    missing = client.get("/api/analysis/nope")
    assert missing.status_code == 404 and "sections: bridges" in missing.json()["detail"]
    assert client.get("/api/analysis/bridges?top=0").status_code == 422
    assert client.get("/api/analysis/bridges?top=100000").status_code == 422


def test_the_versioned_analytics_take_the_scoping_filters(client):
    from graph_service.analytics.scoping import Scope

    whole = client.get("/api/v1/analytics/hubs").json()
    assert whole["result"] == client.get("/api/analysis/hubs").json()["result"]
    dated = client.get("/api/v1/analytics/cohort?as_of=2020-01-01&min_intel_eval=B")
    assert dated.status_code == 200
    ws = client.app.state.workspace
    assert Scope(as_of="2020-01-01", min_intel_eval="B", agency="police") in ws._graphs
    assert client.get("/api/v1/analytics/cohort?as_of=2024-13-45").status_code == 422
    both = client.get("/api/v1/analytics/cohort?as_of=2024-01-01&from=2023-01-01")
    assert both.status_code == 422 and "either as_of" in both.json()["detail"]
    assert "/api/v1/analytics/{name}" in client.get("/api/openapi.json").json()["paths"]
