"""``/api/v1/entities`` and ``/api/v1/network`` on the real app: search across entity
kinds, an entity with its links' grading and provenance, the reader's view only."""

from __future__ import annotations

from conftest import sign_in


def test_search_finds_people_phones_and_establishments(client):
    people = client.get("/api/v1/entities?q=malone").json()
    assert [(i["id"], i["kind"]) for i in people["items"]] == [("prisoner:A0002BB", "person")]
    places = client.get("/api/v1/entities?q=hmp-aaa&kind=establishment").json()["items"]
    assert [i["kind"] for i in places] == ["establishment"] and places[0]["id"].endswith("HMP-AAA")
    assert client.get("/api/v1/entities?q=a&kind=wizard").status_code == 422
    assert client.get("/api/v1/entities?q=a").status_code == 422  # at least two characters


def test_an_entity_with_its_links_grading_and_provenance(anonymous):
    police = anonymous.get("/api/v1/entities/prisoner:A0001AA", headers=sign_in(anonymous, "analyst.police")).json()
    secret = [l for l in police["links"] if l["type"] == "ASSOCIATE_OF"]
    assert secret and secret[0]["handling"] == "C" and secret[0]["originating_agency"] == "police"
    assert secret[0]["source_ref"] == "IR-2024-000001" and police["links_by_type"]["ASSOCIATE_OF"] == 1
    hmpps = anonymous.get("/api/v1/entities/prisoner:A0001AA", headers=sign_in(anonymous, "analyst.hmpps")).json()
    assert "ASSOCIATE_OF" not in hmpps["links_by_type"] and "IR-2024-000001" not in str(hmpps)
    assert (
        anonymous.get("/api/v1/entities/prisoner:NOPE", headers=sign_in(anonymous, "viewer.police")).status_code == 404
    )
    assert anonymous.get("/api/v1/entities/nonsense", headers=sign_in(anonymous, "viewer.police")).status_code == 404


def test_the_versioned_network_is_the_reader_s_view(anonymous):
    police = anonymous.get("/api/v1/network/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.police"))
    nca = anonymous.get("/api/v1/network/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.nca"))
    assert police.status_code == nca.status_code == 200
    assert {l["type"] for l in police.json()["links"]} - {l["type"] for l in nca.json()["links"]} == {"ASSOCIATE_OF"}


def test_the_openapi_description_has_the_models_and_examples(client):
    spec = client.get("/api/openapi.json").json()
    assert {
        "/api/v1/entities",
        "/api/v1/entities/{entity_id}",
        "/api/v1/network/{node_id}",
        "/api/v1/auth/token",
    } <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"Entity", "EntityPage", "EntityLink", "Token"} <= set(schemas)
    assert schemas["EntityHit"]["properties"]["id"]["examples"] == ["prisoner:A1234BC"]
