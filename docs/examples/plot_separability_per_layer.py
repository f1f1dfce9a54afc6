"""
Layer by layer, the classes become separable
============================================

How well can a straight line split the classes in each layer's space? A linear probe (a
logistic regression trained on that layer's outputs) answers with a test accuracy. On the
spiral, the input is hopeless for a line; each hidden layer of a trained network makes it
better, until the output layer splits the arms almost perfectly.
"""

import netwarp as nw

X, y = nw.make_dataset("spiral", seed=0)
trace = nw.train(X, y, hidden=[8, 8, 8], activation="tanh", steps=1500, lr=0.03, optimizer="adam", seed=0)

fig = nw.outputs.probes_figure([trace], labels=["2-8-8-8-2 tanh"], size=900)

acc = nw.views.probe_accuracies(trace)
print(
    "A line splits the spiral with "
    + ", ".join(f"{a:.0%} in {nw.views.layer_name(i, trace.arch.n_layers)}" for i, a in enumerate(acc))
    + "."
)
