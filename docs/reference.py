"""Pages the documentation writes from the code: the API reference (from each
module's ``__all__``), the CLI reference (from argparse), and the gallery's
picture scraper (netwarp draws on its own Agg figures, not pyplot's)."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
from dataclasses import is_dataclass
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.pycode import ModuleAnalyzer

# (module, page title, what it is for); a module that cannot be imported because
# its optional extra is missing is left out of the reference, and says so.
API_MODULES = [
    ("netwarp", "netwarp", "Data, networks, training and the Trace every view reads."),
    ("netwarp.views", "netwarp.views", "Geometry of what a network does: plain arrays, no drawing."),
    ("netwarp.outputs", "netwarp.outputs", "Figures, animations, the report and the gallery, written from a Trace."),
]
OPTIONAL_MODULES = [
    ("netwarp.torch", "netwarp.torch", "Your own PyTorch model: record its training as a Trace (extra ``[torch]``)."),
    ("netwarp.torch.examples", "netwarp.torch.examples",
     "Two small models recorded by their layers: the tutorial's, the gallery's and the benchmark's (extra ``[torch]``)."),
    ("netwarp.notebook", "netwarp.notebook", "The playground inside a Jupyter cell (extra ``[notebook]``)."),
    ("netwarp.sweeps", "netwarp.sweeps", "Sweeps: a grid of networks on one dataset, on one machine or a Dask cluster (extra ``[dask]``)."),
]


def _importable(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name and (e.name == name or name.startswith(e.name + ".")):
            return None  # the module itself does not exist (yet)
        raise


def api_modules() -> list[tuple[object, str, str]]:
    found = []
    for name, title, blurb in API_MODULES + OPTIONAL_MODULES:
        mod = _importable(name)
        if mod is None:
            if (name, title, blurb) in API_MODULES:
                raise ConfigError(f"netwarp docs: cannot import {name}")
            continue
        if not hasattr(mod, "__all__"):
            raise ConfigError(f"netwarp docs: {name} has no __all__, so its public names are unknown")
        found.append((mod, title, blurb))
    return found


def _attribute_docs() -> dict[str, str]:
    """``#:`` doc comments of module-level data in every netwarp module, by name."""
    import netwarp

    docs: dict[str, str] = {}
    for info in pkgutil.walk_packages(netwarp.__path__, "netwarp."):
        if info.name.endswith("__main__"):
            continue  # importing it would run the command line
        try:
            analyzer = ModuleAnalyzer.for_module(info.name)
            attr_docs = analyzer.find_attr_docs()
        except Exception:  # a module that needs an absent optional extra
            continue
        for (scope, name), lines in attr_docs.items():
            if not scope and any(line.strip() for line in lines):
                docs.setdefault(name, " ".join(lines))
    return docs


def _has_own_doc(obj) -> bool:
    doc = obj.__doc__ if isinstance(obj, type) else inspect.getdoc(obj)
    if not doc or not doc.strip():
        return False
    # a dataclass without a docstring gets "Name(field, ...)" written for it
    return not (is_dataclass(obj) and isinstance(obj, type) and doc.startswith(f"{obj.__name__}("))


def undocumented(modules) -> list[str]:
    """Public names (in ``__all__``) without a docstring of their own."""
    attr_docs = _attribute_docs()
    missing = []
    for mod, _title, _blurb in modules:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj):
                ok = _has_own_doc(obj)
            else:
                ok = name in attr_docs
            if not ok:
                missing.append(f"{mod.__name__}.{name}")
    return missing


def _kind(obj) -> str:
    if inspect.isclass(obj):
        return "Classes"
    if inspect.isroutine(obj):
        return "Functions"
    return "Tables and constants"


