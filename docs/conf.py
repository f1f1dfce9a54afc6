"""Sphinx configuration of netwarp's documentation site.

Built offline with the scientific-Python toolchain: numpydoc reads the
docstrings, sphinx-gallery runs every script in ``examples/`` and keeps the
pictures it draws, pydata-sphinx-theme lays it out. The API and CLI reference
pages are written from the code at configuration time (see ``reference.py``),
so a new public name or flag appears without editing the docs, and a public
name without a docstring stops the build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import reference  # noqa: E402  (needs the paths above)

import netwarp  # noqa: E402

os.environ.setdefault("MPLBACKEND", "Agg")

project = "netwarp"
author = "the netwarp developers"
copyright = "2026, the netwarp developers"
release = netwarp.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "architecture.md", "examples/GALLERY_HEADER.rst", "**/README.md"]
source_suffix = {".rst": "restructuredtext"}

# -- API reference ------------------------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections already give types and shapes
autodoc_member_order = "bysource"
numpydoc_show_class_members = False  # the class template lists members with their docs
numpydoc_class_members_toctree = False
# GL08: "The object does not have a docstring" -> a warning, which -W turns into a failed build
numpydoc_validation_checks = {"GL08"}
numpydoc_validation_exclude = {r"\.__init__$", r"\._", r"\.__"}

reference.write_api_pages(HERE / "api")
reference.write_cli_page(HERE / "cli.rst")

# -- gallery ------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "reference.StoryOrder",
    # named, not passed, so the configuration stays picklable for Sphinx's cache
    "image_scrapers": ("reference.scrape_figures",),
    "reset_modules": ("reference.reset_matplotlib",),
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_signature": False,
    "capture_repr": (),
    "abort_on_example_error": True,
    # no timing pages: they are of the build machine, and load their table script from a CDN
    "write_computation_times": False,
    "min_reported_time": 1e9,  # nor a running time under each example
}

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "netwarp"
html_static_path = ["_static"]
html_css_files = ["netwarp.css"]
html_show_sourcelink = False
html_theme_options = {
    "logo": {"text": "netwarp"},
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"index": []}
