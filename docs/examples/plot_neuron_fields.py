"""
What each neuron responds to
============================

Every hidden unit is a function of the input plane. :func:`netwarp.views.neuron_fields`
evaluates each unit over a grid, so you can see the pieces the network builds its boundary
from: in the first layer each tanh unit is a soft step across one straight line (its weights
``W0[:, j]`` set the line's direction, its bias ``b0[j]`` its offset); in the second layer the
units combine those steps into curved regions.
"""

import numpy as np

import netwarp as nw
from netwarp.render.figure import new_figure

X, y = nw.make_dataset("xor", seed=0)
trace = nw.train(X, y, hidden=[4, 4], activation="tanh", steps=1500, seed=0)

fields = nw.views.neuron_fields(trace, resolution=64)  # per layer: (64, 64, width)
x0, x1, y0, y1 = nw.views.bounds(trace)

fig, axes = new_figure(1200, 640, ncols=4, nrows=2)
for row, layer in enumerate((1, 2)):
    for unit in range(4):
        ax = axes[row * 4 + unit]
        ax.imshow(fields[layer - 1][..., unit], origin="lower", extent=(x0, x1, y0, y1), cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_title(f"{nw.views.layer_name(layer, trace.arch.n_layers)}, unit {unit}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("each unit's output over the input plane: red +1, white 0, blue -1 (tanh)", fontsize=12)

# A first-layer unit is constant along the direction perpendicular to its weights: check it.
W0, b0 = trace.weights()[0]
f0 = fields[0][..., 0]
xs = np.linspace(x0, x1, 64)
ys = np.linspace(y0, y1, 64)
gx, gy = np.meshgrid(xs, ys)
expected = np.tanh(gx * W0[0, 0] + gy * W0[1, 0] + b0[0])
print(f"The drawn field of hidden layer 1, unit 0 equals tanh(l0 W0[:, 0] + b0[0]) to {abs(f0 - expected).max():.1e}.")
