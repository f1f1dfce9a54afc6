"""The gallery's digits chapter: a network that reads handwriting, seen from the inside,
every caption a number measured on the run just trained."""

from __future__ import annotations

import numpy as np

from .. import views
from ..data import make_dataset
from ..train import train
from . import digits_figures as d
from .gallery_section import Section
from .report_digits import confused_pair


def digits_section(gallery) -> None:
    """Add the digits chapter to ``gallery`` (a :class:`netwarp.outputs.gallery.Gallery`)."""
    X, y = make_dataset("digits", seed=0)
    t = train(X, y, [32, 16], steps=gallery.steps(1500), seed=0, data={"dataset": "digits", "seed": 0})
    gallery.step(f"trained 64-32-16-10 on the 8x8 digits: {t.snapshot(-1).test_acc:.1%} test accuracy")
    a, b = confused_pair(t)
    xa, _ = d.pick(t, digit=a)
    xb, _ = d.pick(t, digit=b)
    files = [
        (gallery.png(d.filters_figure(t, size=1200), "8-digits-filters.png"),
         "What each unit of hidden layer 1 looks for: its 64 incoming weights as an 8x8 image (red: ink here raises it)."),
        (gallery.png(d.layer_space_figure(t, 2, size=900), "8-digits-hidden-layer.png"),
         "The test digits in hidden layer 2, seen along its two main directions, each class's label at its centre."),
        (gallery.png(d.path_figure(t, xa, xb, size=1300), "8-digits-path.png"),
         f"From {views.with_article(a)} to {views.with_article(b)} (the pair it mixes up most) in pixel space: the inputs, each layer's units, "
         "the probabilities."),
        (gallery.png(d.saliency_figure(t, xa, a, b, size=1200), "8-digits-saliency.png"),
         f"Which pixels make this image {views.with_article(a)} rather than {views.with_article(b)}: the gradient of logit {a} minus logit {b}; "
         "grey: pixels the training images (almost) never ink, whose gradient is noise."),
        (gallery.png(d.groups_figure(t, 1, size=1300), "8-digits-groups-lesions.png"),
         "Groups of hidden-layer-1 units that fire together, and the accuracy per class left when each group is silenced."),
    ]
    p = views.interpolate(t, xa, xb, 9)
    groups = views.neuron_groups(t, 1, t.X_test)
    base = views.lesion(t, 1, [], t.X_test, t.y_test)
    parts = []
    for g in range(int(groups.max()) + 1):
        acc = views.lesion(t, 1, np.flatnonzero(groups == g), t.X_test, t.y_test)
        worst = int(np.nanargmin(acc))
        parts.append(f"group {g} ({int(np.sum(groups == g))} units) leaves {np.nanmean(acc):.0%} "
                     f"(worst: {acc[worst]:.0%} on {worst}s)")
    if len(p.flips):
        f = int(p.flips[0])
        flip = f"first flips, from {p.predicted[f - 1]} to {p.predicted[f]}, between t = {views.t_labels(9)[f - 1]} and {views.t_labels(9)[f]}"
    else:
        flip = "never flips"
    worst = [float(np.nanmin(views.lesion(t, 1, np.flatnonzero(groups == g), t.X_test, t.y_test)))
             for g in range(int(groups.max()) + 1)]
    verdict = ("no single group carries a class alone" if min(worst) > 0.2 else
               f"group {int(np.argmin(worst))} carries a class almost alone: without it that class falls to {min(worst):.0%}")
    gallery.sections.append(Section(
        "8. Digits: a network that reads handwriting, from the inside",
        files,
        f"64-32-16-10 tanh reaches {t.snapshot(-1).test_acc:.1%} test accuracy ({np.nanmean(base):.0%} mean per class). "
        f"Along the straight line from {views.with_article(a)} to {views.with_article(b)} its decision {flip}. Silencing one group of hidden-layer-1 "
        f"units at a time: " + "; ".join(parts) + f": {verdict}.",
    ))
