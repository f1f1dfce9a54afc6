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
