"""
Inside a network that reads handwriting
=======================================

A 64-16-10 network on scikit-learn's 8×8 digits. First, what each hidden unit looks for (its
64 incoming weights as an image). Then the straight path in pixel space from one digit to
another, with every layer's activations along it and where the decision flips. Last, which
pixels make an image one digit rather than another: the gradient of the difference of their
logits, from the network's own backward pass.
"""

import netwarp as nw
from netwarp.outputs import digits_figures as d

X, y = nw.make_dataset("digits", seed=0)
trace = nw.train(X, y, hidden=[16], steps=400, seed=0, data={"dataset": "digits"})

fig_filters = d.filters_figure(trace, size=1000)

seven, _ = d.pick(trace, digit=7)
two, _ = d.pick(trace, digit=2)
fig_path = d.path_figure(trace, seven, two, steps=9, size=1100)
fig_saliency = d.saliency_figure(trace, seven, 7, versus=2, size=1100)

path = nw.views.interpolate(trace, seven, two, steps=9)
first = int(path.flips[0]) if len(path.flips) else None
print(
    f"Test accuracy {trace.snapshot().test_acc:.1%}; on the straight line from a 7 to a 2 the prediction first changes "
    + (f"between t = {(first - 1) / 8:.3f} and {first / 8:.3f}." if first else "nowhere.")
)
