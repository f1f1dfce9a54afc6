"""The report's sections for a network that reads images (8x8 digits): every digits view,
each with its "(?)" and a caption stating what was measured."""

from __future__ import annotations

import numpy as np

from .. import views
from ..render.figure import figure_bytes
from ..render.html import Page
from ..trace import Trace
from . import digits_figures as d
from .report_anatomy import explain

SIZE = 1060  # the report's column


def confused_pair(trace: Trace) -> tuple[int, int]:
    """The two classes the network mixes up most on the test set (or the first two)."""
    pred = trace.predict(trace.X_test)
    k = trace.n_classes
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (trace.y_test.astype(int), pred), 1)
    np.fill_diagonal(counts, 0)
    if counts.max() == 0:
        return 0, 1
    a, b = np.unravel_index(int(np.argmax(counts + counts.T)), counts.shape)
    return int(a), int(b)


def digits_sections(page: Page, trace: Trace) -> None:
    """Append the digits sections to ``page``."""
    a, b = confused_pair(trace)
    xa, _ = d.pick(trace, digit=a)
    xb, _ = d.pick(trace, digit=b)
    L = trace.arch.n_layers
    page.heading("What each unit looks for")
    explain(page, "filters")
    page.figures([(figure_bytes(d.filters_figure(trace, size=SIZE)), "png", "Incoming weights of hidden layer 1, as images.")])
    page.heading("One digit through the network")
    explain(page, "digit")
    page.figures([(figure_bytes(d.digit_figure(trace, xa, size=SIZE, label=a)), "png", f"The first test image of {views.with_article(a)}.")])
    page.heading("The test digits in each hidden layer")
    explain(page, "hidden")
    probes = views.probe_accuracies(trace)
    page.figures([(figure_bytes(d.layer_space_figure(trace, k, size=520)), "png",
                   f"{views.layer_name(k, L)}: a linear probe splits the classes with {probes[k]:.1%} accuracy.")
                  for k in range(1, L)])
    p = views.interpolate(trace, xa, xb, 9)
    page.heading(f"From {views.with_article(a)} to {views.with_article(b)}, the pair it mixes up most")
    explain(page, "path")
    t = views.t_labels(9)
    flips = ", ".join(f"t = {t[f - 1]}..{t[f]}" for f in p.flips) or "nowhere"
    page.figures([(figure_bytes(d.path_figure(trace, xa, xb, size=SIZE)), "png",
                   f"The prediction goes {' → '.join(str(int(c)) for c in dict.fromkeys(p.predicted.tolist()))}; it flips at {flips}.")])
    page.heading("Which pixels decide")
    explain(page, "saliency")
    page.figures([(figure_bytes(d.saliency_figure(trace, xa, a, b, size=SIZE)), "png",
                   f"What makes this image {views.with_article(a)} rather than {views.with_article(b)}."),
                  (figure_bytes(d.saliency_training_figure(trace, xa, a, b, size=SIZE)), "png",
                   "The same saliency at snapshots over training.")])
    page.heading("Which classes drive each unit")
    explain(page, "selectivity")
    page.figures([(figure_bytes(d.selectivity_figure(trace, 1, size=SIZE)), "png", "Hidden layer 1, units sorted by class.")])
    page.heading("Groups of units and lesions")
    explain(page, "groups")
    groups = views.neuron_groups(trace, 1, trace.X_test)
    rows = []
    for g in range(int(groups.max()) + 1):
        acc = views.lesion(trace, 1, np.flatnonzero(groups == g), trace.X_test, trace.y_test)
        worst = int(np.nanargmin(acc))
        rows.append((g, int(np.sum(groups == g)), f"{np.nanmean(acc):.1%}", f"{worst} ({acc[worst]:.1%})"))
    page.figures([(figure_bytes(d.groups_figure(trace, 1, size=SIZE)), "png", "Hidden layer 1's groups and their lesions.")])
    page.table(rows, header=("group silenced", "units", "accuracy left (mean over classes)", "hardest hit class"))
    page.heading("How much perturbation each layer takes")
    explain(page, "robustness")
    page.figures([(figure_bytes(d.robustness_figure(trace, size=900)), "png",
                   "Fraction of test predictions unchanged under relative weight noise, per layer.")])
