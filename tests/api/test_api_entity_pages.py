"""The workspace's search and entity pages on the real app: every kind of entity found,
an entity's links grouped with their grading and provenance, its timeline, and its
identity candidates with the analysts' decisions; only what the reader may see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from conftest import sign_in
from fastapi.testclient import TestClient
from sample_graph import build_data_dir

from graph_service.api.app import create_app
from graph_service.api.routers.entity_pages import timeline

PAGE = {"Accept": "text/html"}


def entity_links(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'class="entity-link" href="/entity/([^"]+)"', html)]


def test_search_finds_every_kind_and_links_to_the_entity_page(client):
    found = client.get("/search?q=malone", headers=PAGE)
    assert found.status_code == 200 and entity_links(found.text) == ["prisoner:A0002BB"]
    phones = client.get("/search?q=77009000&kind=phone", headers=PAGE).text
    assert entity_links(phones) and all(i.startswith("phone:") for i in entity_links(phones))
    ocg = client.get("/search?q=OCG-0001", headers=PAGE).text
    assert "ocg:OCG-0001" in entity_links(ocg)
    assert "at least two characters" in client.get("/search?q=m", headers=PAGE).text
    assert client.get("/search?kind=car&q=ab", headers=PAGE).status_code == 422
    assert client.get("/search", headers=PAGE).status_code == 200  # the empty form


def test_the_entity_page_lists_every_link_with_grading_and_provenance(client):
    api = client.get("/api/v1/entities/prisoner:A0001AA").json()
    page = client.get("/entity/prisoner:A0001AA", headers=PAGE)
    assert page.status_code == 200
    text = unescape(page.text)
    for kind, n in api["links_by_type"].items():
        assert f'{kind} <span class="muted">({n})</span>' in text
    police = next(l for l in api["links"] if l["source_ref"] == "IR-2024-000001")
    assert "IR-2024-000001" in text and police["handling_conditions"] in text
    assert "Handling: Not for onward disclosure" in text  # on the marking banner
    assert 'class="timeline-bar"' in text  # held at HMP-AAA since 2023-01-01
    assert client.get("/entity/prisoner:NOPE", headers=PAGE).status_code == 404
    assert client.get("/entity/nonsense", headers=PAGE).status_code == 404


def test_another_agency_sees_neither_the_fact_nor_its_conditions(client):
    hmpps = {**PAGE, **sign_in(client, "analyst.hmpps")}
    text = client.get("/entity/prisoner:A0001AA", headers=hmpps).text
    assert "IR-2024-000001" not in text and "Not for onward disclosure" not in text
    assert "person:P000001" not in text  # the far end of the hidden fact


def test_the_timeline_places_periods_and_events():
    from types import SimpleNamespace as L

    links = [
        L(type="HELD_AT", valid_from="2020-01-01", valid_to="2021-01-01", other="establishment:A"),
        L(type="VISITED", valid_from=None, valid_to=None, first="2020-07-01T10:00:00", last=None, other="visitor:V"),
        L(type="CALLED", valid_from=None, valid_to=None, first="2021-01-01", last="2021-01-01", other="phone:1"),
        L(type="ASSOCIATE_OF", valid_from="2020-05-01", valid_to=None, other="person:P"),  # not a timeline type
        L(type="LIVES_IN", valid_from=None, valid_to=None, other="postcode:X"),  # undated
    ]
    drawn = timeline(links)
    assert [r["type"] for r in drawn["rows"]] == ["HELD_AT", "VISITED", "CALLED"]
    assert (drawn["first"], drawn["last"]) == ("2020-01-01", "2021-01-01")
    visit = drawn["rows"][1]["marks"][0]
    assert visit["width"] == 0 and 355 < visit["x"] < 365  # a point half way through the year
    assert timeline([])["rows"] == []


@pytest.fixture(scope="module")
def deciding(tmp_path_factory) -> Iterator[TestClient]:
    settings = build_data_dir(tmp_path_factory.mktemp("entity-pages-data"))
    with TestClient(create_app(settings)) as client:
        client.headers.update(sign_in(client, "analyst.police"))
        yield client


def test_identity_candidates_and_decisions_show_on_the_person_page(deciding):
    page = deciding.get("/entity/visitor:V000001", headers=PAGE).text
    assert "The resolver proposed no other record" in page
    decided = deciding.post(
        "/api/v1/identity/decisions", json={"left": "visitor:V000001", "right": "prisoner:A0001AA", "decision": "same"}
    )
    assert decided.status_code == 200
    page = unescape(deciding.get("/entity/visitor:V000001", headers=PAGE).text)
    assert 'data-decision="different"' in page and 'same <span class="muted">by analyst.police' in page
    assert '<script src="/static/entity.js">' in page
    viewer = {**PAGE, **sign_in(deciding, "viewer.police")}
    seen = deciding.get("/entity/visitor:V000001", headers=viewer).text
    assert "Identity candidates" not in seen and "entity.js" not in seen  # decisions are for analysts
