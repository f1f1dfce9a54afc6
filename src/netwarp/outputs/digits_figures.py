"""Figures of a network that reads 8x8 digits: what each first-layer unit looks for,
how every layer fires for one digit, the path from one digit to another, which pixels
decide, which classes drive each unit, groups of units and their lesions, and how much
weight noise each layer takes. Every number drawn comes from :mod:`netwarp.views`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.figure import new_figure
from ..render.palette import CLASS_COLORS
from ..trace import Trace
from ..views.inputs import check_class

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DIVERGING = "RdBu_r"  # zero white, positive red, negative blue: weights, saliency, activations
UNSEEN_GREY = "#bdbdbd"  # the playground's digits.js draws the same grey


def is_image_classifier(trace: Trace) -> bool:
    """Whether ``trace`` classifies square images (8x8 digits): the views of this module apply."""
    n = trace.arch.sizes[0]
    side = int(round(np.sqrt(n)))
    return trace.arch.task == "classification" and side * side == n and n >= 16


def check_digits(trace: Trace) -> None:
    """A one-line error unless ``trace`` classifies square images (8x8 digits)."""
    n = trace.arch.sizes[0]
    if not is_image_classifier(trace):
        raise NetwarpError(f"this view draws square images (8x8 digits); this trace has {n} input(s): "
                           "use --what field, layer, probes or curves for it")


def _image(ax, v: np.ndarray, title: str = "", signed: bool = False, scale: float | None = None, ink: float = 1.0):
    """Draw ``v`` as a square image on ``ax``; returns the AxesImage (for its colour bar)."""
    side = int(round(np.sqrt(v.size)))
    img = v.reshape(side, side)
    if signed:
        finite = np.isfinite(img).any()
        m = scale if scale is not None else max(float(np.nanmax(np.abs(img))) if finite else 0.0, 1e-12)
        cmap = _diverging_with_grey()
        im = ax.imshow(np.ma.masked_invalid(img), cmap=cmap, vmin=-m, vmax=m)
    else:
        im = ax.imshow(img, cmap="gray_r", vmin=0, vmax=ink)  # ink: the data's darkest pixel value
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return im


def _colorbar(im, ax, label: str, **kw):
    """A labelled colour bar for ``im`` beside ``ax`` (an Axes or a list of them)."""
    fig = (ax[0] if isinstance(ax, (list, tuple)) else ax).figure
    from matplotlib.ticker import MaxNLocator

    cb = fig.colorbar(im, ax=ax, shrink=kw.pop("shrink", 0.85), **kw)
    cb.set_label(label, fontsize=9)
    cb.locator = MaxNLocator(nbins=4, symmetric=im.norm.vmin == -im.norm.vmax)  # few ticks: a small bar stays legible
    cb.update_ticks()
    cb.ax.tick_params(labelsize=8)
    return cb


def _diverging_with_grey():
    import matplotlib

    # grey: no value to show (a pixel the training set never or almost never inks)
    return matplotlib.colormaps[DIVERGING].with_extremes(bad=UNSEEN_GREY)


def filters_figure(trace: Trace, snapshot: int = -1, size: int = 1200, most: int = 32) -> Figure:
    """Each first-layer unit's incoming weights as an 8x8 image (red positive, blue negative, white zero);
    pixels never inked in the training set are grey: their weights never meet a value, so they cannot
    matter, and they keep their random start."""
    check_digits(trace)
    imgs = views.weight_images(trace, snapshot)[:most].astype(float)
    never = np.asarray(trace.X_train).max(axis=0).reshape(imgs.shape[1:]) == 0
    imgs[:, never] = np.nan
    cols = min(8, len(imgs))
    rows = int(np.ceil(len(imgs) / cols))
    fig, axes = new_figure(size, int(size / cols * rows * 1.12) + 60, ncols=cols, nrows=rows)
    m = float(np.nanmax(np.abs(imgs)))
    for i, ax in enumerate(axes):
        if i < len(imgs):
            im = _image(ax, imgs[i].ravel(), f"h1 unit {i}", signed=True, scale=m)
        else:
            ax.axis("off")
    _colorbar(im, list(axes), "weight W0[i, j] (one scale)", shrink=0.6)
    fig.suptitle(f"what each unit of hidden layer 1 looks for: its weights W0[:, j] as 8x8 (step {trace.snapshot(snapshot).step}); "
                 "grey: never inked", fontsize=13)
    return fig


def _ink(trace: Trace) -> float:
    return max(float(trace.X_train.max()), 1e-12)


def _grid(width: int) -> tuple[int, int]:
    cols = int(np.ceil(np.sqrt(width)))
    return int(np.ceil(width / cols)), cols


def _layer_cells(ax, a: np.ndarray, title: str, groups: np.ndarray | None = None, scale: float | None = None):
    """A layer's values as a grid of cells on ``ax``, ``±scale`` at full colour (default: their largest
    magnitude); returns the AxesImage (for its colour bar)."""
    rows, cols = _grid(a.size)
    cells = np.full(rows * cols, np.nan)
    cells[: a.size] = a
    m = scale if scale is not None else max(float(np.nanmax(np.abs(cells))), 1e-12)
    im = ax.imshow(cells.reshape(rows, cols), cmap=DIVERGING, vmin=-m, vmax=m)
    if groups is not None:
        for j, g in enumerate(groups):
            ax.add_patch(_square(j % cols, j // cols, CLASS_COLORS[(g + 2) % len(CLASS_COLORS)]))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    return im


def _square(x, y, color):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor=color, linewidth=2.5)


def digit_figure(trace: Trace, x: np.ndarray, snapshot: int = -1, size: int = 1300, label: int | None = None) -> Figure:
    """One digit through the network: the image, every hidden layer's activations as a grid of
    cells (red positive, blue negative), the output probabilities and the prediction."""
    check_digits(trace)
    acts = trace.layer_outputs(np.atleast_2d(x), snapshot)
    probs = views.along(trace, np.atleast_2d(x), snapshot).probs[0]
    hidden = acts[1:-1]
    fig, axes = new_figure(size, int(size * 0.38), ncols=len(hidden) + 2,
                           width_ratios=[1.0] + [1.0] * len(hidden) + [1.6])
    im = _image(axes[0], np.asarray(x, float), "input" + (f" ({views.with_article(label)})" if label is not None else ""), ink=_ink(trace))
    _colorbar(im, axes[0], "ink", location="bottom", shrink=0.8)
    L = trace.arch.n_layers
    for k, a in enumerate(hidden, start=1):
        im = _layer_cells(axes[k], a[0], f"{views.layer_name(k, L)}: {a.shape[1]} units")
        _colorbar(im, axes[k], f"activation of {views.layer_name(k, L, short=True)}", location="bottom", shrink=0.8)
    ax = axes[-1]
    pred = int(np.argmax(probs))
    ax.bar(range(len(probs)), probs, color=[CLASS_COLORS[1] if c == pred else "#b8c4cc" for c in range(len(probs))])
    ax.set_xticks(range(len(probs)))
    ax.set_ylim(0, 1)
    ax.set_title(f"softmax(l{L}): predicts {pred} ({probs[pred]:.0%})", fontsize=11)
    return fig


def path_figure(trace: Trace, a: np.ndarray, b: np.ndarray, steps: int = 9, snapshot: int = -1, size: int = 1400) -> Figure:
    """The filmstrip from digit ``a`` to digit ``b`` (straight line in pixel space): the inputs,
    each hidden layer's activations along the path (rows: units), the class probabilities, and
    where the decision flips."""
    check_digits(trace)
    p = views.interpolate(trace, a, b, steps, snapshot)
    hidden = p.activations[1:-1]
    L = trace.arch.n_layers
    ratios = [0.9] + [min(2.0, max(0.6, h.shape[1] / 16)) for h in hidden] + [1.2]
    fig, axes = new_figure(size, int(size * 0.2 * sum(ratios)) + 60, ncols=steps, nrows=1 + len(hidden) + 1,
                           height_ratios=ratios)
    t = views.t_labels(steps)
    for i in range(steps):
        flipped = i in set(p.flips.tolist())
        im = _image(axes[i], p.inputs[i], f"{'▶ ' if flipped else ''}t={t[i]}: {p.predicted[i]}", ink=_ink(trace))
        if flipped:
            for s in axes[i].spines.values():
                s.set_edgecolor("#d62728")
                s.set_linewidth(3)
    for k, h in enumerate(hidden, start=1):
        big = fig.add_subplot(axes[k * steps].get_gridspec()[k, :])
        for i in range(steps):
            axes[k * steps + i].remove()
        m = max(float(np.abs(h).max()), 1e-12)
        heat = big.imshow(h.T, cmap=DIVERGING, vmin=-m, vmax=m, aspect="auto", interpolation="nearest")
        _colorbar(heat, big, f"activation of h{k}", fraction=0.03, pad=0.01, shrink=1.0)
        big.set_yticks([])
        big.set_xticks(range(steps), [""] * steps)
        big.set_ylabel(f"h{k}\n{h.shape[1]} units", fontsize=9)
        for f in p.flips:
            big.axvline(f - 0.5, color="#d62728", linewidth=2)
    last = len(hidden) + 1
    ax = fig.add_subplot(axes[last * steps].get_gridspec()[last, :])
    for i in range(steps):
        axes[last * steps + i].remove()
    show = sorted({int(p.predicted[0]), int(p.predicted[-1]), *map(int, p.predicted)})
    for c in show:
        ax.plot(range(steps), p.probs[:, c], marker="o", color=CLASS_COLORS[c % len(CLASS_COLORS)], label=f"P({c})")
    for f in p.flips:
        ax.axvline(f - 0.5, color="#d62728", linewidth=2)
    ax.set_xlim(-0.5, steps - 0.5)
    ax.set_ylim(0, 1)
    ax.set_xticks(range(steps), t)  # the thumbnails' t, not the index
    ax.set_xlabel("t: (1 - t) a + t b")
    ax.set_ylabel("probability")
    ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.005, 0.5), frameon=False)
    # the thumbnails' row gets the ink's colour bar: every row then has a bar at its right, and
    # constrained layout keeps the columns of the images, the heat maps and the chart aligned
    _colorbar(im, axes[:steps], "ink", fraction=0.03, pad=0.01, shrink=1.0)
    where = ", ".join(f"between t={t[f - 1]} and {t[f]}" for f in p.flips) or "nowhere"
    fig.suptitle(f"from {views.with_article(p.predicted[0])} to {views.with_article(p.predicted[-1])} in pixel space "
                 f"(l{L} = logits): the decision flips {where}", fontsize=12)
    return fig


def _unseen_phrase(trace: Trace) -> str:
    """What the grey pixels of a saliency map are, in the figure's words."""
    n = int(views.unseen_inputs(trace).sum())
    return f"grey: {n} pixels inked in under {views.RARE_SHARE:.0%} of the training images (their gradient is noise)" if n else ""


