"""End to end in a real browser: Debian's chromium driven by Python playwright.

Every check waits for a state (never a duration); screenshots of each stage
go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from netwarp import views
from netwarp.render.palette import rgb_class
from netwarp.web.app import create_app
from netwarp.web.geometry import unb64
from netwarp.web.server import serve_in_thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

playwright_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip(f"no chromium at {CHROMIUM} (install Debian's chromium package)", allow_module_level=True)


@pytest.fixture(scope="module")
def served():
    app = create_app()
    server, url = serve_in_thread(app)
    yield app, url
    server.should_exit = True


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    pg = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.close()
    assert not errors, errors


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=True)


def frame(page, expr, timeout=20_000):
    """Wait until ``expr`` (JS, with ``f`` the newest frame) holds; return that frame's summary."""
    page.wait_for_function(f"(() => {{ const f = window.netwarp && window.netwarp.S.frame; return f && ({expr}); }})()", timeout=timeout)
    return page.evaluate("window.netwarp.S.frame")


def session(app):
    (s,) = app.state.sessions.values()
    return s


def canvas(page, cid):
    return page.evaluate(f"document.getElementById('{cid}').toDataURL()")


def test_playground_end_to_end(served, page):
    app, url = served
    page.goto(url + "#data=spiral&n=600&hidden=8,8&act=tanh&lr=0.03&res=64&layer=2&speed=max")
    f = frame(page, "f.arch.sizes.join() === '2,8,8,2' && f.view.resolution === 64")
    assert page.evaluate("window.netwarp.stats.framesDrawn") > 0
    shot(page, "1-loaded")

    # train until accuracy passes 0.95
    page.click("#play")
    frame(page, "f.metrics.train_acc > 0.95 && f.metrics.test_acc > 0.95")
    page.click("#play")
    f = frame(page, "!f.playing && f.timeline.live")
    # the probe bars catch up with the shown state once training pauses, and say what they measure
    page.wait_for_function("window.netwarp.S.probesOf === window.netwarp.S.frame.probes_key", timeout=30_000)
    shot(page, "2-trained")
    s = session(app)
    expect = [round(a, 4) for a in views.probe_accuracies(s.trace, theta=s.theta())]
    assert page.evaluate("window.netwarp.S.probes") == expect
    assert expect[-1] > 0.9  # the trained network's output is linearly separable

    # the field the page received is the one netwarp.views computes for that state
    field = views.decision_field(s.trace, snapshot=-1, resolution=64)
    got = unb64(page.evaluate("window.netwarp.S.frame.field.labels"), "u1").reshape(64, 64)
    np.testing.assert_array_equal(got, field.labels)
    # ...and the pixels drawn show that class: the top-left corner is the field's last row, first column
    rgba = page.evaluate("Array.from(document.getElementById('c-field').getContext('2d').getImageData(1, 1, 1, 1).data)")
    assert rgb_class(np.array(rgba[:3]), 2) == field.labels[-1, 0]

    # scrub the timeline back to an early snapshot
    page.eval_on_selector("#timeline", "el => { el.value = 3; el.dispatchEvent(new Event('input')); }")
    f = frame(page, "f.timeline.index === 3 && !f.timeline.live")
    np.testing.assert_array_equal(
        unb64(f["field"]["labels"], "u1").reshape(64, 64), views.decision_field(s.trace, 3, resolution=64).labels
    )
    shot(page, "3-scrubbed")
    page.click("#live")
    frame(page, "f.timeline.live")

    # move the morph slider part way from the input to layer 2
    page.eval_on_selector("#morph-t", "el => { el.value = 0.2; el.dispatchEvent(new Event('input')); }")
    f = frame(page, "f.morph && f.morph.t === 0.2")
    assert views.morph_stage(s.trace, 0.2, 2) in page.inner_text("#morph-cap")
    shot(page, "4-morph")

    # the 8-wide layer is seen along the classes' split (2D) until PCA is asked for;
    # turn the 3D hidden space (8 units, projected to 3D by the server) by dragging
    assert f["hidden"]["dims"] == 2 and f["hidden"]["separation"]["source"] == "network"
    page.select_option("#proj", "pca")
    f = frame(page, "f.hidden.dims === 3")
    before, yaw = canvas(page, "c-hidden"), page.evaluate("window.netwarp.S.cams.hidden.yaw")
    box = page.locator("#c-hidden").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 80, cy + 30, steps=8)
    page.mouse.up()
    page.wait_for_function(f"window.netwarp.S.cams.hidden.yaw !== {yaw}")
    page.wait_for_function("(b) => document.getElementById('c-hidden').toDataURL() !== b", arg=before)
    shot(page, "5-turned")

    # click an edge of the diagram, drag its slider, and see the boundary change
    edge = page.evaluate(
        "(() => { const e = window.netwarp.S.hit.edges.find(e => e.layer === 1 && e.i === 0 && e.j === 0);"
        " const c = document.getElementById('c-diagram'), k = c.getBoundingClientRect().width / c.width;"
        " return [(e.A.x * 0.3 + e.B.x * 0.7) * k, (e.A.y * 0.3 + e.B.y * 0.7) * k]; })()"
    )
    dbox = page.locator("#c-diagram").bounding_box()
    page.mouse.click(dbox["x"] + edge[0], dbox["y"] + edge[1])
    page.wait_for_selector("#edit:not([hidden])")
    sel = page.evaluate("window.netwarp.S.sel")
    assert sel["kind"] in ("w", "b")
    field_before = canvas(page, "c-field")
    hidden_before = page.evaluate("window.netwarp.S.frame.hidden.points")
    slider = page.locator("#edit-slider").bounding_box()
    page.mouse.click(slider["x"] + 4, slider["y"] + slider["height"] / 2)  # far to the left: a big change
    f = frame(page, "f.edit && f.edit.changed.length === 1 && window.netwarp.stats.lastDrawnAck >= 1")
    assert f["edit"]["flipped"] > 0 and f["edit"]["ghost"]
    page.wait_for_function("(b) => document.getElementById('c-field').toDataURL() !== b", arg=field_before)
    assert f["hidden"]["points"] != hidden_before  # W1 feeds layer 2, the hidden space shown
    assert "predictions flipped" in page.inner_text("#edit-flips")
    shot(page, "6-edited")
    np.testing.assert_array_equal(
        unb64(f["field"]["labels"], "u1").reshape(64, 64),
        views.decision_field(s.trace, resolution=64, theta=s.edit.theta).labels,
    )
    page.click("#edit-restore")
    frame(page, "!f.edit")

    # add points by clicking on the plane
    n = f["points"]["n_train"] if "points" in f else page.evaluate("window.netwarp.S.points.trainLab.length")
    page.click("#add-classes button[data-cls='1']")
    fbox = page.locator("#c-field").bounding_box()
    page.mouse.click(fbox["x"] + fbox["width"] * 0.2, fbox["y"] + fbox["height"] * 0.2)
    f = frame(page, "f.added === 1")
    page.mouse.click(fbox["x"] + fbox["width"] * 0.8, fbox["y"] + fbox["height"] * 0.25)
    f = frame(page, "f.added === 2")
    assert page.evaluate("window.netwarp.S.points.trainLab.length") == n + 2
    added = session(app).trace.X_train[-2:]
    assert added[0, 0] < added[1, 0] and added[0, 1] > 0  # where we clicked: upper left, then upper right
    shot(page, "7-points-added")
    assert page.evaluate("window.netwarp.stats.errors") == []


