"""
Diagnostics that point at the neuron
====================================

:func:`netwarp.views.diagnose` reads a run's numbers and says what is wrong, where: here a ReLU
unit whose bias has been pushed so far down that it outputs 0 on every point (dead: no gradient
reaches it, so it can never learn again). The diagram rings the unit it names; a healthy run
gets no finding at all.
"""

import netwarp as nw
from netwarp.outputs.anatomy import diagram_figure

X, y = nw.make_dataset("moons", seed=0)
trace = nw.train(X, y, hidden=[6], activation="relu", steps=300, seed=1, data={"dataset": "moons"})
print("healthy run:", nw.views.diagnose(trace) or "no finding")

theta = trace.theta().copy()
_, bias = trace.arch.slices()[0]
theta[bias.start + 4] = -500.0  # hidden layer 1, unit 4
trace.record(301, theta)

fig = diagram_figure(trace)
for finding in nw.views.diagnose(trace):
    print(f"{finding.kind} (layer {finding.layer}, unit {finding.unit}): {finding.message}")
