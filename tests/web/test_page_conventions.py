"""The page and the Python renderers share one camera and one layer naming:
draw.js and layers.js, run in node, give what render.camera and views.naming give."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources

import numpy as np
import pytest

from netwarp.render.camera import DEFAULT_AZIMUTH, DEFAULT_ELEVATION, project
from netwarp.views import layer_name

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _run_js(tmp_path, script: str):
    """Run ``script`` (an ES module) beside copies of the page's static modules; returns its JSON output."""
    static = resources.files("netwarp.web") / "static"
    for name in ("draw.js", "layers.js"):
        (tmp_path / name.replace(".js", ".mjs")).write_bytes((static / name).read_bytes())
    # draw.js makes a scratch canvas when it loads: a stand-in document is enough for its maths
    stub = "globalThis.document = { createElement: () => ({ getContext: () => null }) };\n"
    (tmp_path / "main.mjs").write_text(stub + script)
    out = subprocess.run([NODE, str(tmp_path / "main.mjs")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize(("az", "el"), [(0.0, 0.0), (0.7, 0.3), (-2.0, 1.2), (DEFAULT_AZIMUTH, DEFAULT_ELEVATION)])
def test_same_points_same_screen_in_python_and_the_page(tmp_path, rng, az, el):
    P = rng.normal(size=(7, 3))
    js = _run_js(tmp_path, f"""
const {{ project3d }} = await import("./draw.mjs");
const P = {json.dumps(P.tolist())};
console.log(JSON.stringify(P.map((p) => project3d({{ yaw: {az!r}, pitch: {el!r} }}, ...p))));
""")
    xy, depth = project(P, az, el)
    q = np.array(js)
    assert q.shape == (7, 3)
    assert np.allclose(q[:, :2], xy, atol=1e-12)
    assert np.allclose(q[:, 2], -depth, atol=1e-12)  # the page's third value points towards the viewer


def test_the_page_starts_at_the_still_view_and_the_third_axis_is_up(tmp_path):
    js = _run_js(tmp_path, """
const { makeCamera, project3d } = await import("./draw.mjs");
const cam = makeCamera();
console.log(JSON.stringify({ yaw: cam.yaw, pitch: cam.pitch, up: project3d({ yaw: 1.1, pitch: 0.0 }, 0, 0, 1) }));
""")
    assert np.isclose(js["yaw"], DEFAULT_AZIMUTH) and np.isclose(js["pitch"], DEFAULT_ELEVATION)
    assert np.allclose(js["up"], [0.0, 1.0, 0.0])  # z stays straight up on screen whatever the turn


def test_layer_names_agree(tmp_path):
    js = _run_js(tmp_path, """
const { layerName } = await import("./layers.mjs");
const out = [];
for (const L of [1, 2, 4]) for (let l = 0; l <= L; l++) out.push([layerName(l, L), layerName(l, L, true)]);
console.log(JSON.stringify(out));
""")
    py = [[layer_name(i, L), layer_name(i, L, short=True)] for L in (1, 2, 4) for i in range(L + 1)]
    assert js == py
