"""A handling C fact of one agency is unreachable by another agency's users through
every path: maps, network JSON, analytics (computed on their visible graph), named
queries and the console (refused with the reason while the store holds such facts)."""

from __future__ import annotations

import pytest
from conftest import sign_in

from graph_service.analytics.scoping import Scope, extract, scope_graph
from graph_service.analytics.workspace import compact
from graph_service.grading import AGENCIES

SECRET = ("prisoner:A0001AA", "person:P000001", "ASSOCIATE_OF")  # handling C, police


def _has_secret(links) -> bool:
    return any((l["source"], l["target"], l["type"]) == SECRET for l in links)


def test_the_originating_agency_sees_the_fact_and_others_do_not(anonymous):
    police = anonymous.get("/api/network/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.police"))
    hmpps = anonymous.get("/api/network/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.hmpps"))
    assert police.status_code == hmpps.status_code == 200
    assert _has_secret(police.json()["links"]) and not _has_secret(hmpps.json()["links"])
    assert "Not for onward disclosure" not in hmpps.text and "IR-2024-000001" not in hmpps.text
    page = anonymous.get("/map/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.probation"))
    assert page.status_code == 200 and "IR-2024-000001" not in page.text


@pytest.mark.parametrize("path", ["/api/cypher", "/api/queries/people-named"])
def test_the_console_and_named_queries_are_refused_to_other_agencies(anonymous, path):
    body = {"cypher": "MATCH (a)-[r]->(b) RETURN a, r, b"} if path == "/api/cypher" else {"params": {"name_part": "a"}}
    allowed = anonymous.post(path, json=body, headers=sign_in(anonymous, "analyst.police"))
    assert allowed.status_code == 200
    refused = anonymous.post(path, json=body, headers=sign_in(anonymous, "analyst.nca"))
    assert refused.status_code == 403 and refused.json()["error"] == "withheld"
    assert "handling C facts of other agencies" in refused.json()["detail"]
    assert not any(ch.isdigit() for ch in refused.json()["detail"])  # no count: it would show when facts arrive
    assert "Not for onward disclosure" not in refused.text


def test_analytics_run_on_the_visible_graph(anonymous):
    ws_scopes = {a: Scope(agency=a) for a in AGENCIES}
    for agency in AGENCIES:
        found = anonymous.get("/api/analysis/cohort", headers=sign_in(anonymous, f"analyst.{agency}"))
        assert found.status_code == 200
    ws = anonymous.app.state.workspace
    police, hmpps = ws.graph(ws_scopes["police"]), ws.graph(ws_scopes["hmpps"])
    assert police.has_edge("prisoner:A0001AA", "person:P000001")
    assert not hmpps.has_edge("prisoner:A0001AA", "person:P000001")
    assert not any(
        d.get("handling") == "C" and d.get("originating_agency") != "hmpps" for *_, d in hmpps.edges(data=True)
    )


@pytest.mark.parametrize("agency", AGENCIES)
def test_the_store_and_the_warm_graph_apply_the_same_rule(anonymous, agency):
    store = anonymous.app.state.store
    base = compact(store.subgraph())
    warm = scope_graph(base, Scope(agency=agency))
    cold = compact(extract(store, Scope(agency=agency)))
    assert sorted(map(str, warm.edges(keys=True))) == sorted(map(str, cold.edges(keys=True)))


def test_an_export_holds_only_what_the_exporting_agency_may_see(anonymous):
    params = {"hops": 1, "download": "true", "recipients": "Op TESTBED hub"}
    police = anonymous.get("/map/prisoner:A0001AA", params=params, headers=sign_in(anonymous, "analyst.police"))
    hmpps = anonymous.get("/map/prisoner:A0001AA", params=params, headers=sign_in(anonymous, "analyst.hmpps"))
    assert police.status_code == hmpps.status_code == 200
    assert "IR-2024-000001" in police.text and "Not for onward disclosure" in police.text
    assert "IR-2024-000001" not in hmpps.text and "Not for onward disclosure" not in hmpps.text