def saliency_figure(trace: Trace, x: np.ndarray, cls: int, versus: int | None = None, snapshot: int = -1,
                    size: int = 1200, X: np.ndarray | None = None, y: np.ndarray | None = None) -> Figure:
    """Which pixels decide: the image, the gradient of the score (``logit[cls]``, minus
    ``logit[versus]`` for the contrast), gradient x input, and the class average over ``X``.
    Pixels the training set does not show (:func:`netwarp.views.unseen_inputs`) are grey."""
    check_digits(trace)
    x = np.atleast_2d(np.asarray(x, float))
    g = views.saliency(trace, x, cls, versus, snapshot)[0]
    gx = views.saliency(trace, x, cls, versus, snapshot, times_input=True)[0]
    X = trace.X_test if X is None else X
    y = trace.y_test if y is None else y
    avg = views.class_saliency(trace, X, y, cls, versus, snapshot)
    score = f"l[{cls}]" + (f" - l[{versus}]" if versus is not None else "")
    fig, axes = new_figure(size, int(size * 0.36), ncols=4)
    _colorbar(_image(axes[0], x[0], "input", ink=_ink(trace)), axes[0], "ink", location="bottom")
    _colorbar(_image(axes[1], g, f"d({score})/d pixel", signed=True), axes[1], "gradient", location="bottom")
    _colorbar(_image(axes[2], gx, "gradient × input", signed=True), axes[2], "gradient × ink", location="bottom")
    _colorbar(_image(axes[3], avg, f"average over the {int(np.sum(np.asarray(y) == cls))} test {cls}s", signed=True), axes[3],
              "mean gradient", location="bottom")
    what = f"what makes it {views.with_article(cls)} rather than {views.with_article(versus)}" if versus is not None \
        else f"what makes it {views.with_article(cls)}"
    grey = _unseen_phrase(trace)
    fig.suptitle(f"{what}: red pixels raise {score}, blue lower it (step {trace.snapshot(snapshot).step})"
                 + (f"\n{grey}" if grey else ""), fontsize=12)
    return fig


