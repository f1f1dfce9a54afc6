"""
Too narrow for the spiral, and wide enough
==========================================

Layers two units wide *can* untangle two spiral arms in principle: each arm is a curve that
stretching and squishing the plane, without cutting it, can straighten (Olah). In practice it
takes many finely tuned layers and gradient descent rarely finds them. Here a network whose
every hidden layer is two units wide is set against one with two layers of eight, with the
same data, steps and learning rate; the printed line says what each run reached.
"""

import netwarp as nw

X, y = nw.make_dataset("spiral", seed=0)
narrow = nw.train(X, y, hidden=[2, 2, 2], activation="tanh", steps=1500, lr=0.03, optimizer="adam", seed=0)
wide = nw.train(X, y, hidden=[8, 8], activation="tanh", steps=1500, lr=0.03, optimizer="adam", seed=0)

fig = nw.outputs.compare_figure([narrow, wide], titles=["2-2-2-2-2: every layer 2 wide", "2-8-8-2"], size=1000)

# %%
# What the narrow network's last hidden layer made of the plane, with the network's own
# decision line: the printed probe score says how well a line splits the classes there.
fig_layer = nw.outputs.layer_figure(narrow, layer=3, size=700)

print(
    f"Every hidden layer 2 wide: {narrow.snapshot().test_acc:.0%} test accuracy "
    f"(a line splits its last hidden layer for {nw.views.probe_accuracies(narrow)[3]:.0%} of the test points); "
    f"two layers of 8: {wide.snapshot().test_acc:.0%}."
)
