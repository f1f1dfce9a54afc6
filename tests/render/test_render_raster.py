"""The raster canvas draws what it is given, where it should."""

import numpy as np

from netwarp import views
from netwarp.render.palette import field_rgb, rgb_class
from netwarp.render.raster import Canvas


def _nearest_cells(canvas: Canvas, xs, ys):
    # independent of the renderer: each pixel centre in data units, rounded to the nearest sample
    x0, x1, y0, y1 = canvas.bounds
    cx = x0 + (np.arange(canvas.width) + 0.5) / canvas.width * (x1 - x0)
    cy = y1 - (np.arange(canvas.height) + 0.5) / canvas.height * (y1 - y0)
    j = np.rint((cx - xs[0]) / (xs[1] - xs[0])).astype(int)
    i = np.rint((cy - ys[0]) / (ys[1] - ys[0])).astype(int)
    return i, j


def test_field_pixels_show_the_decision_field_labels(blobs_trace):
    f = views.decision_field(blobs_trace, resolution=37)
    c = Canvas(150, 110, f.bounds)
    c.field(f.xs, f.ys, field_rgb(f.probs))
    px = c.array()
    i, j = _nearest_cells(c, f.xs, f.ys)
    expect = field_rgb(f.probs)[i[:, None], j[None, :]]
    assert (px == expect).all()
    assert (rgb_class(px, 2) == f.labels[i[:, None], j[None, :]]).all()
    assert len(np.unique(f.labels)) == 2  # the check covered both classes


def test_points_land_on_their_pixels(rng):
    bounds = (-2.0, 3.0, -1.0, 1.5)
    c = Canvas(200, 120, bounds)
    P = np.c_[rng.uniform(-2, 3, 30), rng.uniform(-1, 1.5, 30)]
    colors = np.tile(np.array([[200, 10, 30]], dtype=np.uint8), (30, 1))
    c.points(P, colors, radius=1.5, outline=None)
    px = c.array()
    col = np.floor((P[:, 0] + 2.0) / 5.0 * 200).astype(int)
    row = np.floor((1.5 - P[:, 1]) / 2.5 * 120).astype(int)
    inside = (col < 200) & (row < 120)
    assert (px[row[inside], col[inside]] == [200, 10, 30]).all()
    assert np.allclose(np.floor(c.to_px(P)), np.c_[col, row])


def test_later_points_cover_earlier_ones():
    c = Canvas(40, 40, (0, 40, 0, 40))
    P = np.array([[20.5, 20.5], [21.5, 20.5]])  # overlapping discs
    c.points(P, np.array([[255, 0, 0], [0, 0, 255]], dtype=np.uint8), radius=4, outline=(0, 0, 0))
    row, col = np.floor(c.to_px(P[1])).astype(int)[::-1]
    assert tuple(c.array()[row, col]) == (0, 0, 255)
    c2 = Canvas(40, 40, (0, 40, 0, 40))
    c2.points(P[::-1], np.array([[0, 0, 255], [255, 0, 0]], dtype=np.uint8), radius=4, outline=(0, 0, 0))
    row, col = np.floor(c2.to_px(P[0])).astype(int)[::-1]
    assert tuple(c2.array()[row, col]) == (255, 0, 0)


def test_points_off_the_edge_and_nan_are_safe():
    c = Canvas(30, 20, (0, 1, 0, 1))
    P = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0], [-3.0, 0.5], [np.nan, 0.5], [0.5, 0.5]])
    c.points(P, np.full((6, 3), 50, dtype=np.uint8), radius=3)
    px = c.array()
    assert tuple(px[10, 15]) == (50, 50, 50)  # the one inside
    assert (px[19, 0] != 255).any() and (px[0, 29] != 255).any()  # discs cut by the corners


def test_lines_follow_data_coordinates():
    c = Canvas(50, 50, (-1, 1, -1, 1))
    c.lines(np.array([[[-1.0, 0.0], [1.0, 0.0]]]), (0, 0, 0), 1)
    px = c.array()
    row = int(np.floor(c.to_px(np.array([0.0, 0.0]))[1]))
    assert (px[row, 1:-1] == 0).all()
    assert (px[row - 3] == 255).all()


def test_text_and_paste_and_progress():
    big = Canvas(100, 60)
    small = Canvas(20, 10, background=(9, 9, 9))
    big.paste(small, 5, 7)
    assert (big.array()[7:17, 5:25] == 9).all()
    big.text((30, 20), "hello", 14)
    assert (big.array()[15:45, 30:90] < 200).any()
    big.progress(0.5)
    assert tuple(big.array()[-1, 10]) != tuple(big.array()[-1, 90])


def test_points_drawn_on_several_threads_match_one_thread():
    # the playground renders GIF exports in worker threads, maybe two at once
    import threading

    rng = np.random.default_rng(0)
    P = rng.uniform(0, 1, (2000, 2))
    C = rng.integers(0, 255, (2000, 3)).astype(np.uint8)

    def draw():
        c = Canvas(200, 200, (0, 1, 0, 1))
        c.points(P, C, radius=4)
        return c.array()

    ref, bad = draw(), []

    def worker():
        bad.extend(1 for _ in range(15) if not np.array_equal(draw(), ref))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad


def test_lines_are_antialiased_and_keep_their_colour():
    """A slanted line has soft edges (partly covered pixels between ink and paper) and a
    fully inked core; smooth=False draws only the two colours."""
    from netwarp.render.raster import Canvas

    line = [np.array([[4.0, 5.0], [76.0, 31.0]])]
    soft, hard = Canvas(80, 40), Canvas(80, 40)
    soft.lines(line, (0, 0, 0), 2)
    hard.lines(line, (0, 0, 0), 2, smooth=False)
    s, h = soft.array()[..., 0], hard.array()[..., 0]
    assert set(np.unique(h)) == {0, 255}
    partial = (s > 20) & (s < 235)
    assert partial.sum() > 40 and (s == 0).sum() > 40
    # the line is where it was: every fully inked pixel lies within a pixel of the hard line
    hard_rows, hard_cols = np.nonzero(h == 0)
    for r, c in zip(*np.nonzero(s == 0)):
        assert np.min(np.abs(hard_rows - r) + np.abs(hard_cols - c)) <= 2
