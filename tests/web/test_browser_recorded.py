"""``netwarp serve run.npz`` of a small CNN recorded by its layers' outputs, in a real browser (Debian
chromium): the timeline moves, the layer switches (by the hidden panel's chips and by the list of
recorded layers), and the points drawn are the recorded outputs along their split, as Python computes
them. Every check waits for a state; screenshots go to test-artifacts/recorded/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from netwarp import views
from netwarp.trace import load_trace
from netwarp.web.app import create_app
from netwarp.web.server import serve_in_thread

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder  # noqa: E402
from netwarp.torch.examples import DigitsCNN  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "recorded"
WEIGHT_PANELS = ("#p-field", "#p-morph", "#p-anatomy", "#p-dynamics", "#p-diagnostics", "#p-digits", "#c-diagram", "aside")


@pytest.fixture(scope="module")
def recorded_file(tmp_path_factory):
    """A run file of the CNN on 300 digits, pool and fc1 recorded every 10 steps (4 snapshots)."""
    from sklearn.datasets import load_digits

    d = load_digits()
    X, y = (d.data / 16).astype(np.float32), d.target
    torch.manual_seed(0)
    model = DigitsCNN(maps=4, width=16)  # pool 64 wide, fc1 16
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with Recorder(model, X[:300].reshape(-1, 1, 8, 8), y[:300], X[300:400].reshape(-1, 1, 8, 8), y[300:400],
                  layers=["pool", "fc1"], every=10) as rec:
        for step in range(31):
            rec.record(step)
            loss = torch.nn.functional.cross_entropy(model(torch.tensor(X[:300])), torch.as_tensor(y[:300]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    path = tmp_path_factory.mktemp("recorded") / "cnn.npz"
    rec.trace.save(path)
    return path


@pytest.fixture(scope="module")
def live_server(recorded_file):
    """The playground replaying the recorded file, as ``netwarp serve cnn.npz`` does: ``(app, url)``."""
    app = create_app(load_trace(recorded_file), recorded_file.name)
    server, url = serve_in_thread(app)
    yield app, url
    server.should_exit = True


def frame(page, expr, timeout=30_000):
    """Wait until ``expr`` (JS, with ``f`` the newest frame) holds; return that frame."""
    page.wait_for_function(f"(() => {{ const f = window.netwarp && window.netwarp.S.frame; return f && ({expr}); }})()", timeout=timeout)
    return page.evaluate("window.netwarp.S.frame")


def drawn_points(page) -> np.ndarray:
    """The hidden panel's points as the page holds them (decoded from the frame), ``(n, dims)``."""
    f = page.evaluate("(() => { const h = window.netwarp.S.frame.hidden; return {d: h.dims, p: Array.from(h.pointsArr)}; })()")
    return np.array(f["p"]).reshape(-1, f["d"])


def expected_points(trace, layer: int, snapshot: int) -> np.ndarray:
    """Layer ``layer``'s recorded training outputs at ``snapshot``, along their classes' split."""
    sep = views.separating_projection(trace, layer, snapshot)
    return sep.basis.apply(trace.layer_outputs(trace.X_train, snapshot)[layer])


