"""Digits mode latency, measured in a real browser (Debian chromium via playwright).

A 64-32-10 tanh network on the 8x8 digits, trained 300 steps. 200 pad changes, one after
another, each painting or erasing one cell of the 8x8 pad as a pointer would: the clock runs
from the pad change until every digits view is redrawn with Python's reply (the activation
grid, the probabilities, the saliency, the pad) -- ``performance.now()`` in the page, the same
clock as the edit latency of ``bench/bench_web.py``.

Run: ``python bench/bench_digits_web.py [--load N]`` (``--load 2``: again with two busy
processes from ``bench/load.py``, figures side by side).
"""

from __future__ import annotations

import argparse
import os
import sys

from playwright.sync_api import sync_playwright

from load import Verdicts, add_option, side_by_side
from netwarp.web.app import create_app
from netwarp.web.server import serve_in_thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
MOVES = 200

# one pad cell at a time, as pointer moves paint them; each waits until its reply is drawn
PAD_JS = """async (moves) => {
  const D = window.netwarp.digits, pad = document.getElementById('pad'), r = pad.getBoundingClientRect();
  D.latencies.length = 0;
  for (let i = 0; i < moves; i++) {
    const cell = (i * 37) % 64, x = r.left + ((cell % 8) + 0.5) * r.width / 8, y = r.top + (Math.floor(cell / 8) + 0.5) * r.height / 8;
    D.erase = D.pixels[cell] > 0;  // every change flips a cell: inked ones are rubbed out
    pad.dispatchEvent(new PointerEvent('pointerdown', {clientX: x, clientY: y, buttons: 1, pointerId: 1, bubbles: true}));
    pad.dispatchEvent(new PointerEvent('pointerup', {clientX: x, clientY: y, pointerId: 1, bubbles: true}));
    while (D.latencies.length < i + 1) await new Promise(res => setTimeout(res, 0));
  }
  return D.latencies.slice();
}"""


# play for a while and count the steps the server reports (the frames keep arriving meanwhile)
TRAIN_JS = """async (seconds) => {
  const S = window.netwarp.S;
  document.getElementById('play').click();
  while (!S.frame.playing) await new Promise(requestAnimationFrame);
  const s0 = S.frame.timeline.step, t0 = performance.now();
  await new Promise(r => setTimeout(r, seconds * 1000));
  const rate = (S.frame.timeline.step - s0) / ((performance.now() - t0) / 1000);
  document.getElementById('play').click();
  return rate;
}"""


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_option(ap)
    args = ap.parse_args()
    measure = Verdicts(run)
    side_by_side(measure, args.load)
    return 0 if measure.passed[0] else 1


def run() -> tuple[bool, dict]:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    server, url = serve_in_thread(create_app())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1600})
        page.goto(url + "#data=digits&hidden=32&act=tanh&speed=max")
        page.wait_for_function("window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '64,32,10'")
        page.evaluate("window.netwarp.send({type: 'step', n: 300})")
        page.wait_for_function("window.netwarp.S.frame.timeline.step === 300", timeout=60_000)
        page.wait_for_function("window.netwarp.digits.reply")
        lat = page.evaluate(PAD_JS, MOVES)
        # training speed in digits mode with its default network, every view updating as it goes
        page.goto(url + "?stage=train#data=digits&speed=max")
        page.wait_for_function("window.netwarp.S.frame && window.netwarp.S.frame.arch.sizes.join() === '64,32,16,10'"
                               " && window.netwarp.S.frame.timeline.step === 0", timeout=60_000)
        rate = page.evaluate(TRAIN_JS, 5)
        browser.close()
    server.should_exit = True
    p50, p95 = pct(lat, 50), pct(lat, 95)
    good = p95 < 30
    print(f"digits pad -> every digits view redrawn, 64-32-10, {len(lat)} pad changes: p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms (target p95 < 30 ms)  {'PASS' if good else 'FAIL'}")
    fast = rate >= 100
    print(f"digits train  64-32-16-10 (digits mode's default), played for 5 s with its views updating: "
          f"{rate:.0f} steps/s (target >= 100)  {'PASS' if fast else 'FAIL'}")
    return good and fast, {"pad -> views p50": (p50, "ms"), "pad -> views p95": (p95, "ms"), "digits training": (rate, "steps/s")}


if __name__ == "__main__":
    sys.exit(main())
