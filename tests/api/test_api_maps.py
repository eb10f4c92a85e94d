"""Network maps: the k-hop JSON, the offline map page and its download."""

from __future__ import annotations

import re

from conftest import sign_in
from sample_graph import XSS_NAME, expected_neighbourhood

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_network_json_is_the_two_hop_neighbourhood(client):
    body = client.get("/api/network/prisoner:A0001AA").json()
    assert body["centre"] == "prisoner:A0001AA"
    assert body["hops"] == 2
    assert {n["id"] for n in body["nodes"]} == expected_neighbourhood("prisoner:A0001AA", 2)
    assert body["capped"] is False and body["note"] is None
    assert "HELD_AT" not in body["link_types"] and "EMPLOYED_AT" not in body["link_types"]
    called = [l for l in body["links"] if l["type"] == "CALLED" and l["source"] == "phone:+447700900001"]
    assert called and called[0]["label"] == "CALLED ×12"
    associate = next(l for l in body["links"] if l["type"] == "ASSOCIATE_OF")
    assert associate["grading"] == "2/B/C"
    assert associate["properties"]["handling_conditions"] == "Not for onward disclosure"
    assert associate["properties"]["source_ref"] == "IR-2024-000001"
    assert associate["properties"]["firstseen"] == "2025-01-01T00:00:00+00:00"


def test_hops_and_link_types_change_the_map(client):
    one = client.get("/api/network/prisoner:A0001AA", params={"hops": 1}).json()
    assert {n["id"] for n in one["nodes"]} == expected_neighbourhood("prisoner:A0001AA", 1)
    alone = client.get("/api/network/prisoner:A0001AA", params={"hops": 0}).json()
    assert [n["id"] for n in alone["nodes"]] == ["prisoner:A0001AA"]
    custody = client.get("/api/network/prisoner:A0001AA", params={"hops": 1, "types": ["HELD_AT", "VISITED"]}).json()
    assert {n["id"] for n in custody["nodes"]} == {"prisoner:A0001AA", "establishment:HMP-AAA", "visitor:V000001"}
    assert custody["link_types"] == ["HELD_AT", "VISITED"]


def test_link_types_outside_the_schema_and_store_are_refused(client):
    for name in ("NOT_A_TYPE", "VISITED]->() DETACH DELETE (x"):
        response = client.get("/api/network/prisoner:A0001AA", params={"types": [name]})
        assert response.status_code == 422
        assert "unknown link type" in response.json()["detail"]


def test_an_establishment_map_follows_custody_links_by_default(client):
    body = client.get("/api/network/establishment:HMP-AAA", params={"hops": 1}).json()
    assert {n["id"] for n in body["nodes"]} == expected_neighbourhood("establishment:HMP-AAA", 1, exclude=())


def test_the_node_cap_is_applied_and_stated(client):
    body = client.get("/api/network/prisoner:A0003CC", params={"hops": 1, "max_nodes": 10}).json()
    assert body["capped"] is True
    assert body["node_count"] == 10
    assert "Map cut at 10 nodes" in body["note"]
    # exactly what was left out: the 31-node 1-hop network less the 10 drawn, all visitors
    folded = body["folded"]
    assert {k: folded[k] for k in ("hop", "count", "by_kind")} == {"hop": 1, "count": 21, "by_kind": {"visitor": 21}}
    # drawn as one group (no OCG or establishment for these visitors), hanging from the centre
    [group] = folded["groups"]
    assert group["by"] == "kind" and group["key"] == "visitor" and group["count"] == 21
    assert group["links"] == [["prisoner:A0003CC", 21]] and group["id"].startswith("folded:prisoner:A0003CC:")
    assert "21 more at hop 1 are not drawn (21 visitor)" in body["note"] and "1 group node" in body["note"]
    deeper = client.get("/api/network/prisoner:A0003CC", params={"hops": 3, "max_nodes": 10}).json()
    assert "the hops beyond them were not followed" in deeper["note"]
    page = client.get("/map/prisoner:A0003CC", params={"hops": 1, "max_nodes": 10})
    assert "Map cut at 10 nodes" in page.text
    full = client.get("/api/network/prisoner:A0003CC", params={"hops": 1}).json()
    assert full["capped"] is False and full["node_count"] == 31 and full["folded"] is None


