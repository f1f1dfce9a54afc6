"""Geometry of what a network does to space: plain arrays, no drawing.

Layer index convention everywhere: `layer=0` is the input, `layer=i` (1..L-1) the output of hidden layer i after its activation, `layer=L` (= `trace.arch.n_layers`) the output logits (before softmax). This matches `trace.layer_outputs(X)[layer]`.

- `views.bounds(trace, margin=0.15) -> (x0, x1, y0, y1)`: plot range of the input plane over train+test data (1D-input traces: x range and y range of the targets).
- `views.decision_field(trace, snapshot=-1, resolution=200, bounds=None, theta=None) -> Field` — dataclass with `xs (R,)`, `ys (R,)`, `probs (R, R, k)` float class probabilities (row i is `ys[i]`, column j is `xs[j]`, ys ascending), `labels (R, R)` argmax, `bounds`. One vectorised forward pass. Classification with 2D input only (else NetwarpError).
- `views.regression_curve(trace, snapshot=-1, samples=400, theta=None) -> Curve` — `xs (m,)`, `yhat (m,)`, `units (m, h)`: each last-hidden-unit's contribution `a_j(x) * W_out[j, 0]` (for a 1-hidden-layer ReLU net these are the hinge functions whose sum + bias is the fit), `bias` float, `knots (K,)` x positions of ReLU kinks inside the range (1-hidden-layer relu/leaky_relu only, else empty).
- `views.warp(trace, layer, snapshot=-1, lines=30, samples=60, bounds=None, theta=None) -> Warp` — dataclass: `points (n, d)` the training data at that layer, `labels (n,)`, `grid (2*lines, samples, d)` polylines: `lines` horizontal + `lines` vertical lines of the input grid over `bounds`, each pushed through the network to that layer; `d = sizes[layer]`; `layer`.
- `views.morph(trace, layer, t, snapshot=-1, lines=30, samples=60, bounds=None, theta=None) -> Warp` with float `t` in `[0, layer]`: each layer transition k -> k+1 is split into 3 equal stages (linear map `l_k W_k`, then `+ b_k`, then the activation), linearly interpolated; coordinates are zero-padded to `D = max(sizes[0..layer])` dims so width changes are continuous; `morph(t=0)` equals the padded input and `morph(t=layer)` equals the layer's output exactly. `views.morph_stage(trace, t) -> str` names the stage (e.g. "layer 1: linear map W0 (2x8)").
- `views.Projection` / `views.fit_projection(arrays, dims=2) -> Projection` (PCA basis fitted once on stacked points, `.apply(X (m, D)) -> (m, dims)`, identity when D <= dims) and `views.stable_projections(list of (n, D) arrays, dims=2) -> list of (n, dims)` (per-frame PCA aligned to the previous frame by orthogonal Procrustes so training animations do not flicker or flip), `views.projection_jitter(a, b) -> float`.
- `views.probe_accuracies(trace, snapshot=-1, theta=None) -> list[float]`: linear-probe (scikit-learn LogisticRegression) test accuracy on every layer's representation, index = layer (0..L).
- `views.topology_note(trace, snapshot=-1) -> str | None`: a plain sentence when the network cannot untangle the data in principle (a linear model on data no line splits; every hidden layer <= 2 wide on nested classes with a one-to-one activation) or struggles where it could (2-wide layers on spirals), checked against the snapshot: where the run separates its training points anyway it says how, never that it cannot; else None. `views.data_topology(trace)` says how the classes lie (measured on the trace's points; intertwined only for the built-in spiral). `views.easy_way_out(trace, snapshot=-1) -> EasyWayOut | None`: where a 2-wide network separates nested training points anyway, the gap in the ring it went through (`arc`, `angle`, `nearest` ring points).
- `views.neuron_fields(trace, snapshot=-1, resolution=32, bounds=None, theta=None) -> list[ndarray]`: per layer 1..L, array `(R, R, width)` of each unit's value over the input plane (what each neuron responds to).
- `views.diagram(trace, snapshot=-1, theta=None) -> Diagram`: `nodes` list of (layer, unit, x, y) in [0,1]^2 layout, `edges` (layer, i, j, weight) and node biases.
- `views.Projector`: the same steady camera for a live view, one per key (the playground); `views.procrustes_rotation(A, B)` the rotation fit.
- `views.separating_projection(trace, layer, snapshot=-1, basis=None) -> Separation`: the layer's training points `points (n, 2)` seen along the direction its classes are split (the output layer's weight difference for the last hidden layer, a linear probe's for earlier ones; plus the main remaining variance), with `line = (w (2,), c)` (two classes; `points @ w + c > 0` is exactly where `trace.predict` says 1 for the last hidden layer), `lines`/`pairs` (one per pair of classes), `accuracy` (the probe's test accuracy, None for the network's own boundary), `exact`, `plane` (3-wide layers: `(w3 (3,), c)` in the layer's coordinates), `basis`. `views.fit_separating_basis(trace, layer, snapshot=-1, snapshots=None) -> SeparatingBasis` fits the view once (at one snapshot, or over several: a probe on their stacked points) so animation frames (`basis=`) stay steady. On a recorded model (`trace.has_weights` False) every recorded layer is read by a probe, the logits by the network's own argmax; nothing runs off the recorded points.
- `views.separator(trace, layer, snapshot) -> (w, c) | None`: the two-class boundary as a hyperplane in the last hidden layer or the logits.
- `views.layer_name(layer, n_layers, short=False)` ("input"/"hidden layer 2"/"output logits", short "in"/"h2"/"out"), `layer_names`, `unit_names`, `units_phrase`, `net_name(trace) -> "2-8-2"`, `default_layer(trace)`, `three_wide(trace)`, `with_article(8) -> "an 8"` (a/an as the number is read), `t_labels(steps)` (a straight path's points by t): the one naming convention.
- `views.training_curves(trace) -> dict` of arrays: steps, train_loss, test_loss, train_acc, test_acc.
- `views.forward_code(trace, snapshot=-1, lang="numpy"|"torch") -> str`: runnable source defining `forward(X)` (logits) and `layers(X)`, weights embedded; `views.algebra(trace)` the forward pass as `l1 = tanh(l0 W0 + b0)` lines; `views.blocks(trace)` the LEGO view's blocks (ids shared by symbol and code token).
- `views.gradient_flow(trace) -> (n_snapshots, n_layers)` per-layer gradient norms; `views.zero_gradient_fraction`; `views.convergence(trace)` relative weight change per layer, the step each settled, and the sentence; `views.weight_histograms(trace, layer)`.
- Inputs and units (digits above all): `views.saliency(trace, X, cls, versus=None, snapshot=-1, mask_unseen=True) -> (n, n_inputs)`, `class_saliency`, `saliency_over_training` (NaN for `views.unseen_inputs(trace) -> (n_inputs,) bool`: inputs constant over the training set or off their usual value in under `RARE_SHARE` of it; `views.varied_share(trace)` that share per input); `views.interpolate(trace, a, b, steps)` / `views.along(trace, inputs)` -> `Path` (inputs, activations as layer_outputs, probs, flips); `views.weight_images(trace)`; `views.class_selectivity(trace, X, y) -> [(width, k)]`; `views.neuron_groups(trace, layer, X) -> (width,)`; `views.lesion(trace, layer, units, X, y) -> (k,)`; `views.robustness(trace, sigmas, draws) -> (n_layers, s, draws)`.
- `views.diagnose(trace, snapshot=-1) -> list[Finding]` (kind, layer, unit, message): dead, saturated, vanishing, exploding, oscillating, too_narrow, overfitting; empty for a healthy run.
- A model recorded by its layers' outputs (`trace.has_weights` False; layer k = recorded layer k, `layer_outputs` numbering): probes, separating views, selectivity, neuron groups, `from_above`, curves and `diagnose` (dead units = one value on every training point, oscillation, collapse, overfitting) work from the recorded points; every view that needs weights or a forward pass refuses in one line naming itself (`views.needs.need_weights`); `separator` is known for the logits only; `topology_note`/`easy_way_out` say nothing about such a model.
"""

