"""Static charts measured in their drawn layout: legends off the bars, tick labels apart,
a legend naming what the colours mean. Saved to test-artifacts/pictures/ to be looked at."""

from pathlib import Path

from netwarp.outputs.figures import compare_figure, curves_figure, field_figure, fit_figure, probes_figure
from netwarp.render.figure import save_figure

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "pictures"


def _drawn(fig, name):
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(fig, OUT / name)  # also settles the layout
    return fig.canvas.get_renderer()


def test_probes_legend_is_not_over_a_bar(blobs_trace):
    fig = probes_figure([blobs_trace, blobs_trace], labels=["a", "b"], size=640)
    r = _drawn(fig, "probes-two-networks.png")
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(r)
    bars = [p.get_window_extent(r) for p in ax.patches]
    labels = [t.get_window_extent(r) for t in ax.texts]
    assert bars and not any(legend.overlaps(b) for b in bars + labels)


def test_hinge_tick_labels_do_not_run_together(square_trace):
    fig = fit_figure(square_trace, -1, 900)
    r = _drawn(fig, "4-relu-square-hinges.png")
    for ax in fig.axes:
        boxes = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text() and t.get_visible()]
        boxes = [b for b in boxes if ax.bbox.x0 - 5 <= (b.x0 + b.x1) / 2 <= ax.bbox.x1 + 5]
        assert len(boxes) >= 3
        for a, b in zip(boxes, boxes[1:]):
            assert b.x0 - a.x1 > 6, "tick labels touch"
        # the legend sits outside the plotting area (no hinge under it) or inside without covering the title
        leg = ax.get_legend()
        assert leg is None or not leg.get_window_extent(r).overlaps(ax.title.get_window_extent(r))
    assert fig.axes[1].title.get_window_extent(r).x1 <= fig.bbox.x1  # the title is not cut


def test_field_pictures_have_a_class_legend_off_the_panels(blobs_trace):
    for fig, name in ((field_figure(blobs_trace, -1, 520), "field-with-legend.png"),
                      (compare_figure([blobs_trace, blobs_trace], ["a", "b"], 900), "compare-with-legend.png")):
        r = _drawn(fig, name)
        (legend,) = fig.legends
        assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1"]
        assert "background" in legend.get_title().get_text()
        box = legend.get_window_extent(r)
        assert not any(box.overlaps(ax.get_window_extent(r)) for ax in fig.axes)


def test_curves_have_axes_ticks_and_a_train_test_legend(blobs_trace):
    fig = curves_figure(blobs_trace, 800)
    _drawn(fig, "curves.png")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "loss" and len(ax.get_xticks()) >= 3
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["train loss", "test loss", "train accuracy", "test accuracy"]


def test_report_figures_fit_the_page_at_native_size(tmp_path, blobs_trace):
    """Text stays >= 10 pt: every figure is drawn at most as wide as the report's column, so it is not shrunk."""
    import base64
    import io
    import re

    from PIL import Image

    from netwarp.outputs.report import write_report

    text = write_report(blobs_trace, tmp_path / "r.html", progress=False).read_text()
    widths = [Image.open(io.BytesIO(base64.b64decode(u))).width for u in re.findall(r'src="data:image/(?:png|gif);base64,([^"]+)"', text)]
    assert widths and max(widths) <= 1100 - 32
