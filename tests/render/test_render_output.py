import os

import pytest

from netwarp.render.output import atomic_output, check_output


def test_check_output_names_the_problem(tmp_path, bad):
    assert check_output(tmp_path / "a.PNG", "image").name == "a.PNG"
    bad(r"'\.jpg' is not a known image format; use \.png or \.svg", check_output, tmp_path / "a.jpg", "image")
    bad("no extension", check_output, tmp_path / "a", "animation")
    bad("does not exist", check_output, tmp_path / "nope" / "a.gif", "animation")
    (tmp_path / "d.html").mkdir()
    bad("is a folder", check_output, tmp_path / "d.html", "report")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(tmp_path, bad):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        bad("not writable", check_output, ro / "a.png", "image")
    finally:
        ro.chmod(0o700)


def test_atomic_output_replaces_only_on_success(tmp_path):
    path = tmp_path / "x.html"
    path.write_text("old")
    with pytest.raises(ValueError):
        with atomic_output(path) as tmp:
            tmp.write_text("half")
            raise ValueError
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.html"]
    with atomic_output(path) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".html"
        tmp.write_text("new")
    assert path.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["x.html"]
    assert path.stat().st_mode & 0o044  # readable by others, not mkstemp's 0600
