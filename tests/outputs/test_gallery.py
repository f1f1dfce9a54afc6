"""The gallery (run short): every artefact is real and every caption number is measured."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from PIL import Image

import netwarp
from netwarp import views
from netwarp.outputs.gallery import run_gallery
from netwarp.outputs.gallery_recorded import has_torch

SCALE = 0.04  # ~100 training steps, 4-frame animations


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery")
    lines: list[str] = []
    index = run_gallery(out, progress=False, log=lines.append, scale=SCALE)
    return out, index, lines


def test_writes_every_artefact(gallery):
    out, index, lines = gallery
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "1-moons-linear-vs-network.png",
        *(["10-cnn-fc1-early-late.png", "10-cnn-probes-over-training.png", "10-wine-batchnorm-mlp-hidden2.png"]
          if has_torch() else []),
        "2-spiral-narrow-training.gif",
        "2-spiral-wide-training.gif",
        "3-circles-width2-hidden.png",
        "3-circles-width2-vs-width3.png",
        "3-circles-width3-morph.gif",
        "3-circles-width3-rotate.gif",
        "4-relu-square-hinges.png",
        "5-spiral-probes-per-layer.png",
        "6-sweep-circles-phase.png",
        "7-sweep-spiral-phase.png",
        "8-digits-filters.png",
        "8-digits-groups-lesions.png",
        "8-digits-hidden-layer.png",
        "8-digits-path.png",
        "8-digits-saliency.png",
        "9-wine-hidden-layer-1.png",
        "9-wine-hidden-layer-2.png",
        "9-wine-input-biplot.png",
        "9-wine-probes.png",
        "index.html",
        "sweep-circles",
        "sweep-spiral",
    ]
    for name in names:
        if name.endswith(".gif"):
            with Image.open(out / name) as im:
                assert im.n_frames == 4
    n = 34 if has_torch() else 31  # the recorded-model chapter: 4 lines, or 1 saying it was skipped
    assert lines[-1].startswith(f"[{n}/{n}] wrote index.html")


def test_index_links_the_files_beside_it(gallery):
    out, index, _ = gallery
    text = index.read_text()
    assert "base64," not in text  # no second copy of any picture
    srcs = re.findall(r"""(?:src|href)\s*=\s*"([^"]*)""", text)
    pictures = sorted(p.name for p in out.iterdir() if p.suffix in (".png", ".gif"))
    assert sorted(srcs) == pictures  # every picture of the folder, each once, by its own name
    for v in srcs:
        assert "/" not in v and (out / v).is_file()
    assert "http://" not in text and "https://" not in text
    assert index.stat().st_size < 100_000  # text only: the pictures stay in their files


def test_captions_carry_the_measured_numbers(gallery):
    _, index, _ = gallery
    text = index.read_text()
    X, y = netwarp.make_dataset("moons", seed=0)
    steps = max(2, int(2000 * SCALE))
    lin = netwarp.train(X, y, hidden=[], steps=steps, seed=0)
    net = netwarp.train(X, y, hidden=[8], steps=steps, seed=0)
    assert f"classifies {lin.snapshot(-1).test_acc:.1%} of the test points" in text
    assert f"reaches {net.snapshot(-1).test_acc:.1%}" in text
    X, y = netwarp.make_dataset("spiral", seed=0)
    deep = netwarp.train(X, y, hidden=[8, 8, 8], steps=max(2, int(3000 * SCALE)), seed=0)
    acc = views.probe_accuracies(deep)
    assert f"input {acc[0]:.1%}, hidden layer 1 {acc[1]:.1%}" in text  # one naming convention: was "hidden 1"


def test_the_sweep_captions_are_the_sweeps_numbers(gallery):
    from netwarp.sweeps import load_sweep
    from netwarp.sweeps.phase import phases

    out, index, _ = gallery
    text = index.read_text()
    (p,) = phases(load_sweep(out / "sweep-circles").rows)
    assert len(p.runs) == 12 and all(len(rs) == 5 for rs in p.runs.values())
    narrow = p.widths <= 2
    assert "Over 60 runs" in text
    assert f"their best run: {np.nanmax(p.high[:, narrow]):.1%}" in text
    (q,) = phases(load_sweep(out / "sweep-spiral").rows)
    best = np.nanmax(q.median[:, q.widths == 2])
    assert f"best median {best:.0%}" in text if best >= 0.99 else f"best median {best:.1%}" in text


def test_the_digits_caption_states_the_lesions_measured(gallery):
    import re

    from netwarp.outputs.gallery_digits import digits_section  # noqa: F401  (the chapter under test)

    _, index, _ = gallery
    text = index.read_text()
    m = re.search(r"64-32-16-10 tanh reaches ([\d.]+)% test accuracy", text)
    assert m
    X, y = netwarp.make_dataset("digits", seed=0)
    t = netwarp.train(X, y, [32, 16], steps=max(2, int(1500 * SCALE)), seed=0)
    assert float(m.group(1)) == round(100 * t.snapshot(-1).test_acc, 1)
    groups = views.neuron_groups(t, 1, t.X_test)
    for g in range(int(groups.max()) + 1):
        acc = views.lesion(t, 1, np.flatnonzero(groups == g), t.X_test, t.y_test)
        assert f"group {g} ({int(np.sum(groups == g))} units) leaves {np.nanmean(acc):.0%}" in text


def test_screenshot_of_the_digits_chapter(gallery):
    sync_api = pytest.importorskip("playwright.sync_api")
    from pathlib import Path

    out = Path(__file__).resolve().parents[2] / "test-artifacts" / "digits"
    out.mkdir(parents=True, exist_ok=True)
    _, index, _ = gallery
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(index.as_uri())
            chapter = page.locator("h2", has_text="8. Digits")
            chapter.scroll_into_view_if_needed()
            page.screenshot(path=str(out / "gallery-digits-chapter.png"), full_page=True)
            assert chapter.count() == 1
        finally:
            browser.close()


def test_the_wine_chapter_caption_is_measured(gallery):
    from netwarp.data import build_data
    from netwarp.outputs.gallery_tables import _trend

    _, index, _ = gallery
    text = index.read_text()
    assert "Where we cannot look: a table of 13 features" in text
    X, y, _, data = build_data({"dataset": "wine"})
    t = netwarp.train(X, y, hidden=[8, 8], steps=max(2, int(800 * SCALE)), seed=0, test_size=0.4, data=data)
    acc = views.probe_accuracies(t)
    assert html.escape(f"A linear probe's test accuracy {_trend(acc)}") in text
    assert f"reaches {t.snapshot().test_acc:.1%} test accuracy" in text


def test_the_recorded_models_chapter_caption_is_measured_from_its_traces(gallery):
    pytest.importorskip("torch")
    from netwarp.outputs.gallery_recorded import _rise, probes_over_training
    from netwarp.torch import examples as ex

    _, index, _ = gallery
    text = index.read_text()
    steps = max(2, int(400 * SCALE))
    cnn, _ = ex.record_digits_cnn(steps=steps, every=max(1, steps // 20))
    end = cnn.snapshot(-1)
    assert f"({len(cnn)} snapshots; test accuracy {end.test_acc:.1%} at step {end.step})" in text
    acc = probes_over_training(cnn, views.spread_snapshots(cnn, 8))
    assert f"pool {_rise(acc, 1)}, fc1 {_rise(acc, 2)} (the pixels themselves: {acc[-1, 0]:.1%})" in text
    wine, _ = ex.record_wine_mlp(steps=max(2, int(300 * SCALE)), every=max(1, max(2, int(300 * SCALE)) // 30))
    assert f"reaches {wine.snapshot(-1).test_acc:.1%} test accuracy on {len(wine.X_test)} held-out wines" in text
