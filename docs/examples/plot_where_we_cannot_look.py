"""
Where we cannot look: a table of 13 features
============================================

The wines that ship with scikit-learn have 13 chemical measurements each, too many to draw
as a plane. The principle still holds: a hidden layer makes the classes more separable, and
netwarp shows each layer *along the direction its classes are split* (a linear probe's for the
input, the output layer's own for the last hidden layer), with each input feature's direction
drawn as an arrow. The printed line says what the probes measured on this run.
"""

import netwarp as nw
from netwarp.data import build_data

X, y, task, data = build_data({"dataset": "wine"})
trace = nw.train(X, y, hidden=[8, 8], activation="tanh", steps=800, seed=0, test_size=0.4, data=data)

fig_input = nw.outputs.table_layer_figure(trace, 0, size=800)

# %%
# The last hidden layer along its classes' split: the network's own class regions.
fig_hidden = nw.outputs.table_layer_figure(trace, 2, size=800)

acc = nw.views.probe_accuracies(trace)
print(
    f"{nw.views.net_name(trace)} on wine: {trace.snapshot().test_acc:.1%} test accuracy; a line splits the classes with "
    + ", ".join(f"{a:.1%} in {nw.views.layer_name(i, trace.arch.n_layers)}" for i, a in enumerate(acc))
    + "."
)
