"""The pages in a real browser: people -> map -> details, and the console."""

from __future__ import annotations

import re
from typing import Any

import browser_sample_graph as sample_graph  # registered by conftest.py
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def open_map_ready(page: Any) -> None:
    page.locator("body[data-map-ready='true']").wait_for(state="attached")


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates (the map scrolled into view first)."""
    page.locator("#map-canvas").scroll_into_view_if_needed()
    dom = page.evaluate("id => { const p = network.getPositions([id])[id]; return network.canvasToDOM(p); }", node_id)
    box = page.locator("#map-canvas").bounding_box()
    return box["x"] + dom["x"], box["y"] + dom["y"]


def test_people_page_lists_people_and_searches(page, recorder):
    page.goto("/people")
    rows = page.locator("table.people tbody tr")
    assert rows.count() == min(50, len(sample_graph.ALL_PEOPLE))
    page.get_by_label("Name, id or PNC number").fill("harvey")
    page.get_by_label("Name, id or PNC number").press("Enter")
    page.wait_for_url("**/people?q=harvey**")
    assert page.locator("table.people tbody tr").count() == 2
    assert "2 people matching" in page.locator("#people-summary").inner_text()
    page.get_by_label("Role").select_option("Visitor")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**role=Visitor**")
    assert page.locator("table.people tbody tr").count() == 1


def test_clicking_a_person_opens_an_offline_map_of_their_network(page, recorder):
    page.goto("/people?q=ronald")
    page.get_by_role("link", name="Ronald HARVEY").click()
    page.wait_for_url("**/map/prisoner:A0001AA")
    open_map_ready(page)
    expected = sample_graph.expected_neighbourhood("prisoner:A0001AA", 2)
    assert page.evaluate("network.body.data.nodes.length") == len(expected)
    assert set(page.evaluate("mapNodes.getIds()")) == expected
    canvas = page.locator("#map-canvas canvas")
    assert canvas.count() == 1
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    # The canvas is drawn on: some pixels are not background.
    painted = page.evaluate(
        """() => { const c = document.querySelector('#map-canvas canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    assert painted > 1000
    assert page.locator(".map-legend").first.is_visible()
    # vis-network came inline: no script or stylesheet was fetched for it.
    assert not [u for u in recorder.requests if "vis" in u.lower()]


def test_clicking_a_node_shows_its_details_and_hover_its_tooltip(page, recorder):
    page.goto("/map/prisoner:A0001AA")
    open_map_ready(page)
    x, y = node_point(page, "person:P000001")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert "Marcus COLE" in tooltip.inner_text()
    page.mouse.click(x, y)
    details = page.locator("#map-details")
    details.locator("h2", has_text="Marcus COLE").wait_for()
    text = details.inner_text()
    assert "person:P000001" in text and "Nominal" in text
    assert "source_ref" in text and "firstseen" in text
    assert (
        details.get_by_role("link", name="Map from this node").get_attribute("href").startswith("/map/person%3AP000001")
    )


def test_clicking_a_link_shows_grading_and_provenance(page, recorder):
    page.goto("/map/prisoner:A0001AA?hops=1")
    open_map_ready(page)
    ax, ay = node_point(page, "prisoner:A0001AA")
    bx, by = node_point(page, "person:P000001")
    # The ASSOCIATE_OF link is drawn between the two; click a point on it away from both nodes.
    edge_id = page.evaluate("mapEdges.get({filter: e => e.link_type === 'ASSOCIATE_OF'})[0].id")
    page.evaluate("id => network.selectEdges([id])", edge_id)
    details = page.locator("#map-details")
    for share in (0.5, 0.42, 0.58, 0.35, 0.65):  # a point on the line, away from the label's edge
        page.mouse.click(ax + (bx - ax) * share, ay + (by - ay) * share)
        if details.get_attribute("data-selected") == edge_id:
            break
    assert details.get_attribute("data-selected") == edge_id
    text = details.inner_text()
    assert "2/B/C" in text and "Not for onward disclosure" in text and "IR-2024-000001" in text


def test_the_node_table_works_from_the_keyboard(page, recorder):
    page.goto("/map/prisoner:A0001AA")
    open_map_ready(page)
    button = page.get_by_role("button", name="Show details of Sharon HARVEY")
    button.focus()
    page.keyboard.press("Enter")
    page.locator("#map-details h2", has_text="Sharon HARVEY").wait_for()
    assert page.evaluate("network.getSelectedNodes()") == ["visitor:V000001"]


def test_markup_in_names_never_runs(page, recorder):
    page.goto("/map/prisoner:A0004DD?hops=1")
    open_map_ready(page)
    page.get_by_role("button", name="Show details of " + sample_graph.XSS_NAME).click()
    page.locator("#map-details h2").wait_for()
    assert sample_graph.XSS_NAME in page.locator("#map-details h2").inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0


def test_a_capped_map_says_so(page, recorder):
    page.goto("/map/prisoner:A0003CC?hops=1&max_nodes=10")
    open_map_ready(page)
    assert page.evaluate("network.body.data.nodes.get({filter: n => !n.folded}).length") == 10
    assert int(page.locator("body").get_attribute("data-map-nodes")) == 10
    assert page.evaluate("network.body.data.nodes.get({filter: n => n.folded}).length") == 1  # the 21 visitors left
    assert "Map cut at 10 nodes" in page.locator("#map-cap-note").inner_text()


def test_console_runs_a_named_query_and_shows_rows(page, recorder):
    page.goto("/console")
    page.get_by_label("Query", exact=True).select_option("people-named")
    assert "People whose name contains" in page.locator("#named-description").inner_text()
    page.get_by_label("name_part (required)").fill("harvey")
    page.get_by_role("button", name="Run named query").click()
    page.locator("#result-table tbody tr").first.wait_for()
    rows = page.locator("#result-table tbody tr")
    assert rows.count() == 2
    assert "Ronald HARVEY" in rows.first.inner_text()
    assert "2 rows" in page.locator("#result-status").inner_text()


def test_console_draws_a_result_as_a_graph(page, recorder):
    page.goto("/console")
    page.get_by_label("Query", exact=True).select_option("links-of-person")
    page.get_by_label("person_id (required)").fill("prisoner:A0001AA")
    page.get_by_role("button", name="Run named query").click()
    page.locator("body[data-graph-nodes]").wait_for(state="attached")
    rows = page.locator("#result-table tbody tr").count()
    entity = page.request.get("/api/v1/entities/prisoner:A0001AA", headers={"X-Justification": "Op TESTBED"}).json()
    expected = {"prisoner:A0001AA"} | {link["other"] for link in entity["links"]}
    assert int(page.locator("body").get_attribute("data-graph-nodes")) == len(expected)
    assert int(page.locator("body").get_attribute("data-graph-links")) == rows == len(entity["links"]) > 0
    assert page.locator("#result-graph-box").is_visible()
    # a result with no nodes has no graph
    page.get_by_label("Cypher statement").fill("MATCH (p:Prisoner) RETURN p.id AS id")
    page.get_by_role("button", name="Run Cypher").click()
    expect(page.locator("#result-status")).to_contain_text("rows")
    assert page.locator("#result-graph-box").is_hidden()


def test_the_console_editor_completes_from_the_store_and_shows_the_parsers_errors(page, recorder):
    page.goto("/console")
    page.locator("body[data-cypher-editor='ready']").wait_for(state="attached")
    editor = page.get_by_label("Cypher statement")
    editor.fill("MATCH (n:Pri")
    page.keyboard.press("Control+Space")
    options = page.locator(".cm-tooltip-autocomplete li")
    options.first.wait_for()
    assert any("Prisoner" in t for t in options.all_inner_texts())
    page.keyboard.press("Escape")
    editor.fill("MATCH (n:Prisoner RETURN n")
    page.locator("body[data-cypher-errors]:not([data-cypher-errors='0'])").wait_for(state="attached")
    assert "syntax error" in page.locator("#cypher-problems").inner_text()
    editor.fill("MATCH (n:Prisoner) RETURN n.name AS name LIMIT 3")
    page.locator("body[data-cypher-errors='0']").wait_for(state="attached")
    editor.press("Control+Enter")
    expect(page.locator("#result-status")).to_contain_text("3 rows")


def test_console_runs_cypher_and_refuses_writes(page, recorder):
    recorder.allowed_statuses.add(403)  # the refused writes
    page.goto("/console")
    box = page.get_by_label("Cypher statement")
    box.fill("MATCH (o:OCG) RETURN o")
    page.get_by_role("button", name="Run Cypher").click()
    link = page.locator("#result-table tbody a")
    link.first.wait_for()
    assert link.first.get_attribute("href") == "/map/ocg%3AOCG-0001"
    assert page.locator("#result-status.caution").count() == 0
    box.fill("MATCH (o:OCG) WHERE o.id < 'ocg:Z' RETURN o.id")
    box.press("Control+Enter")
    expect(page.locator("#result-status.caution")).to_contain_text("Caution: id is indexed")
    box.fill("CREATE (n:Phone {id: 'phone:+440000000001'}) RETURN n")
    box.press("Control+Enter")
    status = page.locator("#result-status")
    expect(status).to_have_text(re.compile(r"^Refused: the console and named queries are read-only"))
    assert page.locator("#result-status.error").count() == 1
    assert page.locator("#result-table tbody tr").count() == 0
    # The named query that tries to write is refused too.
    page.get_by_label("Query", exact=True).select_option("sneaky-write")
    page.get_by_role("button", name="Run named query").click()
    expect(status).to_have_text(re.compile(r"^Refused: .*read-only"))


def test_pages_make_no_request_off_the_machine(page, recorder):
    for path in ("/", "/people", "/queries", "/console", "/map/prisoner:A0001AA", "/map/nope:nothing"):
        page.goto(path)
    recorder.allowed_statuses.add(404)  # the last one: no such node
    assert recorder.requests
    assert recorder.external() == []


def _api_ids(page: Any, node_id: str, hops: int) -> set[str]:
    found = page.request.get(f"/api/v1/network/{node_id}?hops={hops}", headers={"X-Justification": "Op TESTBED"})
    assert found.ok, found.text()
    return {n["id"] for n in found.json()["nodes"]}


def _drawn(page: Any) -> set[str]:
    return set(page.evaluate("() => network.body.data.nodes.getIds()"))


def test_a_map_expands_a_node_in_place_and_filters_hides_and_finds_paths(page, recorder):
    page.goto("/map/prisoner:A0002BB?hops=1")
    open_map_ready(page)
    first = _api_ids(page, "prisoner:A0002BB", 1)
    assert _drawn(page) == first and int(page.locator("body").get_attribute("data-map-nodes")) == len(first)
    # expand a neighbour: its own one-hop network joins the map
    leaf = sorted(first - {"prisoner:A0002BB"})[0]
    page.evaluate("id => mapSelectNode(id)", leaf)
    page.get_by_role("button", name=re.compile(r"^Expand .* one hop$")).click()
    expect(page.locator(".map-status")).to_contain_text("Expanded")
    grown = first | _api_ids(page, leaf, 1)
    assert _drawn(page) == grown and len(grown) > len(first)
    assert int(page.locator("body").get_attribute("data-map-nodes")) == len(grown)
    # a filter hides the links of a type
    total = page.evaluate("() => network.body.data.edges.length")
    kind = page.evaluate("() => network.body.data.edges.get()[0].link_type")
    of_kind = page.evaluate("k => network.body.data.edges.get({filter: e => e.link_type === k}).length", kind)
    page.get_by_text("Filter the links shown").click()
    box = page.locator(f".map-filters input[type=checkbox][value='{kind}']")
    box.uncheck()
    assert int(page.locator("body").get_attribute("data-map-links-shown")) == total - of_kind
    assert (
        page.evaluate("k => network.body.data.edges.get({filter: e => e.link_type === k && !e.hidden}).length", kind)
        == 0
    )
    box.check()
    assert int(page.locator("body").get_attribute("data-map-links-shown")) == total
    # the shortest path between two nodes, then hiding one
    page.evaluate("id => mapSelectNode(id)", leaf)
    page.get_by_role("button", name="Start a path here").click()
    far = sorted(grown - first)[0]
    page.evaluate("id => mapSelectNode(id)", far)
    page.get_by_role("button", name="Shortest path to here").click()
    path = page.locator("body").get_attribute("data-map-path").split(" ")
    assert path[0] == leaf and path[-1] == far and len(path) >= 2
    page.get_by_role("button", name=re.compile(r"^Hide ")).click()
    assert page.evaluate("id => network.body.data.nodes.get(id).hidden", far) is True
    page.get_by_role("button", name=re.compile(r"^Show \d+ hidden$")).click()
    assert page.evaluate("id => network.body.data.nodes.get(id).hidden", far) is False


def test_the_webgl_view_draws_every_node_and_reads_details_on_a_click(page, recorder):
    page.goto("/map/prisoner:A0001AA?hops=2&renderer=webgl")
    open_map_ready(page)
    expected = _api_ids(page, "prisoner:A0001AA", 2)
    assert int(page.locator("body").get_attribute("data-map-nodes")) == len(expected)
    assert set(page.evaluate("() => bigMap.getGraph().nodes()")) == expected
    assert page.evaluate("() => !!document.querySelector('#map-canvas canvas')")
    page.get_by_role("button", name="Show details of Marcus COLE").click()
    details = page.locator("#map-details")
    expect(details).to_contain_text("ASSOCIATE_OF links")
    assert details.get_attribute("data-selected") == "person:P000001"
    page.get_by_role("link", name="draw it with the interactive map instead").click()
    page.wait_for_url("**renderer=vis**")
    open_map_ready(page)


def _api_map(page: Any, node_id: str, query: str) -> dict[str, Any]:
    found = page.request.get(f"/api/v1/network/{node_id}?{query}", headers={"X-Justification": "Op TESTBED"})
    assert found.ok, found.text()
    return found.json()


def test_a_capped_map_draws_what_it_left_out_as_groups_in_both_renderers(page, recorder):
    body = _api_map(page, "prisoner:A0001AA", "hops=1&max_nodes=1")
    groups = {g["id"]: g for g in body["folded"]["groups"]}
    assert groups and body["node_count"] == 1
    page.goto("/map/prisoner:A0001AA?hops=1&max_nodes=1")
    open_map_ready(page)
    # data-map-nodes counts the nodes drawn; the groups are drawn beside them
    assert int(page.locator("body").get_attribute("data-map-nodes")) == 1
    assert _drawn(page) == {"prisoner:A0001AA", *groups}
    ocg = next(g for g in groups.values() if g["by"] == "ocg")
    page.evaluate("id => mapSelectNode(id)", ocg["id"])
    details = page.locator("#map-details")
    expect(details).to_contain_text("organised crime group: Eastside Crew (ocg:OCG-0001)")
    assert page.get_by_role("button", name=re.compile(r"^Expand ")).count() == 0  # a group is not an entity
    # the group's links are not facts: no filter for them; the node table links the group's OCG map
    page.get_by_text("Filter the links shown").click()
    assert page.locator(".map-filters input[type=checkbox][value='FOLDED']").count() == 0
    assert page.locator("#map-node-list a", has_text="Map of this group").count() == sum(
        1 for g in groups.values() if g["by"] in ("ocg", "establishment")
    )
    page.get_by_role("link", name="Map of this group's organised crime group").click()
    page.wait_for_url(re.compile(r"/map/ocg(:|%3A)OCG-0001"))
    open_map_ready(page)
    # the WebGL view: the same groups, their facts said on a click without reading an entity
    page.goto("/map/prisoner:A0001AA?hops=1&max_nodes=1&renderer=webgl")
    open_map_ready(page)
    assert int(page.locator("body").get_attribute("data-map-nodes")) == 1
    assert set(page.evaluate("() => bigMap.getGraph().nodes()")) == {"prisoner:A0001AA", *groups}
    page.evaluate("id => bigMapShow(id)", ocg["id"])
    expect(details).to_contain_text("not drawn")
    expect(page.get_by_role("link", name="Map of this group")).to_have_attribute("href", "/map/ocg%3AOCG-0001")
