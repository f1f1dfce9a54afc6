"""
ReLU pieces make a parabola
===========================

A network with one hidden layer of ReLU units computes a sum of hinge functions: each unit
is zero on one side of its kink and a straight line on the other. Added up, a handful of
them bend a straight line into a good approximation of x². The figure shows the fit, each
unit's contribution and where the kinks sit.
"""

import netwarp as nw

X, y = nw.make_dataset("square", seed=0)
# Seed 2: with some seeds (0 among them) every ReLU starts out zero on the whole range and never
# recovers, and the fit stays a flat line: a "dead" network, worth trying once to see.
trace = nw.train(X, y, hidden=[6], activation="relu", steps=3000, seed=2)

fig = nw.outputs.fit_figure(trace, size=1000)

curve = nw.views.regression_curve(trace)
print(
    f"Six ReLU units put {len(curve.knots)} kinks inside the range and fit x² "
    f"with a test mean squared error of {trace.snapshot().test_loss:.4f}."
)
