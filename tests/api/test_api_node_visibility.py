"""A node known only from handling C facts is itself withheld from other agencies: a
phone number first seen in a police C attribution is not found, shown or mapped for
an HMPPS analyst (the same 404 as a number that does not exist), keeps the console
refused to them, and opens to everyone once an open fact names it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import sign_in
from fastapi.testclient import TestClient
from sample_graph import build_data_dir

from graph_service.analytics.scoping import Scope, extract
from graph_service.api.app import create_app
from loaders.runner import load_directory

NUMBER = "+447911123456"
PHONE = f"phone:{NUMBER}"
HEADER = (
    "phone_number,subject_type,subject_id,attribution_source,first_seen,last_seen,"
    "source_eval,intel_eval,handling,handling_conditions,originating_agency"
)


def _load(store, folder, handling: str) -> None:
    folder.mkdir()
    conditions = "police only" if handling == "C" else ""
    row = f"07911 123456,prisoner,A0001AA,seized_handset,2024-05-01,,2,B,{handling},{conditions},police"
    (folder / "phones.csv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    report = load_directory(store, folder, report_path=folder / "report.json", progress=False, resolve=False)
    phones = next(f for f in report.files if f.file == "phones.csv")
    assert phones.loaded == 1 and phones.rejected == 0, phones


@pytest.fixture(scope="module")
def app_client(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_data_dir(tmp_path_factory.mktemp("node-visibility"))
    with TestClient(create_app(settings)) as client:
        _load(client.app.state.store, tmp_path_factory.mktemp("loads") / "c", "C")
        yield client


def _sees(client, username: str) -> dict[str, object]:
    headers = sign_in(client, username)
    found = client.get(f"/api/v1/entities?q={NUMBER[-6:]}&kind=phone", headers=headers).json()["items"]
    return {
        "search": [i["id"] for i in found],
        "entity": client.get(f"/api/v1/entities/{PHONE}", headers=headers).status_code,
        "network": client.get(f"/api/v1/network/{PHONE}?hops=1", headers=headers).status_code,
        "map": client.get(f"/map/{PHONE}?hops=1", headers=headers).status_code,
        "neighbour": PHONE
        in {n["id"] for n in client.get("/api/v1/network/prisoner:A0001AA?hops=1", headers=headers).json()["nodes"]},
        "console": client.post(
            "/api/v1/queries/cypher", json={"query": "MATCH (n:Phone) RETURN n.id"}, headers=headers
        ).status_code,
    }


def test_a_node_known_only_from_a_c_fact_is_withheld_from_other_agencies(app_client):
    store = app_client.app.state.store
    assert store.query("MATCH (n {id: $id}) RETURN n.restricted_to", {"id": PHONE}).rows == [[["police"]]]
    police = _sees(app_client, "analyst.police")
    assert police == {"search": [PHONE], "entity": 200, "network": 200, "map": 200, "neighbour": True, "console": 200}
    missing = app_client.get("/api/v1/entities/phone:+447911999999", headers=sign_in(app_client, "analyst.hmpps"))
    hmpps = _sees(app_client, "analyst.hmpps")
    assert hmpps == {"search": [], "entity": 404, "network": 404, "map": 404, "neighbour": False, "console": 403}
    hidden = app_client.get(f"/api/v1/entities/{PHONE}", headers=sign_in(app_client, "analyst.hmpps"))
    assert hidden.json()["detail"].replace(PHONE, "X") == missing.json()["detail"].replace("phone:+447911999999", "X")
    assert PHONE not in extract(store, Scope(agency="hmpps")) and PHONE in extract(store, Scope(agency="police"))
    ws_graph = app_client.get("/api/v1/analytics/hubs", headers=sign_in(app_client, "analyst.hmpps"))
    assert ws_graph.status_code == 200
    assert PHONE not in app_client.app.state.workspace.graph(Scope(agency="hmpps"))


def test_an_open_fact_naming_the_node_opens_it(app_client, tmp_path):
    _load(app_client.app.state.store, tmp_path / "p", "P")
    assert app_client.app.state.store.query("MATCH (n {id: $id}) RETURN n.restricted_to", {"id": PHONE}).rows == [
        [None]
    ]
    hmpps = _sees(app_client, "analyst.hmpps")
    assert hmpps["search"] == [PHONE] and hmpps["entity"] == hmpps["network"] == 200 and hmpps["neighbour"]
    assert PHONE in app_client.app.state.workspace.graph(Scope(agency="hmpps"))  # the delta opened it
