"""The playground's payloads and its steady 3D camera."""

import numpy as np

from netwarp import views


def test_projector_camera_follows_a_layer_without_jumps():
    # a wide layer whose 2nd-4th directions swap importance between frames:
    # the playground's 3D view must not jump (it uses views.next_basis)
    from netwarp.views import Projector

    rng = np.random.default_rng(0)
    Z = rng.normal(size=(300, 6))
    grid = rng.normal(size=(4, 5, 6))
    proj = Projector()
    a, _ = proj.project("h", Z * [5, 3, 2.5, 2, 0.1, 0.1], grid)
    b, _ = proj.project("h", Z * [5, 2, 2.5, 3, 0.1, 0.1], grid)
    assert a.shape == (300, 3)
    assert views.projection_jitter(b, a) < 0.35
    # refit=False (a weight being dragged) keeps the camera exactly
    c, _ = proj.project("h", Z * [6, 2, 2.5, 3, 0.1, 0.1], grid, refit=False)
    np.testing.assert_allclose(proj.apply("h", Z * [6, 2, 2.5, 3, 0.1, 0.1]), c)
    # narrow layers are shown as they are
    p2, _ = proj.project("o", Z[:, :2], grid[..., :2])
    np.testing.assert_array_equal(p2, Z[:, :2])
