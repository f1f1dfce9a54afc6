"""A Trace becomes files: figures (PNG/SVG), animations (GIF/MP4), the HTML report,
the gallery, and the command-line subcommands that write them.

Everything here reads geometry from :mod:`netwarp.views` and draws it with
:mod:`netwarp.render`; nothing below imports from here.
"""

from .animate import animate
from .figures import (
    compare_figure,
    curves_figure,
    field_figure,
    fit_figure,
    layer_figure,
    plot,
    probes_figure,
    stages_figure,
)
from .gallery import run_gallery
from .report import write_report
from .table_figures import table_layer_figure
from .view_cards import view_figure

__all__ = [
    "animate",
    "compare_figure",
    "curves_figure",
    "field_figure",
    "fit_figure",
    "layer_figure",
    "plot",
    "probes_figure",
    "run_gallery",
    "stages_figure",
    "table_layer_figure",
    "view_figure",
    "write_report",
]
