"""/health, the start page and the people pages, over the real app and store."""

from __future__ import annotations

import psutil
import pytest
from sample_graph import ALL_PEOPLE, FILLER_VISITORS, NODE_COUNT, TEST_SECRET, XSS_NAME

from graph_service.api.app import create_app
from graph_service.settings import ConfigurationError, load_settings


def test_health_answers_with_the_engine_and_touches_no_data(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "embedded"}
    store = client.app.state.store
    sent: list[str] = []
    original = store._read

    def recording(cypher, params, **options):
        sent.append(cypher)
        return original(cypher, params, **options)

    store._read = recording
    try:
        assert client.get("/health").status_code == 200
    finally:
        del store._read
    assert sent == ["RETURN 1 AS ok"]


def test_counts_answer_with_nodes_per_label_and_links_per_type(client):
    response = client.get("/api/counts")
    assert response.status_code == 200
    body = {"counts": response.json()}
    assert body["counts"]["nodes"]["Person"] == len(ALL_PEOPLE)
    assert body["counts"]["nodes"]["Visitor"] == 2 + len(FILLER_VISITORS)
    assert body["counts"]["links"]["CALLED"] == 4
    assert (
        sum(
            v
            for k, v in body["counts"]["nodes"].items()
            if k in ("Person", "Phone", "OCG", "Establishment", "Postcode")
        )
        == NODE_COUNT
    )


def test_every_response_carries_the_offline_security_policy(client):
    response = client.get("/people")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_swagger_ui_from_a_cdn_but_openapi_is_there(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/api/openapi.json").status_code == 200


def test_creating_the_app_opens_nothing(tmp_path):
    app = create_app(load_settings(data_dir=tmp_path, secret_key=TEST_SECRET))
    assert app.state.store is None
    graph_dir = str(tmp_path / "graph")
    servers = [
        p
        for p in psutil.process_iter(["name", "cwd"])
        if "redis" in (p.info["name"] or "") and p.info["cwd"] == graph_dir
    ]
    assert servers == []
    assert not (tmp_path / "marsoc-app.sqlite").exists()


def test_the_app_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="MARSOC_SECRET_KEY"):
        create_app(load_settings(data_dir=tmp_path))
    with pytest.raises(ConfigurationError, match="at least 32"):
        load_settings(data_dir=tmp_path, secret_key="short")


def test_start_page_shows_counts(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nodes by label" in response.text
    assert 'href="/people?role=Prisoner"' in response.text


def test_people_page_lists_people_with_links_to_their_maps(client):
    response = client.get("/people")
    assert response.status_code == 200
    assert f"{len(ALL_PEOPLE)} people" in response.text
    assert 'href="/map/prisoner:A0001AA"' in response.text
    assert "Ronald HARVEY" in response.text


def test_people_search_by_name_any_case(client):
    body = client.get("/api/people", params={"q": "harvey"}).json()
    assert {p["id"] for p in body["items"]} == {"prisoner:A0001AA", "visitor:V000001"}
    assert body["total"] == 2
    page = client.get("/people", params={"q": "HARVEY"})
    assert "2 people matching" in page.text


def test_people_search_by_id_or_pnc(client):
    assert [p["id"] for p in client.get("/api/people", params={"q": "a0002"}).json()["items"]] == ["prisoner:A0002BB"]
    assert [p["id"] for p in client.get("/api/people", params={"q": "7654321"}).json()["items"]] == ["person:P000001"]


def test_people_filter_by_role(client):
    body = client.get("/api/people", params={"role": "Prisoner"}).json()
    assert body["total"] == 4
    assert all(p["roles"] == ["Prisoner"] for p in body["items"])
    staff = client.get("/api/people", params={"role": "Staff"}).json()
    assert [p["name"] for p in staff["items"]] == ["Paul BENT"]
    both = client.get("/api/people", params={"role": "Visitor", "q": "harvey"}).json()
    assert [p["id"] for p in both["items"]] == ["visitor:V000001"]


def test_people_pagination(client):
    first = client.get("/api/people", params={"per_page": 10}).json()
    assert first["pages"] == -(-len(ALL_PEOPLE) // 10)
    seen = [p["id"] for p in first["items"]]
    for page in range(2, first["pages"] + 1):
        seen += [p["id"] for p in client.get("/api/people", params={"per_page": 10, "page": page}).json()["items"]]
    assert len(seen) == len(set(seen)) == len(ALL_PEOPLE)
    html_page = client.get("/people", params={"per_page": 10, "page": 2}).text
    assert 'rel="prev"' in html_page and 'rel="next"' in html_page
    assert "page 2 of" in html_page


def test_people_rejects_unknown_roles_and_bad_pages(client):
    assert client.get("/api/people", params={"role": "Bogus"}).status_code == 422
    assert client.get("/api/people", params={"page": 0}).status_code == 422
    response = client.get("/people", params={"role": "Bogus"}, headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "role must be one of" in response.text


def test_names_are_escaped_in_pages(client):
    text = client.get("/people", params={"q": "eve"}).text
    assert XSS_NAME not in text
    assert "<img" not in text
    assert "Eve &lt;img src=x onerror=" in text


def test_a_name_with_an_apostrophe_is_found(client):
    body = client.get("/api/people", params={"q": "o'brien"}).json()
    assert [p["id"] for p in body["items"]] == ["prisoner:A0003CC"]
