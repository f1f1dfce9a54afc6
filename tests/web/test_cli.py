"""``netwarp serve``: its options and its one-line errors (the server itself is tested in test_app)."""

import pytest

from netwarp import cli


def run(capsys, *argv):
    """Run the CLI in-process; returns ``(exit code, stdout, stderr)``."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize(
    "argv, match",
    [
        (["serve", "--port", "70000"], "--port must be from 0 to 65535, got 70000"),
        (["serve", "--port", "http"], "argument --port: invalid int value"),
        (["serve", "missing.npz"], "missing.npz"),
    ],
)
def test_bad_serve_arguments_get_one_line(argv, match, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run(capsys, *argv)
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("netwarp: error: ") and match in lines[0], lines[0]
    assert list(tmp_path.iterdir()) == []


def test_serve_is_listed_in_help(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "--port" in out and "--open" in out and "replay" in out
