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
    for bad in ("http://", "https://", "url(", "@import", "<script src", "<link", "fetch(", "xmlhttprequest", "import("):
        assert bad not in text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?//""", text)
    # the only script is the timeline's, inline
    assert text.count("<script") == text.count("<script>") <= 1


def test_page_escapes_and_inlines():
    p = Page("a <b> & c")
    p.paragraph("x < y")
    p.figures([(b"\x89PNG...", "png", 'say "hi"')])
    text = p.html()
    assert "a &lt;b&gt; &amp; c" in text and "x &lt; y" in text
    assert data_uri(b"\x89PNG...", "png") in text
    _assert_self_contained(text)


def test_linked_figures_point_at_files_by_quoted_name():
    p = Page("gallery")
    p.linked_figures([("1-a b.png", 'say "hi"'), ("2.gif", "two")])
    text = p.html()
    assert '<img src="1-a%20b.png" alt="say &quot;hi&quot;">' in text and '<img src="2.gif"' in text
    assert "base64," not in text


def test_report_is_self_contained_with_probes_and_note(circles3_trace, tmp_path):
    out = write_report(circles3_trace, tmp_path / "r.html", progress=False)
    text = out.read_text()
    _assert_self_contained(text)
    assert text.count("data:image/gif;base64,") == 2  # morph, rotate (the timeline replays training)
    assert 'type="range"' in text
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


def _size_said(text: str) -> float:
    m = re.search(r"this file \(([\d.]+) (MB|kB)\)", text)
    assert m, "the report does not state its size"
    return float(m.group(1)) * (1e6 if m.group(2) == "MB" else 1e3)


def test_report_timeline_frames_match_the_decision_field(tmp_path, field_under_pixels):
    """One frame per listed snapshot (at most 40 of 45), and the field drawn at a frame is
    the network's prediction there: every confidently coloured pixel leans to the predicted class."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    import netwarp
    from netwarp.outputs.training_scene import TrainingScene
    from netwarp.render.palette import rgb_class

    X, y = netwarp.make_dataset("spiral", n=120, seed=0)
    t = netwarp.train(X, y, hidden=[8, 8], steps=450, snapshots=45, seed=0, data={"dataset": "spiral", "n": 120, "seed": 0})
    assert len(t) == 45
    out = write_report(t, tmp_path / "r.html", progress=False)
    text = out.read_text()
    _assert_self_contained(text)
    assert text.count('<input type="range"') == 1
    m = re.search(r'<input type="range" min="0" max="(\d+)"', text)
    frames = re.findall(r'<div class="frame" data-snapshot="(\d+)" data-step="(\d+)"', text)
    assert len(frames) == int(m.group(1)) + 1 == 40
    snaps = [int(s) for s, _ in frames]
    assert snaps[0] == 0 and snaps[-1] == len(t) - 1 and snaps == sorted(set(snaps))
    assert [int(s) for _, s in frames] == [t.snapshot(i).step for i in snaps]
    assert abs(_size_said(text) - out.stat().st_size) < 0.06 * out.stat().st_size

    scene = TrainingScene(t, frames=40, size=960)
    block = text.split('<div class="frame" ')[1:]
    for k in (5, 39):  # mid-training and the end
        uri = re.search(r'class="field" src="data:image/png;base64,([^"]+)"', block[k]).group(1)
        img = np.array(Image.open(io.BytesIO(base64.b64decode(uri))).convert("RGB"))
        P = scene.panel
        assert img.shape == (P, P, 3)
        f = netwarp.views.decision_field(t, snaps[k], resolution=scene.res)
        probs, near = field_under_pixels(f, t.X_train, P)
        # away from the drawn points and the label in the top band
        sure = (probs.max(-1) > 0.6) & ~near
        sure[:40] = False
        assert sure.sum() > P * P // 20
        drawn = rgb_class(img[sure], 2)
        assert (drawn == probs[sure].argmax(-1)).mean() > 0.995
