"""Exports are real files of the right kind, written whole or not at all."""

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from netwarp.render.encode import write_animation


def _frames(n, h=30, w=41):
    for i in range(n):
        f = np.full((h, w, 3), 255, dtype=np.uint8)
        f[:, : (i + 1) * w // n] = (8, 119, 189)
        f[i % h, :, 0] = 0
        yield f


def test_gif_has_the_requested_frames(tmp_path):
    out = write_animation(tmp_path / "a.gif", _frames(7), 7, fps=10, progress=False)
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames == 7 and im.size == (41, 30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gif"]


def test_mp4_decodes_with_the_requested_frames(tmp_path):
    out = write_animation(tmp_path / "a.mp4", _frames(9), 9, fps=10, progress=False)
    frames = list(iio.imiter(out))
    assert len(frames) == 9
    assert frames[0].shape[:2] == (30, 42)  # odd width padded to even for yuv420p
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4"]


@pytest.mark.parametrize("ext", ["gif", "mp4"])
def test_a_failure_mid_way_leaves_nothing(tmp_path, ext):
    def broken():
        yield from _frames(2)
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_animation(tmp_path / f"a.{ext}", broken(), 5, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_old_file_survives_a_failed_rewrite(tmp_path):
    path = tmp_path / "a.gif"
    write_animation(path, _frames(3), 3, progress=False)
    before = path.read_bytes()

    def broken():
        yield next(_frames(1))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_animation(path, broken(), 3, progress=False)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]


def test_bad_extension_and_frames(tmp_path, bad):
    bad("not a known animation format", write_animation, tmp_path / "a.avi", _frames(2), 2, progress=False)
    bad("uint8", write_animation, tmp_path / "a.gif", iter([np.zeros((4, 4))]), 1, progress=False)
    bad("no frames", write_animation, tmp_path / "a.gif", iter([]), 0, progress=False)
    assert list(tmp_path.iterdir()) == []