def test_url_state_reproduces_the_setup(served, page):
    _, url = served
    page.goto(url + "#data=circles&n=300&hidden=3&act=relu&opt=sgd&lr=0.1&seed=4")
    f = frame(page, "f.arch.sizes.join() === '2,3,2'")
    assert f["config"]["net"]["activation"] == "relu" and f["config"]["net"]["optimizer"] == "sgd"
    page.select_option("#activation", "sigmoid")
    frame(page, "f.arch.activation === 'sigmoid'")
    assert "act=sigmoid" in page.evaluate("location.hash") and "data=circles" in page.evaluate("location.hash")


def test_bad_setting_shows_a_clear_message(served, page):
    _, url = served
    page.goto(url + "#data=xor&hidden=4")
    frame(page, "f.arch.sizes.join() === '2,4,2'")
    page.evaluate("window.netwarp.send({type: 'config', data: {dataset: 'xor'}, net: {hidden: [500]}})")
    page.wait_for_function("document.getElementById('status').textContent.includes('from 1 to 64')")
    assert "error" in page.get_attribute("#status", "class")
    frame(page, "f.arch.sizes.join() === '2,4,2'")


def test_controls_and_url_come_from_the_settings_table(served, page, monkeypatch):
    from netwarp.settings import SETTINGS, Setting

    # a row added to the table shows up as a control and a URL key with no page change
    monkeypatch.setitem(SETTINGS, "momentum", Setting("momentum", "net", "float", 0.5, "added by a test", lo=0, hi=1,
                                                      web=(0, 0.9), web_step=0.05, url="mom", control="momentum"))
    app, url = served
    page.goto(url + "#data=blobs&classes=3&n=120&hidden=4&mom=0.25")
    f = frame(page, "f.config.data.dataset === 'blobs' && f.config.data.classes === 3 && f.config.net.momentum === 0.25")
    assert f["arch"]["classes"] == 3
    assert page.input_value("#momentum") == "0.25" and page.is_visible("#momentum")
    assert page.is_visible("#classes") and page.input_value("#classes") == "3" and not page.is_visible("#arms")
    page.fill("#momentum", "0.4")
    page.dispatch_event("#momentum", "change")
    frame(page, "f.config.net.momentum === 0.4")
    assert "mom=0.4" in page.evaluate("location.hash") and "classes=3" in page.evaluate("location.hash")
    # a dataset's own setting follows the dataset
    page.select_option("#dataset", "spiral")
    frame(page, "f.config.data.dataset === 'spiral'")
    page.wait_for_function("!document.getElementById('classes-row').offsetParent && !!document.getElementById('arms-row').offsetParent")
    assert "classes=" not in page.evaluate("location.hash")
    shot(page, "settings")


