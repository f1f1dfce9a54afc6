"""The tutorial "Representations of any model" runs as written: its python blocks in order,
its pycon blocks as doctests (the printed numbers are the run's), and its command lines
through netwarp's CLI on the trace the page saved."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

pytest.importorskip("torch")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "tutorials" / "representations_of_any_model.rst"
BLOCK = re.compile(r"^\.\. code-block:: (\w+)\n\n((?:(?:   .*)?\n)+)", re.M)


def blocks() -> list[tuple[str, str]]:
    """``(language, code)`` of every code block of the page, in order, dedented."""
    return [(lang, "\n".join(line[3:] for line in body.splitlines()).strip() + "\n")
            for lang, body in BLOCK.findall(PAGE.read_text(encoding="utf-8"))]


def test_the_page_has_the_blocks_it_describes():
    langs = [lang for lang, _ in blocks()]
    assert langs.count("python") == 1 and langs.count("pycon") >= 5 and langs[-1] == "console"


def test_every_block_runs_and_prints_what_the_page_says(tmp_path, monkeypatch):
    from netwarp.cli import main

    monkeypatch.chdir(tmp_path)
    glob: dict = {"__name__": "tutorial"}
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    parser = doctest.DocTestParser()
    ran = []
    for i, (lang, code) in enumerate(blocks()):
        if lang == "python":
            exec(compile(code, f"{PAGE.name} block {i}", "exec"), glob)
        elif lang == "pycon":
            test = parser.get_doctest(code, glob, f"{PAGE.name} block {i}", str(PAGE), 0)
            result = runner.run(test, clear_globs=False)
            assert result.failed == 0, f"block {i} printed something else than the page says (see above)"
        else:
            for line in code.splitlines():
                argv = shlex.split(line.removeprefix("$ "))
                assert argv[0] == "netwarp"
                if argv[1] == "serve":  # a server that runs until stopped: the playground's tests open a recorded trace
                    continue
                assert main(argv[1:]) == 0, line
                out = tmp_path / argv[argv.index("-o") + 1]
                assert out.is_file() and out.stat().st_size > 1000, line
                ran.append(argv[1])
    assert ran == ["plot", "animate", "report"]
