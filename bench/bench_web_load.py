"""The playground under load: one tab's heaviest work against another tab's edits, and eight large tabs.

The server runs as a real ``netwarp serve`` process (its peak resident memory
is read from /proc), and the tabs are websocket clients on loopback.

1. One tab does the heaviest work the page allows (digits, 8 hidden layers of
   64, sgd, ``{"type": "step", "n": 10000}``) while a second tab (the default
   spiral) moves a weight 100 times; each move is timed from sending the edit
   until the frame that answers it arrives (edit -> frame latency, p50/p95),
   and plain HTTP requests are timed meanwhile. Goal: p95 < 100 ms.
2. A message flood: one tab sends 800 CSV uploads of 1 MB (5000 rows each) as fast as it can
   while a second tab moves a weight 100 times (edit -> frame p95, goal < 100 ms).
   The flooding tab's waiting messages are bounded; the excess is dropped and
   the tab told. Goal: the server grows by far less than the 0.8 GB sent.
3. Eight tabs each ask for the largest set-up (spiral, 5000 points, 8 x 64,
   field resolution 256, the morph to the last layer, a hand edit), then all
   eight ask for a morph MP4 at once (the page's 60 frames). The budget admits
   as many tabs and exports as fit; the rest are told why. Goal: the server's
   peak memory stays within its stated total budget (``--memory``).

4. For reference, the heavy set-up's speed as a plain ``netwarp.Trainer`` (no
   server), and the BLAS threads it chose (``netwarp.threads``).

Run: ``python bench/bench_web_load.py [--memory MB] [--only PART] [--load N]`` (a few minutes; ``--load 2``
measures again with two busy processes from ``bench/load.py``, side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import numpy as np
from websockets.sync.client import connect

from load import Verdicts, add_option, side_by_side
from netwarp.web.budget import TOTAL_MB

HEAVY = {"type": "config", "data": {"dataset": "digits", "n": 1797}, "net": {"hidden": [64] * 8, "optimizer": "sgd"}}
LARGEST = {"type": "config", "data": {"dataset": "spiral", "n": 5000}, "net": {"hidden": [64] * 8}}


def start_server(memory: int = TOTAL_MB) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "netwarp.cli", "serve", "--port", "0", "--memory", str(memory)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    return proc, line.split(" at ", 1)[1].split()[0]


def stop(proc: subprocess.Popen) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it has not exited within a minute (a loaded machine)."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=60)


def peak_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Tab:
    """A websocket tab: sends messages, keeps the latest frame."""

    def drain(self) -> None:
        """Read (and drop) this tab's messages in a thread from now on: a client that stops
        reading stops answering the server's pings, and the server then closes the tab."""

        def run() -> None:
            try:
                while True:
                    self.ws.recv()
            except Exception:
                return

        threading.Thread(target=run, daemon=True).start()

    def __init__(self, url: str):
        host = url.split("//", 1)[1].split("/", 1)[0]
        self.ws = connect(f"ws://{host}/ws", origin=f"http://{host}", max_size=None, ping_interval=None)
        self.hello = self.recv("hello")

    def send(self, msg: dict) -> None:
        self.ws.send(json.dumps(msg))

    def recv(self, kind: str = "frame", timeout: float = 600) -> dict:
        end = time.monotonic() + timeout
        while True:
            m = json.loads(self.ws.recv(timeout=max(0.01, end - time.monotonic())))
            if m["type"] == kind or (m["type"] == "error" and kind != "probes"):
                return m

    def close(self) -> None:
        self.ws.close()


def direct_steps_per_second() -> tuple[float, str]:
    """The heavy set-up's training speed in plain Python, without the server, for comparison."""
    import netwarp

    X, y = netwarp.make_dataset("digits")
    tr = netwarp.Trainer(X, y, hidden=[64] * 8, optimizer="sgd")
    tr.step(3)
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < 2.0:
        tr.step(5)
        n += 5
    c = getattr(tr, "threads", None)  # absent before netwarp chose BLAS threads (to compare with older versions)
    return n / (time.perf_counter() - t0), f"{c.threads} BLAS thread(s): {c.why}" if c else "the BLAS threads numpy started with"


