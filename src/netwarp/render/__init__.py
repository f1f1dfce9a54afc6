"""Drawing: plain arrays in, pixels out. Nothing here knows about networks.

- :mod:`.palette` — class colours, the field look, the weight scale (JSON-ready for the web).
- :mod:`.raster` — :class:`Canvas`, the fast frame renderer for animations.
- :mod:`.camera` — the one 3D camera convention (third axis up), mirrored by the page's ``draw.js``.
- :mod:`.framing` — plot ranges around the data, smoothed from frame to frame.
- :mod:`.scenes` — raster panels: decision field, 2D space, 3D space through :mod:`.camera`.
- :mod:`.plots`, :mod:`.charts` — matplotlib pictures on an optional ``ax``.
- :mod:`.figure` — figures of an exact pixel size, saved as PNG or SVG.
- :mod:`.encode` — GIF and MP4 writing; :mod:`.output` — output checks and atomic writes.
- :mod:`.html` — a self-contained HTML page.
"""

from .camera import camera_matrix, project
from .encode import write_animation
from .figure import figure_bytes, new_figure, save_figure
from .output import atomic_output, check_output
from .palette import CLASS_COLORS, class_rgb, field_rgb, field_words, palette_json, rgb_class, weight_cmap, weight_rgb
from .raster import Canvas

__all__ = [
    "CLASS_COLORS",
    "Canvas",
    "atomic_output",
    "camera_matrix",
    "check_output",
    "class_rgb",
    "field_rgb",
    "field_words",
    "figure_bytes",
    "new_figure",
    "palette_json",
    "project",
    "rgb_class",
    "save_figure",
    "weight_cmap",
    "weight_rgb",
    "write_animation",
]
