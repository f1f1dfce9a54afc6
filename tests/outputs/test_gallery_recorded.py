"""The gallery's recorded-models chapter, piece by piece: its measures are the pictures' own
numbers, the early/late view is one view, and without torch the chapter says it was skipped."""

from __future__ import annotations

import numpy as np
import pytest

from netwarp.outputs import gallery_recorded as gr
from netwarp.outputs.gallery_section import Section


class _Gallery:
    """What a chapter needs of a Gallery: its sections and a step log."""

    def __init__(self):
        self.sections: list[Section] = []
        self.lines: list[str] = []

    def step(self, what: str) -> None:
        self.lines.append(what)


def test_without_torch_the_chapter_is_a_note_saying_why(monkeypatch):
    monkeypatch.setattr(gr, "has_torch", lambda: False)
    g = _Gallery()
    gr.recorded_section(g)
    (s,) = g.sections
    assert s.files == [] and "pip install 'netwarp[torch]'" in s.caption and "skipped" in s.caption
    assert g.lines == ["skipped the recorded-model chapter: torch is not installed"]
    assert gr.chapter_steps() == 1


def test_nearest_centre_share_and_spread_are_what_the_points_say():
    P = np.array([[0.0, 0], [0.2, 0], [5, 0], [5.2, 0], [0.1, 0]])
    labels = np.array([0, 0, 1, 1, 1])  # the last point of class 1 sits among class 0
    assert gr.nearest_centre_share(P, labels) == pytest.approx(4 / 5)
    assert gr.spread(np.array([[1.0, 0], [-1.0, 0]])) == pytest.approx(1.0)


def test_rise_says_what_the_numbers_did():
    acc = np.array([[0.9, 0.50, 0.8], [0.9, 0.70, 0.8]])
    assert gr._rise(acc, 1) == "rose from 50.0% to 70.0%"
    assert gr._rise(acc, 2) == "stayed at about 80.0%"
    assert gr._rise(acc[::-1], 1) == "fell from 70.0% to 50.0%"


def test_moved_phrase_claims_no_more_than_the_shares_show():
    assert gr.moved_phrase(0.40, 0.70) == "its classes move apart in that view"
    assert gr.moved_phrase(0.48, 0.53) == "its classes move a little further apart in that view"
    assert gr.moved_phrase(0.48, 0.50) == "its classes barely move apart in that view"
    assert gr.moved_phrase(0.50, 0.45) == "its classes do not move apart in that view"


def test_early_late_panels_share_one_view_of_the_recorded_layer():
    pytest.importorskip("torch")
    from netwarp.torch import examples as ex

    trace, _ = ex.record_digits_cnn(steps=6, every=3)
    fig, pairs = gr.early_late_figure(trace, 2, (1, 2), size=600)
    (v0, s0), (v1, s1) = pairs
    assert s0.basis is s1.basis  # one camera for both panels
    for (v, s), snap in zip(pairs, (1, 2)):
        H = trace.layer_outputs(trace.X_train, snap)[2]
        np.testing.assert_allclose(v.points, s.basis.apply(H))  # the panel draws the recorded fc1 outputs
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    acc = gr.probes_over_training(trace, np.array([0, 2]))
    assert acc.shape == (2, 4) and np.all((acc >= 0) & (acc <= 1))
