"""A self-contained HTML page: every image inlined as a data URI, no external URL.

The page opens offline from a single file (mail it, attach it to an issue):
no scripts, no fonts, no stylesheets from anywhere else.
"""

from __future__ import annotations

import base64
from html import escape

from .palette import CLASS_COLORS, INK

MIME = {"png": "image/png", "gif": "image/gif", "svg": "image/svg+xml"}

CSS = f"""
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: {INK};
       max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.2em; }}
h2 {{ font-size: 1.25em; margin-top: 1.8em; border-bottom: 2px solid {CLASS_COLORS[1]}; padding-bottom: 0.2em; }}
figure {{ margin: 1em 0; }}
figure img {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
figcaption {{ font-size: 0.92em; color: #444; margin-top: 0.3em; }}
.row {{ display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }}
.row figure {{ flex: 1 1 300px; }}
table {{ border-collapse: collapse; font-size: 0.92em; }}
td, th {{ border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }}
th {{ background: #f4f4f4; }}
.note {{ background: #fff6e8; border-left: 4px solid {CLASS_COLORS[0]}; padding: 0.6em 0.9em; }}
.muted {{ color: #777; font-size: 0.9em; }}
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

    def html(self) -> str:
        body = "\n".join(self.parts)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{escape(self.title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
