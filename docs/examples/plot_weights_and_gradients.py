"""
How the weights settle, layer by layer
======================================

Every weight of every layer over training (log scale of steps), the histogram of each layer's
weights as training goes on, and the gradient flowing into each layer. Some layers settle early,
others keep moving: the title says which, measured as the step after which a layer changes by
less than 5% to the end.
"""

import netwarp as nw
from netwarp.outputs.anatomy import gradients_figure, weights_figure

X, y = nw.make_dataset("spiral", seed=0)
trace = nw.train(X, y, hidden=[8, 8], activation="tanh", steps=3000, seed=0)

fig_weights = weights_figure(trace)
fig_gradients = gradients_figure(trace)

print(nw.views.convergence(trace).sentence)
