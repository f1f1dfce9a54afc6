"""Playground speed, measured in a real browser (Debian chromium via playwright).

1. Hand-edit latency (and 1b, the same on the wine table, for information): from the weight slider's ``input`` event until the
   decision boundary and the hidden space are redrawn with the server's reply
   (``performance.now()`` in the page), over 200 moves, for a 2-8-8-2 network
   with 1,000 training points and a 200x200 field. Two clocks: "drawn" stops
   when the canvases hold the new picture (shown at the browser's next
   composite), "presented" at the next animation frame after that (adds up to
   one display refresh, ~16 ms, that no page can avoid).
2. Frames drawn per second while training (the default page: spiral, 8,8 tanh).
3. Wall time from pressing play to a test loss < 0.1 on spiral with 8,8 tanh.
4. Cold start: a fresh ``netwarp serve`` process, its first tab (a websocket
   client): from the greeting until the first frame arrives (goal < 300 ms).

Run: ``python bench/bench_web.py [--load N]`` (``--load 2``: again with two busy
processes from ``bench/load.py``, figures side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright
from websockets.sync.client import connect

from load import Verdicts, add_option, side_by_side
from netwarp.web.app import create_app
from netwarp.web.server import serve_in_thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
MOVES = 200

# 200 slider moves, one after another: each waits until its reply is on screen
LATENCY_JS = """async (moves) => {
  const nw = window.netwarp, S = nw.S, slider = document.getElementById('edit-slider');
  const base = Number(slider.value), lo = Number(slider.min), hi = Number(slider.max);
  nw.stats.latencies.length = 0;
  nw.stats.presented.length = 0;
  for (let i = 0; i < moves; i++) {
    slider.value = lo + ((hi - lo) * ((i * 37) % moves)) / moves;
    slider.dispatchEvent(new Event('input'));
    while (nw.stats.presented.length <= i) await new Promise(r => setTimeout(r, 0));
  }
  slider.value = base;
  return [nw.stats.latencies.slice(), nw.stats.presented.slice()];
}"""

FPS_JS = """async (seconds) => {
  const st = window.netwarp.stats;
  await new Promise(r => setTimeout(r, 300));  // let training settle in
  const f0 = st.framesDrawn, t0 = performance.now();
  await new Promise(r => setTimeout(r, seconds * 1000));
  return (st.framesDrawn - f0) / ((performance.now() - t0) / 1000);
}"""

CONVERGE_JS = """async () => {
  const S = window.netwarp.S;
  const t0 = performance.now();
  document.getElementById('play').click();
  while (!(S.frame.metrics.test_loss !== null && S.frame.metrics.test_loss < 0.1 && S.frame.timeline.step > 0))
    await new Promise(requestAnimationFrame);
  const t = (performance.now() - t0) / 1000;
  document.getElementById('play').click();
  return [t, S.frame.metrics.step, S.frame.metrics.test_loss];
}"""


def ready(page, expr):
    page.wait_for_function(f"(() => {{ const f = window.netwarp && window.netwarp.S.frame; return f && ({expr}); }})()", timeout=30_000)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def first_frame_ms() -> tuple[float, str]:
    """A fresh ``netwarp serve`` process, its first tab: milliseconds from the greeting to the first frame."""
    proc = subprocess.Popen([sys.executable, "-m", "netwarp.cli", "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        host = line.split(" at ", 1)[1].split()[0].split("//", 1)[1].rstrip("/")
        with connect(f"ws://{host}/ws", origin=f"http://{host}", max_size=None) as ws:
            assert json.loads(ws.recv())["type"] == "hello"
            t0 = time.perf_counter()
            while json.loads(ws.recv())["type"] != "frame":
                pass
            return (time.perf_counter() - t0) * 1000, line.split("; ", 1)[-1].rstrip(")\n")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_option(ap)
    args = ap.parse_args()
    measure = Verdicts(run)
    side_by_side(measure, args.load)
    print("PASS" if measure.passed[0] else "FAIL")
    return 0 if measure.passed[0] else 1


def run() -> tuple[bool, dict]:
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start" + ("  (busy: other processes compete for the CPU)" if load > 1 else ""))
    first, threads = first_frame_ms()
    ok = first < 300
    print(f"first frame   a fresh server's first tab, greeting -> first frame: {first:.0f} ms (goal < 300 ms)  "
          f"{'PASS' if ok else 'FAIL'}  [{threads}]")
    server, url = serve_in_thread(create_app())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})

        # 1. latency: n=1334 points -> 1,000 training points drawn (the rest is the test split)
        page.goto(url + "#data=spiral&n=1334&hidden=8,8&act=tanh&res=200&layer=2")
        ready(page, "f.view.resolution === 200 && f.arch.sizes.join() === '2,8,8,2' && f.config.data.n === 1334")
        n_train = page.evaluate("window.netwarp.S.points.trainLab.length")
        page.evaluate("window.netwarp.send({type: 'step', n: 300})")
        ready(page, "f.timeline.step === 300")
        page.evaluate("(() => { const S = window.netwarp.S; S.sel = {kind: 'w', layer: 1, i: 0, j: 0}; })()")
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        page.wait_for_selector("#edit:not([hidden])")
        lat, shown = page.evaluate(LATENCY_JS, MOVES)
        server_ms = page.evaluate(f"window.netwarp.stats.serverMs.slice(-{MOVES})")
        draw_ms = page.evaluate(f"window.netwarp.stats.drawMs.slice(-{MOVES})")
        p50, p95 = pct(lat, 50), pct(lat, 95)
        res = page.evaluate("window.netwarp.S.frame.field.res")
        good = p95 < 30
        ok &= good
        print(f"edit latency  2-8-8-2, {n_train} training points, {res}x{res} field, {len(lat)} moves: "
              f"drawn p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < 30 ms)  {'PASS' if good else 'FAIL'}")
        print(f"              presented (next animation frame): p50 {pct(shown, 50):.1f} ms, p95 {pct(shown, 95):.1f} ms")
        print(f"              of which: server frame p50 {pct(server_ms, 50):.1f} ms, browser drawing p50 {pct(draw_ms, 50):.1f} ms")
        page.evaluate("window.netwarp.send({type: 'restore', all: true})")

        # 1b. the same edit on a table (wine: 13 inputs, 3 classes): the hidden space along its split
        page.goto(url + "?stage=wine#data=wine&hidden=8,8&act=tanh&layer=2")
        ready(page, "f.arch.sizes.join() === '13,8,8,3' && f.hidden")
        page.evaluate("window.netwarp.send({type: 'step', n: 300})")
        ready(page, "f.timeline.step === 300")
        page.evaluate("(() => { const S = window.netwarp.S; S.sel = {kind: 'w', layer: 1, i: 0, j: 0}; })()")
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        page.wait_for_selector("#edit:not([hidden])")
        lat, _ = page.evaluate(LATENCY_JS, MOVES)
        print(f"edit latency  wine 13-8-8-3 (a table: hidden space along its split), {len(lat)} moves: "
              f"drawn p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms (measured, no target)")
        page.evaluate("window.netwarp.send({type: 'restore', all: true})")

        # 2. frames drawn per second while training (default page)
        page.goto(url + "?stage=fps#data=spiral&hidden=8,8&act=tanh&speed=max")
        ready(page, "f.arch.sizes.join() === '2,8,8,2' && f.config.data.n === 600")
        page.click("#play")
        ready(page, "f.playing")
        fps = page.evaluate(FPS_JS, 3)
        steps = page.evaluate("window.netwarp.S.frame.timeline.step")
        page.click("#play")
        good = fps >= 30
        ok &= good
        print(f"training fps  spiral 600 points, 8,8 tanh, 100x100 field: {fps:.1f} frames drawn/s "
              f"({steps} steps in ~3.3 s) (target >= 30)  {'PASS' if good else 'FAIL'}")

        # 3. wall time to test loss < 0.1
        page.goto(url + "?stage=converge#data=spiral&hidden=8,8&act=tanh&seed=0&speed=max")
        ready(page, "f.arch.sizes.join() === '2,8,8,2' && f.timeline.step === 0 && f.config.data.n === 600")
        t0 = time.perf_counter()
        secs, step, loss = page.evaluate(CONVERGE_JS)
        wall = time.perf_counter() - t0
        good = secs < 4
        ok &= good
        print(f"convergence   spiral, 8,8 tanh, adam lr 0.03: test loss {loss:.4f} < 0.1 at step {step} after "
              f"{secs:.2f} s in the page ({wall:.2f} s wall) (target < 4 s)  {'PASS' if good else 'FAIL'}")
        browser.close()
    server.should_exit = True
    return ok, {"first frame (ms)": (first, "ms"), "edit p50 (ms)": (p50, "ms"), "edit p95 (ms)": (p95, "ms"),
                "training frames/s": (fps, "/s"), "time to loss < 0.1 (s)": (secs, "s")}


if __name__ == "__main__":
    sys.exit(main())
