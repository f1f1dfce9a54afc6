"""The classroom at a projector's 1280x720: slow motion, the edit dialog, replay, layout, lessons.

Every check waits for a state (never a duration); screenshots go to
``test-artifacts/classroom/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "classroom"


@pytest.fixture()
def tab(browser_page):
    """The conftest's chromium tab at a projector's 1280x720."""
    browser_page.set_viewport_size({"width": 1280, "height": 720})
    return browser_page


def frame(page, expr, timeout=30_000):
    """Wait until ``expr`` (JS, ``f`` the newest frame) holds; return that frame."""
    page.wait_for_function(f"(() => {{ const f = window.netwarp && window.netwarp.S.frame; return f && ({expr}); }})()",
                           timeout=timeout)
    return page.evaluate("window.netwarp.S.frame")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_fresh_page_plays_in_slow_motion_and_keeps_every_step(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&hidden=4&n=200")
    f = frame(tab, "f.arch.sizes.join() === '2,4,2' && f.config.play.speed === 20")
    assert tab.input_value("#speed") == "20"
    tab.click("#play")
    f = frame(tab, "f.playing && f.timeline.step >= 8")
    # every step is a snapshot: the class can scrub back through each one it saw
    assert f["timeline"]["count"] == f["timeline"]["step"] + 1
    tab.fill("#speed", "0")
    tab.dispatch_event("#speed", "change")
    f = frame(tab, "f.config.play.speed === null && f.playing && f.timeline.step >= 400")  # 0: as fast as it goes
    assert "speed=max" in tab.evaluate("location.hash")
    tab.click("#play")
    frame(tab, "!f.playing")


def test_a_link_sets_the_speed(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&hidden=4&speed=5")
    frame(tab, "f.config.play.speed === 5")
    assert tab.input_value("#speed") == "5"
    tab.goto("about:blank")
    tab.goto(url + "#data=moons&hidden=4&speed=max")
    frame(tab, "f.config.play.speed === null")
    assert tab.input_value("#speed") == "0"


def _rect(page, sel):
    return page.evaluate(f"(() => {{ const r = document.querySelector('{sel}').getBoundingClientRect();"
                         " return [r.left, r.top, r.right, r.bottom]; })()")


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _open_edit(page, layer=1):
    xy = page.evaluate(
        f"(() => {{ const e = window.netwarp.S.hit.edges.find(e => e.layer === {layer} && e.i === 0 && e.j === 0);"
        " const c = document.getElementById('c-diagram'), r = c.getBoundingClientRect(), k = r.width / c.width;"
        " return [r.left + (e.A.x * 0.3 + e.B.x * 0.7) * k, r.top + (e.A.y * 0.3 + e.B.y * 0.7) * k]; })()")
    page.mouse.click(*xy)
    page.wait_for_selector("#edit:not([hidden])")
    return xy


def test_the_edit_dialog_covers_nothing_and_closes(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&n=200&hidden=4,4&speed=max")
    frame(tab, "f.arch.sizes.join() === '2,4,4,2'")
    tab.click("#step")
    frame(tab, "f.timeline.step === 1")
    _open_edit(tab)
    # the layer names of the robustness chart in it do not overlap
    labels = tab.wait_for_function("window.netwarp.robustness.labels && window.netwarp.robustness.labels.length === 3"
                                   " && window.netwarp.robustness.labels").json_value()
    assert all(a[1] < b[0] for a, b in zip(labels, labels[1:])), labels
    # filled in, it is all in the window: below the diagram, over neither the diagram (so not the clicked
    # weight in it) nor the loss and probes
    tab.wait_for_function("document.getElementById('edit').getBoundingClientRect().bottom <= window.innerHeight")
    box = _rect(tab, "#edit")
    assert box[1] >= 0
    for other in ("#c-diagram", "#c-curves", "#c-probes", "#c-field"):
        assert not _overlap(box, _rect(tab, other)), other
    shot(tab, "edit-dialog")
    tab.keyboard.press("Escape")
    tab.wait_for_selector("#edit", state="hidden")
    _open_edit(tab)
    tab.click("#edit-close")
    tab.wait_for_selector("#edit", state="hidden")
    _open_edit(tab)
    tab.click("#field-title")  # a click outside
    tab.wait_for_selector("#edit", state="hidden")
    _open_edit(tab)
    tab.click("#layers-plus")  # the network changes: what was being edited is gone
    frame(tab, "f.arch.sizes.join() === '2,4,4,4,2'")
    tab.wait_for_selector("#edit", state="hidden")


def test_a_replay_shows_its_own_settings_and_ids_are_unique(tab, tmp_path):
    from netwarp import make_dataset, train
    from netwarp.web.app import create_app
    from netwarp.web.server import serve_in_thread

    X, y = make_dataset("circles", n=120, seed=3)
    trace = train(X, y, hidden=[5, 3], activation="relu", optimizer="momentum", lr=0.05, steps=20, snapshots=3,
                  data={"dataset": "circles", "n": 120, "noise": 0.0, "seed": 3})
    server, url = serve_in_thread(create_app(replay=trace, replay_name="run.npz"))
    try:
        tab.goto(url)
        frame(tab, "f.replay")
        tab.wait_for_function("document.getElementById('activation').value === 'relu'")
        assert tab.input_value("#dataset") == "circles" and tab.input_value("#optimizer") == "momentum"
        assert tab.inner_text("#layers-count") == "2"
        assert tab.eval_on_selector_all("#units input", "es => es.map(e => e.value)") == ["5", "3"]
        ids = tab.eval_on_selector_all("[id]", "es => es.map(e => e.id)")
        assert len(ids) == len(set(ids))
        shot(tab, "replay-settings")
    finally:
        server.should_exit = True


def _layer_menus(page):
    return page.eval_on_selector_all("#activation-layers select", "es => es.map(e => e.value)")


def test_one_activation_per_hidden_layer_from_its_menu_the_url_and_a_reload(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&n=200&hidden=4,4")
    frame(tab, "f.arch.sizes.join() === '2,4,4,2'")
    assert tab.input_value("#activation") == "tanh" and _layer_menus(tab) == ["tanh", "tanh"]
    tab.select_option("#activation-2", "relu")  # hidden layer 2 only
    f = frame(tab, "f.arch.activations.join() === 'tanh,relu'")
    assert f["arch"]["activations"] == ["tanh", "relu"] and f["config"]["net"]["activation"] == ["tanh", "relu"]
    assert "act=tanh,relu" in tab.evaluate("location.hash")
    # the "all layers" menu says the layers differ; the titles name each layer's activation
    tab.wait_for_function("document.getElementById('activation').value === '__mixed'")
    assert tab.eval_on_selector("#activation", "e => e.selectedOptions[0].text") == "mixed"
    tab.wait_for_function("document.getElementById('net-arch').textContent === '2-4-4-2 · h1 tanh, h2 relu'")
    tab.wait_for_function("document.getElementById('hidden-cap').textContent.startsWith('hidden layer 2 (relu): 4 units')")
    shot(tab, "activation-per-layer")
    # the link restores it
    link = tab.evaluate("location.href")
    tab.goto("about:blank")
    tab.goto(link)
    frame(tab, "f.arch.activations.join() === 'tanh,relu'")
    tab.wait_for_function("document.getElementById('activation').value === '__mixed'")
    assert _layer_menus(tab) == ["tanh", "relu"]
    # a new layer takes the last layer's; removing one keeps the others' choices
    tab.click("#layers-plus")
    frame(tab, "f.arch.activations.join() === 'tanh,relu,relu'")
    assert "act=tanh,relu,relu" in tab.evaluate("location.hash") and _layer_menus(tab) == ["tanh", "relu", "relu"]
    tab.click("#layers-minus")
    tab.click("#layers-minus")
    f = frame(tab, "f.arch.sizes.join() === '2,4,2'")
    assert f["arch"]["activations"] == ["tanh"] and f["config"]["net"]["activation"] == "tanh"
    assert "act=tanh&" in tab.evaluate("location.hash") + "&"
    tab.click("#layers-plus")
    frame(tab, "f.arch.sizes.join() === '2,4,4,2'")
    tab.select_option("#activation-1", "gelu")
    frame(tab, "f.arch.activations.join() === 'gelu,tanh'")
    # "all layers" sets every layer
    tab.select_option("#activation", "sigmoid")
    f = frame(tab, "f.arch.activations.join() === 'sigmoid,sigmoid'")
    assert f["config"]["net"]["activation"] == "sigmoid" and _layer_menus(tab) == ["sigmoid", "sigmoid"]
    assert tab.evaluate("location.hash").count("act=sigmoid") == 1
    tab.wait_for_function("document.getElementById('net-arch').textContent === '2-4-4-2 sigmoid'")
    # a link with the wrong number of names is refused in one line
    tab.goto("about:blank")
    tab.goto(url + "#data=moons&n=200&hidden=4&act=tanh,relu")
    tab.wait_for_function("document.getElementById('status').textContent.includes("
                          "'2 activations (tanh, relu) for 1 hidden layer(s)')")


def test_a_replayed_mixed_activation_run_shows_each_layers_activation(tab, tmp_path):
    from netwarp import load_trace, make_dataset, train
    from netwarp.web.app import create_app
    from netwarp.web.server import serve_in_thread

    X, y = make_dataset("moons", n=100, seed=2)
    train(X, y, hidden=[4, 3], activation=["tanh", "relu"], steps=10, snapshots=3,
          data={"dataset": "moons", "n": 100, "noise": 0.1, "seed": 2}).save(tmp_path / "run.npz")
    server, url = serve_in_thread(create_app(replay=load_trace(tmp_path / "run.npz"), replay_name="run.npz"))
    try:
        tab.goto(url)
        f = frame(tab, "f.replay && f.arch.activations.join() === 'tanh,relu'")
        assert f["config"]["net"]["activation"] == ["tanh", "relu"]
        tab.wait_for_function("document.getElementById('activation').value === '__mixed'")
        assert _layer_menus(tab) == ["tanh", "relu"]
        assert tab.eval_on_selector_all("#activation-layers select", "es => es.every(e => e.disabled)")
        tab.wait_for_function("document.getElementById('net-arch').textContent === '2-4-3-2 · h1 tanh, h2 relu'")
        shot(tab, "replay-mixed-activations")
    finally:
        server.should_exit = True


def test_digits_default_network_and_the_menu_follows_the_pad(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&hidden=4")
    frame(tab, "f.arch.sizes.join() === '2,4,2'")
    tab.select_option("#dataset", "digits")
    frame(tab, "f.arch.sizes.join() === '64,32,16,10'", timeout=60_000)
    tab.wait_for_function("document.getElementById('digit-pick').options.length > 10")
    tab.select_option("#digit-pick", "4")
    tab.wait_for_function("window.netwarp.digits.reply && window.netwarp.digits.reply.label !== null")
    tab.locator("#pad").scroll_into_view_if_needed()
    box = tab.locator("#pad").bounding_box()
    tab.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.1)
    tab.mouse.down()
    tab.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9, steps=12)
    tab.mouse.up()
    tab.wait_for_function("document.getElementById('digit-pick').value === 'pad'")
    tab.select_option("#dataset", "moons")
    f = frame(tab, "f.arch.sizes[0] === 2")
    assert f["arch"]["sizes"] == [2, 8, 8, 2]  # leaving the digits goes back to the default network


EMPTY_COLUMNS = """(() => {
  const views = document.querySelector('.views'), vw = views.getBoundingClientRect().width;
  const gap = parseFloat(getComputedStyle(views).columnGap), rows = {};
  for (const p of views.querySelectorAll(':scope > .panel')) {
    const r = p.getBoundingClientRect();
    if (!r.width) continue;
    (rows[Math.round(r.top)] ||= []).push(r.width);
  }
  // a row whose panels (with the gaps between them) leave more than a gap of width empty
  return Object.entries(rows).filter(([, ws]) => ws.reduce((a, b) => a + b, 0) + gap * (ws.length - 1) < vw - gap)
    .map(([top, ws]) => [Number(top), ws]);
})()"""


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_projector_layout_is_readable_and_leaves_no_empty_column(live_server, tab, size):
    _, url = live_server
    W, H = size
    tab.set_viewport_size({"width": W, "height": H})
    tab.goto(url + "#data=moons&hidden=8,3&speed=max")
    frame(tab, "f.arch.sizes.join() === '2,8,3,2'")
    tab.click("#step")
    tab.wait_for_function("window.netwarp.anatomy.data && document.querySelectorAll('#code div').length > 3")
    assert tab.locator("#code").bounding_box()["width"] >= 280
    assert tab.evaluate(EMPTY_COLUMNS) == []
    shot(tab, f"layout-plane-{W}x{H}")
    tab.goto("about:blank")
    tab.goto(url + "#data=digits&speed=max")
    frame(tab, "f.arch.sizes.join() === '64,32,16,10'", timeout=60_000)
    tab.click("#step")
    tab.wait_for_function("window.netwarp.digits.units && window.netwarp.digits.axes"
                         " && document.querySelectorAll('#digit-filters canvas').length === 16")
    cell = tab.locator("#digit-filters canvas").first.bounding_box()["width"] / 8
    assert cell >= 10, cell
    assert tab.evaluate("window.netwarp.digits.axes.selectivity") == {"rows": "class", "columns": "units"}
    assert tab.locator("#code").bounding_box()["width"] >= 280
    assert tab.evaluate(EMPTY_COLUMNS) == []
    tab.locator("#p-digits").scroll_into_view_if_needed()
    shot(tab, f"layout-digits-{W}x{H}")


def shown_panels(tab) -> list[str]:
    """The ids of the view panels the page shows (those with any width), in page order."""
    return tab.eval_on_selector_all(".views > .panel", "ps => ps.filter(p => p.getBoundingClientRect().width > 0).map(p => p.id)")


def test_present_shows_the_two_panels_large(live_server, tab):
    _, url = live_server
    tab.goto(url + "#data=moons&hidden=4&n=200&present=1")
    frame(tab, "f.arch.sizes.join() === '2,4,2' && f.hidden")
    tab.wait_for_function("document.body.classList.contains('present')")
    shown = shown_panels(tab)
    assert shown == ["p-field", "p-hidden"]
    assert not tab.locator("aside").is_visible()
    for c in ("#c-field", "#c-hidden"):
        b = tab.locator(c).bounding_box()
        assert b["width"] >= 420 and b["y"] + b["height"] <= 720, (c, b)
    shot(tab, "present")
    tab.click("#present")  # off again: every panel, and the URL forgets it
    tab.wait_for_function("!document.body.classList.contains('present')")
    assert tab.locator("#p-diagram").is_visible() and "present" not in tab.evaluate("location.hash")


def _step_state(page, lesson, k):
    """Wait until the page shows step ``k`` of ``lesson`` (1-based): the server runs its settings,
    the view and the task are its own, the URL holds lesson and step; returns the frame."""
    from netwarp.settings import SETTINGS

    step = lesson.steps[k - 1]
    conds = ["true"]
    for name, v in step.settings.items():
        s = SETTINGS[name]
        want = "null" if v is None else repr(v).replace("'", '"').replace("True", "true").replace("False", "false")
        conds.append(f"JSON.stringify(f.config[{s.group!r}][{s.config_key!r}]) === JSON.stringify({want})")
    if "layer" in step.view:
        conds.append(f"f.view.layer === {step.view['layer']}")
    conds.append(f"f.task && f.task.text === {step.task.text!r}" if step.task else "!f.task")
    if step.play:
        conds.append("f.playing")
    f = frame(page, " && ".join(conds), timeout=60_000)
    if "n" not in step.settings:  # what a step does not set is the dataset's own (the digits' 1797 points)
        from netwarp.datasets import DATASETS

        assert f["config"]["data"]["n"] == min(DATASETS[f["config"]["data"]["dataset"]].n, 5000)
    assert page.inner_text("#lesson-count") == f"step {k} of {len(lesson.steps)}"
    assert step.text.split("**")[1] in page.inner_text("#lesson-text")  # its heading
    assert f"lesson={lesson.name}&step={k}" in page.evaluate("location.hash")
    # the step's text stays in view, and the highest of its panels starts in the window right under it
    panels = [f"p-{p}" for p in step.view.get("panels", [])]
    if panels and not page.evaluate("document.body.classList.contains('present')"):
        first = page.evaluate(f"{panels!r}.map(id => document.getElementById(id)).sort((a, b) => a.offsetTop - b.offsetTop)[0].id")
        page.wait_for_function(f"""(() => {{ const p = document.getElementById('{first}').getBoundingClientRect(),
            l = document.getElementById('lesson').getBoundingClientRect();
            return l.top >= 0 && l.bottom <= p.top && p.top < window.innerHeight / 2; }})()""")
    shown = page.eval_on_selector_all(".views > .panel.focus", "ps => ps.map(p => p.id)")
    assert shown == [f"p-{p}" for p in step.view.get("panels", [])] or sorted(shown) == sorted(
        f"p-{p}" for p in step.view.get("panels", []))
    return f


@pytest.mark.parametrize("name", ["olah", "anatomy", "digits"])
def test_walk_a_builtin_lesson_to_its_last_step(live_server, tab, name):
    from netwarp.lessons import load_lesson

    _, url = live_server
    lesson = load_lesson(name)
    tab.goto(url + f"#lesson={name}&step=1")
    tab.wait_for_selector("#lesson:not([hidden])")
    for k in range(1, len(lesson.steps) + 1):
        if k > 1:
            tab.click("#lesson-next")
        f = _step_state(tab, lesson, k)
        if lesson.steps[k - 1].task is not None:
            met = f["task"]["met"]
            tab.wait_for_function(f"document.getElementById('lesson-task').textContent.includes({lesson.steps[k - 1].task.text!r})")
            # the student gives up: the step says what to look at instead. The run goes on training,
            # so the task can be met (and the button hidden) between a check and a click: check and
            # click in one go in the page.
            gave_up = not met and tab.evaluate(
                "(() => { const b = document.getElementById('lesson-giveup');"
                " if (b.hidden || !b.offsetParent) return false; b.click(); return true; })()")
            if gave_up:
                tab.wait_for_function("document.getElementById('lesson-task').className !== ''")
        shot(tab, f"lesson-{name}-{k}")
    assert tab.locator("#lesson-next").is_disabled()
    tab.click("#lesson-back")
    _step_state(tab, lesson, len(lesson.steps) - 1)
    # a link opens a given step
    tab.goto("about:blank")
    tab.goto(url + f"#lesson={name}&step=2")
    _step_state(tab, lesson, 2)


def test_a_present_lesson_step_shows_its_panels(live_server, tab):
    _, url = live_server
    tab.goto(url + "#lesson=olah&step=3&present=1")
    frame(tab, "f.view.layer === 1 && f.arch.sizes.join() === '2,4,2'")
    tab.wait_for_function("document.body.classList.contains('present')")
    shown = shown_panels(tab)
    assert sorted(shown) == ["p-hidden", "p-morph"]
    # the lesson's text and both panels fit the projector's window
    for sel in ("#lesson-text", "#c-hidden", "#c-morph"):
        b = tab.locator(sel).bounding_box()
        assert b["y"] >= 60 and b["y"] + b["height"] <= 720, (sel, b)
    assert tab.locator("#c-hidden").bounding_box()["width"] >= 300
    shot(tab, "present-lesson-olah-3")
