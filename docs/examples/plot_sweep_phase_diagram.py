"""
A sweep: which network shapes untangle the disk from the ring
=============================================================

One run proves little; a grid of them shows the rule. :func:`netwarp.sweep` trains every
width (units in each hidden layer) and depth (hidden layers) with several seeds, writes each
run as it finishes, and the phase diagram shows the median test accuracy of each cell with
its range. The dashed line is the topology bound: with every hidden layer at most 2 wide, a
one-to-one activation cannot lift the disk out of a densely drawn ring. On finitely many points
a lucky run can still slip its boundary through a gap between the ring's points (the "easy way
out"), so the bound is about the shape, not a promise about every sample.
"""

import tempfile

import netwarp as nw
from netwarp.outputs.phase import phase_figure
from netwarp.sweeps.phase import phases

folder = tempfile.mkdtemp()
result = nw.sweep(folder, widths=[1, 2, 3, 4], depths=[1, 2], seeds=3, dataset="circles", steps=1500)

fig = phase_figure(result, size=1000)

(p,) = phases(result.rows)
narrow, wide = p.widths <= 2, p.widths >= 3
print(
    f"{len(result.rows)} runs: the best run with every layer at most 2 wide reached {p.high[:, narrow].max():.0%}; "
    f"the worst cell of width 3 or more has a median of {p.median[:, wide].min():.0%}."
)
