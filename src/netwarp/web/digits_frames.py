"""The playground's digits mode, computed in Python for what the page asks: one image through
the network (drawn on the pad or picked from the test set), the first layer's filters, and the
path between two test digits. The page only draws these numbers."""

from __future__ import annotations

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..nn import softmax
from ..outputs.digits_figures import is_image_classifier

PICKER = 60  # test images offered in the page's picker


def check_digits_session(session) -> None:
    session.ensure()
    if not is_image_classifier(session.trace):
        raise NetwarpError("the digits views need image data (choose the digits dataset); this data has "
                           f"{session.trace.arch.sizes[0]} input(s)")


def _image(session, body: dict) -> tuple[np.ndarray, int | None]:
    trace = session.trace
    if "index" in body:
        i = body["index"]
        if not 0 <= i < len(trace.X_test):
            raise NetwarpError(f"image index {i} is out of range; the test set has images 0..{len(trace.X_test) - 1}")
        return trace.X_test[i], int(trace.y_test[i])
    x = np.asarray(body["pixels"], dtype=float)
    if x.shape != (trace.arch.sizes[0],):
        raise NetwarpError(f"the pad must send {trace.arch.sizes[0]} pixels, got {x.size}")
    return x, None


def digit_reply(session, body: dict) -> dict:
    """One image through the network shown: every hidden layer's activations, the probabilities,
    the prediction and the saliency of the predicted class (or of ``cls``, against ``versus``)."""
    check_digits_session(session)
    trace, theta = session.trace, session.theta()
    x, label = _image(session, body)
    acts = trace.layer_outputs(x[None], theta=theta)
    probs = softmax(acts[-1])[0]
    pred = int(np.argmax(probs))
    cls = body.get("cls", pred)
    versus = body.get("versus")
    i = session.shown_index()
    sal = views.saliency(trace, x[None], cls, versus, snapshot=i)[0] if session.edit is None else None
    gxi = None if sal is None else views.saliency(trace, x[None], cls, versus, snapshot=i, times_input=True)[0]
    over = views.saliency_over_training(trace, x, cls, versus, snapshots=6) if session.edit is None else None
    avg = views.class_saliency(trace, trace.X_test, trace.y_test, cls, versus, i) if np.any(trace.y_test == cls) else None
    return {
        "type": "digit", "seq": body.get("seq", 0), "pixels": x.tolist(), "label": label,
        "acts": [a[0].tolist() for a in acts[1:-1]], "probs": probs.tolist(), "pred": pred,
        "cls": cls, "versus": versus, "saliency": None if sal is None else nulls(sal),
        "saliency_x_input": None if gxi is None else nulls(gxi),
        "saliency_class": None if avg is None else nulls(avg),
        "saliency_training": None if over is None else {"steps": over[0].tolist(), "maps": nulls(over[1])},
        "unseen": int(views.unseen_inputs(trace).sum()), "rare": views.RARE_SHARE,
    }


def nulls(a: np.ndarray) -> list:
    """``a`` as nested lists with NaN as None (JSON null: the page draws it grey; JSON has no NaN)."""
    a = np.asarray(a, dtype=float)
    return np.where(np.isnan(a), None, a).tolist()


def digits_setup(session) -> dict:
    """What the digits panel needs once per shown state: the picker's test images and the filters."""
    check_digits_session(session)
    trace = session.trace
    n = min(PICKER, len(trace.X_test))
    W0 = trace.arch.unflatten(session.theta())[0][0]
    return {"type": "digits_setup", "labels": trace.y_test[:n].astype(int).tolist(),
            "thumbs": trace.X_test[:n].round(4).tolist(), "filters": W0.T.round(5).tolist(),
            "ink": float(trace.X_train.max())}


def path_reply(session, body: dict) -> dict:
    """The straight path between two test images: inputs, probabilities, predictions and flips."""
    check_digits_session(session)
    a, _ = _image(session, {"index": body["a"]})
    b, _ = _image(session, {"index": body["b"]})
    p = views.interpolate(session.trace, a, b, body.get("steps", 9), snapshot=session.shown_index())
    return {"type": "digits_path", "step": int(session.trace.snapshot(session.shown_index()).step), "inputs": p.inputs.tolist(), "probs": p.probs.tolist(),
            "pred": p.predicted.tolist(), "flips": p.flips.tolist(), "t": views.t_labels(len(p.inputs))}


def along_reply(session, body: dict) -> dict:
    """The path the user drew: every pad state in order, through the network (another way from
    one digit to another than the straight line)."""
    check_digits_session(session)
    n = session.trace.arch.sizes[0]
    states = np.asarray(body["states"], dtype=float)
    if states.ndim != 2 or states.shape[1] != n:
        raise NetwarpError(f"each pad state must have {n} pixels")
    p = views.along(session.trace, states, snapshot=session.shown_index())
    return {"type": "digits_path", "strokes": True, "step": int(session.trace.snapshot(session.shown_index()).step),
            "inputs": p.inputs.tolist(), "probs": p.probs.tolist(), "pred": p.predicted.tolist(), "flips": p.flips.tolist()}


SIGMAS = (0.0, 0.25, 0.5, 1.0, 2.0)


def robustness_reply(session, body: dict) -> dict:
    """Each weight layer's robustness to relative noise, for any network (shown next to the hand edit)."""
    session.ensure()
    trace, i = session.trace, session.shown_index()
    if trace.arch.task != "classification":
        raise NetwarpError("robustness counts changed predictions: it needs a classifier")
    return {"type": "robustness", "step": int(trace.snapshot(i).step), **_robustness(trace, i)}


def _robustness(trace, i: int) -> dict:
    r = views.robustness(trace, SIGMAS, draws=3, snapshot=i)
    return {"sigmas": list(SIGMAS), "median": np.median(r, axis=2).tolist(), "low": r.min(axis=2).tolist(),
            "high": r.max(axis=2).tolist()}


def units_reply(session, body: dict) -> dict:
    """Hidden layer 1's units over the test digits: which classes drive each (sorted), the groups that
    fire together, the accuracy per class left when each group is silenced, and each layer's robustness."""
    check_digits_session(session)
    trace, i = session.trace, session.shown_index()
    X, y = trace.X_test, trace.y_test
    table = views.class_selectivity(trace, X, y, i)[0]
    order = views.order_by_class(table)
    groups = views.neuron_groups(trace, 1, X, i)
    lesions = [views.lesion(trace, 1, np.flatnonzero(groups == g), X, y, i).tolist() for g in range(int(groups.max()) + 1)]
    space = [views.from_above(trace, k, X, i).round(5).tolist() for k in range(1, trace.arch.n_layers)]
    return {"type": "digits_units", "step": int(trace.snapshot(i).step), "selectivity": np.nan_to_num(table).tolist(),
            "order": order.tolist(), "groups": groups.tolist(), "lesions": lesions,
            "base": views.lesion(trace, 1, [], X, y, i).tolist(), "space": space, "labels": y.astype(int).tolist(),
            "robustness": _robustness(trace, i)}
