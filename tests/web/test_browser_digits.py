"""The playground's digits mode in a real browser (Debian chromium): a picked test digit and a digit
drawn on the pad show the probabilities and activations Python computes for those pixels; the path
between two digits flips where Python says. Screenshots go to test-artifacts/digits/."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from netwarp import views

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "digits"
TRUTH = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"


def _nan(values):
    """A map sent by the page's server as an array (JSON null, an unseen pixel, back to NaN)."""
    return np.array(values, dtype=float)


def _open(page, url, hidden=32):
    """The playground on the digits, a 64-``hidden``-10 tanh network."""
    page.goto(url + f"#data=digits&hidden={hidden}&act=tanh&speed=max")
    page.wait_for_function(f"window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '64,{hidden},10'")


def _trained(page, url):
    """As :func:`_open`, trained until it reads the test digits well, then paused."""
    _open(page, url)
    page.click("#play")
    page.wait_for_function("window.netwarp.S.frame.metrics.test_acc > 0.9", timeout=60_000)
    page.click("#play")
    page.wait_for_function("!window.netwarp.S.frame.playing")


def _reply(browser_page, cond="true"):
    browser_page.wait_for_function(f"(() => {{ const r = window.netwarp.digits.reply; return r && ({cond}); }})()", timeout=30_000)
    return browser_page.evaluate("window.netwarp.digits.reply")


def test_picked_and_drawn_digits_show_pythons_numbers(live_server, browser_page):
    app, url = live_server
    _trained(browser_page, url)  # it reads digits well before we look
    assert browser_page.is_visible("#p-digits")
    s = app.state.sessions[browser_page.evaluate("window.netwarp.S.hello.sid")]
    browser_page.select_option("#digit-pick", "7")
    r = _reply(browser_page, "r.label !== null && r.pixels.join() === window.netwarp.digits.setup.thumbs[7].join()")
    x = s.trace.X_test[7]
    np.testing.assert_allclose(r["probs"], s.trace.predict_proba(x[None], theta=s.theta())[0], atol=1e-9)
    for got, truth in zip(r["acts"], s.trace.layer_outputs(x[None], theta=s.theta())[1:-1]):
        np.testing.assert_allclose(got, truth[0], atol=1e-9)
    assert browser_page.inner_text("#digit-pred").startswith(f"predicts {int(np.argmax(r['probs']))}")

    # draw a stroke on the pad: the pixels the page holds are the ones Python scored
    browser_page.click("#pad-clear")
    _reply(browser_page, "r.pixels.every(v => v === 0)")
    box = browser_page.locator("#pad").bounding_box()
    browser_page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.1)
    browser_page.mouse.down()
    browser_page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9, steps=12)
    browser_page.mouse.up()
    r = _reply(browser_page, "r.pixels.filter(v => v > 0).length >= 6")
    browser_page.wait_for_function("window.netwarp.digits.reply.seq === window.netwarp.digits.seq")
    r = browser_page.evaluate("window.netwarp.digits.reply")
    px = np.array(r["pixels"])
    assert np.count_nonzero(px.reshape(8, 8)[:, 4]) >= 6  # a vertical stroke down column 4
    np.testing.assert_allclose(r["probs"], s.trace.predict_proba(px[None], theta=s.theta())[0], atol=1e-9)
    np.testing.assert_allclose(_nan(r["saliency"]), views.saliency(s.trace, px[None], r["pred"], snapshot=s.shown_index())[0], atol=1e-9)
    OUT.mkdir(parents=True, exist_ok=True)
    browser_page.locator("#p-digits").screenshot(path=str(OUT / "playground-digits-pad.png"))


def test_the_path_between_two_digits_flips_where_python_says(live_server, browser_page):
    app, url = live_server
    _open(browser_page, url)
    browser_page.click("#step")
    browser_page.wait_for_function("window.netwarp.S.frame.metrics.step >= 1")
    browser_page.wait_for_function("window.netwarp.digits.path && window.netwarp.digits.path.step === window.netwarp.S.frame.metrics.step")
    s = app.state.sessions[browser_page.evaluate("window.netwarp.S.hello.sid")]
    a, b = int(browser_page.input_value("#path-a")), int(browser_page.input_value("#path-b"))
    p = browser_page.evaluate("window.netwarp.digits.path")
    truth = views.interpolate(s.trace, s.trace.X_test[a], s.trace.X_test[b], 9, snapshot=s.shown_index())
    assert p["pred"] == truth.predicted.tolist() and p["flips"] == truth.flips.tolist()
    # the straight path is named by t, as in the figures; the picker says "an 8"
    cap = browser_page.inner_text("#digits-path-cap")
    t = ["0", "0.125", "0.25", "0.375", "0.5", "0.625", "0.75", "0.875", "1"]
    assert p["t"] == t == views.t_labels(9)
    assert cap == ("the decision flips " + ", ".join(f"between t={t[f - 1]} and {t[f]}" for f in truth.flips)
                   if len(truth.flips) else "the decision never flips on this path")
    # the test digits (the menu also has "the pad", chosen when the pad shows a drawing or a path step)
    options = browser_page.eval_on_selector_all("#digit-pick option:not([value=pad])", "os => os.map((o) => o.textContent)")
    labels = s.trace.y_test[: len(options)].astype(int)
    assert options == [f"#{i}: {views.with_article(c)}" for i, c in enumerate(labels)]
    assert 8 in labels and any(o.endswith(": an 8") for o in options)
    browser_page.fill("#path-t", "4")
    browser_page.dispatch_event("#path-t", "input")
    r = _reply(browser_page, "r.label === null")
    np.testing.assert_allclose(r["pixels"], truth.inputs[4], atol=1e-12)