def heavy_against_edits(url: str, pid: int) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    heavy = Tab(url)
    heavy.recv()
    heavy.send(HEAVY)
    heavy.recv()
    heavy.send({"type": "step", "n": 10_000})
    steps_seen = []

    def drain() -> None:  # the heavy tab's frames keep arriving; read them so the socket does not back up
        try:
            while True:
                m = heavy.recv(timeout=300)
                if m["type"] == "frame":
                    steps_seen.append(m["timeline"]["step"])
        except Exception:
            return

    threading.Thread(target=drain, daemon=True).start()
    time.sleep(1.0)
    s0, t0 = max(steps_seen, default=0), time.perf_counter()
    time.sleep(3.0)  # the heavy tab alone
    alone = (max(steps_seen, default=0) - s0) / (time.perf_counter() - t0)
    tab = Tab(url)
    tab.recv()
    latencies, http = [], []
    s1, t1 = max(steps_seen, default=0), time.perf_counter()
    # at least 100 edits and at least 3 s of them: the heavy tab reports its steps in a frame every
    # fraction of a second, so a shorter window (quick edits on a quiet machine) would read as 0 steps/s
    i = 0
    while i < 100 or time.perf_counter() - t1 < 3.0:
        i += 1
        latencies.append(edit_seconds(tab, i))
        if i % 10 == 0:
            t0 = time.perf_counter()
            with urllib.request.urlopen(url + "static/app.js", timeout=30) as r:
                r.read()
            http.append(time.perf_counter() - t0)
    shared = (max(steps_seen, default=0) - s1) / (time.perf_counter() - t1)
    tab.close()
    heavy.close()
    return np.array(latencies) * 1000, np.array(http) * 1000, (alone, shared)


def edit_latencies(tab: Tab, n: int = 100, first: int = 1) -> np.ndarray:
    """Milliseconds from each of ``n`` weight edits (sequence numbers from ``first``) to the frame that answers it."""
    return np.array([edit_seconds(tab, i) for i in range(first, first + n)]) * 1000


def edit_seconds(tab: Tab, i: int) -> float:
    """Seconds from weight edit number ``i`` until the frame that acknowledges it arrives."""
    t0 = time.perf_counter()
    tab.send({"type": "edit", "kind": "w", "layer": 1, "i": 2, "j": 3, "value": float(np.sin(i)), "seq": i})
    fr = tab.recv()
    while fr.get("ack", 0) < i:
        fr = tab.recv()
    return time.perf_counter() - t0


def csv_message(size: int = 990_000) -> str:
    """A CSV upload of about ``size`` characters (just within the page's limit, so each is read and
    built): 5000 rows of two long-written numbers and a label."""
    rng = np.random.default_rng(0)
    rows, width = 5000, size // 5000
    digits = max(4, (width - 4) // 2 - 2)
    lines = [f"{x:.{digits}f},{y:.{digits}f},{int(x > y)}" for x, y in rng.uniform(0, 1, (rows, 2))]
    return json.dumps({"type": "csv", "text": "x1,x2,label\n" + "\n".join(lines)})


def flood_against_edits(url: str, pid: int, messages: int = 800) -> tuple[np.ndarray, float, float, int, list[str]]:
    """One tab floods CSV uploads while a second tab edits; returns latencies, MB sent, RSS growth, drops, notes."""
    raw = csv_message()
    flooder = Tab(url)
    flooder.recv()
    tab = Tab(url)
    tab.recv()
    before = rss_mb(pid)
    notes: list[str] = []
    sent = [0]

    def flood() -> None:
        for _ in range(messages):
            flooder.ws.send(raw)
            sent[0] += 1

    def drain() -> None:  # the flooding tab's replies: frames, errors, the drop notices
        try:
            while True:
                m = json.loads(flooder.ws.recv(timeout=120))
                if m["type"] == "error" and "dropped" in m["message"]:
                    notes.append(m["message"])
        except Exception:
            return

    threading.Thread(target=drain, daemon=True).start()
    sender = threading.Thread(target=flood, daemon=True)
    sender.start()
    lat = edit_latencies(tab)
    sender.join(timeout=600)
    # the flooding tab is told once it has worked through what was kept: wait for that (bounded)
    end = time.monotonic() + 600
    while not notes and time.monotonic() < end:
        time.sleep(0.1)
    grown = peak_mb(pid) - before
    dropped = sum(int(n.split()[0]) for n in notes)
    tab.close()
    flooder.close()
    return lat, sent[0] * len(raw) / 2**20, grown, dropped, notes


def export(url: str, sid: str) -> str:
    """Ask for the page's morph MP4 of tab ``sid``; 'ok', or the one line the server refused it with."""
    try:
        with urllib.request.urlopen(f"{url}api/animation/{sid}?kind=morph&format=mp4&layer=8", timeout=1800) as r:
            r.read()
            return "ok"
    except urllib.error.HTTPError as e:
        return json.loads(e.read()).get("error", str(e))


def eight_largest(url: str, pid: int) -> tuple[int, list[str], list[str]]:
    admitted, refused, tabs, sids = 0, [], [], []
    for _ in range(8):
        try:
            t = Tab(url)
        except Exception as e:  # the handshake itself refused
            refused.append(str(e))
            continue
        first = t.recv()
        if first["type"] == "error":
            refused.append(first["message"])
            continue
        t.send(LARGEST)
        reply = t.recv()
        if reply["type"] == "error":
            refused.append(reply["message"])
            tabs.append(t)
            t.drain()
            continue
        t.send({"type": "view", "resolution": 256, "layer": 8, "t": 4.5})
        t.recv()
        t.send({"type": "step", "n": 30})
        t.send({"type": "edit", "kind": "w", "layer": 3, "i": 1, "j": 2, "value": 0.5, "seq": 1})
        t.recv()
        admitted += 1
        tabs.append(t)
        sids.append(t.hello["sid"])
        t.drain()
    results: list[str] = [""] * len(sids)

    def one(k: int) -> None:
        results[k] = export(url, sids[k])

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(len(sids))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=1800)
    for t in tabs:
        t.close()
    return admitted, refused, results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--memory", type=int, default=TOTAL_MB, metavar="MB", help=f"the server's --memory (default {TOTAL_MB})")
    ap.add_argument("--only", choices=("edits", "flood", "tabs"), help="run one part only")
    add_option(ap)
    args = ap.parse_args()
    measure = Verdicts(lambda: run(args.memory, args.only))
    side_by_side(measure, args.load)
    print("PASS" if measure.passed[0] else "FAIL")
    return 0 if measure.passed[0] else 1


