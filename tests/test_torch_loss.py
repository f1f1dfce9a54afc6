"""What a user's loss adds to plain cross-entropy is said in the trace's data description (issue 21 item 4)."""

import functools

import pytest

import netwarp as nw
from netwarp.errors import NetwarpError

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder, from_torch  # noqa: E402
from netwarp.torch.loss import loss_note  # noqa: E402

nn, F = torch.nn, torch.nn.functional
PLAIN_CE = "the losses shown are plain cross-entropy"


@pytest.mark.parametrize(
    "loss_fn, said",
    [
        (None, None),
        (nn.CrossEntropyLoss(), None),
        (F.cross_entropy, None),
        (nn.BCEWithLogitsLoss(), None),
        (nn.NLLLoss(), None),
        (nn.CrossEntropyLoss(label_smoothing=0.1), f"trained with label smoothing 0.1; {PLAIN_CE}"),
        (nn.CrossEntropyLoss(weight=torch.tensor([1.0, 3.0])), f"trained with class weights (1, 3); {PLAIN_CE}"),
        (nn.CrossEntropyLoss(label_smoothing=0.1, weight=torch.tensor([1.0, 3.0])),
         f"trained with label smoothing 0.1 and class weights (1, 3); {PLAIN_CE}"),
        (nn.NLLLoss(weight=torch.tensor([0.5, 2.0])), f"trained with class weights (0.5, 2); {PLAIN_CE}"),
        (nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0])), f"trained with positive-class weight 3; {PLAIN_CE}"),
        (nn.CrossEntropyLoss(reduction="sum"), f"trained with reduction 'sum' (netwarp shows the mean); {PLAIN_CE}"),
        (functools.partial(F.cross_entropy, label_smoothing=0.2), f"trained with label smoothing 0.2; {PLAIN_CE}"),
        (nn.MultiMarginLoss(), f"trained with MultiMarginLoss; {PLAIN_CE}"),
        (nn.MSELoss(), f"trained with MSELoss; {PLAIN_CE}"),  # a classifier trained on squared error
        (nn.CrossEntropyLoss(weight=torch.arange(1.0, 13.0)),
         f"trained with class weights (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (12 in all)); {PLAIN_CE}"),
    ],
)
def test_the_note_says_what_the_loss_adds(loss_fn, said):
    assert loss_note(loss_fn, "classification") == said


def test_a_loss_of_your_own_is_named_by_its_class_and_regression_says_squared_error():
    class FocalLoss(nn.Module):
        def forward(self, logits, y):
            return F.cross_entropy(logits, y)

    assert loss_note(FocalLoss(), "classification") == f"trained with FocalLoss; {PLAIN_CE}"
    assert loss_note(nn.MSELoss(), "regression") is None
    assert loss_note(nn.HuberLoss(), "regression") == "trained with HuberLoss; the losses shown are plain mean squared error"
    with pytest.raises(NetwarpError, match=r"^loss_fn must be the loss you train with .*got str 'ce'$"):
        loss_note("ce", "classification")


@pytest.fixture()
def moons():
    X, y = nw.make_dataset("moons", n=120, seed=0)
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 6), nn.Tanh(), nn.Linear(6, 2)), X, y


def test_from_torch_and_the_recorder_put_the_note_in_the_data_description(moons, tmp_path):
    model, X, y = moons
    crit = nn.CrossEntropyLoss(label_smoothing=0.1)
    t = from_torch(model, X, y, loss_fn=crit)
    note = f"trained with label smoothing 0.1; {PLAIN_CE}"
    assert t.data["loss_note"] == note and t.data_description.endswith("; " + note)
    assert note in t.summary()
    t.save(tmp_path / "t.npz")
    assert nw.load_trace(tmp_path / "t.npz").data_description == t.data_description
    assert "loss_note" not in from_torch(model, X, y, loss_fn=nn.CrossEntropyLoss()).data

    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.as_tensor(y)
    with Recorder(model, X, y, every=5, loss_fn=crit) as rec:
        for s in range(1, 11):
            loss = crit(model(Xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec.record(s)
    tr = rec.trace
    assert tr.data["loss_note"] == note and list(tr.steps) == [5, 10]
    # the recorded loss is plain cross-entropy, not the smoothed loss the loop went down
    with torch.no_grad():
        plain = float(F.cross_entropy(model(Xt).double(), yt))
        smoothed = float(crit(model(Xt).double(), yt))
    assert tr.snapshot(-1).train_loss == pytest.approx(plain, abs=1e-5) and abs(plain - smoothed) > 1e-3


def test_a_dataset_trace_keeps_the_note_out_of_its_options(moons):
    model, X, y = moons
    t = from_torch(model, X, y, loss_fn=nn.CrossEntropyLoss(label_smoothing=0.1))
    t.data = {"dataset": "moons", "n": 120, **{k: v for k, v in t.data.items() if k == "loss_note"}}
    assert t.data_description == f"moons(n=120); trained with label smoothing 0.1; {PLAIN_CE}"


def test_a_wrong_loss_fn_is_one_line_before_anything_is_read(moons):
    model, X, y = moons
    with pytest.raises(NetwarpError, match="loss_fn must be the loss you train with"):
        Recorder(model, X, y, loss_fn=0.1)


def test_a_model_recorded_by_its_layers_outputs_gets_the_note_too(moons):
    model, X, y = moons
    crit = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0]))
    t = from_torch(model, X, y, layers=["1"], loss_fn=crit)
    assert t.data_description.endswith(f"; trained with class weights (1, 2); {PLAIN_CE}")
    rec = Recorder(model, X, y, every=1, layers=["1"], loss_fn=crit)
    rec.record(0)
    assert rec.trace.data["loss_note"] == f"trained with class weights (1, 2); {PLAIN_CE}"
