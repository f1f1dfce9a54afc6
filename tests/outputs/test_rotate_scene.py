"""The rotate animation shows the layer's real outputs, through the one camera."""

import numpy as np

from netwarp.outputs.animate import RotateScene
from netwarp.render.camera import camera_matrix
from netwarp.render.palette import class_rgb


def test_rotate_frames_are_rotations_of_the_layer_outputs(circles3_trace):
    t = circles3_trace
    scene = RotateScene(t, layer=1, snapshot=-1, frames=5, size=200)
    H = t.layer_outputs(t.X_train, -1)[1]
    Hc = H - H.mean(axis=0)
    d_layer = np.linalg.norm(Hc[:, None] - Hc[None], axis=-1)
    for i in range(scene.n_frames):
        xy, depth = scene.geometry(i)
        Q = np.c_[xy, -depth]  # depth is into the screen; the camera frame's third axis points out
        # same pairwise distances: the frame is a rigid rotation of the real outputs
        assert np.allclose(np.linalg.norm(Q[:, None] - Q[None], axis=-1), d_layer, atol=1e-9)
        R = scene.basis @ camera_matrix(scene.azimuths[i], scene.elevation).T
        assert np.allclose(Q, Hc @ R, atol=1e-9)
        assert np.isclose(np.linalg.det(R), 1.0)
    assert len({round(a, 6) for a in scene.azimuths}) == 5  # the camera turns


def test_rotate_frame_draws_the_nearest_point_where_it_projects(circles3_trace):
    t = circles3_trace
    scene = RotateScene(t, layer=1, frames=3, size=240)
    from netwarp.render.raster import Canvas

    for i in range(3):
        frame = scene.frame(i)[..., :3]
        xy, depth = scene.geometry(i)
        near = int(np.argmin(depth))  # drawn last, unfaded
        col, row = np.floor(Canvas(scene.width, scene.height, scene.bounds).to_px(xy[near])).astype(int)
        assert tuple(frame[row, col]) == tuple(class_rgb(2)[t.y_train[near]])


def test_the_drawn_plane_splits_the_classes_as_the_network_does(circles3_trace):
    # the caption says "a plane separates them": in the drawn 3D coordinates, a point's
    # height above the drawn square is positive exactly where the network predicts class 1
    t = circles3_trace
    scene = RotateScene(t, layer=1, frames=2, size=200)
    assert scene.plane_height is not None
    above = scene.points[:, 2] > scene.plane_height
    assert np.array_equal(above, t.predict(t.X_train) == 1)
    assert (t.predict(t.X_train) == t.y_train).mean() > 0.97  # and the network is right: the plane splits the classes