def _expected_groups(left: set[str]) -> dict[tuple[str, str], int]:
    """The groups the cap should draw, from the sample's own links: people by OCG, else by
    establishment, everything else by kind."""
    from sample_graph import LINKS

    home: dict[str, tuple[str, str]] = {}
    for kind, src, dst, *_ in LINKS:
        if src in left and kind in ("HELD_AT", "EMPLOYED_AT"):
            home.setdefault(src, ("establishment", dst))
    for kind, src, dst, *_ in LINKS:
        if src in left and kind == "MEMBER_OF":
            home[src] = ("ocg", dst)
    counts: dict[tuple[str, str], int] = {}
    for node in left:
        key = home.get(node, ("kind", node.partition(":")[0]))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_what_the_cap_leaves_out_is_drawn_as_groups_by_ocg_establishment_or_kind(client, anonymous):
    whole = {n["id"] for n in client.get("/api/network/prisoner:A0001AA", params={"hops": 1}).json()["nodes"]}
    body = client.get("/api/network/prisoner:A0001AA", params={"hops": 1, "max_nodes": 1}).json()
    left = whole - {n["id"] for n in body["nodes"]}
    groups = body["folded"]["groups"]
    assert {(g["by"], g["key"]): g["count"] for g in groups} == _expected_groups(left)
    assert ("ocg", "ocg:OCG-0001") in {(g["by"], g["key"]) for g in groups}  # person:P000001, through the police C link
    assert sum(g["count"] for g in groups) == body["folded"]["count"] == len(left)
    assert all(g["links"] == [["prisoner:A0001AA", g["count"]]] for g in groups)
    ocg = next(g for g in groups if g["by"] == "ocg")
    assert ocg["name"] == "Eastside Crew" and ocg["by_kind"] == {"person": 1}
    # another agency: the police-only link is not followed, so no group stands for its far end
    hmpps = anonymous.get(
        "/api/network/prisoner:A0001AA", params={"hops": 1, "max_nodes": 1}, headers=sign_in(anonymous, "analyst.hmpps")
    ).json()
    assert "ocg" not in {g["by"] for g in hmpps["folded"]["groups"]}
    assert sum(g["count"] for g in hmpps["folded"]["groups"]) == hmpps["folded"]["count"] == len(left) - 1
    # the map page draws each group as one node linked to the drawn node, and says so
    page = client.get("/map/prisoner:A0001AA", params={"hops": 1, "max_nodes": 1}).text
    # the audit record names what the page showed, the group's OCG included
    record = client.app.state.audit.entries(username="analyst.police", limit=100_000)[-1]
    assert "ocg:OCG-0001" in record.entity_ids and "prisoner:A0001AA" in record.entity_ids
    drawn = _map_nodes(page)
    assert {i for i, n in drawn.items() if n.get("folded")} == {g["id"] for g in groups}
    assert next(n for n in drawn.values() if n.get("anchor") == "ocg:OCG-0001")["label"] == "1 more: Eastside Crew"
    assert "drawn as" in page and "group node" in page
    ocg_node = next(n for n in drawn.values() if n.get("anchor") == "ocg:OCG-0001")
    said = dict(ocg_node["details"])
    assert said["not drawn"] == "1 node (1 person), reached at hop 1"  # one hop asked for: none beyond
    assert said["grouped by"] == "organised crime group: Eastside Crew (ocg:OCG-0001)"
    deeper = dict(
        next(
            n
            for n in _map_nodes(client.get("/map/prisoner:A0003CC?hops=2&max_nodes=10").text).values()
            if n.get("folded")
        )["details"]
    )
    assert deeper["not drawn"].endswith("the hops beyond were not followed")
    # an expansion in place brings no group nodes: they would count nodes the page draws
    expansion = client.get("/api/v1/map-data/prisoner:A0001AA", params={"hops": 1, "max_nodes": 1}).json()
    assert not [n for n in expansion["nodes"] if n.get("folded")] and "Map cut at 1 nodes" in expansion["note"]


def test_the_group_of_a_person_left_out_is_a_current_membership_then_a_current_prison_then_the_latest():
    from graph_service.store.port import _home_rank

    def home(*rows):
        made = [dict(zip(("labels", "key", "since", "until"), r)) for r in rows]
        return sorted(made, key=_home_rank("2026-06-01"))[-1]["key"]

    ocg, prison = ["OCG"], ["Establishment"]
    ended_crew = (ocg, "ocg:OLD", "2015-01-01", "2019-01-01")
    assert home(ended_crew, (prison, "establishment:NOW", "2025-01-01", None)) == "establishment:NOW"
    assert (
        home(ended_crew, (ocg, "ocg:NOW", "2024-01-01", None), (prison, "establishment:NOW", "2025-01-01", None))
        == "ocg:NOW"
    )
    assert (
        home(
            (prison, "establishment:A", "2020-01-01", "2021-01-01"),
            (prison, "establishment:B", "2021-01-01", "2022-05-01"),
        )
        == "establishment:B"
    )
    assert (
        home((prison, "establishment:A", "2020-01-01", None), (prison, "establishment:B", "2023-01-01", None))
        == "establishment:B"
    )


