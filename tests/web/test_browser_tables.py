"""Inputs that are not a plane in the playground (a table, the digits): the field panel shows the
input along a linear probe's split, the hidden-space and morph panels show the layer's points,
in a real browser at projector size. Screenshots go to test-artifacts/tables/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from netwarp.web.geometry import unb64

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "tables"


@pytest.fixture()
def page(browser_page):
    # a new page per data set (the page reads its settings from the address once, when it loads), at projector size
    browser_page.set_viewport_size({"width": 1280, "height": 720})
    return browser_page


@pytest.fixture()
def served(live_server):
    return live_server


def _frame(page, expr, timeout=60_000):
    page.wait_for_function(f"(() => {{ const f = window.netwarp && window.netwarp.S.frame; return f && ({expr}); }})()", timeout=timeout)
    return page.evaluate("window.netwarp.S.frame")


@pytest.mark.parametrize(("hash_", "name", "width"), [("#data=wine&hidden=8,8", "wine", 13), ("#data=digits&hidden=32,16", "digits", 64)])
def test_the_field_and_hidden_panels_show_a_table_along_its_split(served, page, hash_, name, width):
    _, url = served
    page.goto(url + hash_)
    f = _frame(page, f"f.arch.sizes[0] === {width} && f.hidden && f.input", timeout=90_000)
    assert not [n for n in f["notes"] if "need" in n]
    # the field panel draws the input's points where the server put them, and says what it is
    pts = np.array(page.evaluate("Array.from(window.netwarp.S.scr.input)")).reshape(-1, 2)
    sent = unb64(f["input"]["points"]).reshape(-1, 2)
    assert len(pts) == len(sent) and np.isfinite(pts).all()
    cap = page.inner_text("#field-cap")
    assert f"{width} inputs" in cap and "linear probe" in cap
    assert page.text_content("#field-title") == "input, along its split"
    # the hidden panel: the last hidden layer's points, with the network's own regions (3 or more classes)
    # or line, drawn on the canvas
    assert f["hidden"]["dims"] == 2 and f["hidden"]["separation"]["source"] == "network"
    drawn = page.evaluate("window.netwarp.S.scr.hiddenDrawn")
    if name == "wine":
        assert drawn and f["hidden"]["separation"]["regions"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"playground-{name}-1280x720.png"))


def test_an_uploaded_table_with_text_labels_keeps_its_class_names(served, page, tmp_path):
    """A CSV with a header, 6 features and text labels (one of them markup, shown as text)."""
    _, url = served
    rng = np.random.default_rng(0)
    names = ["setosa", "<b>virginica</b>", "versicolor"]
    rows = []
    for i in range(90):
        c = i % 3
        x = rng.normal(c * 1.5, 0.6, 6)
        rows.append(",".join(f"{v:.4f}" for v in x) + f",{names[c]}")
    csv = tmp_path / "flowers.csv"
    csv.write_text("a,b,c,d,e,f,species\n" + "\n".join(rows) + "\n")
    page.goto(url + "#hidden=8")
    _frame(page, "f.timeline.step === 0")
    page.set_input_files("#csv", str(csv))
    f = _frame(page, "f.source === 'csv' && f.arch.sizes[0] === 6 && f.hidden && f.input")
    assert f["arch"]["class_names"] == sorted(names)
    legend = page.inner_text("#class-legend")
    assert "<b>virginica</b>" in legend and "setosa" in legend  # text, not markup
    assert page.evaluate("document.querySelector('#class-legend b')") is None
    assert "6 inputs" in page.inner_text("#field-cap")
    page.screenshot(path=str(ARTIFACTS / "playground-uploaded-table-1280x720.png"))
