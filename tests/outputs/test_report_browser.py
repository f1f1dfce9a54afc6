"""The report's timeline in a real browser (Debian's chromium via playwright): the slider
shows one frame at a time, moves the curves' marker, plays, and nothing is fetched."""

import os
import shutil
from pathlib import Path

import pytest

from netwarp.outputs.report import write_report

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "pictures"

playwright_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip(f"no chromium at {CHROMIUM}", allow_module_level=True)


def test_report_timeline_scrubs_in_a_browser(wide_trace, tmp_path):
    path = write_report(wide_trace, tmp_path / "r.html", progress=False)
    OUT.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        fetched, errors = [], []
        page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        tl = page.locator("#timeline")
        n = tl.locator(".frame").count()
        assert n == len(wide_trace)  # 8 snapshots: every one is a frame

        def shown():
            return page.evaluate("[...document.querySelectorAll('#timeline .frame')].map((f, i) => f.hidden ? -1 : i).filter(i => i >= 0)")

        def mark_left():
            return page.evaluate("parseFloat(document.querySelector('#timeline .mark').style.left)")

        assert shown() == [n - 1]
        end = mark_left()
        tl.locator("input").fill("2")
        tl.locator("input").dispatch_event("input")
        assert shown() == [2]
        assert mark_left() < end
        step = tl.locator(".frame").nth(2).get_attribute("data-step")
        assert tl.locator(".step").text_content().startswith(f"step {step}:")
        tl.scroll_into_view_if_needed()
        tl.screenshot(path=str(OUT / "report-timeline-1280.png"))
        tl.locator("button").click()  # play from frame 2 to the end
        page.wait_for_function(f"document.querySelector('#timeline input').value == '{n - 1}'", timeout=10_000)
        assert shown() == [n - 1]
        browser.close()
    assert fetched == [] and errors == []
