"""The documentation site: built with warnings as errors, every link inside it leads
somewhere, it loads nothing from outside, each gallery page holds the pictures and
the measured sentence its script made, and every public name has a reference page.

`scripts/test` builds the site first with the command the README gives and points
NETWARP_DOCS_HTML at it; run alone, this module builds its own copy.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "docs"

pytest.importorskip("sphinx_gallery", reason="the docs extra is part of the test extra")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built = os.environ.get("NETWARP_DOCS_HTML")
    if built:
        return Path(built).resolve()
    from sphinx.cmd.build import build_main

    out = tmp_path_factory.mktemp("docs") / "html"
    assert build_main(["-W", "-q", "-b", "html", "-d", str(out.parent / "doctrees"), str(DOCS), str(out)]) == 0
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)
            if tag == "a" and name == "name" and value:
                self.ids.add(value)

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_link_inside_the_site_leads_to_a_page_and_anchor_that_exist(site):
    # the theme copies its Jinja macros into _static/ as .html: templates, not pages
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    assert len(pages) > 20
    parsed = {page: _parse(page) for page in pages}
    broken = []
    for page, p in parsed.items():
        for _tag, _attr, value in p.links:
            url = urlsplit(value)
            if url.scheme or value.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {value}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {value} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken[:30])


def test_the_site_loads_nothing_from_outside(site):
    # scripts, styles, images and fonts all come from the site itself: it works offline
    outside = []
    for page in site.rglob("*.html"):
        if "_static" in page.relative_to(site).parts:
            continue
        for tag, attr, value in _parse(page).links:
            external = urlsplit(value).scheme in ("http", "https") or value.startswith("//")
            loaded = attr == "src" or (tag == "link" and attr == "href")
            if external and loaded:
                outside.append(f"{page.relative_to(site)}: <{tag} {attr}={value}>")
    for css in site.rglob("*.css"):
        for m in re.finditer(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8", errors="replace")):
            outside.append(f"{css.relative_to(site)}: {m.group(1)}")
    for js in site.rglob("*.js"):
        text = js.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"https://(fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|cdnjs\.cloudflare|unpkg)\S*", text):
            outside.append(f"{js.relative_to(site)}: {m.group(0)[:80]}")
    assert not outside, "\n".join(outside[:20])


def _examples() -> list[Path]:
    return sorted((DOCS / "examples").glob("plot_*.py"))


def test_each_gallery_page_holds_the_pictures_and_the_sentence_its_script_made(site):
    assert len(_examples()) >= 7
    for script in _examples():
        page = site / "auto_examples" / f"{script.stem}.html"
        assert page.exists(), f"no gallery page for {script.name}"
        html = page.read_text(encoding="utf-8")
        images = [v for tag, attr, v in _parse(page).links if tag == "img" and attr == "src" and "sphx_glr" in v]
        assert images, f"{script.name}: its page shows no picture"
        for src in images:
            with Image.open(page.parent / src) as im:
                pixels = np.asarray(im.convert("RGB"))
            assert im.width >= 500, f"{src} is {im.width} px wide"
            assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50, f"{src} is nearly blank"
        # the script's printed sentence, with the number it measured, is on the page
        out = re.search(r'class="sphx-glr-script-out[^"]*".*?<pre[^>]*>(.*?)</pre>', html, re.S)
        assert out, f"{script.name}: its page has no printed output"
        sentence = re.sub(r"<[^>]+>", "", out.group(1)).strip()
        assert sentence.endswith(".") and re.search(r"\d", sentence), f"{script.name}: {sentence!r}"


def _reference():
    sys.path.insert(0, str(DOCS))
    try:
        return importlib.import_module("reference")
    finally:
        sys.path.remove(str(DOCS))


def test_every_public_name_has_a_reference_page(site):
    reference = _reference()
    missing = []
    for mod, _title, _blurb in reference.api_modules():
        for name in mod.__all__:
            if not (site / "api" / "generated" / f"{mod.__name__}.{name}.html").exists():
                missing.append(f"{mod.__name__}.{name}")
    assert not missing, missing
    cli = (site / "cli.html").read_text(encoding="utf-8")
    from netwarp.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for command in sub.choices:
        assert f"netwarp {command}" in cli


def test_a_public_name_without_a_docstring_is_found():
    reference = _reference()
    mod = types.ModuleType("fake")

    def documented():
        """Has one."""

    def bare():
        pass

    mod.documented, mod.bare, mod.__all__ = documented, bare, ["documented", "bare"]
    assert reference.undocumented([(mod, "fake", "")]) == ["fake.bare"]


def test_screenshots_of_the_front_page_a_gallery_page_and_an_api_page(site):
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "front-page.png": site / "index.html",
        "gallery-disk-in-ring.png": site / "auto_examples" / "plot_disk_in_ring_3d.html",
        "gallery-index.png": site / "auto_examples" / "index.html",
        "api-train.png": site / "api" / "generated" / "netwarp.train.html",
    }
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            for name, path in pages.items():
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                assert page.title(), f"{path} has no title"
                page.screenshot(path=str(ARTIFACTS / name), full_page=name.startswith("gallery"))
        finally:
            browser.close()
    assert all(r.startswith(("file:", "data:")) for r in requests), [r for r in requests if not r.startswith("file:")]
