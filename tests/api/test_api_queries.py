"""The query library, named queries, ad-hoc Cypher and the console page."""

from __future__ import annotations


def test_library_lists_names_descriptions_and_params(client):
    listing = {q["name"]: q for q in client.get("/api/queries").json()}
    assert set(listing) == {"people-named", "person-search", "phones-of-person", "links-of-person", "sneaky-write"}
    named = listing["people-named"]
    assert named["description"] == "People whose name contains some text, with their ids."
    assert named["params"] == [
        {"name": "name_part", "required": True, "default": None},
        {"name": "limit", "required": False, "default": 10},
    ]
    page = client.get("/queries")
    assert page.status_code == 200
    assert "Phones attributed to a person." in page.text
    assert 'href="/console?query=people-named"' in page.text


def test_run_a_named_query(client):
    response = client.post("/api/queries/people-named", json={"params": {"name_part": "harvey"}})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "people-named"
    assert body["columns"] == ["id", "name"]
    assert body["rows"] == [["prisoner:A0001AA", "Ronald HARVEY"], ["visitor:V000001", "Sharon HARVEY"]]
    assert body["truncated"] is False
    phones = client.post("/api/queries/phones-of-person", json={"params": {"person_id": "prisoner:A0001AA"}}).json()
    assert phones["rows"] == [["+447700900001"]]


def test_named_query_defaults_and_row_cap(client):
    body = client.post("/api/queries/people-named", json={"params": {"name_part": "filler"}}).json()
    assert body["row_count"] == 10  # default limit=10
    capped = client.post(
        "/api/queries/people-named", json={"params": {"name_part": "filler", "limit": 20}, "row_cap": 5}
    ).json()
    assert capped["row_count"] == 5 and capped["truncated"] is True and capped["row_cap"] == 5


def test_named_query_errors_are_clear(client):
    missing = client.post("/api/queries/people-named", json={"params": {}})
    assert missing.status_code == 422
    assert "name_part" in missing.json()["detail"]
    unknown = client.post("/api/queries/no-such-query", json={})
    assert unknown.status_code == 404
    assert "no-such-query" in unknown.json()["detail"]


def test_a_named_query_that_writes_is_refused(client):
    response = client.post("/api/queries/sneaky-write", json={})
    assert response.status_code == 403
    assert response.json()["error"] == "read_only"
    assert "read-only" in response.json()["detail"]
    flagged = client.post(
        "/api/cypher", json={"cypher": "MATCH (p:Person) WHERE p.flagged = true RETURN count(p) AS n"}
    )
    assert flagged.json()["rows"] == [[0]]


def test_ad_hoc_cypher_reads(client):
    body = client.post(
        "/api/cypher",
        json={"cypher": "MATCH (o:OCG) RETURN o.name AS name, o AS node", "params": {}},
    ).json()
    assert body["columns"] == ["name", "node"]
    assert body["rows"][0][0] == "Eastside Crew"
    assert body["rows"][0][1]["labels"] == ["OCG"]
    with_params = client.post(
        "/api/cypher", json={"cypher": "MATCH (p:Person {id: $id}) RETURN p.name", "params": {"id": "staff:S00001"}}
    ).json()
    assert with_params["rows"] == [["Paul BENT"]]


def test_ad_hoc_cypher_meeting_an_index_fault_of_the_engine_comes_with_a_caution(client):
    ids = [row[0] for row in client.post("/api/cypher", json={"cypher": "MATCH (p:Person) RETURN p.id"}).json()["rows"]]
    below = client.post("/api/cypher", json={"cypher": "MATCH (p:Person) WHERE p.id < 'staff:' RETURN count(p)"}).json()
    assert len(below["cautions"]) == 1 and below["cautions"][0].startswith("id is indexed")
    assert "toString(x.id) < $value" in below["cautions"][0]
    by_row = client.post(
        "/api/cypher", json={"cypher": "MATCH (p:Person) WHERE toString(p.id) < 'staff:' RETURN count(p)"}
    ).json()
    assert by_row["cautions"] == []
    assert by_row["rows"] == [[sum(1 for i in ids if i < "staff:")]]  # the way round answers rightly
    plain = client.post("/api/cypher", json={"cypher": "MATCH (o:OCG) RETURN o.name"}).json()
    assert plain["cautions"] == []


def test_ad_hoc_writes_are_refused_and_change_nothing(client):
    for cypher in (
        "CREATE (n:Phone {id: 'phone:+440000000000'}) RETURN n",
        "MATCH (n:Person) DETACH DELETE n",
        "MERGE (n:OCG {id: 'ocg:X'}) RETURN n",
        "MATCH (n:Person) SET n.name = 'x' RETURN n",
    ):
        response = client.post("/api/cypher", json={"cypher": cypher})
        assert response.status_code == 403, cypher
        assert response.json()["detail"].startswith("Refused: the console and named queries are read-only")
    assert client.get("/api/counts").json()["nodes"]["Phone"] == 6


def test_ad_hoc_cypher_row_cap_and_errors(client, sample_settings):
    capped = client.post("/api/cypher", json={"cypher": "MATCH (p:Person) RETURN p.id", "row_cap": 3}).json()
    assert capped["row_count"] == 3 and capped["truncated"] is True
    over = client.post("/api/cypher", json={"cypher": "MATCH (p:Person) RETURN p.id", "row_cap": 10**9}).json()
    assert over["row_cap"] == sample_settings.row_cap
    broken = client.post("/api/cypher", json={"cypher": "MATCH (n:Phone RETURN n"})
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("The query failed:")
    assert client.post("/api/cypher", json={"cypher": ""}).status_code == 422


def test_console_page_offers_the_library(client):
    page = client.get("/console", params={"query": "phones-of-person"})
    assert page.status_code == 200
    assert '<option value="phones-of-person" selected>' in page.text
    assert 'id="query-library"' in page.text
    assert '<script src="/static/console.js">' in page.text
    assert client.get("/static/console.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
