"""
The network as shapes, algebra and code
=======================================

The same forward pass three ways, side by side (Grokking Deep Learning's "LEGO" view): each
layer is a row of numbers (a point is a row), each weight matrix ``W_k`` a block of
``n_k × n_(k+1)`` numbers, and ``l_(k+1) = f(l_k W_k + b_k)``. The code is generated from the
network, with its weights, and runs on its own.
"""

import numpy as np

import netwarp as nw
from netwarp.outputs.anatomy import code_figure

X, y = nw.make_dataset("spiral", seed=0)
trace = nw.train(X, y, hidden=[8, 8], activation="tanh", steps=1500, seed=0)

fig = code_figure(trace)

# %%
# The algebra, and the code executed on its own:
print("\n".join(nw.views.algebra(trace)))
space = {}
exec(nw.views.forward_code(trace), space)
diff = np.abs(space["forward"](X) - trace.layer_outputs(X)[-1]).max()
print(f"The generated numpy code reproduces the network's logits on all {len(X)} points to within {diff:.1e}.")
