"""The web package's modules import only downward: no import cycles between them."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import netwarp.web

WEB = Path(netwarp.web.__file__).parent
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(WEB)]))


def _imports(name: str) -> set[str]:
    """Sibling modules ``netwarp.web.<name>`` imports, at any depth in the file (type-checking blocks too)."""
    tree = ast.parse((WEB / f"{name}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("netwarp.web."):
            found.add(node.module.split(".")[2])
    return found & set(MODULES)


def test_no_import_cycles():
    graph = {m: _imports(m) for m in MODULES}
    assert graph["frames"].isdisjoint({"session", "handlers", "live", "app"})  # frames are built from a plain state

    def visit(m, path):
        assert m not in path, "import cycle: " + " -> ".join([*path, m])
        for n in graph[m]:
            visit(n, [*path, m])

    for m in MODULES:
        visit(m, [])


def test_each_module_imports_on_its_own():
    # a fresh interpreter per module: an import cycle fails in whichever order it is entered
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module('netwarp.web.' + m)"
    for m in MODULES:
        r = subprocess.run([sys.executable, "-c", code, m], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, (m, r.stderr)