def run(memory: int = TOTAL_MB, only: str | None = None) -> tuple[bool, dict]:
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start")
    figures: dict = {}
    ok1 = ok2 = ok3 = ok4 = True
    proc, url = start_server(memory)
    idle = rss_mb(proc.pid)
    stop(proc)
    if only in (None, "edits"):
        direct, chosen = direct_steps_per_second()
        print(f"trainer       plain netwarp.Trainer, digits 64-8x64-10 sgd: {direct:.0f} steps/s on {chosen}")
        proc, url = start_server(memory)
        try:
            lat, http, (alone, shared) = heavy_against_edits(url, proc.pid)
            p50, p95 = np.percentile(lat, [50, 95])
            ok1 = p95 < 100
            ok3 = shared >= 0.3 * alone
            print(f"second tab    edit -> frame latency while another tab trains digits 64-8x64-10 (sgd, step n=10000): "
                  f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p95 < 100 ms)  {'PASS' if ok1 else 'FAIL'}")
            print(f"              HTTP GET meanwhile: p50 {np.median(http):.1f} ms, max {http.max():.1f} ms")
            print(f"heavy tab     {alone:.0f} steps/s alone, {shared:.0f} steps/s while the second tab edits "
                  f"({shared / max(alone, 1e-9):.0%} of alone; goal >= 30%)  {'PASS' if ok3 else 'FAIL'}")
        finally:
            stop(proc)
        figures.update({"Trainer digits 64-8x64-10": (direct, "steps/s"), "heavy tab alone": (alone, "steps/s"),
                        "heavy tab while other edits": (shared, "steps/s"), "second tab edit p50": (p50, "ms"),
                        "second tab edit p95": (p95, "ms")})
    if only in (None, "flood"):
        proc, url = start_server(memory)
        try:
            lat, mb_sent, grown, dropped, notes = flood_against_edits(url, proc.pid)
            p50, p95 = np.percentile(lat, [50, 95])
            ok4 = p95 < 100
            print(f"flood         one tab sent {mb_sent:.0f} MB of CSV uploads (800 x 1 MB); the server grew by {grown:.0f} MB at its "
                  f"peak; {dropped} messages dropped, the tab told {len(notes)} times"
                  f"{(' (' + notes[0] + ')') if notes else ''}")
            print(f"second tab    edit -> frame latency meanwhile: p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p95 < 100 ms)  "
                  f"{'PASS' if ok4 else 'FAIL'}")
        finally:
            stop(proc)
        figures.update({"flood: server growth": (grown, "MB"), "flood: second tab edit p95": (p95, "ms")})
    if only in (None, "tabs"):
        proc, url = start_server(memory)
        try:
            admitted, refused, exports = eight_largest(url, proc.pid)
            peak = peak_mb(proc.pid)
            ok2 = peak <= memory
            done = [e for e in exports if e == "ok"]
            no = [e for e in exports if e != "ok"]
            print(f"eight tabs    the largest set-up (spiral 5000 points, 8 x 64, field 256, morph, edit): {admitted} admitted, "
                  f"{len(refused)} refused{(' (' + refused[0] + ')') if refused else ''}")
            print(f"              then each a morph MP4 at once: {len(done)} written, {len(no)} refused"
                  f"{(' (' + no[0] + ')') if no else ''}")
            print(f"              server peak resident memory {peak:.0f} MB (idle {idle:.0f} MB); budget {memory} MB in all  "
                  f"{'PASS' if ok2 else 'FAIL'}")
        finally:
            stop(proc)
        figures["server peak memory"] = (peak, "MB")
    return ok1 and ok2 and ok3 and ok4, figures


if __name__ == "__main__":
    sys.exit(main())
