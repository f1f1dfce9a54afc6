"""The gallery's chapter where we cannot look: a table of 13 features (scikit-learn's wines),
each layer seen along its classes' split, and a linear probe's accuracy per layer."""

from __future__ import annotations

from .. import views
from ..data import build_data
from ..train import train
from ..views import layer_names, net_name
from .figures import probes_figure
from .gallery_section import Section
from .table_figures import table_layer_figure


def _trend(acc: list[float]) -> str:
    """What the probe accuracies did from the input to the last hidden layer, in words that match them."""
    first, best = acc[0], max(acc[1:-1]) if len(acc) > 2 else acc[-1]
    if best > first + 0.005:
        return f"rises from {first:.1%} on the input to {best:.1%} in the hidden layers"
    if best < first - 0.005:
        return f"falls from {first:.1%} on the input to at best {best:.1%} in the hidden layers"
    return f"stays at about {first:.1%} from the input through the hidden layers"


def tables_section(gallery) -> None:
    """Add the wine chapter to ``gallery`` (a :class:`netwarp.outputs.gallery.Gallery`)."""
    X, y, _, data = build_data({"dataset": "wine"})
    t = train(X, y, hidden=[8, 8], steps=gallery.steps(800), seed=0, test_size=0.4, data=data)
    gallery.step(f"trained {net_name(t)} on the wine table")
    acc = views.probe_accuracies(t)
    names = layer_names(t.arch.n_layers)
    files = [(gallery.png(table_layer_figure(t, 0, size=700), "9-wine-input-biplot.png"),
              "The 13-feature input seen along the probe's split of its three cultivars; each arrow is a feature's direction.")]
    for layer in range(1, t.arch.n_layers):
        files.append((gallery.png(table_layer_figure(t, layer, size=700), f"9-wine-{names[layer].replace(' ', '-')}.png"),
                      f"{names[layer].capitalize()} along its classes' split."))
    files.append((gallery.png(probes_figure([t], size=640), "9-wine-probes.png"),
                  "Test accuracy of a logistic regression on each layer's representation."))
    s = t.snapshot()
    gallery.sections.append(Section(
        "9. Where we cannot look: a table of 13 features",
        files,
        f"{net_name(t)} tanh on scikit-learn's wines ({len(t.X_train)} training, {len(t.X_test)} test) reaches "
        f"{s.test_acc:.1%} test accuracy. Thirteen features cannot be drawn as a plane, so each layer is seen along "
        f"the direction(s) its classes are split. A linear probe's test accuracy {_trend(acc)} "
        f"({', '.join(f'{n} {a:.1%}' for n, a in zip(names, acc))})"
        + (": the principle holds where we cannot look." if _trend(acc).startswith("rises") else "."),
    ))
