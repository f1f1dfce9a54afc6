"""A self-contained HTML page: every image inlined as a data URI, no external URL.

The page opens offline from a single file (mail it, attach it to an issue):
no fonts, stylesheets or scripts from anywhere else; the only script is the
report timeline's few inline lines (:data:`TIMELINE_JS`), and without it the
page still shows the last snapshot.
"""

from __future__ import annotations

import base64
from html import escape
from urllib.parse import quote

from .palette import CLASS_COLORS, INK

MIME = {"png": "image/png", "gif": "image/gif", "svg": "image/svg+xml"}

CSS = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: {INK};
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.2em; }}
h2 {{ font-size: 1.25em; margin-top: 1.8em; border-bottom: 2px solid {CLASS_COLORS[1]}; padding-bottom: 0.2em; }}
figure {{ margin: 1em 0; }}
figure img {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.92em; color: #444; margin-top: 0.3em; }}
.row {{ display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }}
.row figure {{ flex: 0 1 auto; }}  /* native size (text stays >= 10 pt), shrunk only on a narrow window */
.timeline input[type=range] {{ width: 100%; }}
.timeline .controls {{ display: flex; gap: 0.8em; align-items: center; margin: 0.4em 0; }}
.timeline .frame {{ display: flex; flex-wrap: wrap; gap: 1em; }}
.timeline .frame[hidden] {{ display: none; }}
.timeline .frame img {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
.timeline .curves {{ position: relative; display: inline-block; max-width: 100%; margin-top: 0.6em; }}
.timeline .curves img {{ max-width: 100%; height: auto; display: block; }}
.timeline .mark {{ position: absolute; width: 2px; background: {CLASS_COLORS[0]}; pointer-events: none; }}
table {{ border-collapse: collapse; font-size: 0.92em; }}
td, th {{ border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }}
th {{ background: #f4f4f4; }}
.note {{ background: #fff6e8; border-left: 4px solid {CLASS_COLORS[0]}; padding: 0.6em 0.9em; }}
.muted {{ color: #777; font-size: 0.9em; }}
details.help summary {{ cursor: pointer; color: {CLASS_COLORS[1]}; font-size: 0.95em; }}
details.help p {{ max-width: 60em; background: #f4f8fb; padding: 0.6em 0.9em; }}
pre {{ font-size: 0.82em; overflow-x: auto; background: #f7f7f7; padding: 0.8em; }}
"""


def data_uri(data: bytes, kind: str) -> str:
    """``data:`` URI for image bytes of ``kind`` (``"png"``, ``"gif"`` or ``"svg"``)."""
    return f"data:{MIME[kind]};base64,{base64.b64encode(data).decode('ascii')}"


class Page:
    """An HTML page built section by section; :meth:`html` returns the whole document."""

    def __init__(self, title: str):
        self.title = title
        self.parts: list[str] = [f"<h1>{escape(title)}</h1>"]

    def heading(self, text: str) -> None:
        self.parts.append(f"<h2>{escape(text)}</h2>")

    def paragraph(self, text: str, css_class: str | None = None) -> None:
        cls = f' class="{escape(css_class)}"' if css_class else ""
        self.parts.append(f"<p{cls}>{escape(text)}</p>")

    def note(self, text: str) -> None:
        self.parts.append(f'<p class="note">{escape(text)}</p>')

    def table(self, rows: list[tuple], header: tuple | None = None) -> None:
        """A table of text cells; ``header`` is an optional first row of column names."""
        out = ["<table>"]
        if header:
            out.append("<tr>" + "".join(f"<th>{escape(str(h))}</th>" for h in header) + "</tr>")
        for row in rows:
            out.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
        out.append("</table>")
        self.parts.append("".join(out))

    def figures(self, items: list[tuple[bytes, str, str]]) -> None:
        """Images in a row: each ``(data, kind, caption)`` with ``kind`` png, gif or svg."""
        figs = [
            f'<figure><img src="{data_uri(data, kind)}" alt="{escape(caption)}"><figcaption>{escape(caption)}</figcaption></figure>'
            for data, kind, caption in items
        ]
        self.parts.append('<div class="row">' + "".join(figs) + "</div>")

    def linked_figures(self, items: list[tuple[str, str]]) -> None:
        """Images in a row, each ``(file name, caption)`` linked by its name relative to the page.

        For a page that sits in a folder beside its pictures (the gallery): a
        second, base64 copy of every GIF would make the page as big again.
        """
        figs = [
            f'<figure><img src="{escape(quote(name))}" alt="{escape(caption)}"><figcaption>{escape(caption)}</figcaption></figure>'
            for name, caption in items
        ]
        self.parts.append('<div class="row">' + "".join(figs) + "</div>")

    def raw(self, html: str) -> None:
        """Append HTML built (and escaped) by the caller, e.g. the report's timeline."""
        self.parts.append(html)

    def html(self) -> str:
        body = "\n".join(self.parts)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{escape(self.title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )


# The timeline's only behaviour: show the frame the slider points at, move the
# curves' marker, and step through the frames on "play". No external URL.
TIMELINE_JS = """
(function () {
  var tl = document.getElementById("timeline"); if (!tl) return;
  var range = tl.querySelector("input[type=range]"), frames = tl.querySelectorAll(".frame");
  var label = tl.querySelector(".step"), mark = tl.querySelector(".mark"), play = tl.querySelector("button"), timer = null;
  function show(i) {
    for (var k = 0; k < frames.length; k++) frames[k].hidden = k !== i;
    var f = frames[i]; label.textContent = f.dataset.caption; mark.style.left = f.dataset.x + "%";
  }
  range.addEventListener("input", function () { show(+range.value); });
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "play"; return; }
    if (+range.value === frames.length - 1) range.value = 0;
    play.textContent = "pause";
    timer = setInterval(function () {
      var i = +range.value + 1;
      if (i >= frames.length) { clearInterval(timer); timer = null; play.textContent = "play"; return; }
      range.value = i; show(i);
    }, 250);
  });
  show(+range.value);
})();
"""
