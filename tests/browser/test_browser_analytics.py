"""The analytics pages in a real browser, and every page against axe-core's WCAG 2 A/AA rules.

axe-core comes from the repository's package-lock.json (installed by the suite when
missing, as Neo4j's Cypher parser is) and is injected into each page; screenshots of
the pages checked are kept in ``test-artefacts/screenshots``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import SHOTS, axe_violations

pytestmark = pytest.mark.slow


def ready(page: Any) -> None:
    """Wait for what the page draws or fetches after loading (a map, an analysis result)."""
    if page.locator("#map-canvas").count():
        page.locator("body[data-map-ready='true']").wait_for(state="attached")
    if page.locator("#analysis-result").count():
        page.locator("body[data-analysis-ready]").wait_for(state="attached")
        assert page.locator("body").get_attribute("data-analysis-ready") == "true"


PAGES = [
    "/",
    "/people",
    "/queries",
    "/console",
    "/map/prisoner:A0001AA",
    "/map/prisoner:A0001AA?renderer=webgl",
    "/map/prisoner:A0001AA?hops=1&max_nodes=1",  # what the limit left out, drawn as groups
    "/search?q=harvey",
    "/entity/prisoner:A0001AA",
    "/entity/visitor:V000001",
    "/analytics",
    "/analytics/bridges",
    "/analytics/bridges/staff:S00001",
    "/analytics/hubs",
    "/analytics/cohort",
    "/analytics/communities",
    "/analytics/keyplayers",
    "/analytics/changes?since=2023-01-01&until=2024-12-31",
    "/analytics/disruption?steps=3",
]


def test_every_page_passes_axe_wcag_a_and_aa(page, recorder, axe_script):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for path in PAGES:
        page.goto(path)
        ready(page)
        found = axe_violations(page, axe_script)
        if found:
            problems[path] = found
        name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert problems == {}


def test_the_bridges_page_shows_progress_then_the_ranking_and_opens_the_evidence_map(page, recorder):
    page.goto("/analytics")
    page.get_by_role("link", name="Corruption bridges").click()
    page.wait_for_url("**/analytics/bridges")
    ready(page)
    link = page.locator("a.bridge-link").first
    assert link.inner_text() == "Paul BENT"
    link.click()
    page.wait_for_url("**/analytics/bridges/staff:S00001**")
    ready(page)
    data = json.loads(page.locator("#map-data").text_content())
    drawn = int(page.locator("body").get_attribute("data-map-nodes"))
    assert drawn == len(data["nodes"]) and {"staff:S00001", "ocg:OCG-0001"} <= {n["id"] for n in data["nodes"]}
    assert page.locator(".bridge-path").count() >= 1
    assert "Not for onward disclosure" in page.locator(".marking").first.inner_text()


def test_the_disruption_simulator_plots_the_largest_component(page, recorder):
    page.goto("/analytics/disruption")
    ready(page)
    assert page.locator(".disruption-chart circle").count() == 6  # before, then five steps (the default)
    page.get_by_label("Steps").fill("2")
    page.get_by_label("Strategy").select_option("betweenness")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**strategy=betweenness**")
    ready(page)
    assert page.locator(".disruption-chart circle").count() == 3
    assert "betweenness (sequential)" in page.locator("#disruption-summary").inner_text()


def test_a_refused_analysis_says_why(page, recorder):
    recorder.allowed_statuses.add(422)
    page.goto("/analytics/disruption?remove=prisoner:A0001AA,prisoner:A0001AA")
    page.locator("body[data-analysis-ready='error']").wait_for(state="attached")
    assert "name each person once" in page.locator(".analysis-error").inner_text()


def test_search_finds_any_kind_and_opens_the_entity_page_with_its_timeline(page, recorder):
    page.goto("/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name, id, number, postcode, OCG or prison").fill("eastside")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=eastside**")
    page.get_by_role("link", name="Eastside Crew", exact=True).click()
    page.wait_for_url("**/entity/ocg:OCG-0001")
    assert page.locator("h1").inner_text() == "Eastside Crew"
    page.locator("a[href='/entity/person:P000001']").first.click()  # a member, from the MEMBER_OF links
    page.wait_for_url("**/entity/person:P000001")
    page.goto("/entity/prisoner:A0001AA")
    assert page.locator(".entity-timeline rect.timeline-bar").count() >= 1
    assert page.locator("details.link-group").count() >= 3


def test_the_briefing_pack_opens_with_the_network_blocked_and_every_map_draws(page, browser, axe_script, tmp_path):
    page.goto("/analytics/briefing")
    page.get_by_label("Changes since").fill("2023-01-01")
    page.get_by_label("Recipients").fill("Op TESTBED hub")
    with page.expect_download() as started:
        page.get_by_role("button", name="Make the briefing pack").click()
    pack = tmp_path / "pack.html"
    started.value.save_as(pack)
    offline = browser.new_context()  # a fresh browser with every request refused
    try:
        reader = offline.new_page()
        refused: list[str] = []
        reader.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (refused.append(route.request.url), route.abort())
            ),
        )
        reader.goto(pack.as_uri())
        reader.locator("body[data-map-ready='true']").wait_for(state="attached")
        maps = reader.locator(".briefing-map")
        assert maps.count() >= 2 and reader.locator(".briefing-map[data-map-ready='true']").count() == maps.count()
        drawn = sum(int(maps.nth(i).get_attribute("data-map-nodes")) for i in range(maps.count()))
        assert drawn == int(reader.locator("body").get_attribute("data-map-nodes")) > 0
        assert refused == []
        assert axe_violations(reader, axe_script) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        reader.screenshot(path=str(SHOTS / "briefing-pack.png"), full_page=True)
    finally:
        offline.close()
