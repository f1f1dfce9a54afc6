"""
Your own PyTorch loop, seen by netwarp
======================================

A plain PyTorch training loop on the spiral, recorded with :class:`netwarp.torch.Recorder`.
The Trace it builds is like any other: here its last hidden layer's space, where the network
has pulled the arms apart, and the training curves of the loop. At the end, netwarp's numpy
forward pass is checked against torch's own layer outputs, caught with forward hooks.
"""

import numpy as np
import torch

import netwarp as nw
from netwarp.torch import Recorder

# %%
# The data and the model: a 2-8-8-2 tanh network, with a held-out test set.
X, y = nw.make_dataset("spiral", seed=0)
rng = np.random.default_rng(0)
test = rng.permutation(len(X))[: len(X) // 4]
train = np.setdiff1d(np.arange(len(X)), test)
Xt, yt = torch.tensor(X[train], dtype=torch.float32), torch.tensor(y[train])
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Tanh(),
                            torch.nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.03)

# %%
# The loop is yours; ``rec.record(step)`` takes a snapshot when one is due (log-spaced:
# many early, when the weights move fast) and is a comparison otherwise.
rec = Recorder(model, X[train], y[train], X[test], y[test])
for step in range(800):
    rec.record(step)
    loss = torch.nn.functional.cross_entropy(model(Xt), yt)
    opt.zero_grad()
    loss.backward()
    opt.step()
rec.record(800, force=True)  # the final weights
trace = rec.trace

# %%
# ``rec.trace`` opens in every view: the last hidden layer's space and the curves.
fig_layer = nw.outputs.layer_figure(trace, layer=2, size=800)
fig_curves = nw.outputs.curves_figure(trace, size=800)

# %%
# torch's own output of every activation and of the last Linear, by forward hooks,
# against netwarp's layer outputs of the same (final) snapshot.
caught = []
hooks = [m.register_forward_hook(lambda m, i, o: caught.append(o.detach().double().numpy()))
         for m in model if not isinstance(m, torch.nn.Linear)]
hooks.append(model[-1].register_forward_hook(lambda m, i, o: caught.append(o.detach().double().numpy())))
with torch.no_grad():
    model(torch.tensor(X, dtype=torch.float32))
for h in hooks:
    h.remove()
ours = trace.layer_outputs(X)[1:]  # hidden layer 1, hidden layer 2, logits
worst = max(float(np.abs(a - b).max()) for a, b in zip(ours, caught))
print(
    f"{len(trace)} snapshots recorded; at the last, netwarp's outputs of all {len(ours)} layers differ from "
    f"torch's own (forward hooks) by at most {worst:.1e}, float32 precision; "
    f"test accuracy {trace.snapshot().test_acc:.1%} on {len(test)} held-out points."
)
