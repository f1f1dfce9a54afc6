"""The one table of run settings, and the five surfaces it drives: the CLI,
the Python checks, the websocket validation, the page's schema and the URL
(the page and URL in a real browser: tests/web/test_browser.py)."""

import json

import pytest
from starlette.testclient import TestClient

from netwarp import ACTIVATIONS, DATASETS, OPTIMIZERS, NetwarpError, cli, settings
from netwarp.data import build_data
from netwarp.settings import SETTINGS, Setting, check, check_settings
from netwarp.web.app import create_app
from netwarp.web.protocol import ProtocolError, parse

ADDED = Setting("momentum", "net", "float", 0.5, "a setting added by a test", lo=0, hi=1, web=(0, 0.9), web_step=0.05,
                url="mom", control="momentum")


@pytest.fixture()
def added(monkeypatch):
    """The table with one more row, as a new option would be added."""
    monkeypatch.setitem(SETTINGS, ADDED.name, ADDED)
    return ADDED


def train_flags() -> set[str]:
    sub = next(a for a in cli.build_parser()._actions if a.dest == "command")
    p = sub.choices["train"]
    return {a.option_strings[-1] if a.option_strings[-1].startswith("--") else a.option_strings[0]
            for a in p._actions if a.option_strings} - {"--help", "--out", "--quiet"}


def test_choices_are_the_name_tables():
    assert SETTINGS["dataset"].choices is DATASETS
    assert SETTINGS["activation"].choices is ACTIVATIONS
    assert SETTINGS["optimizer"].choices is OPTIMIZERS
    for s in SETTINGS.values():
        assert set(s.datasets) <= set(DATASETS), s.name
        assert s.group in ("data", "net", "play", "run") and s.kind in ("int", "float", "choice", "widths", "bool", "path", "text")


def test_defaults_pass_their_own_checks_and_page_ranges_are_inside_python_ranges():
    for s in SETTINGS.values():
        if s.default is not None and s.kind != "path":
            assert check(s, s.default) == s.default, s.name
        if s.web is not None and s.kind in ("int", "float"):
            for v in s.web:
                if s.zero_is_none and v == 0:
                    continue
                check(s, int(v) if s.kind == "int" else float(v), s.datasets[0] if s.datasets else None)


def test_url_keys_and_control_ids_are_unique():
    urls = [s.url for s in SETTINGS.values() if s.url]
    controls = [s.control for s in SETTINGS.values() if s.url]
    assert len(set(urls)) == len(urls) and len(set(controls)) == len(controls)
    # the keys old links use keep working
    assert {"data", "n", "noise", "dseed", "arms", "hidden", "act", "opt", "lr", "batch", "l1", "l2", "seed"} <= set(urls)


def test_every_cli_flag_comes_from_the_table():
    # --memory bounds what a run may use (netwarp.memory); it is not one of the run's settings
    assert train_flags() - {"--memory"} == {s.cli_flag for s in SETTINGS.values() if s.cli}


def test_dataset_options_apply_only_to_their_dataset():
    assert check_settings({"dataset": "blobs", "classes": 3})["classes"] == 3
    with pytest.raises(NetwarpError, match="dataset 'moons' takes no option 'classes'"):
        check_settings({"dataset": "moons", "classes": 3})
    with pytest.raises(NetwarpError, match="blobs needs a whole number of classes from 2 to 64, got 1"):
        check_settings({"dataset": "blobs", "classes": 1})


def test_data_seed_follows_seed_unless_given():
    *_, d = build_data({"dataset": "xor", "n": 40, "seed": 3})
    assert d["seed"] == 3
    X1, *_, d = build_data({"dataset": "xor", "n": 40, "seed": 3, "data_seed": 5})
    X2, *_ = build_data({"dataset": "xor", "n": 40, "seed": 9, "data_seed": 5})
    assert d["seed"] == 5 and (X1 == X2).all()


