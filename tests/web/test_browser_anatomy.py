"""The playground's anatomy panels in a real browser (Debian chromium): shapes, algebra and code
as Python wrote them and cross-highlighted; the diagnostics ringing their unit on the diagram;
the "(?)" of every view. Screenshots go to test-artifacts/anatomy/."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from netwarp import views

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "anatomy"


def _session(app, sid):
    return app.state.sessions[sid]


def _anatomy(browser_page, step=None):
    cond = "window.netwarp && window.netwarp.anatomy.data" + (f" && window.netwarp.anatomy.data.step === {step}" if step is not None else "")
    browser_page.wait_for_function(cond, timeout=30_000)
    return browser_page.evaluate("window.netwarp.anatomy.data")


def test_shapes_algebra_and_code_are_pythons_and_light_up_together(live_server, browser_page):
    app, url = live_server
    browser_page.goto(url + "#data=moons&hidden=8,3&act=tanh")
    browser_page.wait_for_function("window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '2,8,3,2'")
    browser_page.click("#step")  # one step: the panel follows what is shown
    browser_page.wait_for_function("window.netwarp.S.frame.metrics.step >= 1 && !window.netwarp.S.frame.playing")
    s = _session(app, browser_page.evaluate("window.netwarp.S.hello.sid"))
    step = browser_page.evaluate("window.netwarp.S.frame.metrics.step")
    a = _anatomy(browser_page, step)
    i = s.shown_index()
    # the gradient and settling charts draw the trace's own numbers
    np.testing.assert_allclose(a["dynamics"]["grad"], views.gradient_flow(s.trace))
    np.testing.assert_allclose(a["dynamics"]["remaining"], views.convergence(s.trace).remaining)
    assert browser_page.locator("#lego .lbl").all_inner_texts() == [b.label for b in views.blocks(s.trace)]
    assert browser_page.locator("#algebra div").all_inner_texts() == views.algebra(s.trace)
    shown = browser_page.evaluate("Array.from(document.querySelectorAll('#code div')).map(d => d.textContent.trimEnd())")
    assert shown == views.forward_code(s.trace, i).split("\n")
    # the code the page holds runs on its own and is the network
    space: dict = {}
    exec(a["code"]["numpy"], space)
    np.testing.assert_allclose(space["forward"](s.trace.X_test), s.trace.layer_outputs(s.trace.X_test, i)[-1], atol=1e-12)
    # hover W1 in the blocks: W1 lights up in the algebra and the code, and nothing else does
    browser_page.hover('#lego [data-sym="W1"]')
    lit = browser_page.evaluate("Array.from(document.querySelectorAll('#p-anatomy .hl')).map(e => e.closest('#lego, #algebra, #code').id + ':' + e.dataset.sym)")
    assert {x.split(":")[1] for x in lit} == {"W1"}
    assert {x.split(":")[0] for x in lit} == {"lego", "algebra", "code"}
    browser_page.hover('#code [data-sym="b0"]')
    assert browser_page.evaluate("document.querySelector('#lego [data-sym=\"b0\"]').classList.contains('hl')")
    browser_page.click('#code-lang button[data-lang="torch"]')
    assert browser_page.inner_text("#code").startswith('"""The forward pass') and "torch.nn.Sequential(" in browser_page.inner_text("#code")
    OUT.mkdir(parents=True, exist_ok=True)
    browser_page.hover('#algebra [data-sym="W1"]')
    browser_page.locator("#p-anatomy").screenshot(path=str(OUT / "playground-shapes-algebra-code.png"))


def test_a_dead_unit_is_found_and_ringed_on_the_diagram_and_a_healthy_run_is_silent(live_server, browser_page):
    app, url = live_server
    browser_page.goto(url + "#data=moons&hidden=6&act=relu&seed=0")
    browser_page.wait_for_function("window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '2,6,2'")
    s = _session(app, browser_page.evaluate("window.netwarp.S.hello.sid"))
    assert all(f.kind != "dead" for f in views.diagnose(s.trace))
    _anatomy(browser_page)
    assert browser_page.inner_text("#findings").startswith("no problem found")
    # make hidden layer 1, unit 4 dead: a very negative bias, recorded as the newest snapshot
    theta = s.trace.theta(-1)
    _, sb = s.trace.arch.slices()[0]
    theta[sb.start + 4] = -1e3
    s.trace.record(s.trace.snapshot(-1).step + 1, theta)
    s.dirty = True
    browser_page.evaluate("window.netwarp.anatomy.key = null; window.netwarp.send({type: 'anatomy'})")
    browser_page.wait_for_function("document.querySelector('#findings li[data-layer=\"1\"][data-unit=\"4\"]') !== null", timeout=30_000)
    browser_page.click('#findings li[data-layer="1"][data-unit="4"]')
    browser_page.wait_for_function("window.netwarp.anatomy.ring && window.netwarp.anatomy.ring.unit === 4")
    browser_page.wait_for_timeout(100)  # one animation frame for the redraw
    rgba = browser_page.evaluate(
        "(() => { const n = window.netwarp.S.hit.nodes.find(q => q.layer === 1 && q.u === 4), r = window.netwarp.S.hit.box * 0.95;"
        " return Array.from(document.getElementById('c-diagram').getContext('2d').getImageData(Math.round(n.x + r), Math.round(n.y), 1, 1).data); })()")
    assert rgba[0] > 180 and rgba[1] < 90 and rgba[2] < 90, rgba  # the red ring passes there
    OUT.mkdir(parents=True, exist_ok=True)
    browser_page.locator("#p-diagram").screenshot(path=str(OUT / "playground-dead-unit-ringed.png"))
    browser_page.locator("#p-diagnostics").screenshot(path=str(OUT / "playground-diagnostics.png"))


def test_every_view_has_a_help_button_with_pythons_explanation(live_server, browser_page):
    _app, url = live_server
    browser_page.goto(url)
    browser_page.wait_for_function("window.netwarp.S.frame")
    buttons = browser_page.locator("button.help[data-help]:visible")  # the digits panel's show with digits data
    keys = [buttons.nth(i).get_attribute("data-help") for i in range(buttons.count())]
    assert {"field", "hidden", "morph", "diagram", "curves", "probes", "code", "gradients", "weights", "diagnostics"} <= set(keys)
    for i, key in enumerate(keys):
        buttons.nth(i).click()
        browser_page.wait_for_selector("#help-pop:not([hidden])")
        assert browser_page.inner_text("#help-title") == views.HELP[key][0]
        assert browser_page.inner_text("#help-text") == views.HELP[key][1]
        browser_page.click("#help-close")
        browser_page.wait_for_selector("#help-pop", state="hidden")