def saliency_training_figure(trace: Trace, x: np.ndarray, cls: int, versus: int | None = None, size: int = 1400,
                             snapshots: int = 8) -> Figure:
    """The saliency of one digit at snapshots over training: when does it look at the right strokes?
    Pixels the training set does not show are grey."""
    check_digits(trace)
    steps, maps = views.saliency_over_training(trace, x, cls, versus, snapshots)
    fig, axes = new_figure(size, int(size / len(maps) * 1.3) + 130, ncols=len(maps))
    m = max(float(np.nanmax(np.abs(maps))), 1e-12) if np.isfinite(maps).any() else 1.0
    for ax, s, g in zip(axes, steps, maps):
        im = _image(ax, g, f"step {int(s)}", signed=True, scale=m)
    _colorbar(im, list(axes), "gradient (one scale)", location="bottom", shrink=0.4, aspect=40)
    score = f"logit {cls}" + (f" − logit {versus}" if versus is not None else "")
    grey = _unseen_phrase(trace)
    fig.suptitle(f"the saliency of {score} over training (one colour scale)" + (f"; {grey}" if grey else ""), fontsize=12)
    return fig


def selectivity_figure(trace: Trace, layer: int = 1, snapshot: int = -1, size: int = 1000,
                       X: np.ndarray | None = None, y: np.ndarray | None = None) -> Figure:
    """Units x classes: each unit's mean activation over each class's test points, units sorted by
    the class that drives them most, so the structure shows."""
    X = trace.X_test if X is None else X
    y = trace.y_test if y is None else y
    table = views.class_selectivity(trace, X, y, snapshot)[layer - 1]
    order = views.order_by_class(table)
    fig, (ax,) = new_figure(size, int(size * 0.75))
    m = max(float(np.nanmax(np.abs(table))), 1e-12)
    im = ax.imshow(table[order].T, cmap=DIVERGING, vmin=-m, vmax=m, aspect="auto", interpolation="nearest")
    ax.set_yticks(range(table.shape[1]))
    ax.set_ylabel("class")
    ax.set_xticks(range(len(order)), [str(u) for u in order], fontsize=7)
    ax.set_xlabel(f"units of {views.layer_name(layer, trace.arch.n_layers)}, sorted by the class they answer most")
    fig.colorbar(im, ax=ax, label="mean activation over the class's test points")
    ax.set_title("which classes drive each unit (pour each class through the network)", fontsize=12)
    return fig


