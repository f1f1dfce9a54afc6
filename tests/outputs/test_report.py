"""Reports are one self-contained file: no external URL anywhere."""

import re

from netwarp import views
from netwarp.outputs.report import write_report
from netwarp.render.html import Page, data_uri

ATTR = re.compile(r"""\b(?:src|href|srcset|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _assert_self_contained(text: str) -> None:
    values = [a or b or c for a, b, c in ATTR.findall(text)]
    assert values, "no src/href found at all"
    for v in values:
        assert v.startswith("data:") or v.startswith("#"), v[:60]
    for bad in ("http://", "https://", "url(", "@import", "<script", "<link"):
        assert bad not in text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?//""", text)


def test_page_escapes_and_inlines():
    p = Page("a <b> & c")
    p.paragraph("x < y")
    p.figures([(b"\x89PNG...", "png", 'say "hi"')])
    text = p.html()
    assert "a &lt;b&gt; &amp; c" in text and "x &lt; y" in text
    assert data_uri(b"\x89PNG...", "png") in text
    _assert_self_contained(text)


def test_report_is_self_contained_with_probes_and_note(circles3_trace, tmp_path):
    out = write_report(circles3_trace, tmp_path / "r.html", progress=False)
    text = out.read_text()
    _assert_self_contained(text)
    assert text.count("data:image/gif;base64,") == 3  # training, morph, rotate
    for a in views.probe_accuracies(circles3_trace):
        assert f"{a:.3f}" in text
    assert "Topology" in text
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_report_of_a_narrow_net_carries_the_topology_note(tmp_path):
    import netwarp

    X, y = netwarp.make_dataset("circles", n=60, seed=1)
    t = netwarp.train(X, y, hidden=[2], steps=30, snapshots=4, data={"dataset": "circles"})
    text = write_report(t, tmp_path / "r.html", progress=False).read_text()
    note = views.topology_note(t)
    assert note and note.split(",")[0] in text


def test_report_of_a_regression(square_trace, tmp_path):
    text = write_report(square_trace, tmp_path / "r.html", progress=False).read_text()
    _assert_self_contained(text)
    assert "The fit" in text and "data:image/gif" not in text
