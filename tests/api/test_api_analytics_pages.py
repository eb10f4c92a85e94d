"""The analytics pages on the real app: each page answers at once and its result (fetched
with ``part=result``) shows what ``/api/v1/analytics`` computes for the same scope, is
audited, and keeps to the reader's visible graph."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from conftest import JUSTIFICATION, sign_in

PAGE = {"Accept": "text/html"}
NAMES = ("bridges", "hubs", "cohort", "communities", "keyplayers", "changes", "disruption")


def ids_in(html: str) -> list[str]:
    """The node ids shown in ``<code>`` cells, in order."""
    return [unescape(m) for m in re.findall(r"<code>([a-z]+:[^<]+)</code>", html)]


def result(client, name: str, query: str = "", headers=None):
    found = client.get(f"/analytics/{name}?{query}&part=result".replace("?&", "?"), headers={**PAGE, **(headers or {})})
    assert found.status_code == 200, found.text[:500]
    return found.text


def test_the_index_lists_every_page_and_each_page_answers_at_once(client):
    index = client.get("/analytics", headers=PAGE)
    assert index.status_code == 200
    for name in NAMES:
        assert f'href="/analytics/{name}"' in index.text
        shell = client.get(f"/analytics/{name}?min_intel_eval=B", headers=PAGE)
        assert shell.status_code == 200
        source = re.search(r'data-src="([^"]+)"', shell.text).group(1)
        assert unescape(source) == f"/analytics/{name}?min_intel_eval=B&part=result"  # the scope is kept
        assert "<progress" in shell.text and 'src="/static/analytics.js"' in shell.text
        assert 'option value="B" selected' in shell.text


@pytest.mark.parametrize("query", ["", "min_intel_eval=B", "as_of=2024-03-15"])
def test_the_ranked_pages_show_the_api_result_for_the_same_scope(client, query):
    for name, key in (("bridges", "results"), ("cohort", None), ("hubs", None)):
        api = client.get(f"/api/v1/analytics/{name}?top=20&{query}").json()["result"]
        ranked = api[key] if key else api
        shown = ids_in(result(client, name, query))
        assert [r["id"] for r in ranked] == [i for i in shown if i in {r["id"] for r in ranked}]
        assert len({r["id"] for r in ranked} - set(shown)) == 0
    api = client.get(f"/api/v1/analytics/keyplayers?{query}").json()["result"]
    shown = ids_in(result(client, "keyplayers", query))
    assert shown == api["kpp_neg"]["nodes"] + api["kpp_pos"]["nodes"]


def test_communities_changes_and_disruption_pages(client):
    api = client.get("/api/v1/analytics/communities").json()["result"]
    assert f"{api['count']} communities" in result(client, "communities")
    changes = result(client, "changes", "since=2023-01-01&until=2024-12-31")
    assert "Between 2023-01-01 and 2024-12-31: 1 new links (HELD_AT 1)" in changes
    default = result(client, "changes")  # the 28 days before today
    assert re.search(r"Between (\d{4}-\d\d-\d\d) and (\d{4}-\d\d-\d\d)", default)
    curve = client.post("/api/v1/analytics/disruption", json={"steps": 3, "strategy": "degree"}).json()["result"]
    page = result(client, "disruption", "steps=3&strategy=degree")
    assert 'data-points="4"' in page  # the curve drawn: before, then each step
    assert ids_in(page) == curve["removed"]
    named = result(client, "disruption", "remove=prisoner:A0001AA,+staff:S00001")
    assert ids_in(named) == ["prisoner:A0001AA", "staff:S00001"] and "The people named" in named


def test_a_form_sent_with_blank_fields_means_those_filters_are_not_given(client):
    blank = "as_of=&from=&to=&min_source_eval=&min_intel_eval=&top=20"
    assert ids_in(result(client, "bridges", blank)) == ids_in(result(client, "bridges"))
    page = result(client, "disruption", "as_of=&from=&to=&strategy=degree&mode=block&steps=2&remove=")
    assert 'data-points="3"' in page


def test_bad_parameters_are_refused_with_the_reason(client):
    cases = [
        ("/analytics/nope", 404, "pages: bridges"),
        ("/analytics/disruption?part=result&remove=prisoner:A0001AA,prisoner:A0001AA", 422, "name each person once"),
        ("/analytics/disruption?part=result&steps=21", 422, ""),
        ("/analytics/disruption?part=result&remove=" + ",".join(f"x:{i}" for i in range(21)), 422, "at most 20"),
        ("/analytics/bridges?part=result&top=0", 422, ""),
        ("/analytics/changes?part=result&until=2024-13-45", 422, ""),
        ("/analytics/bridges/prisoner:A0001AA", 404, "not among the top 20 bridges"),
        ("/analytics/bridges?part=everything", 422, ""),
    ]
    for path, status, text in cases:
        found = client.get(path, headers=PAGE)
        assert found.status_code == status, (path, found.text[:300])
        assert text in unescape(found.text), path
        assert "Traceback" not in found.text


def test_only_the_result_is_a_consultation_and_it_names_the_entities(client):
    audit = client.app.state.audit
    before = len(audit.entries())
    client.get("/analytics/bridges", headers=PAGE)
    assert len(audit.entries()) == before  # the page itself shows no one
    result(client, "bridges")
    records = audit.entries()[before:]
    assert len(records) == 1 and records[0].justification == JUSTIFICATION
    assert "staff:S00001" in records[0].entity_ids and records[0].endpoint == "GET /analytics/bridges"


def map_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1))


def test_a_bridge_page_draws_its_evidence_paths_and_lists_the_graded_facts(client):
    api = client.get("/api/v1/analytics/bridges?top=20").json()["result"]["results"][0]
    page = client.get(f"/analytics/bridges/{api['id']}", headers=PAGE)
    assert page.status_code == 200
    drawn = {n["id"] for n in map_data(page.text)["nodes"]}
    on_paths = {n for p in api["paths"] for n in p["nodes"]} | {p["ocg"] for p in api["paths"]}
    assert on_paths <= drawn
    assert len(map_data(page.text)["edges"]) >= sum(p["hops"] for p in api["paths"])
    text = unescape(page.text)
    for path in api["paths"]:
        for step in path["steps"]:
            for item in step["evidence"]:
                assert f"[{item['grading']}]" in text
    # the police-only C link on the path: its handling condition is on the banner
    assert "Handling: Not for onward disclosure" in text


def test_another_agency_sees_no_bridge_built_on_a_fact_it_may_not_see(client):
    hmpps = sign_in(client, "analyst.hmpps")
    shown = result(client, "bridges", headers=hmpps)
    police = client.get("/api/v1/analytics/bridges").json()["result"]["results"]
    ours = client.get("/api/v1/analytics/bridges", headers=hmpps).json()["result"]["results"]
    assert [b["id"] for b in ours] == [i for i in ids_in(shown) if i.startswith("staff:")]
    assert police and "ASSOCIATE_OF report" not in unescape(shown)  # the C fact named by police's reasons
    page = client.get(f"/analytics/bridges/{police[0]['id']}", headers={**PAGE, **hmpps})
    if page.status_code == 200:
        assert "Not for onward disclosure" not in page.text and "IR-2024-000001" not in page.text
    else:
        assert page.status_code == 404


def test_viewers_get_no_analytics_and_no_link_to_them(client):
    viewer = sign_in(client, "viewer.police")
    assert client.get("/analytics/bridges?part=result", headers={**PAGE, **viewer}).status_code == 403
    home = client.get("/", headers={**PAGE, **viewer})
    assert 'href="/analytics"' not in home.text
    assert 'href="/analytics"' in client.get("/", headers=PAGE).text
