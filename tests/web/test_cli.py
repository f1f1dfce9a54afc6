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


def test_serve_refuses_a_run_with_no_snapshots_at_start(tmp_path, capsys, blobs_trace):
    from netwarp import Trace, cli

    t = blobs_trace
    Trace(t.arch, t.X_train, t.y_train, t.X_test, t.y_test).save(tmp_path / "empty.npz")
    code = cli.main(["serve", str(tmp_path / "empty.npz"), "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"netwarp: error: {tmp_path / 'empty.npz'}: this run has no snapshots to replay"


def test_serve_help_states_the_memory_budget(capsys):
    from netwarp import cli

    try:
        cli.main(["serve", "--help"])
    except SystemExit:
        pass
    out = " ".join(capsys.readouterr().out.split())
    assert "--tab-memory MB" in out and "default: 1200 MB" in out and "--memory MB" in out and "default: 6000 MB" in out
    assert "--allow-host NAME" in out


def test_serving_beyond_loopback_prints_a_url_with_a_token_and_needs_it():
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "netwarp.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert "other machines can reach this playground" in lines[0]
        url = lines[1].split(" at ", 1)[1].split()[0]
        assert "?token=" in url and len(url.split("?token=")[1]) >= 24
        bare = url.split("?")[0]
        try:
            urllib.request.urlopen(bare, timeout=5)
            raise AssertionError("served without the token")
        except urllib.error.HTTPError as e:
            assert e.code == 403
        with urllib.request.urlopen(url, timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
