"""`netwarp report` on a trace recorded by its layers' outputs (issue 23): a timeline over the
snapshots with one panel per recorded layer, probe accuracy per layer over training, curves and
diagnose findings, no section that needs weights; scrubbed in a real browser. The report and a
screenshot of its timeline go to test-artifacts/recorded/ to be looked at."""

import os
import re
import shutil
from pathlib import Path

import pytest

from netwarp import views
from netwarp.cli import main
from netwarp.outputs.recorded_figures import apart_phrase
from netwarp.outputs.report import build_report, write_report

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "recorded"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def report(recorded_cnn) -> str:
    return build_report(recorded_cnn)


def test_the_timeline_has_a_frame_per_snapshot_with_a_panel_per_recorded_layer(recorded_cnn, report):
    t = recorded_cnn
    frames = re.findall(r'<div class="frame" data-snapshot="(\d+)" data-step="(\d+)"[^>]*>(.*?)</div>', report)
    assert [int(s) for s, _, _ in frames] == list(range(len(t)))
    assert [int(st) for _, st, _ in frames] == [int(s) for s in t.steps]
    for _, step, imgs in frames:
        assert re.findall(r'alt="([^"]+)"', imgs) == [f"pool at step {step}", f"fc1 at step {step}"]
    assert report.count('class="mark"') == 1 and "play</button>" in report


def test_the_report_names_the_layers_and_measures_each_probe(recorded_cnn, report):
    t = recorded_cnn
    assert "netwarp report: torch:DigitsCNN, recorded layers pool, fc1" in report
    assert "pool (64 units), fc1 (16 units)" in report
    first, last = views.probe_accuracies(t, 0), views.probe_accuracies(t, -1)
    for layer, name in ((1, "pool"), (2, "fc1")):
        assert f"<td>{name}</td><td>{t.arch.sizes[layer]} units</td><td>{first[layer]:.3f}</td><td>{last[layer]:.3f}</td>" in report
        assert (f"{name}: {first[layer]:.1%} at the first snapshot, {last[layer]:.1%} at the last "
                f"({apart_phrase(last[layer], 10)})") in report
    assert f"A probe on the raw input gives {first[0]:.1%}" in report


def test_the_report_has_no_section_that_needs_weights_and_says_so(report):
    for heading in ("Diagnosis", "Training curves", "Timeline", "Linear separability per layer over training"):
        assert f">{heading}</h2>" in report
    for heading in ("What the network does to space", "Network diagram", "The network: shapes, algebra, code", "Animations"):
        assert f">{heading}</h2>" not in report
    assert "no decision field, morph, code, network diagram or weight views" in report


def test_the_report_cli_writes_it(recorded_cnn, tmp_path):
    path = tmp_path / "cnn.npz"
    recorded_cnn.save(path)
    assert main(["report", str(path), "-o", str(tmp_path / "r.html"), "-q"]) == 0
    assert (tmp_path / "r.html").stat().st_size > 10_000


@pytest.mark.skipif(not os.path.exists(CHROMIUM) and not shutil.which("chromium"), reason="no chromium")
def test_the_timeline_scrubs_in_a_browser(recorded_cnn):
    api = pytest.importorskip("playwright.sync_api")
    OUT.mkdir(parents=True, exist_ok=True)
    path = write_report(recorded_cnn, OUT / "report.html", progress=False)
    n = len(recorded_cnn)
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        fetched, errors = [], []
        page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        tl = page.locator("#timeline")
        shown = "[...document.querySelectorAll('#timeline .frame')].map((f, i) => f.hidden ? -1 : i).filter(i => i >= 0)"
        assert page.evaluate(shown) == [n - 1]
        tl.locator("input").fill("1")
        tl.locator("input").dispatch_event("input")
        assert page.evaluate(shown) == [1]
        assert tl.locator(".step").text_content().startswith(f"step {recorded_cnn.steps[1]}:")
        visible = tl.locator(".frame").nth(1).locator("img")
        assert visible.count() == 2 and all(visible.nth(i).is_visible() for i in range(2))
        tl.screenshot(path=str(OUT / "report-timeline.png"))
        page.screenshot(path=str(OUT / "report-page.png"), full_page=True)
        browser.close()
    assert fetched == [] and errors == []
