"""The websocket message checks: every bad message gets one clear line."""

import json

import pytest

from netwarp.web import protocol as P
from netwarp.web.protocol import ProtocolError, parse


def msg(**kw):
    return json.dumps(kw)


def test_config_is_normalised_with_defaults():
    m = parse(msg(type="config", data={"dataset": "spiral"}, net={"hidden": [8, 8]}))
    assert m.type == "config"
    assert m.body["data"] == {"dataset": "spiral", "n": 600, "noise": 0.0, "seed": 0}
    assert m.body["net"]["hidden"] == [8, 8] and m.body["net"]["batch_size"] is None
    assert m.body["net"]["activation"] == "tanh" and m.body["net"]["optimizer"] == "adam"


def test_activation_is_one_name_or_one_per_hidden_layer():
    def act(a, hidden=(4, 3)):
        return parse(msg(type="config", data={"dataset": "xor"}, net={"hidden": list(hidden), "activation": a})).body["net"]

    assert act(["tanh", "relu"])["activation"] == ["tanh", "relu"]
    # all alike (or a list of one) is the one name: the config and the URL of a uniform network stay act=tanh
    assert act(["relu", "relu"])["activation"] == "relu" and act(["relu"])["activation"] == "relu"
    assert act("sigmoid", hidden=[])["activation"] == "sigmoid"
    # a dataset's own network (digits: 32,16) counts its own layers
    assert parse(msg(type="config", data={"dataset": "digits"}, net={"activation": ["tanh", "gelu"]})).body["net"][
        "activation"] == ["tanh", "gelu"]


@pytest.mark.parametrize(
    "act, hidden, needle",
    [
        (["tanh", "relu", "tanh"], [4, 3], "3 activations (tanh, relu, tanh) for 2 hidden layer(s); give one name, or one per hidden layer"),
        (["tanh"] * 20, [4, 3], "net.activation must be one name or one per hidden layer (at most 8), got 20"),
        (["tanh", "swish"], [4, 3], "unknown net.activation 'swish'; choose one of: identity, relu"),
        (["tanh", 3], [4, 3], "unknown net.activation 3"),
        (["x" * 5000, "tanh"], [4, 3], "unknown net.activation 'xxxx"),
        ([], [4, 3], "net.activation must be a name or a list of names (one per hidden layer), got an empty list"),
        (["tanh", "relu"], [], "2 activations (tanh, relu) for a network without hidden layers; give one name"),
        ({"a": 1}, [4], "unknown net.activation {'a': 1}"),
    ],
)
def test_a_wrong_activation_list_is_one_line(act, hidden, needle):
    with pytest.raises(ProtocolError) as e:
        parse(msg(type="config", data={"dataset": "xor"}, net={"hidden": hidden, "activation": act}))
    assert needle in str(e.value) and "\n" not in str(e.value) and len(str(e.value)) < 200


@pytest.mark.parametrize(
    "raw, needle",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        (msg(type="launch_missiles"), "unknown message type"),
        (msg(type=3), "unknown message type"),
        (msg(type="config", data={"dataset": "nope"}), "unknown data.dataset 'nope'"),
        (msg(type="config", data={"dataset": "xor"}, net={"hidden": [8] * 9}), "at most 8 hidden layers"),
        (msg(type="config", data={"dataset": "xor"}, net={"hidden": [65]}), "from 1 to 64"),
        (msg(type="config", data={"dataset": "xor"}, net={"hidden": [True]}), "whole numbers"),
        (msg(type="config", data={"dataset": "xor"}, net={"hidden": "8,8"}), "must be a list"),
        (msg(type="config", data={"dataset": "xor", "n": 10**6}), "data.n must be from 8 to 5000"),
        (msg(type="config", data={"dataset": "xor"}, net={"lr": -1}), "net.lr must be from"),
        (msg(type="config", data={"dataset": "xor"}, net={"activation": "swish"}), "unknown net.activation"),
        (msg(type="step", n=0), "n must be from 1"),
        (msg(type="step", n=1.5), "whole number"),
        (msg(type="view", resolution=100000), "resolution must be from 16 to 256"),
        (msg(type="view", t="half"), "t must be a number"),
        (msg(type="view", projection="tsne"), "projection must be one of separating, pca, got 'tsne'"),
        (msg(type="edit", kind="x", layer=0, i=0, j=0, value=1), "kind must be 'w'"),
        (msg(type="edit", kind="w", layer=0, i=0, j=0, value=1e9), "value must be from"),
        (msg(type="edit", kind="w", layer=0, i=0, j=0), "value is missing"),
        (msg(type="add_point", x=0.1, y=0.2, label=42), "label must be from 0 to 9"),
        (msg(type="csv", text=5), "text must be a string"),
        (msg(type="hover", index=-7), "index must be from -1"),
    ],
)
def test_bad_messages_get_one_line(raw, needle):
    with pytest.raises(ProtocolError) as e:
        parse(raw)
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_nan_and_infinity_are_rejected():
    with pytest.raises(ProtocolError, match="must be a number"):
        parse('{"type": "edit", "kind": "w", "layer": 0, "i": 0, "j": 0, "value": NaN}')
    with pytest.raises(ProtocolError, match="must be a number"):
        parse('{"type": "view", "t": Infinity}')


def test_oversized_messages_are_rejected_before_parsing():
    with pytest.raises(ProtocolError, match="message too large"):
        parse("x" * (P.MAX_MESSAGE + 1))
    with pytest.raises(ProtocolError, match="text is too large"):
        parse(msg(type="csv", text="1,2,0\n" * (P.MAX_CSV // 6 + 1)))


def test_edit_and_restore_bodies():
    m = parse(msg(type="edit", kind="b", layer=1, j=3, value=-0.5, seq=7))
    assert m.body == {"kind": "b", "layer": 1, "i": 0, "j": 3, "value": -0.5, "seq": 7}
    assert parse(msg(type="restore", all=True)).body == {"all": True}
    assert parse(msg(type="restore", kind="w", layer=0, i=1, j=2)).body["i"] == 1


def test_limits_are_published():
    lim = P.limits()
    assert lim["max_units"] == P.MAX_UNITS and lim["max_hidden_layers"] == P.MAX_HIDDEN_LAYERS


def test_deeply_nested_json_is_one_line_not_a_recursion_error():
    with pytest.raises(ProtocolError, match="message is nested too deeply"):
        parse('{"type": "view", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")


@pytest.mark.parametrize("states, needle", [
    ([[0.0] * 64, [0.0] * 63], "same number of pixels: state 0 has 64, state 1 has 63"),
    ([[0.0] * 64, []], "list of 1 to 4096 finite numbers"),
    ([[0.0] * 64, [[0.0]]], "list of 1 to 4096 finite numbers"),
])
def test_digits_along_states_of_mixed_length_are_one_line(states, needle):
    with pytest.raises(ProtocolError) as e:
        parse(msg(type="digits_along", states=states))
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_the_one_encoder_sends_non_finite_numbers_as_null_everywhere():
    import numpy as np

    payload = {"a": float("inf"), "b": [1.5, float("nan"), {"c": np.float64(-np.inf)}], "d": (2, np.float64(0.25)), "s": "x"}
    assert json.loads(P.encode(payload)) == {"a": None, "b": [1.5, None, {"c": None}], "d": [2, 0.25], "s": "x"}
    assert P.encode({"type": "frame", "n": 1}) == '{"type":"frame","n":1}'
