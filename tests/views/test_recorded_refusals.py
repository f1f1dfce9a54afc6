"""Every view on a recorded model (issue 23 item 2): it works truthfully from the recorded
outputs, or refuses in one line naming itself (no traceback, no meaningless numbers). Run on a
recorded CNN (64 inputs) and on a recorded MLP on the plane, where the plane views must refuse
for the lack of weights, not of a plane."""

import numpy as np
import pytest

from netwarp import views
from netwarp.errors import NetwarpError

# view -> (call, the name its refusal gives, or None where it works on a recorded trace)
VIEWS = {
    "gradient_flow": (lambda t: views.gradient_flow(t), "the gradient flow"),
    "zero_gradient_fraction": (lambda t: views.zero_gradient_fraction(t), "the zero-gradient fraction"),
    "weight_histograms": (lambda t: views.weight_histograms(t, 0), "the weight histogram"),
    "layer_params": (lambda t: views.layer_params(t, 0), "the layer-parameter view"),
    "convergence": (lambda t: views.convergence(t), "the convergence view"),
    "weight_images": (lambda t: views.weight_images(t, shape=(1, t.arch.sizes[0])), "the weight-image view"),
    "diagram": (lambda t: views.diagram(t), "the network diagram"),
    "forward_code": (lambda t: views.forward_code(t), "the forward code"),
    "algebra": (lambda t: views.algebra(t), "the forward pass's algebra"),
    "blocks": (lambda t: views.blocks(t), "the LEGO blocks view"),
    "warp": (lambda t: views.warp(t, 1), "the warped grid"),
    "morph": (lambda t: views.morph(t, 1, 0.5), "the morph"),
    "morph_stage": (lambda t: views.morph_stage(t, 0.5), "the morph"),
    "decision_field": (lambda t: views.decision_field(t), "the decision field"),
    "FieldCache": (lambda t: views.FieldCache(t), "the decision field"),
    "neuron_fields": (lambda t: views.neuron_fields(t), "the neuron-field view"),
    "regression_curve": (lambda t: views.regression_curve(t), "the regression curve"),
    "lesion": (lambda t: views.lesion(t, 1, [0], t.X_test, t.y_test), "a lesion"),
    "robustness": (lambda t: views.robustness(t, [0.1]), "the robustness view"),
    "saliency": (lambda t: views.saliency(t, t.X_test, 0), "saliency"),
    "class_saliency": (lambda t: views.class_saliency(t, t.X_test, t.y_test, 0), "class saliency"),
    "saliency_over_training": (lambda t: views.saliency_over_training(t, t.X_test[0], 0), "saliency over training"),
    "interpolate": (lambda t: views.interpolate(t, t.X_test[0], t.X_test[1]), "a path between inputs"),
    "along": (lambda t: views.along(t, t.X_test), "a path of inputs"),
    # these work on the recorded points
    "diagnose": (lambda t: views.diagnose(t), None),
    "separator": (lambda t: views.separator(t, t.arch.n_layers - 1, -1), None),
    "probe_accuracies": (lambda t: views.probe_accuracies(t), None),
    "separating_projection": (lambda t: views.separating_projection(t, 1), None),
    "fit_separating_basis": (lambda t: views.fit_separating_basis(t, 1, snapshots=[0, -1]), None),
    "class_selectivity": (lambda t: views.class_selectivity(t, t.X_train, t.y_train), None),
    "neuron_groups": (lambda t: views.neuron_groups(t, 1, t.X_train), None),
    "training_curves": (lambda t: views.training_curves(t), None),
    "from_above": (lambda t: views.from_above(t, 1, t.X_test), None),
    "topology_note": (lambda t: views.topology_note(t), None),
    "easy_way_out": (lambda t: views.easy_way_out(t), None),
    "data_topology": (lambda t: views.data_topology(t), None),
    "three_wide": (lambda t: views.three_wide(t), None),
    "unseen_inputs": (lambda t: views.unseen_inputs(t), None),
    "varied_share": (lambda t: views.varied_share(t), None),
}


@pytest.fixture(params=["recorded_cnn", "recorded_plane"])
def recorded(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_works_or_refuses_in_one_line_naming_itself(recorded, view):
    call, name = VIEWS[view]
    if name is None:
        call(recorded)
        return
    with pytest.raises(NetwarpError) as e:
        call(recorded)
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith(f"{name} needs a forward pass"), message
    assert ", ".join(recorded.layer_names) in message


def test_the_separator_is_known_for_the_logits_only(recorded_plane):
    t = recorded_plane
    assert views.separator(t, 1, -1) is None  # the last recorded layer: what follows it is not known
    w, c = views.separator(t, 2, -1)
    z = t.layer_outputs(t.X_train)[-1]
    np.testing.assert_array_equal(z @ w + c > 0, t.predict(t.X_train) == 1)


def test_no_topology_claim_about_a_recorded_model(recorded_plane):
    t = recorded_plane
    # the data is measured (a disk in a ring) but nothing is said about a model netwarp does not know
    assert views.data_topology(t) == "nested"
    assert views.topology_note(t) is None and views.easy_way_out(t) is None