def test_blobs_shows_classes(served, page):
    app, url = served
    page.goto(url + "#data=xor&hidden=4")
    frame(page, "f.config.data.dataset === 'xor'")
    assert not page.is_visible("#classes")
    page.select_option("#dataset", "blobs")
    frame(page, "f.config.data.dataset === 'blobs'")
    page.wait_for_function("!!document.getElementById('classes-row').offsetParent")
    page.fill("#classes", "4")
    page.dispatch_event("#classes", "change")
    frame(page, "f.config.data.classes === 4 && f.arch.classes === 4")
    assert "classes=4" in page.evaluate("location.hash")


def _train_to_100(page, url, hash_):
    page.goto(url + hash_ + "&speed=max")
    frame(page, "f.timeline.step === 0")
    page.click("#play")
    frame(page, "f.metrics.train_acc === 1", timeout=60_000)
    page.click("#play")
    return frame(page, "!f.playing && f.timeline.live")


def _drawn_sides(page):
    """The drawn separating segment and each training point's screen position, as the page drew them."""
    return page.evaluate(
        "(() => { const S = window.netwarp.S; return { seg: S.scr.hiddenDrawn, pts: Array.from(S.scr.hidden),"
        " W: document.getElementById('c-hidden').width, H: document.getElementById('c-hidden').height }; })()"
    )