def groups_figure(trace: Trace, layer: int = 1, n_groups: int | None = None, snapshot: int = -1, size: int = 1300,
                  X: np.ndarray | None = None, y: np.ndarray | None = None) -> Figure:
    """Groups of units that fire together, and the accuracy per class left when each group is silenced."""
    X = trace.X_test if X is None else X
    y = trace.y_test if y is None else y
    groups = views.neuron_groups(trace, layer, X, snapshot, n_groups)
    k = trace.n_classes
    base = views.lesion(trace, layer, [], X, y, snapshot)
    fig, axes = new_figure(size, int(size * 0.42), ncols=2, width_ratios=[1.0, 1.6])
    a = trace.layer_outputs(X, snapshot)[layer]
    im = _layer_cells(axes[0], a.mean(axis=0), f"{views.layer_name(layer, trace.arch.n_layers)}: mean activation, "
                      "outlined by group", groups)
    _colorbar(im, axes[0], "mean activation over the test digits", location="bottom", shrink=0.8)
    ax = axes[1]
    n = int(groups.max()) + 1
    width = 0.8 / (n + 1)
    ax.bar(np.arange(k) - 0.4 + width / 2, base, width, color="#b8c4cc", label="nothing silenced")
    for g in range(n):
        acc = views.lesion(trace, layer, np.flatnonzero(groups == g), X, y, snapshot)
        ax.bar(np.arange(k) - 0.4 + width * (g + 1.5), acc, width, color=CLASS_COLORS[(g + 2) % len(CLASS_COLORS)],
               label=f"group {g} silenced ({int(np.sum(groups == g))} units)")
    ax.set_xticks(range(k))
    ax.set_xlabel("class")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.3)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize=8, ncol=3, loc="upper center")
    ax.set_title("lesions: the accuracy per class left with one group of units set to zero", fontsize=11)
    return fig


def robustness_figure(trace: Trace, sigmas=(0.0, 0.1, 0.2, 0.5, 1.0, 2.0), draws: int = 5, snapshot: int = -1,
                      size: int = 900) -> Figure:
    """Per weight layer: the fraction of test predictions unchanged as its weights get relative noise
    (median over draws, the band their range)."""
    r = views.robustness(trace, sigmas, draws, snapshot)
    s = np.asarray(sigmas, float)
    fig, (ax,) = new_figure(size, int(size * 0.6))
    for k in range(r.shape[0]):
        color = CLASS_COLORS[(k + 1) % len(CLASS_COLORS)]
        ax.plot(s, np.median(r[k], axis=1), marker="o", color=color, label=f"noise on W{k}")
        ax.fill_between(s, r[k].min(axis=1), r[k].max(axis=1), color=color, alpha=0.2)
    ax.set_xlabel("noise size, relative to the layer's root-mean-square weight")
    ax.set_ylabel("fraction of predictions unchanged")
    ax.set_ylim(0, 1.02)
    ax.legend()
    ax.set_title(f"how much can each layer be perturbed? ({draws} draws per point)", fontsize=12)
    return fig


