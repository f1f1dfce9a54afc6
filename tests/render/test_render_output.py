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
        bad("Permission denied", check_output, ro / "a.png", "image")
    finally:
        ro.chmod(0o700)


@pytest.mark.skipif(not os.path.isdir("/sys"), reason="needs Linux's /sys")
def test_a_folder_no_one_can_write_is_found_by_a_real_write(bad):
    # /sys refuses new files even to root, where a permission-bit check would say yes
    bad("cannot write /sys/a.png: Permission denied", check_output, "/sys/a.png", "image")


def test_a_name_too_long_is_one_line(tmp_path, bad):
    bad("File name too long", check_output, tmp_path / ("x" * 300 + ".png"), "image")
    # short enough to exist, too long for the temporary name the atomic writer makes beside it
    bad("the file name is too long", check_output, tmp_path / ("x" * 245 + ".png"), "image")
    bad("File name too long", check_output, tmp_path / ("x" * 300) / "a.png", "image")


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
