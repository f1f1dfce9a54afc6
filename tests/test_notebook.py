"""netwarp in Jupyter: the example notebook run headless (nbclient), and the widget in a
real JupyterLab in a real browser (Debian chromium), started and stopped here."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

import netwarp as nw
from netwarp import views

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "netwarp_in_a_notebook.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "notebook"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("anywidget", reason="the [notebook] extra is part of the test extra")


def _trained():
    X, y = nw.make_dataset("circles", seed=0)
    return nw.train(X, y, hidden=[3], steps=1500, seed=0)  # as the notebook's first cell


def test_the_example_notebook_runs_and_shows_the_trace_and_the_widget():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    card = code[0].outputs[0]["data"]
    s = _trained().snapshot(-1)
    assert "image/png" in card and f"accuracy {s.train_acc:.1%} train / {s.test_acc:.1%} test" in card["text/html"]
    view = code[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"]
    assert code[2].outputs[0]["text"].startswith("edited weights: {}")  # nothing edited without a page


def test_a_widget_outside_a_notebook_says_what_to_do():
    out = subprocess.run([sys.executable, "-c", "import netwarp; netwarp.widget()"], capture_output=True, text=True)
    assert out.returncode == 1
    assert "netwarp.errors.NetwarpError: netwarp.widget shows the playground inside a Jupyter notebook" in out.stderr
    assert "run `netwarp serve`" in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on loopback with a token of ours, every setting and runtime file in tmp_path."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(f"no chromium at {CHROMIUM}: the test command installs Debian's chromium")
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
            f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news pop-up, no request out
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    json.load(r)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base, token
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()


def _run_cell(page, index: int) -> None:
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.click(position={"x": 60, "y": 5})  # clear of the collapser bar at the far left
    page.keyboard.press("Shift+Enter")


def test_the_widget_in_a_real_jupyterlab_draws_pythons_field_and_edits_pythons_weights(lab):
    from playwright.sync_api import sync_playwright

    from netwarp.render.palette import rgb_class
    from netwarp.web.geometry import unb64

    base, token = lab
    trace = _trained()
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.on("request", lambda r: None if re.match(r"(https?://127\.0\.0\.1[:/]|ws://127\.0\.0\.1|data:|blob:)", r.url)
                    else outside.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/lab/tree/{NOTEBOOK.name}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            # the kernel is up before the cells are run
            page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=90_000)
            # run the code cells in order: the trace, then the widget
            for i in (1, 3):
                _run_cell(page, i)
            page.wait_for_function("window.netwarp && window.netwarp.S.frame && window.netwarp.S.frame.field"
                                   " && window.netwarp.stats.framesDrawn > 0", timeout=120_000)
            page.locator("#c-field").scroll_into_view_if_needed()
            res = int(page.evaluate("document.getElementById('res').value"))
            field = views.decision_field(trace, resolution=res)
            got = unb64(page.evaluate("window.netwarp.S.frame.field.labels"), "u1").reshape(res, res)
            np.testing.assert_array_equal(got, field.labels)  # the field the page got is Python's
            rgba = page.evaluate("Array.from(document.getElementById('c-field').getContext('2d').getImageData(1, 1, 1, 1).data)")
            assert rgb_class(np.array(rgba[:3]), 2) == field.labels[-1, 0]  # and the pixels show it
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widget-in-jupyterlab.png"))

            # a weight edited on the page changes the Python side's state
            edge = page.evaluate(
                "(() => { const e = window.netwarp.S.hit.edges.find(e => e.layer === 1 && e.i === 0 && e.j === 0);"
                " const c = document.getElementById('c-diagram'), k = c.getBoundingClientRect().width / c.width;"
                " return [(e.A.x * 0.3 + e.B.x * 0.7) * k, (e.A.y * 0.3 + e.B.y * 0.7) * k]; })()")
            page.locator("#c-diagram").scroll_into_view_if_needed()
            dbox = page.locator("#c-diagram").bounding_box()
            page.mouse.click(dbox["x"] + edge[0], dbox["y"] + edge[1])
            page.wait_for_selector("#edit:not([hidden])")
            slider = page.locator("#edit-slider").bounding_box()
            page.mouse.click(slider["x"] + 4, slider["y"] + slider["height"] / 2)
            page.wait_for_function("window.netwarp.S.frame.edit && window.netwarp.S.frame.edit.changed.length === 1")
            shown = float(page.inner_text("#edit-value"))
            page.screenshot(path=str(ARTIFACTS / "widget-in-jupyterlab-edited.png"))
            _run_cell(page, 5)
            out = page.locator(".jp-Notebook .jp-Cell").nth(5).locator(".jp-OutputArea-output")
            out.filter(has_text="edited weights").wait_for(timeout=60_000)
            text = out.inner_text()
        finally:
            browser.close()
    values = [float(v) for v in re.findall(r": (-?[\d.]+)", text)]
    assert len(values) == 1 and values[0] == pytest.approx(shown, abs=1e-3), text
    assert values[0] != pytest.approx(trace.weights()[1][0][0, 0], abs=1e-3)  # moved from the trained W1[0, 0]
    assert not outside, outside
    assert not errors, errors
