"""The hub meeting's briefing pack: one offline HTML file with the cover, changes, top
bridges, hubs and cohort with their maps, and the sources of every fact cited; as the
exporting user may see it; a disclosure to its recipients (browser and CLI)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from conftest import JUSTIFICATION, sign_in
from sample_graph import build_data_dir
from typer.testing import CliRunner

from graph_service.cli import app as cli

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
PACK = {"download": "true", "recipients": "Op TESTBED hub, DS Khan", "since": "2023-01-01", "until": "2024-12-31"}


def test_the_pack_holds_the_cover_changes_rankings_maps_and_sources(client):
    found = client.get("/analytics/briefing", params=PACK)
    assert found.status_code == 200
    assert found.headers["content-disposition"] == 'attachment; filename="briefing-2024-12-31.html"'
    text = unescape(found.text)
    assert EXTERNAL.search(text) is None and "/static/" not in text
    for shown in ("analyst.police (police)", JUSTIFICATION, "Op TESTBED hub, DS Khan", "2023-01-01 to 2024-12-31"):
        assert shown in text
    assert "1 new links (HELD_AT 1)" in text
    bridges = client.get("/api/v1/analytics/bridges?top=5").json()["result"]["results"]
    cohort = client.get("/api/v1/analytics/cohort?top=5").json()["result"]
    for item in [*bridges, *cohort]:
        assert f"{item['rank']}. {item['name']}" in text
    maps = re.findall(r'class="briefing-map" id="map-(\d+)" data-source="map-data-(\d+)"', text)
    assert len(maps) == len(bridges) + len(cohort) and all(a == b for a, b in maps)
    assert len(re.findall(r'<script type="application/json" id="map-data-\d+">', text)) == len(maps)
    cited = set(re.findall(r'href="#note-(\d+)"', text))
    notes = set(re.findall(r'<li id="note-(\d+)">', text))
    assert cited and cited == notes  # every citation has its footnote, and no footnote is idle
    assert "IR-2024-000001" in text and "[2/B/C]" in text  # the police fact's reference and grading
    assert text.count('aria-label="Protective marking">OFFICIAL-SENSITIVE') == 2
    assert "@media print" in text
    records = client.app.state.audit.entries(username="analyst.police", limit=100_000)
    record = [r for r in records if r.endpoint == "GET /analytics/briefing"][-1]
    assert record.action == "disclosure" and record.recipients == ["Op TESTBED hub", "DS Khan"]
    assert "staff:S00001" in record.entity_ids and record.justification == JUSTIFICATION


def test_another_agency_gets_a_pack_without_what_it_may_not_see(client):
    hmpps = sign_in(client, "analyst.hmpps")
    text = client.get("/analytics/briefing", params=PACK, headers=hmpps).text
    assert "IR-2024-000001" not in text and "Not for onward disclosure" not in text
    assert "analyst.hmpps (hmpps)" in text


def test_the_pack_is_refused_without_recipients_or_the_exports_capability(client):
    assert client.get("/analytics/briefing", params={"download": "true"}).status_code == 422
    bad = client.get("/analytics/briefing", params={**PACK, "since": "2025-01-01", "until": "2024-01-01"})
    assert bad.status_code == 422 and "after" in bad.json()["detail"]
    viewer = sign_in(client, "viewer.police")
    assert client.get("/analytics/briefing", params=PACK, headers=viewer).status_code == 403
    form = client.get("/analytics/briefing", headers={"Accept": "text/html"})
    assert form.status_code == 200 and 'name="recipients"' in form.text


def test_marsoc_export_briefing_writes_the_pack_and_records_the_disclosure(tmp_path):
    from graph_service.appdb import open_app_db
    from graph_service.appdb.audit import AuditLog

    settings = build_data_dir(tmp_path / "data")
    out = tmp_path / "meeting" / "pack.html"
    args = ["export", "briefing", "--out", str(out), "--user", "analyst.police", "--purpose", "Op TESTBED meeting"]
    args += ["--recipients", "Op TESTBED hub", "--since", "2023-01-01", "--until", "2024-12-31"]
    done = CliRunner().invoke(cli, [*args, "--data-dir", str(settings.data_dir)])
    assert done.exit_code == 0, done.output
    text = Path(out).read_text(encoding="utf-8")
    assert "Hub meeting briefing pack" in text and "Op TESTBED meeting" in text
    db = open_app_db(settings)
    try:
        record = AuditLog(db).entries(limit=100_000)[-1]
    finally:
        db.close()
    assert (record.action, record.endpoint, record.recipients) == (
        "disclosure",
        "marsoc export briefing",
        ["Op TESTBED hub"],
    )
    later = CliRunner().invoke(
        cli, [*args[:-4], "--since", "2025-01-01", "--until", "2024-01-01", "--data-dir", str(settings.data_dir)]
    )
    assert later.exit_code != 0 and "after" in later.output