def test_replaying_a_recorded_cnn(live_server, browser_page):
    app, url = live_server
    page = browser_page
    page.goto(url)
    f = frame(page, "f.arch.recorded")
    (s,) = app.state.sessions.values()
    trace = s.trace
    assert f["arch"]["layer_names"] == ["pool", "fc1"] and f["timeline"]["count"] == len(trace) == 4

    # what needs weights is not shown; the recorded layers are, with their widths, and one line says why
    for sel in WEIGHT_PANELS:
        assert not page.is_visible(sel), sel
    assert page.inner_text("#p-diagram h3").lower() == "recorded layers"
    assert page.inner_text("#speed-row").startswith("speed (snapshots/s")  # a replay plays snapshots
    items = page.locator("#recorded-layers button").all_inner_texts()
    assert [t.split("\n")[0] for t in items] == ["input", "pool", "fc1", "output logits"]
    assert [int(t.split("\n")[1].split()[0]) for t in items] == list(trace.arch.sizes)
    why = page.inner_text("#recorded-why")
    assert "no weights" in why and "\n" not in why
    assert page.locator("#layer-pick button").all_inner_texts() == ["in", "pool", "fc1", "out"]
    assert page.is_disabled("#step") and page.is_disabled("#reset")

    # move the timeline to snapshot 1 and pick pool by its chip: the points are pool's outputs there
    page.evaluate("(() => { const t = document.getElementById('timeline'); t.value = '1'; t.dispatchEvent(new Event('input')); })()")
    frame(page, "f.timeline.index === 1")
    page.click("#layer-pick button:text-is('pool')")
    f = frame(page, "f.timeline.index === 1 && f.view.layer === 1 && f.hidden && f.hidden.layer === 1 && f.hidden.separation")
    assert f["metrics"]["step"] == int(trace.steps[1])
    np.testing.assert_allclose(drawn_points(page), expected_points(trace, 1, 1), rtol=1e-5, atol=1e-5)
    assert f["hidden"]["width"] == 64 and f["hidden"]["separation"]["source"] == "probe"
    assert page.inner_text("#hidden-cap").startswith(f"pool, recorded at step {int(trace.steps[1])}: 64 units")
    assert "pool" in page.locator("#recorded-layers button.on").inner_text()

    # the last snapshot, then the logits by the list of recorded layers
    page.evaluate("(() => { const t = document.getElementById('timeline'); t.value = '3'; t.dispatchEvent(new Event('input')); })()")
    frame(page, "f.timeline.index === 3 && f.hidden && f.hidden.layer === 1 && f.hidden.separation")
    np.testing.assert_allclose(drawn_points(page), expected_points(trace, 1, 3), rtol=1e-5, atol=1e-5)
    page.click("#recorded-layers button[data-layer='3']")
    f = frame(page, "f.view.layer === 3 && f.hidden && f.hidden.layer === 3 && f.hidden.separation")
    np.testing.assert_allclose(drawn_points(page), expected_points(trace, 3, 3), rtol=1e-5, atol=1e-5)
    assert f["hidden"]["separation"]["source"] == "network"

    # the probe bars measure the snapshot shown, under the recorded layers' names
    page.wait_for_function("window.netwarp.S.probesOf === window.netwarp.S.frame.probes_key", timeout=60_000)
    acc = page.evaluate("window.netwarp.S.probes")
    assert acc == pytest.approx(views.probe_accuracies(trace, snapshot=3), abs=1e-4)

    # a weight message (as an old page or a script might send) gets one line, and the tab goes on
    page.evaluate("window.netwarp.send({type: 'edit', kind: 'w', layer: 0, i: 0, j: 0, value: 1})")
    page.wait_for_function("window.netwarp.stats.errors.some((e) => e.includes('needs a forward pass'))")
    err = page.evaluate("window.netwarp.stats.errors.find((e) => e.includes('needs a forward pass'))")
    assert "\n" not in err and err.startswith("a weight edit needs a forward pass")

    # at projector size: the hidden space, the curves, the timeline and the recorded layers in the window
    page.set_viewport_size({"width": 1280, "height": 720})
    page.click("#layer-pick button:text-is('fc1')")
    frame(page, "f.view.layer === 2 && f.hidden && f.hidden.layer === 2")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / "1280x720-recorded-cnn-replay.png"))
    page.screenshot(path=str(OUT / "1280x720-recorded-cnn-replay-full.png"), full_page=True)
    for sel in ("#c-hidden", "#c-curves", "#timeline"):
        box = page.locator(sel).bounding_box()
        assert box and box["y"] + box["height"] <= 720 and box["x"] + box["width"] <= 1280, sel