def write_api_pages(folder: Path) -> None:
    """Write ``api/index.rst`` and one page per module listing every public name.

    Stops the build (ConfigError) when a public name has no docstring.
    """
    modules = api_modules()
    missing = undocumented(modules)
    if missing:
        raise ConfigError("public names without a docstring: " + ", ".join(missing))
    folder.mkdir(exist_ok=True)
    pages = []
    for mod, title, blurb in modules:
        page = mod.__name__.replace(".", "_")
        pages.append(page)
        lines = [title, "=" * len(title), "", f".. automodule:: {mod.__name__}", "   :no-members:", "", blurb, ""]
        groups: dict[str, list[str]] = {}
        for name in mod.__all__:
            groups.setdefault(_kind(getattr(mod, name)), []).append(name)
        lines += [f".. currentmodule:: {mod.__name__}", ""]
        for kind in ("Functions", "Classes", "Tables and constants"):
            if kind not in groups:
                continue
            lines += [kind, "-" * len(kind), "", ".. autosummary::", "   :toctree: generated/", ""]
            lines += [f"   {name}" for name in sorted(groups[kind], key=str.lower)] + [""]
        _write_if_changed(folder / f"{page}.rst", "\n".join(lines))
    absent = [name for name, _t, _b in OPTIONAL_MODULES if name not in {m.__name__ for m, _t, _b in modules}]
    index = ["API reference", "=============", "",
             "Every public name, generated from the docstrings. Arrays are numpy arrays; shapes are",
             "given as ``(n, d)``: ``n`` points, ``d`` numbers each.", "",
             ".. toctree::", "   :maxdepth: 1", ""] + [f"   {p}" for p in pages] + [""]
    if absent:
        index += ["Not built into this copy of the reference: " + ", ".join(f"``{a}``" for a in absent) + ".", ""]
    _write_if_changed(folder / "index.rst", "\n".join(index))


def write_cli_page(path: Path) -> None:
    """Write the command-line reference from netwarp's argparse parser."""
    from netwarp.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "96"  # argparse wraps to the terminal; the page needs one fixed width
    try:
        parser = build_parser()
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        helps = {a.dest: a.help for a in sub._choices_actions}
        lines = ["Command-line reference", "======================", "",
                 "Every ``netwarp`` command and flag, as ``netwarp COMMAND --help`` prints it.", "",
                 ".. code-block:: text", ""] + _indent(parser.format_help()) + [""]
        for name, p in sub.choices.items():
            title = f"netwarp {name}"
            lines += [title, "-" * len(title), "", (helps.get(name) or "").capitalize() + ".", "",
                      ".. code-block:: text", ""] + _indent(p.format_help()) + [""]
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    _write_if_changed(path, "\n".join(lines))


def _indent(text: str) -> list[str]:
    return ["   " + line if line.strip() else "" for line in text.rstrip().splitlines()]


def _write_if_changed(path: Path, text: str) -> None:
    # an unchanged file keeps its time, so Sphinx does not rebuild the pages for nothing
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


# the figures already put on the page of the script being run; held (not their ids)
# so a figure that is freed cannot lend its id to a new one
_SHOWN: list = []


def scrape_figures(block, block_vars, gallery_conf) -> str:
    """sphinx-gallery scraper for the matplotlib figures a gallery script holds.

    netwarp's figure functions draw on their own Agg figures, outside pyplot, so
    the stock scraper would not see them: this one looks through the script's
    variables after each block for figures it has not shown yet, in the order
    the variables were first bound, and saves them at their exact pixel size.
    """
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    figures = []
    for value in list(block_vars["example_globals"].values()):
        items = value if isinstance(value, (list, tuple)) else [value]
        for fig in items:
            if isinstance(fig, Figure) and not any(fig is f for f in _SHOWN):
                _SHOWN.append(fig)
                figures.append(fig)
    paths = []
    for fig, path in zip(figures, block_vars["image_path_iterator"]):
        fig.savefig(path, dpi=fig.dpi)
        paths.append(path)
    return figure_rst(paths, gallery_conf["src_dir"])


def reset_matplotlib(gallery_conf, fname) -> None:
    """Each gallery script starts with no pyplot figures left over from the last."""
    import matplotlib.pyplot as plt

    plt.close("all")
    _SHOWN.clear()


# the gallery tells a story: scripts in this order, any others after them by name
STORY = [
    "plot_linear_vs_network.py",
    "plot_layer_stages.py",
    "plot_spiral_narrow_and_wide.py",
    "plot_disk_in_ring_3d.py",
    "plot_separability_per_layer.py",
    "plot_relu_pieces_square.py",
    "plot_neuron_fields.py",
    "plot_weight_editing.py",
    "plot_trainer_step_by_step.py",
    "plot_anatomy_code.py",
    "plot_weights_and_gradients.py",
    "plot_diagnostics.py",
    "plot_digits_inside.py",
    "plot_digits_groups_lesions.py",
    "plot_sweep_phase_diagram.py",
    "plot_where_we_cannot_look.py",
    "plot_torch_recorder.py",
]


class StoryOrder:
    """sphinx-gallery sort key putting the scripts of :data:`STORY` first, in its order."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        return (STORY.index(filename) if filename in STORY else len(STORY), filename)

    def __repr__(self) -> str:
        return "StoryOrder"
