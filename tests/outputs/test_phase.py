"""The phase diagram draws the numbers of the sweep and the topology bound where
the data has one; its report links every run. Screenshots go to test-artifacts/sweep/."""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from netwarp.errors import NetwarpError
from netwarp.outputs.phase import phase_figure, write_sweep_report
from netwarp.render.figure import save_figure
from netwarp.sweeps import load_sweep, sweep
from netwarp.sweeps.phase import phases

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "sweep"


@pytest.fixture(scope="module")
def circles_sweep(tmp_path_factory):
    # the disk in a ring: widths 1-4, depths 1-2, 3 seeds, enough steps for width 3 to succeed
    out = tmp_path_factory.mktemp("circles") / "sw"
    return sweep(out, widths=[1, 2, 3, 4], depths=[1, 2], seeds=3, workers=2, dataset="circles", steps=1500)


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_each_cell_shows_its_median_and_range_and_the_bound_sits_after_width_2(circles_sweep):
    fig = phase_figure(circles_sweep)
    ax = fig.axes[0]
    (p,) = phases(circles_sweep.rows)
    texts = _texts(ax)
    for i in range(len(p.depths)):
        for j in range(len(p.widths)):
            assert f"{p.median[i, j]:.0%}" in texts
            assert f"{p.low[i, j]:.0%}–{p.high[i, j]:.0%}" in texts
    # the bound: a vertical line between the columns of width 2 and width 3, with its sentence
    lines = [ln for ln in ax.get_lines() if np.allclose(ln.get_xdata(), ln.get_xdata()[0])]
    assert [ln.get_xdata()[0] for ln in lines] == [1.5]
    assert "topology bound" in texts
    assert "≤ 2 wide cannot untangle a disk from a densely drawn ring" in ax.get_title()
    # and the lesson holds in the numbers: no width <= 2 cell is perfect, every width >= 3 cell is
    assert np.all(p.high[:, p.widths <= 2] < 1.0)
    assert np.all(p.median[:, p.widths >= 3] >= 0.99)


def test_the_spiral_has_no_topology_bound(tmp_path):
    # Olah: 2-wide layers can untangle two spirals in principle; no dashed line, no "cannot"
    r = sweep(tmp_path / "sw", widths=[2, 8], depths=[2], seeds=1, workers=1, dataset="spiral", steps=300)
    fig = phase_figure(r)
    ax = fig.axes[0]
    assert not [ln for ln in ax.get_lines()]
    assert "topology bound" not in _texts(ax) and "dashed" not in ax.get_title()
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(fig, OUT / "spiral-phase-no-bound.png")
    assert "Dashed line" not in write_sweep_report(r, pictures=False).read_text()


def test_blobs_have_no_bound(tmp_path):
    r = sweep(tmp_path / "sw", widths=[1, 2], depths=[1], seeds=1, workers=1, dataset="blobs", steps=100)
    ax = phase_figure(r).axes[0]
    assert not [ln for ln in ax.get_lines()]
    assert "topology bound" not in _texts(ax) and "dashed" not in ax.get_title()


def test_the_report_links_every_run_and_its_picture(circles_sweep):
    page = write_sweep_report(circles_sweep)
    html = page.read_text()
    folder = circles_sweep.folder
    for row in circles_sweep.rows:
        assert f'href="{row["trace"]}"' in html
        pic = row["trace"].replace(".npz", ".png")
        assert f'href="{pic}"' in html and (folder / pic).is_file()
    assert re.search(r'<img alt="phase diagram" src="data:image/png;base64,', html)
    assert (folder / "phase.png").is_file()


def test_an_empty_sweep_folder_says_so(tmp_path):
    with pytest.raises(NetwarpError, match="holds no sweep"):
        load_sweep(tmp_path)


def test_screenshots_of_the_phase_diagram_and_its_report(circles_sweep):
    OUT.mkdir(parents=True, exist_ok=True)
    path = save_figure(phase_figure(circles_sweep, size=1200), OUT / "phase-circles.png")
    with Image.open(path) as im:
        assert im.width == 1200
    page = write_sweep_report(circles_sweep)
    sync_api = pytest.importorskip("playwright.sync_api")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            tab = browser.new_page(viewport={"width": 1300, "height": 1000})
            tab.goto(page.as_uri())
            assert tab.locator("table a").count() == 2 * len(circles_sweep.rows)
            tab.screenshot(path=str(OUT / "report-circles.png"), full_page=True)
        finally:
            browser.close()
