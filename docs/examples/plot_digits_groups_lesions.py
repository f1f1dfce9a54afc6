"""
Groups of neurons, and what is lost without them
================================================

Pour the test digits through the network and record every hidden unit: units whose activations
rise and fall together form groups (scikit-learn's agglomerative clustering of their
correlations). Silencing one group at a time — setting its outputs to zero — shows what each
group is for: the accuracy left on each class.
"""

import numpy as np

import netwarp as nw
from netwarp.outputs import digits_figures as d

X, y = nw.make_dataset("digits", seed=0)
trace = nw.train(X, y, hidden=[24], steps=400, seed=0, data={"dataset": "digits"})

fig_selectivity = d.selectivity_figure(trace, 1, size=1000)
fig_groups = d.groups_figure(trace, 1, n_groups=4, size=1100)

groups = nw.views.neuron_groups(trace, 1, trace.X_test, n_groups=4)
worst = []
for g in range(4):
    acc = nw.views.lesion(trace, 1, np.flatnonzero(groups == g), trace.X_test, trace.y_test)
    worst.append(f"group {g}: {np.nanmin(acc):.0%} on {int(np.nanargmin(acc))}s")
print("The class hit hardest when each group is silenced: " + "; ".join(worst) + ".")
