"""
Your own PyTorch loop, seen by netwarp
======================================

A plain PyTorch training loop on the spiral, recorded with :class:`netwarp.torch.Recorder`.
The Trace it builds is like any other: here its last hidden layer's space, where the network
has pulled the arms apart, and the training curves of the loop.
"""

import numpy as np
import torch

import netwarp as nw
from netwarp.torch import Recorder

X, y = nw.make_dataset("spiral", seed=0)
Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Tanh(),
                            torch.nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.03)

rec = Recorder(model, X, y)
for step in range(800):
    rec.record(step)
    loss = torch.nn.functional.cross_entropy(model(Xt), yt)
    opt.zero_grad()
    loss.backward()
    opt.step()
rec.record(800, force=True)
trace = rec.trace

fig_layer = nw.outputs.layer_figure(trace, layer=2, size=800)
fig_curves = nw.outputs.curves_figure(trace, size=800)

with torch.no_grad():
    theirs = model(Xt).double().numpy()
ours = trace.layer_outputs(X)[-1]
print(
    f"{len(trace)} snapshots recorded; netwarp's logits of the final model differ from torch's by at most "
    f"{np.abs(ours - theirs).max():.1e} (float32), test accuracy {trace.snapshot().test_acc:.0%}."
)