def test_bad_map_parameters_are_refused(client):
    assert client.get("/api/network/prisoner:A0001AA", params={"hops": 9}).status_code == 422
    assert client.get("/api/network/prisoner:A0001AA", params={"types": ["not a type"]}).status_code == 422
    assert client.get("/api/network/prisoner:A0001AA", params={"max_nodes": 0}).status_code == 422


def test_unknown_nodes_are_404_in_json_and_html(client):
    response = client.get("/api/network/prisoner:NOPE")
    assert response.status_code == 404
    assert "prisoner:NOPE" in response.json()["detail"]
    page = client.get("/map/prisoner:NOPE", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "no node with id" in page.text


def test_ids_with_spaces_and_plus_signs(client):
    postcode = client.get("/api/network/postcode:SE1 7PB", params={"hops": 1}).json()
    assert {n["id"] for n in postcode["nodes"]} == {"postcode:SE1 7PB", "visitor:V000001", "visitor:V000002"}
    assert client.get("/map/postcode:SE1%207PB").status_code == 200
    phone = client.get("/api/network/phone:+447700900001", params={"hops": 1}).json()
    assert phone["centre"] == "phone:+447700900001" and phone["node_count"] == 4


def test_map_page_is_offline_with_vis_network_inlined(client):
    response = client.get("/map/prisoner:A0001AA")
    assert response.status_code == 200
    text = response.text
    assert EXTERNAL.search(text) is None
    assert "<script src" not in text  # vis-network is inlined, not fetched
    assert "vis-network" in text and "vis.Network" in text
    assert 'id="map-canvas"' in text and 'id="map-data"' in text
    assert "Legend" in text and "Prisoner" in text and "Nominal" in text
    assert len(text) > 400_000  # the library itself is in the page


def test_map_data_cannot_break_out_of_its_script(client):
    text = client.get("/map/prisoner:A0004DD", params={"hops": 1}).text
    data = text.split('id="map-data">', 1)[1].split("</script>", 1)[0]
    assert "<img" not in data and "\\u003cimg" in data
    assert XSS_NAME not in text


def test_download_gives_one_standalone_offline_file(client):
    response = client.get("/map/prisoner:A0001AA", params={"download": "true", "recipients": "Op TESTBED hub, DS Khan"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="map-prisoner_A0001AA-2hops.html"'
    text = response.text
    assert text.startswith("<!DOCTYPE html>")
    assert EXTERNAL.search(text) is None
    assert "/static/" not in text  # nothing served by us either: it works from a USB stick
    assert "vis.Network" in text and "Ronald HARVEY" in text


def test_a_download_is_a_disclosure_to_its_recipients(client, anonymous):
    missing = client.get("/map/prisoner:A0001AA", params={"download": "true"})
    assert missing.status_code == 422 and "recipients" in missing.json()["detail"]
    viewer = sign_in(anonymous, "viewer.police")
    refused = anonymous.get("/map/prisoner:A0001AA", params={"download": "true", "recipients": "x"}, headers=viewer)
    assert refused.status_code == 403 and "exports" in refused.json()["detail"]
    assert 'name="recipients"' not in anonymous.get("/map/prisoner:A0001AA", headers=viewer).text  # no download form
    assert 'name="recipients"' in client.get("/map/prisoner:A0001AA").text
    found = client.get("/map/prisoner:A0001AA", params={"download": "true", "recipients": "Op TESTBED hub; DS Khan"})
    assert found.status_code == 200
    record = client.app.state.audit.entries(username="analyst.police", limit=100_000)[-1]
    assert record.action == "disclosure" and record.recipients == ["Op TESTBED hub", "DS Khan"]
    assert "prisoner:A0001AA" in record.entity_ids and record.justification


def test_every_page_and_export_carries_the_marking_and_the_conditions_shown(client, anonymous):
    home = client.get("/", headers={"Accept": "text/html"}).text
    assert home.count('aria-label="Protective marking">OFFICIAL-SENSITIVE') == 2  # top and bottom
    police = client.get("/map/prisoner:A0001AA?hops=1").text
    assert "Handling: Not for onward disclosure" in police
    hmpps = anonymous.get("/map/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.hmpps")).text
    assert "OFFICIAL-SENSITIVE" in hmpps and "Handling:" not in hmpps
    exported = client.get("/map/prisoner:A0001AA", params={"hops": 1, "download": "true", "recipients": "hub"}).text
    assert exported.count("OFFICIAL-SENSITIVE</") + exported.count("OFFICIAL-SENSITIVE<span") == 2
    assert "Handling: Not for onward disclosure" in exported


def test_the_marking_comes_from_the_settings(sample_settings, library_root):
    from fastapi.testclient import TestClient

    from graph_service.api.app import create_app

    app = create_app(sample_settings.model_copy(update={"protective_marking": "SECRET"}))
    with TestClient(app) as other:
        other.headers.update(sign_in(other, "viewer.police"))
        assert 'aria-label="Protective marking">SECRET' in other.get("/", headers={"Accept": "text/html"}).text


def test_map_data_is_what_the_map_script_adds_when_a_node_is_expanded(client, anonymous):
    found = client.get("/api/v1/map-data/prisoner:A0001AA?hops=1").json()
    network = client.get("/api/v1/network/prisoner:A0001AA?hops=1").json()
    assert {n["id"] for n in found["nodes"]} == {n["id"] for n in network["nodes"]}
    assert len(found["edges"]) == network["link_count"]
    assert all(e["id"] == f"{e['from']}|{e['to']}|{e['id'].rsplit('|', 1)[1]}" for e in found["edges"])
    again = client.get("/api/v1/map-data/prisoner:A0001AA?hops=1").json()
    assert [e["id"] for e in again["edges"]] == [e["id"] for e in found["edges"]]  # stable ids: merged once
    police = next(e for e in found["edges"] if e["link_type"] == "ASSOCIATE_OF")
    assert (police["source_eval"], police["intel_eval"], police["start"]) == ("2", "B", "2024-03-01")
    hmpps = anonymous.get("/api/v1/map-data/prisoner:A0001AA?hops=1", headers=sign_in(anonymous, "analyst.hmpps"))
    assert "person:P000001" not in {n["id"] for n in hmpps.json()["nodes"]}
    assert client.get("/api/v1/map-data/prisoner:NOPE").status_code == 404


def test_weak_gradings_and_identity_candidates_are_drawn_dashed():
    from viz.network_map import link_facets

    assert link_facets({"type": "POSSIBLY_SAME_AS"})["dashes"] is True
    assert link_facets({"type": "ASSOCIATE_OF", "source_eval": "3"})["dashes"] is True
    assert link_facets({"type": "ASSOCIATE_OF", "intel_eval": "E"})["dashes"] is True
    assert link_facets({"type": "ASSOCIATE_OF", "source_eval": "1", "intel_eval": "B"})["dashes"] is False


def _map_nodes(html: str) -> dict[str, dict]:
    import json

    data = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1)
    return {n["id"]: n for n in json.loads(data)["nodes"]}


def test_a_map_sized_by_a_ranking_draws_the_ranked_larger_with_their_score(client, anonymous):
    from viz.network_map import SCORE_BORDER, style_for

    plain = _map_nodes(client.get("/map/prisoner:A0001AA?hops=3").text)
    sized = _map_nodes(client.get("/map/prisoner:A0001AA?hops=3&score=bridges").text)
    top = client.get("/api/v1/analytics/bridges?top=200").json()["result"]["results"]
    ranked = {b["id"] for b in top} & set(sized)
    assert ranked, "the sample's bridge is on this map"
    for node_id in ranked:
        assert sized[node_id]["size"] > plain[node_id]["size"] >= style_for(["Staff"]).size
        assert sized[node_id]["color"]["border"] == SCORE_BORDER
        assert any(row[0] == "bridge score" for row in sized[node_id]["details"])
    assert all(sized[n]["size"] == plain[n]["size"] for n in set(plain) - ranked)
    cohort = _map_nodes(client.get("/map/prisoner:A0001AA?hops=2&score=cohort").text)
    ranked_people = {c["id"] for c in client.get("/api/v1/analytics/cohort?top=200").json()["result"]}
    assert {n for n, d in cohort.items() if "score" in d} == ranked_people & set(cohort) != set()
    viewer = anonymous.get("/map/prisoner:A0001AA?score=bridges", headers=sign_in(anonymous, "viewer.police"))
    assert viewer.status_code == 403 and "analytics" in viewer.json()["detail"]
    assert client.get("/map/prisoner:A0001AA?score=nonsense").status_code == 422