def test_two_dimensional_data_has_no_digits_panel(live_server, browser_page):
    _app, url = live_server
    browser_page.goto(url + "#data=moons")
    browser_page.wait_for_function("window.netwarp.S.frame")
    assert not browser_page.is_visible("#p-digits")


def test_units_groups_lesions_contrast_and_the_path_of_my_strokes(live_server, browser_page):
    app, url = live_server
    _trained(browser_page, url)
    s = app.state.sessions[browser_page.evaluate("window.netwarp.S.hello.sid")]
    step = browser_page.evaluate("window.netwarp.S.frame.metrics.step")
    browser_page.wait_for_function(f"window.netwarp.digits.units && window.netwarp.digits.units.step === {step}", timeout=30_000)
    u = browser_page.evaluate("window.netwarp.digits.units")
    i, tr = s.shown_index(), s.trace
    np.testing.assert_allclose(u["selectivity"], views.class_selectivity(tr, tr.X_test, tr.y_test, i)[0], atol=1e-9)
    groups = views.neuron_groups(tr, 1, tr.X_test, i)
    assert u["groups"] == groups.tolist()
    for g, acc in enumerate(u["lesions"]):
        np.testing.assert_allclose(acc, views.lesion(tr, 1, np.flatnonzero(groups == g), tr.X_test, tr.y_test, i))
    # the test digits in hidden layer 1, from above: one PCA fitted over the run, applied to the shown step
    spread = np.unique(np.round(np.linspace(0, len(tr) - 1, min(8, len(tr)))).astype(int))
    proj = views.fit_projection([tr.layer_outputs(tr.X_test, int(k))[1] for k in spread], dims=2)
    np.testing.assert_allclose(u["space"][0], proj.apply(tr.layer_outputs(tr.X_test, i)[1]), atol=1e-4)
    assert u["labels"] == tr.y_test.astype(int).tolist()
    browser_page.click('#lesion-groups button[data-group="0"]')
    assert browser_page.evaluate("window.netwarp.digits.lesioned") == 0
    assert browser_page.inner_text("#lesion-cap").startswith("group 0 silenced")

    # contrastive saliency: what makes test image 7 a 7 rather than a 2
    browser_page.select_option("#digit-pick", "7")
    browser_page.select_option("#sal-cls", "7")
    browser_page.select_option("#sal-versus", "2")
    r = _reply(browser_page, "r.cls === 7 && r.versus === 2 && r.label !== null")
    np.testing.assert_allclose(_nan(r["saliency"]), views.saliency(tr, tr.X_test[7][None], 7, 2, snapshot=i)[0], atol=1e-9)

    # the path of the user's own strokes
    browser_page.click("#pad-clear")
    # a stroke across the top and down the middle, as pointer events on the pad's cells (a real mouse
    # draws in the test above; here the page has scrolled under the selects)
    browser_page.evaluate("""() => {
      const pad = document.getElementById('pad'), r = pad.getBoundingClientRect();
      const cells = [[1,1],[2,1],[3,1],[4,1],[5,1],[6,1],[5,3],[4,5],[4,6],[3,7]];
      for (const [c, q] of cells) {
        const x = r.left + (c + 0.5) * r.width / 8, y = r.top + (q + 0.5) * r.height / 8;
        pad.dispatchEvent(new PointerEvent('pointerdown', {clientX: x, clientY: y, buttons: 1, pointerId: 1, bubbles: true}));
        pad.dispatchEvent(new PointerEvent('pointerup', {clientX: x, clientY: y, pointerId: 1, bubbles: true}));
      }
    }""")
    drawn = browser_page.evaluate("window.netwarp.digits.strokes.length")
    assert drawn >= 3, browser_page.evaluate("JSON.stringify(window.netwarp.stats.errors)")
    browser_page.click("#path-strokes")
    browser_page.wait_for_function("window.netwarp.digits.path && window.netwarp.digits.path.strokes")
    p = browser_page.evaluate("window.netwarp.digits.path")
    truth = views.along(tr, np.array(p["inputs"]), snapshot=i)
    assert p["pred"] == truth.predicted.tolist() and p["flips"] == truth.flips.tolist()
    assert np.array_equal(np.array(p["inputs"][-1]), np.array(browser_page.evaluate("window.netwarp.digits.pixels")))
    OUT.mkdir(parents=True, exist_ok=True)
    browser_page.locator("#p-digits").screenshot(path=str(OUT / "playground-digits-units-strokes.png"))