def test_drawn_line_splits_the_wide_layer_as_the_network_predicts(served, page):
    """Wide spiral (2-8-8-2 tanh) at 100%: on the canvas, every point of the last hidden layer lies
    on the side of the drawn line that the network predicts for it, and the line is really drawn."""
    app, url = served
    f = _train_to_100(page, url, "#data=spiral&n=600&hidden=8,8&act=tanh&lr=0.03&layer=2")
    assert f["hidden"]["width"] == 8 and f["hidden"]["dims"] == 2
    s = session(app)
    pred = s.trace.predict(s.trace.X_train, theta=s.theta())
    assert (pred == s.trace.y_train).all()
    d = _drawn_sides(page)
    (x1, y1, x2, y2, positive), = d["seg"]
    P = np.array(d["pts"]).reshape(-1, 2)
    cross = (x2 - x1) * (P[:, 1] - y1) - (y2 - y1) * (P[:, 0] - x1)
    assert np.all(np.abs(cross) > 0)  # no point on the line itself
    side = cross > 0
    # one side of the drawn segment holds exactly the points predicted as the class on the positive side
    assert (np.array_equal(side, pred == positive) or np.array_equal(~side, pred == positive))
    assert f["hidden"]["separation"]["exact"]
    # pixels: the dashed line's ink (#111) along the segment
    ts = np.linspace(0.2, 0.8, 25)
    dark = 0
    for t in ts:
        x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
        rgba = page.evaluate(f"Array.from(document.getElementById('c-hidden').getContext('2d').getImageData({int(x)}, {int(y)}, 1, 1).data)")
        dark += max(rgba[:3]) < 60
    assert dark >= 8, dark
    assert "decision boundary" in page.inner_text("#hidden-cap")
    # an earlier layer: the probe's line and its accuracy, written
    page.click("#layer-pick button:nth-child(2)")
    f = frame(page, "f.view.layer === 1 && f.hidden.separation")
    acc = f["hidden"]["separation"]["accuracy"]
    assert f["hidden"]["separation"]["source"] == "probe" and f"{100 * acc:.1f}%" in page.inner_text("#hidden-cap")


def test_three_classes_are_regions_meeting_at_real_boundaries(served, page):
    """The 3-arm spiral's last hidden layer: the page tints each class's region and dashes only
    where two regions meet (never a pair's whole line through the third class)."""
    app, url = served
    f = _train_to_100(page, url, "#data=spiral&arms=3&n=600&hidden=16,16&act=tanh&lr=0.03&layer=2")
    sep = f["hidden"]["separation"]
    assert sep["regions"] and sep["segments"] and sep["exact"]
    d = _drawn_sides(page)
    segs = np.array(d["seg"], dtype=float)
    assert 2 <= len(segs) <= 3
    if len(segs) == 3:  # they meet at one point, where they are not cut off by the panel's edge
        ends = segs[:, :4].reshape(-1, 2)
        assert min(sum(np.linalg.norm(e - f) < 1.0 for f in ends) for e in ends) >= 1
        assert max(sum(np.linalg.norm(e - f) < 1.0 for f in ends) for e in ends) == 3
    # each drawn segment lies on the line where its two classes tie: class i's whole region is on one
    # side of that line and class j's on the other, so the points the network gives i and j are split by it
    s = session(app)
    pred = s.trace.predict(s.trace.X_train, theta=s.theta())
    P = np.array(d["pts"]).reshape(-1, 2)
    for x1, y1, x2, y2, j, i in segs:
        side = (x2 - x1) * (P[:, 1] - y1) - (y2 - y1) * (P[:, 0] - x1) > 0
        on_i, on_j = side[pred == int(i)], side[pred == int(j)]
        assert len(set(on_i)) == 1 and len(set(on_j)) == 1 and on_i[0] != on_j[0]
    assert "class regions" in page.inner_text("#hidden-cap")
    shot(page, "three-class-regions")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_playground_screenshots_at_projector_sizes(served, browser, size):
    """Screenshots kept in test-artifacts/playground/ (looked at by a person): the default spiral
    trained, a wide layer with its line, a 3-wide circles layer with its plane, an edit in progress.
    At each size the field, hidden space, morph, diagram and timeline are inside the window."""
    app, url = served
    W, H = size
    pg = browser.new_page(viewport={"width": W, "height": H})
    out = ARTIFACTS / "playground"
    out.mkdir(parents=True, exist_ok=True)
    try:
        f = _train_to_100(pg, url, "#data=spiral&n=600&hidden=8,8&act=tanh&lr=0.03&layer=2")
        pg.wait_for_function("window.netwarp.S.probesOf === window.netwarp.S.frame.probes_key", timeout=30_000)
        pg.screenshot(path=str(out / f"{W}x{H}-1-spiral-trained-wide-layer-line.png"))
        for sel in ("#c-field", "#c-hidden", "#c-morph", "#c-diagram", "#timeline"):
            box = pg.locator(sel).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= H, (sel, box, size)
        # an earlier wide layer: the probe's line and accuracy
        pg.click("#layer-pick button:nth-child(2)")
        frame(pg, "f.view.layer === 1 && f.hidden.separation")
        pg.screenshot(path=str(out / f"{W}x{H}-2-probe-line.png"))
        # an edit in progress: the bar floats inside the window, the header shows the edited accuracy
        pg.click("#layer-pick button:nth-child(3)")
        frame(pg, "f.view.layer === 2")
        e = pg.evaluate(
            "(() => { const e = window.netwarp.S.hit.edges.find(e => e.layer === 2 && e.i === 0 && e.j === 1);"
            " const c = document.getElementById('c-diagram'), k = c.getBoundingClientRect().width / c.width;"
            " return [(e.A.x * 0.3 + e.B.x * 0.7) * k, (e.A.y * 0.3 + e.B.y * 0.7) * k]; })()"
        )
        d = pg.locator("#c-diagram").bounding_box()
        pg.mouse.click(d["x"] + e[0], d["y"] + e[1])
        pg.wait_for_selector("#edit:not([hidden])")
        sl = pg.locator("#edit-slider").bounding_box()
        assert sl["y"] + sl["height"] <= H
        pg.mouse.click(sl["x"] + sl["width"] * 0.15, sl["y"] + sl["height"] / 2)
        f = frame(pg, "f.edit && f.edit.changed.length === 1 && f.metrics.edited")
        assert "(edited)" in pg.inner_text("#acc") and f"{100 * f['metrics']['train_acc']:.1f}%" in pg.inner_text("#edit-flips")
        pg.screenshot(path=str(out / f"{W}x{H}-3-edit-in-progress.png"))
        pg.click("#edit-restore-all")
        frame(pg, "!f.edit")
        # a 3-wide circles layer with its separating plane
        pg.goto(url + "#data=circles&n=400&hidden=3&act=tanh&lr=0.03&layer=1&speed=max")
        pg.reload()
        frame(pg, "f.arch.sizes.join() === '2,3,2' && f.timeline.step === 0")
        pg.click("#play")
        frame(pg, "f.metrics.train_acc > 0.97", timeout=60_000)
        pg.click("#play")
        f = frame(pg, "!f.playing && f.hidden.plane")
        assert f["hidden"]["dims"] == 3 and pg.evaluate("window.netwarp.S.scr.hiddenDrawn.length") >= 3
        pg.screenshot(path=str(out / f"{W}x{H}-4-circles-3-wide-plane.png"))
    finally:
        pg.close()


