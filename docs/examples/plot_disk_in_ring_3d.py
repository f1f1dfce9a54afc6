"""
A disk inside a ring needs a third dimension
============================================

A layer of two units can stretch and fold the plane but never lift the disk out of the ring
around it; a layer of three units can, and then a flat plane splits the two.
"""

import netwarp as nw

X, y = nw.make_dataset("circles", seed=0)
two = nw.train(X, y, hidden=[2], activation="tanh", steps=2000, seed=0)
three = nw.train(X, y, hidden=[3], activation="tanh", steps=2000, seed=0)

# %%
# The 2-unit layer, before tanh (left: a linear map and a shift of the plane, so the ring
# still surrounds the disk) and after it (right: tanh presses the points against the edges
# of a square; what surrounded what still does, so no line splits the classes).
fig_two = nw.outputs.stages_figure(two, layer=1, size=1100)

# %%
# The 3-unit layer in 3D: the disk has been lifted away from the ring, and the network's
# own decision plane passes between them.
fig_three = nw.outputs.layer_figure(three, layer=1, size=800)
# sphinx_gallery_thumbnail_number = 2

print(
    f"A hidden layer of 2 units reaches {two.snapshot().test_acc:.0%} test accuracy on the disk in a ring; "
    f"3 units reach {three.snapshot().test_acc:.0%}."
)