def test_saliency_by_class_and_over_training_and_the_class_mix_on_the_diagram(live_server, browser_page):
    app, url = live_server
    _open(browser_page, url, hidden=16)
    browser_page.evaluate("window.netwarp.send({type: 'step', n: 60})")
    browser_page.wait_for_function("window.netwarp.S.frame.timeline.step === 60", timeout=30_000)
    s = app.state.sessions[browser_page.evaluate("window.netwarp.S.hello.sid")]
    browser_page.select_option("#digit-pick", "3")
    r = _reply(browser_page, "r.label !== null && r.saliency_training && r.pixels.join() === window.netwarp.digits.setup.thumbs[3].join()")
    tr, i = s.trace, s.shown_index()
    steps, maps = views.saliency_over_training(tr, tr.X_test[3], r["cls"], None, snapshots=6)
    assert r["saliency_training"]["steps"] == steps.tolist()
    np.testing.assert_allclose(_nan(r["saliency_training"]["maps"]), maps, atol=1e-9)
    np.testing.assert_allclose(_nan(r["saliency_class"]), views.class_saliency(tr, tr.X_test, tr.y_test, r["cls"], None, i), atol=1e-9)
    # the pixels the training set does not show go on the wire as null and are drawn grey, everywhere
    unseen = views.unseen_inputs(tr)
    assert unseen.sum() >= 4
    for values in (r["saliency"], r["saliency_x_input"], r["saliency_class"], *r["saliency_training"]["maps"]):
        assert [v is None for v in values] == unseen.tolist()
    np.testing.assert_allclose(_nan(r["saliency_x_input"]),
                               views.saliency(tr, tr.X_test[3][None], r["cls"], None, i, times_input=True)[0], atol=1e-9)
    for canvas in ("#digit-saliency", "#digit-gxi", "#saliency-class", "#saliency-training canvas"):
        colours = browser_page.evaluate("""(sel) => {
          const c = document.querySelector(sel), ctx = c.getContext('2d'), w = c.width / 8, h = c.height / 8, out = [];
          for (let i = 0; i < 64; i++) {
            const d = ctx.getImageData(Math.floor((i % 8 + 0.5) * w), Math.floor((Math.floor(i / 8) + 0.5) * h), 1, 1).data;
            out.push([d[0], d[1], d[2]]);
          }
          return out;
        }""", canvas)
        grey = [c == [189, 189, 189] for c in colours]
        assert grey == unseen.tolist(), canvas
    assert f"grey: {int(unseen.sum())} pixels inked in under 2% of the training images" in browser_page.inner_text("#saliency-cap")
    TRUTH.mkdir(parents=True, exist_ok=True)
    browser_page.locator("#p-digits").screenshot(path=str(TRUTH / "playground-saliency-grey.png"))
    browser_page.wait_for_function("window.netwarp.digits.mix && window.netwarp.digits.mix.length === 16", timeout=30_000)


def test_robustness_next_to_the_hand_edit_for_two_dimensional_data(live_server, browser_page):
    app, url = live_server
    browser_page.goto(url + "#data=moons&hidden=6&act=tanh")
    browser_page.wait_for_function("window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '2,6,2'")
    browser_page.evaluate("window.netwarp.send({type: 'step', n: 100})")
    browser_page.wait_for_function("window.netwarp.S.frame.timeline.step === 100", timeout=30_000)
    browser_page.evaluate("window.netwarp.S.sel = {kind: 'w', layer: 0, i: 0, j: 0}; window.dispatchEvent(new Event('resize'))")
    browser_page.evaluate("window.netwarp.robustness.key = null; window.netwarp.send({type: 'robustness'})")
    browser_page.wait_for_function("window.netwarp.robustness.data && window.netwarp.robustness.data.step === 100")
    s = app.state.sessions[browser_page.evaluate("window.netwarp.S.hello.sid")]
    m = browser_page.evaluate("window.netwarp.robustness.data")
    r = views.robustness(s.trace, m["sigmas"], draws=3, snapshot=s.shown_index())
    np.testing.assert_allclose(m["median"], np.median(r, axis=2))
    assert browser_page.inner_text("#edit-robust-cap").startswith("predictions unchanged")