def test_data_panel_says_what_the_data_is(served, page, tmp_path):
    """A CSV shows as "uploaded CSV" in the dataset menu, with a note that a link cannot carry it;
    picking a dataset again returns to it; digits offers no click-to-add; regression is titled so."""
    _, url = served
    page.goto(url + "#data=moons&n=200&hidden=4")
    frame(page, "f.arch.sizes.join() === '2,4,2'")
    assert page.is_visible("#add-row") and page.is_hidden("#link-note")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    csv = tmp_path / "mine.csv"
    csv.write_text("x1,x2,label\n" + "".join(f"{a:.4f},{b:.4f},{int(a > b)}\n" for a, b in X))
    page.set_input_files("#csv", str(csv))
    frame(page, "f.source === 'csv'")
    page.wait_for_function("document.getElementById('dataset').value === '__csv'")
    assert "uploaded CSV" in page.inner_text("#link-note")
    page.select_option("#dataset", "moons")
    frame(page, "f.source === 'dataset' && f.config.data.dataset === 'moons'")
    page.wait_for_function("document.getElementById('link-note').hidden")
    page.select_option("#dataset", "digits")
    frame(page, "f.arch.sizes[0] === 64", timeout=30_000)
    assert page.is_hidden("#add-row") and page.is_visible("#add-none")
    page.select_option("#dataset", "sine")
    frame(page, "f.arch.task === 'regression' && !!f.curve", timeout=30_000)
    page.wait_for_function("document.getElementById('field-title').textContent === 'regression fit'")
