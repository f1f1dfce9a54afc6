"""An orthographic camera for 3-wide spaces: turn about the vertical, tilt, project.

THE camera convention of netwarp, used by every renderer (the raster animation
frames here, and the playground's ``web/static/draw.js``, which mirrors
:func:`camera_matrix` line for line; a test runs both on the same points):

- the space's **third axis is up**: it stays vertical on screen whatever the azimuth;
- **azimuth** (radians) turns the space about that axis, counter-clockwise seen
  from above; at azimuth 0 the camera looks along ``+y`` (screen right is ``+x``);
- **elevation** (radians) raises the camera above the ``x, y`` plane (positive:
  looking down on it); at elevation 0 screen up is ``+z``;
- screen ``x`` points right and ``y`` up; depth grows away from the viewer.

Plain linear algebra, so a test can check that a drawn frame is exactly a
rotation of the layer's outputs.
"""

from __future__ import annotations

import numpy as np

# the view used when the camera does not turn (animations' still 3D views and the
# playground's starting camera, which mirrors these numbers)
DEFAULT_AZIMUTH = float(np.radians(-50.0))
DEFAULT_ELEVATION = float(np.radians(22.0))


def camera_matrix(azimuth: float, elevation: float) -> np.ndarray:
    """The camera's rotation: rows are screen right, screen up, and towards the viewer.

    The scene turns by ``azimuth`` (radians) about its third axis, which stays
    vertical on screen, and is seen from ``elevation`` radians above its
    horizontal plane. A proper rotation (determinant +1), so the picture is
    never mirrored.

    Returns
    -------
    ndarray of shape (3, 3): ``P @ M.T`` gives ``(x_screen, y_screen, toward_viewer)``.
    """
    ca, sa = np.cos(azimuth), np.sin(azimuth)
    ce, se = np.cos(elevation), np.sin(elevation)
    turn = np.array([[ca, -sa, 0.0], [sa, ca, 0.0], [0.0, 0.0, 1.0]])
    # camera on the scene's -y side, raised by the elevation, looking at the centre:
    # right x up = towards the viewer, a right-handed frame
    view = np.array([[1.0, 0.0, 0.0], [0.0, se, ce], [0.0, -ce, se]])
    return view @ turn


def matplotlib_view(azimuth: float, elevation: float) -> tuple[float, float]:
    """The same view for matplotlib's ``Axes3D.view_init(elev, azim)`` (degrees).

    matplotlib places its camera at azimuth ``azim`` around the vertical axis,
    while this convention turns the space in front of a camera on its ``-y``
    side: turning the space by ``a`` is moving the camera by ``-a``.
    """
    return float(np.degrees(elevation)), float(-90.0 - np.degrees(azimuth))


def project(
    P: np.ndarray, azimuth: float, elevation: float, center: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Project 3D points for the screen.

    Parameters
    ----------
    P : ndarray of shape (..., 3)
    azimuth, elevation : float
        Radians (see :func:`camera_matrix`).
    center : ndarray of shape (3,), optional
        The point the camera turns about (the origin by default).

    Returns
    -------
    xy : ndarray of shape (..., 2)
        Screen coordinates (x right, y up), in the data's units.
    depth : ndarray of shape (...,)
        Distance into the screen; larger is farther.
    """
    P = np.asarray(P, dtype=np.float64)
    if center is not None:
        P = P - np.asarray(center, dtype=np.float64)
    q = P @ camera_matrix(azimuth, elevation).T
    return q[..., :2], -q[..., 2]
