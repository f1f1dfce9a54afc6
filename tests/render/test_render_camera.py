"""The 3D camera is an exact rotation with the third axis up."""

import numpy as np
import pytest

from netwarp.render.camera import camera_matrix, project


@pytest.mark.parametrize("az,el", [(0.0, 0.0), (0.7, 0.3), (-2.0, 1.2)])
def test_camera_is_a_rotation(az, el):
    M = camera_matrix(az, el)
    assert np.allclose(M @ M.T, np.eye(3))
    assert np.isclose(np.linalg.det(M), 1.0)
    # the vertical axis stays vertical on screen whatever the azimuth
    xy, _ = project(np.array([0.0, 0.0, 1.0]), az, el)
    assert np.isclose(xy[0], 0.0) and np.isclose(xy[1], np.cos(el))


def test_matplotlib_view_is_the_same_camera():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from mpl_toolkits.mplot3d import proj3d

    from netwarp.render.camera import DEFAULT_AZIMUTH, DEFAULT_ELEVATION, matplotlib_view

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(projection="3d", proj_type="ortho")
    ax.set(xlim=(-1, 1), ylim=(-1, 1), zlim=(-1, 1))
    ax.set_box_aspect((1, 1, 1))
    ax.view_init(*matplotlib_view(DEFAULT_AZIMUTH, DEFAULT_ELEVATION))
    fig.canvas.draw()
    M = ax.get_proj()
    o = np.array(proj3d.proj_transform(0, 0, 0, M)[:2])
    theirs = np.array([np.array(proj3d.proj_transform(*e, M)[:2]) - o for e in np.eye(3)])
    ours, _ = project(np.eye(3), DEFAULT_AZIMUTH, DEFAULT_ELEVATION)
    scale = np.linalg.norm(theirs) / np.linalg.norm(ours)
    assert np.allclose(theirs, ours * scale, atol=1e-6 * scale)  # the same picture up to zoom