def layer_space_figure(trace: Trace, layer: int, snapshot: int = -1, size: int = 900) -> Figure:
    """A layer of an image network seen from above: the test digits as dots coloured by class,
    projected onto the layer's two main directions (PCA, fitted on every snapshot's points so the
    view of one run stays put), each class's label at its centre, and a linear probe's accuracy."""
    check_digits(trace)
    L = trace.arch.n_layers
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer <= L:
        raise NetwarpError(f"layer {layer!r} is out of range; this network has layers 0..{L}")
    X, y = trace.X_test, trace.y_test
    pts = views.from_above(trace, layer, X, snapshot)
    acc = views.probe_accuracies(trace, snapshot)[layer]
    fig, (ax,) = new_figure(size, size)
    for c in range(trace.n_classes):
        m = y == c
        color = CLASS_COLORS[c % len(CLASS_COLORS)]
        ax.scatter(pts[m, 0], pts[m, 1], s=14, color=color, alpha=0.7, linewidths=0)
        if m.any():
            cx, cy = pts[m].mean(axis=0)
            ax.text(cx, cy, str(c), fontsize=20, fontweight="bold", color=color, ha="center", va="center",
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": color, "boxstyle": "circle"})
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("first main direction of the layer (PCA)")
    ax.set_ylabel("second main direction")
    ax.set_title(f"{views.layer_name(layer, L)} ({trace.arch.sizes[layer]} units) at step {trace.snapshot(snapshot).step}: "
                 f"the test digits; a linear probe splits the classes with {acc:.0%} accuracy", fontsize=11)
    return fig


def pick(trace: Trace, index: int | None = None, digit: int | None = None) -> tuple[np.ndarray, int]:
    """A test image: number ``index`` of the test set, or the first of class ``digit``, or the first.

    Returns the image (n_inputs,) and its label; a one-line error names what exists.
    """
    n = len(trace.X_test)
    if index is not None:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
            raise NetwarpError(f"image index {index!r} is out of range; the test set has images 0..{n - 1}")
        return trace.X_test[index], int(trace.y_test[index])
    if digit is not None:
        check_class(trace, digit)
        hits = np.flatnonzero(trace.y_test == digit)
        if not len(hits):
            raise NetwarpError(f"class {digit!r} does not exist in the test set; it has classes "
                               f"{', '.join(map(str, np.unique(trace.y_test)))}")
        return trace.X_test[hits[0]], int(digit)
    return trace.X_test[0], int(trace.y_test[0])


DIGIT_WHATS = ("filters", "digit", "path", "saliency", "saliency-training", "selectivity", "groups", "robustness")


def digits_plot(trace: Trace, what: str, snapshot: int = -1, size: int | None = None, layer: int | None = None,
                index: int | None = None, digit: int | None = None, versus: int | None = None,
                to_index: int | None = None, to_digit: int | None = None) -> Figure:
    """The figure ``netwarp plot --what WHAT`` draws for the views of :data:`DIGIT_WHATS`."""
    kw = {"size": size} if size else {}
    if what == "robustness":
        return robustness_figure(trace, snapshot=snapshot, **kw)
    check_digits(trace)
    if what == "layer":
        last_hidden = max(trace.arch.n_layers - 1, 1)
        return layer_space_figure(trace, last_hidden if layer is None else layer, snapshot, **kw)
    if what == "filters":
        return filters_figure(trace, snapshot, **kw)
    if what in ("selectivity", "groups"):
        fn = selectivity_figure if what == "selectivity" else groups_figure
        return fn(trace, 1 if layer is None else layer, snapshot=snapshot, **kw)
    x, label = pick(trace, index, digit if what != "saliency" or index is None else None)
    if what == "digit":
        return digit_figure(trace, x, snapshot, label=label, **kw)
    if what == "path":
        if to_index is None and to_digit is None:
            others = np.flatnonzero(trace.y_test != label)
            to_index = int(others[0])
        b, _ = pick(trace, to_index, to_digit)
        return path_figure(trace, x, b, snapshot=snapshot, **kw)
    cls = label if digit is None else digit
    if what == "saliency":
        return saliency_figure(trace, x, cls, versus, snapshot, **kw)
    return saliency_training_figure(trace, x, cls, versus, **kw)