from .code import Block, algebra, blocks, forward_code
from .diagnose import Finding, diagnose, nothing_found
from .diagram import Diagram, diagram, training_curves
from .dynamics import (
    Convergence,
    convergence,
    gradient_flow,
    layer_params,
    spread_snapshots,
    weight_histograms,
    zero_gradient_fraction,
)
from .field import Curve, Field, FieldCache, bounds, decision_field, neuron_fields, plane_grid, regression_curve
from .help import HELP, help_text
from .inputs import Path, along, class_saliency, interpolate, saliency, saliency_over_training, weight_images
from .naming import (
    default_layer,
    layer_name,
    layer_names,
    net_name,
    t_labels,
    three_wide,
    unit_names,
    units_phrase,
    with_article,
)
from .probes import linear_probe, probe_accuracies
from .projection import (
    Projection,
    Projector,
    fit_projection,
    next_basis,
    procrustes_rotation,
    projection_jitter,
    stable_projections,
)
from .separation import SeparatingBasis, Separation, fit_separating_basis, separating_projection
from .separator import separator
from .topology import EasyWayOut, data_topology, easy_way_out, topology_note
from .units import class_selectivity, from_above, lesion, neuron_groups, order_by_class, robustness
from .unseen import RARE_SHARE, unseen_inputs, varied_share
from .warp import Morph, Warp, check_layer, input_grid, morph, morph_stage, warp

__all__ = [
    "Path",
    "along",
    "class_saliency",
    "class_selectivity",
    "from_above",
    "order_by_class",
    "spread_snapshots",
    "interpolate",
    "lesion",
    "neuron_groups",
    "robustness",
    "saliency",
    "saliency_over_training",
    "RARE_SHARE",
    "unseen_inputs",
    "varied_share",
    "weight_images",
    "HELP",
    "help_text",
    "Block",
    "Convergence",
    "Finding",
    "algebra",
    "blocks",
    "convergence",
    "diagnose",
    "nothing_found",
    "forward_code",
    "gradient_flow",
    "layer_params",
    "weight_histograms",
    "zero_gradient_fraction",
    "Curve",
    "Diagram",
    "Field",
    "EasyWayOut",
    "FieldCache",
    "Morph",
    "Projection",
    "Projector",
    "SeparatingBasis",
    "Separation",
    "Warp",
    "bounds",
    "data_topology",
    "easy_way_out",
    "check_layer",
    "decision_field",
    "default_layer",
    "diagram",
    "fit_projection",
    "fit_separating_basis",
    "input_grid",
    "layer_name",
    "layer_names",
    "linear_probe",
    "morph",
    "morph_stage",
    "net_name",
    "neuron_fields",
    "next_basis",
    "plane_grid",
    "probe_accuracies",
    "procrustes_rotation",
    "projection_jitter",
    "regression_curve",
    "separating_projection",
    "separator",
    "stable_projections",
    "three_wide",
    "topology_note",
    "training_curves",
    "unit_names",
    "units_phrase",
    "with_article",
    "t_labels",
    "warp",
]