def test_cli_data_seed_is_kept_in_the_trace(tmp_path, capsys):
    out = tmp_path / "r.npz"
    assert cli.main(["train", "--data", "blobs", "--classes", "3", "--n", "60", "--steps", "3", "--snapshots", "2",
                     "--seed", "1", "--data-seed", "7", "-q", "-o", str(out)]) == 0
    from netwarp import load_trace

    t = load_trace(out)
    assert t.data["seed"] == 7 and t.data["classes"] == 3 and t.config["seed"] == 1


def test_schema_lists_what_the_page_shows():
    rows = {r["name"]: r for r in settings.schema()}
    assert rows["classes"]["datasets"] == ["blobs"] and rows["arms"]["datasets"] == ["spiral"]
    assert rows["n"]["max"] == 5000 and rows["hidden"]["max"] == 64 and rows["hidden"]["max_len"] == 8
    assert rows["data_seed"]["key"] == "seed" and rows["data_seed"]["url"] == "dseed" and rows["data_seed"]["default"] == 0
    assert "steps" not in rows and "csv" not in rows  # command line only
    assert rows["activation"]["per_layer"] and rows["activation"]["url"] == "act" and "per_layer" not in rows["optimizer"]
    json.dumps(rows)  # sent as it is


# -- one added row reaches all five surfaces -------------------------------------------


def test_added_setting_is_a_cli_flag(added):
    assert "--momentum" in train_flags()
    args = cli.build_parser().parse_args(["train", "--momentum", "0.7"])
    assert args.momentum == 0.7
    assert cli.build_parser().parse_args(["train"]).momentum == 0.5


def test_added_setting_is_checked_in_python(added):
    assert check("momentum", 0.25) == 0.25
    with pytest.raises(NetwarpError, match="momentum must be a finite number from 0 to 1, got 2.0"):
        check("momentum", 2.0)
    with pytest.raises(NetwarpError, match="momentum must be a finite number from 0 to 1"):
        cli.train_from_args(cli.build_parser().parse_args(["train", "--momentum", "1.5"]))


def test_added_setting_is_checked_on_the_websocket(added):
    m = parse(json.dumps({"type": "config", "data": {"dataset": "xor"}, "net": {"momentum": 0.2}}))
    assert m.body["net"]["momentum"] == 0.2
    assert parse(json.dumps({"type": "config", "data": {"dataset": "xor"}})).body["net"]["momentum"] == 0.5
    with pytest.raises(ProtocolError, match="net.momentum must be from 0 to 0.9, got 0.95"):
        parse(json.dumps({"type": "config", "data": {"dataset": "xor"}, "net": {"momentum": 0.95}}))


def test_added_setting_is_in_the_hello_schema(added):
    client = TestClient(create_app(hosts={"testserver"}))
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        hello = ws.receive_json()
    assert hello["type"] == "hello"
    row = next(r for r in hello["settings"] if r["name"] == "momentum")
    assert row["url"] == "mom" and row["control"] == "momentum" and (row["min"], row["max"]) == (0, 0.9)
    assert hello["defaults"]["net"]["momentum"] == 0.5


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--n", "100000000"], "n must be a whole number of points from 4 to 1000000, got 100000000"),
        (["--n", str(10**12)], "n must be a whole number of points from 4 to 1000000"),
        (["--data", "blobs", "--classes", str(10**10)], "blobs needs a whole number of classes from 2 to 64"),
        (["--snapshots", str(10**9)], "snapshots must be a whole number from 2 to 100000"),
        (["--l2", "1e300"], "l2 must be a finite number from 0 to 1000"),
        (["--seed", str(2**32)], "seed must be a whole number from 0 to 4294967295"),
    ],
)
def test_sizes_are_refused_before_anything_is_allocated(argv, match, tmp_path, capsys, monkeypatch):
    import netwarp.data

    made = []
    monkeypatch.setattr(netwarp.data, "build_data", lambda *a, **k: made.append(1))
    code = cli.main(["train", *argv, "--out", str(tmp_path / "run.npz")])
    err = capsys.readouterr().err
    assert code == 2 and made == [] and err.startswith("netwarp: error: ") and match in err and len(err.splitlines()) == 1, err
