"""
Move one weight by hand
=======================

What does a single weight do? Take a trained network, change one weight of its first layer,
and compare the decision fields before and after; the points whose prediction flips are
ringed. This is what the playground does when you drag an edge; here it is done with the
views directly, which take the parameters to use as ``theta``.
"""

import numpy as np

import netwarp as nw
from netwarp.render.figure import new_figure
from netwarp.render.plots import plot_field

X, y = nw.make_dataset("xor", seed=0)
trace = nw.train(X, y, hidden=[4], activation="tanh", steps=1000, lr=0.1, optimizer="adam", seed=0)

theta = trace.theta().copy()
w_slice, _ = trace.arch.slices()[0]  # W0, stored row by row: W0[i, j] is at i * n_out + j
n_out = trace.arch.sizes[1]
edited = theta.copy()
edited[w_slice.start + 0 * n_out + 1] *= -1  # flip the sign of W0[0, 1]

before = nw.views.decision_field(trace, theta=theta, resolution=160)
after = nw.views.decision_field(trace, theta=edited, resolution=160)
flipped = trace.predict(X, theta=theta) != trace.predict(X, theta=edited)

fig, (ax0, ax1) = new_figure(1100, 560, ncols=2)
plot_field(ax0, xs=before.xs, ys=before.ys, probs=before.probs, points=X, labels=y, title="trained")
plot_field(ax1, xs=after.xs, ys=after.ys, probs=after.probs, points=X, labels=y, title="W0[0, 1] with its sign flipped")
ax1.scatter(X[flipped, 0], X[flipped, 1], s=90, facecolors="none", edgecolors="black", linewidths=1.5)

print(f"Flipping the sign of one weight, W0[0, 1], changes the prediction of {flipped.sum()} of {len(X)} points ({np.mean(flipped):.0%}).")
