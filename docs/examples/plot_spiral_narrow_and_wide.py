"""
Too narrow for the spiral, and wide enough
==========================================

Two intertwined spiral arms cannot be pulled apart by a network whose every hidden layer is
two units wide: each layer can only stretch and fold the plane, never lift one arm over the
other. Two layers of eight units untangle them. Same data, same steps, same learning rate.
"""

import netwarp as nw

X, y = nw.make_dataset("spiral", seed=0)
narrow = nw.train(X, y, hidden=[2, 2, 2], activation="tanh", steps=1500, lr=0.03, optimizer="adam", seed=0)
wide = nw.train(X, y, hidden=[8, 8], activation="tanh", steps=1500, lr=0.03, optimizer="adam", seed=0)

fig = nw.outputs.compare_figure([narrow, wide], titles=["2-2-2-2-2: every layer 2 wide", "2-8-8-2"], size=1000)

# %%
# What the narrow network's last hidden layer made of the plane: the arms still overlap,
# so no line can split them there.
fig_layer = nw.outputs.layer_figure(narrow, layer=3, size=700)

print(
    f"Every hidden layer 2 wide: {narrow.snapshot().test_acc:.0%} test accuracy; "
    f"two layers of 8: {wide.snapshot().test_acc:.0%}."
)
