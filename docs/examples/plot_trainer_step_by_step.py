"""
Train step by step, and stop when it is good enough
===================================================

:func:`netwarp.train` runs to the end; :class:`netwarp.Trainer` lets you drive training
yourself — take some steps, record a snapshot, look, decide — the way the live playground
does. ``train(callback=...)`` is the short form: the callback sees the growing Trace after
every snapshot and stops training by returning False. Here it stops the first time the test
accuracy reaches 97%.
"""

import netwarp as nw

X, y = nw.make_dataset("moons", seed=0)


def good_enough(trace):
    return trace.snapshot(-1).test_acc < 0.97  # False stops training


trace = nw.train(X, y, hidden=[8], steps=3000, lr=0.01, seed=0, record_every=25, callback=good_enough)
fig = nw.outputs.curves_figure(trace, size=900)

# %%
# The same by hand with a Trainer: ten rounds of 50 steps, a snapshot after each.
trainer = nw.Trainer(X, y, hidden=[8], lr=0.01, seed=0)
trainer.record()
for _ in range(10):
    trainer.step(50)
    trainer.record()
by_hand = trainer.trace

print(
    f"The callback stopped training at step {trace.snapshot(-1).step} of 3000 with "
    f"{trace.snapshot(-1).test_acc:.1%} test accuracy; the Trainer recorded {len(by_hand)} snapshots "
    f"up to step {by_hand.snapshot(-1).step}."
)
