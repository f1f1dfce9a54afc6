"""
One layer, three moves: a linear map, a shift, a squash
=======================================================

A hidden layer computes ``l1 = tanh(l0 W0 + b0)``. Seen in the plane, that is three moves:
the matrix ``W0`` rotates, stretches and shears the grid, the bias ``b0`` shifts it, and
``tanh`` squashes it into the square between -1 and 1, crowding the far points against its
edges. Left: the 2-unit layer before its activation; right: after it.
"""

import netwarp as nw

X, y = nw.make_dataset("circles", seed=0)
trace = nw.train(X, y, hidden=[2], activation="tanh", steps=1500, lr=0.1, optimizer="adam", seed=0)

fig = nw.outputs.stages_figure(trace, layer=1, size=1100)

after = trace.layer_outputs(X)[1]
pressed = (abs(after) > 0.9).any(axis=1).mean()
print(f"After tanh, {pressed:.0%} of the points have a coordinate beyond ±0.9: pressed against the square's edges.")
