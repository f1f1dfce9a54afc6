"""Busy processes, to measure netwarp on a machine where other work competes for the cores.

``Load(n)`` starts ``n`` processes that each spin one core in plain Python (the
way another user's training job or a test run would hold it) and stops them on
leaving the ``with`` block. Each process also stops by itself after ``seconds``
(default 600) or as soon as the process that started it is gone, so a benchmark
killed half way leaves nothing spinning.

Every benchmark in ``bench/`` takes ``--load N``: it measures once idle, once
with ``N`` busy processes, and prints the two sets of figures side by side
(:func:`side_by_side`).

Run on its own: ``python bench/load.py 2 --seconds 60`` (two busy processes for a
minute; Ctrl-C stops them sooner).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

# the child: spin until the deadline, or until the parent that started it is gone
_SPIN = """
import os, sys, time
deadline, parent = float(sys.argv[1]), int(sys.argv[2])
x = 0
while time.monotonic() < deadline and os.getppid() == parent:
    for i in range(20000):
        x += i * i
"""

MAX_SECONDS = 600.0


class Load:
    """``n`` busy processes while inside the ``with`` block (each stops itself after ``seconds``)."""

    def __init__(self, n: int, seconds: float = MAX_SECONDS):
        if n < 0:
            raise ValueError(f"load must be >= 0 busy processes, got {n}")
        self.n, self.seconds = n, min(float(seconds), MAX_SECONDS)
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Load:
        deadline = time.monotonic() + self.seconds  # CLOCK_MONOTONIC is shared by all processes
        # each in a session of its own, as another user's job would be: with the kernel's autogroup
        # scheduling (Linux's default on desktops), processes of one session share one slice of the
        # CPU, so spinners in our session would take their time from the benchmark's session only
        self.procs = [subprocess.Popen([sys.executable, "-c", _SPIN, repr(deadline), str(os.getpid())],
                                       stdin=subprocess.DEVNULL, start_new_session=True) for _ in range(self.n)]
        if self.n:
            time.sleep(0.5)  # let them reach full speed: a warm-up, not a wait for a state
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []


def add_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--load N`` to a benchmark's command line."""
    parser.add_argument("--load", type=int, default=0, metavar="N",
                        help="also measure with N busy processes (bench/load.py) and print both figures side by side")


def load_text() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


Figures = Mapping[str, tuple[float, str]]  # name -> (value, unit)


class Verdicts:
    """``run()`` returning ``(passed, figures)`` as :func:`side_by_side`'s ``measure``: the figures go on,
    whether each run passed is kept in :attr:`passed` (idle first)."""

    def __init__(self, run: Callable[[], tuple[bool, Figures]]):
        self.run = run
        self.passed: list[bool] = []

    def __call__(self) -> Figures:
        ok, figures = self.run()
        self.passed.append(ok)
        return figures


def side_by_side(measure: Callable[[], Figures], n: int) -> tuple[Figures, Figures | None]:
    """Run ``measure()`` idle and, when ``n`` > 0, again with ``n`` busy processes; print both.

    Parameters
    ----------
    measure : callable
        Runs the benchmark once (printing its own report) and returns its
        headline figures, ``{name: (value, unit)}``.
    n : int
        Busy processes for the second run; 0 runs only the idle one.

    Returns
    -------
    (idle, loaded)
        The two sets of figures; ``loaded`` is None when ``n`` is 0.
    """
    print(f"--- idle ({os.cpu_count()} cores, {load_text()})", flush=True)
    idle = measure()
    if n <= 0:
        return idle, None
    with Load(n):
        print(f"\n--- with {n} busy process{'es' if n > 1 else ''} ({load_text()})", flush=True)
        loaded = measure()
        during = load_text()
    width = max(len(k) for k in idle) + 2
    print(f"\nside by side: idle, and with {n} busy process{'es' if n > 1 else ''} ({during} at the end)")
    print(f"  {'figure':<{width}}{'idle':>10}{'':9}{f'load {n}':>10}{'':9}{'loaded/idle':>12}")
    for name, (v, unit) in idle.items():
        w = loaded.get(name, (float("nan"), unit))[0]
        ratio = w / v if v else float("nan")
        print(f"  {name:<{width}}{_num(v):>10} {unit:<8}{_num(w):>10} {unit:<8}{ratio:>11.2f}x")
    return idle, loaded


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3g}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="busy processes")
    ap.add_argument("--seconds", type=float, default=60.0, help=f"how long (default 60, at most {MAX_SECONDS:.0f})")
    args = ap.parse_args()
    with Load(args.n, args.seconds) as load:
        print(f"{args.n} busy processes for {load.seconds:.0f} s (pids {' '.join(str(p.pid) for p in load.procs)}); Ctrl-C stops them",
              flush=True)
        try:
            for p in load.procs:
                p.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
