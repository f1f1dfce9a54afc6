"""Training memory: estimated from the settings, checked against the budget before
anything large is allocated, and close to what training really holds."""

import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import netwarp
from netwarp import limits, memory
from netwarp.errors import SnapshotsThinned
from netwarp.train import _fit_in_memory


def _cli(*argv, cwd=None) -> subprocess.CompletedProcess:
    # a subprocess: a size that slipped past the estimate must not take this test run's memory with it
    return subprocess.run([sys.executable, "-m", "netwarp", *map(str, argv)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env={"PYTHONPATH": str(Path(netwarp.__file__).parents[1]), "PATH": "/usr/bin:/bin"})


def _refused(r: subprocess.CompletedProcess, *says: str) -> str:
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr
    for text in says:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("settings, optimizer, batch", [
    (dict(n=16000, d=2, hidden=[256, 256], k=2), "adam", None),
    (dict(n=8000, d=10, hidden=[512], k=5), "sgd", 500),
    (dict(n=4000, d=64, hidden=[128] * 6, k=10), "momentum", None),
])
def test_the_estimate_is_close_to_the_measured_peak(settings, optimizer, batch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(settings["n"], settings["d"]))
    y = np.arange(settings["n"]) % settings["k"]
    tracemalloc.start()  # numpy reports its arrays to tracemalloc
    try:
        base = tracemalloc.get_traced_memory()[0]
        t = netwarp.train(X, y, settings["hidden"], steps=3, optimizer=optimizer, batch_size=batch, snapshots=3)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    estimate = sum(memory.training_parts(t.arch.sizes, len(t.X_train), len(t.X_test), batch, optimizer, 3).values())
    assert 0.5 < estimate / peak < 2, (estimate, peak)


CASES = {
    "a million points, 4096 wide": (["--n", "1000000", "--hidden", "4096"], "activations"),
    "40 layers of 4096": (["--hidden", ",".join(["4096"] * 40)], "parameters"),
    "200 layers of 4096": (["--hidden", ",".join(["4096"] * 200)], "parameters"),
    "every one of 10**10 steps": (["--steps", "10000000000", "--record-every", "1"], "snapshots"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_train_refuses_what_would_not_fit_in_one_line_with_the_estimate(case, tmp_path):
    argv, biggest = CASES[case]
    line = _refused(_cli("train", *argv, "--memory", "1000", "-q", "-o", tmp_path / "run.npz"),
                    "netwarp: error: training this network would need about ", f"({biggest} ",
                    "the budget is 1000.0 MiB (--memory")
    assert float(line.split("about ")[1].split()[0]) > 1
    assert not list(tmp_path.iterdir())


def test_the_default_budget_is_half_the_machine(tmp_path):
    _refused(_cli("train", "--n", "1000000", "--hidden", "4096", "-q", "-o", tmp_path / "run.npz"),
             "would need about ", "half this machine's memory (set it with --memory MB")


def test_a_budget_that_fits_trains(tmp_path):
    r = _cli("train", "--data", "circles", "--hidden", "4", "--steps", "20", "--memory", "200", "-q", "-o", tmp_path / "r.npz")
    assert r.returncode == 0, r.stderr and (tmp_path / "r.npz").is_file()


@pytest.mark.parametrize("given", ["0", "-3", "nan", "inf"])
def test_a_bad_budget_is_one_line(given, tmp_path):
    _refused(_cli("train", "--steps", "5", "--memory", given, "-o", tmp_path / "r.npz"),
             "memory must be a positive number of megabytes")


def test_the_python_api_refuses_with_the_same_estimate(bad, monkeypatch):
    X, y = netwarp.make_dataset("circles", n=100, seed=0)
    bad(r"training this network would need about \d+\.\d GiB of memory \(parameters \d+\.\d GiB\); "
        r"the budget is 1\.0 GiB \(--memory / memory=\)", netwarp.train, X, y, [4096] * 40, memory=1024)
    monkeypatch.setattr(memory, "machine_bytes", lambda: 2 * 1024**3)
    bad(r"the budget is 1\.0 GiB, half this machine's memory", netwarp.train, X, y, [4096] * 40)


def test_a_huge_record_every_plan_is_thinned_without_being_made(monkeypatch):
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 1000 * 8 * 50)  # room for 1000 snapshots of 50 parameters
    with pytest.warns(SnapshotsThinned, match="recording 1000 snapshots instead of 10000000001"):
        plan = _fit_in_memory(10**10, 100, 1, 50)
    assert len(plan) == 1000 and plan[0] == 0 and plan[-1] == 10**10 and np.all(np.diff(plan) > 0)
    with pytest.warns(SnapshotsThinned):
        odd = _fit_in_memory(10**10 + 5, 100, 10, 50)
    assert odd[-1] == 10**10 + 5 and np.all(odd[:-1] % 10 == 0)


def test_from_torch_refuses_a_model_too_large_for_the_budget(bad):
    torch = pytest.importorskip("torch")
    from netwarp.torch import from_torch

    model = torch.nn.Sequential(torch.nn.Linear(2, 2048), torch.nn.Tanh(), torch.nn.Linear(2048, 2048), torch.nn.Tanh(),
                                torch.nn.Linear(2048, 2))
    X, y = netwarp.make_dataset("circles", n=100, seed=0)
    bad(r"recording this model would need about \d+\.\d MiB of memory \(parameters \d+\.\d MiB\); the budget is 50\.0 MiB",
        from_torch, model, X, y, memory=50)
    assert len(from_torch(model, X, y, memory=1000)) == 1
