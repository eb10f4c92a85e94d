"""The admins' loads page in a real browser: upload files, follow the progress per
file, see the report and download the rejects (an establishment only, so the shared
sample graph's people stay as the other browser tests expect)."""

from __future__ import annotations

from typing import Any

import browser_sample_graph as sample_graph  # registered by conftest.py
import pytest
from conftest import axe_violations

pytestmark = pytest.mark.slow


def test_an_admin_uploads_files_and_follows_the_load(browser: Any, live_server: str, axe_script, tmp_path):
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        page.goto("/signin")
        page.fill("input[name=username]", "admin.police")
        page.fill("input[name=password]", sample_graph.PASSWORD)
        page.click("form.signin button[type=submit]")
        page.wait_for_url(f"{live_server}/")
        page.goto("/purpose?next=/loads")
        page.fill("input[name=purpose]", "Op TESTBED, a delivery from HMPPS")
        page.click("form.purpose button[type=submit]")
        page.wait_for_url(f"{live_server}/loads")
        assert axe_violations(page, axe_script) == []
        upload = tmp_path / "establishments.csv"
        upload.write_text(
            "establishment_code,name,region,category\nZZI,HMP Testbed,London,B\n,No code,London,B\n", encoding="utf-8"
        )
        page.set_input_files("#load-files", str(upload))
        page.get_by_label("Originating agency").select_option("hmpps")
        page.get_by_role("button", name="Upload and load").click()
        page.wait_for_url("**/loads/web-*")
        page.locator("body[data-load-done]").wait_for(state="attached", timeout=60_000)
        row = page.locator('tr[data-file="establishments.csv"]')
        assert row.locator(".f-status").inner_text() == "loaded"
        assert (row.locator(".f-loaded").inner_text(), row.locator(".f-rejected").inner_text()) == ("1", "1")
        assert "rejected 1" in page.locator("#load-summary").inner_text()
        with page.expect_download() as started:
            page.get_by_role("link", name="The rejected rows (CSV: file, line, column, reason)").click()
        rejects = started.value.path().read_text(encoding="utf-8")
        assert "establishments.csv" in rejects and ",3," in rejects
        assert axe_violations(page, axe_script) == []
    finally:
        context.close()
