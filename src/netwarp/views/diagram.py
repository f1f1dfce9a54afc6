"""The network diagram's layout and the training curves, as plain arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..trace import Trace
from .needs import need_weights


@dataclass(frozen=True)
class Diagram:
    """Nodes laid out in ``[0, 1]^2`` (layers left to right) and weighted edges.

    Attributes
    ----------
    nodes : ndarray of shape (n_nodes, 4)
        Columns ``layer, unit, x, y``.
    biases : ndarray of shape (n_nodes,)
        The node's bias (0 for input nodes).
    edges : ndarray of shape (n_edges, 4)
        Columns ``layer, i, j, weight``: ``W_layer[i, j]`` from unit ``i`` of
        layer ``layer`` to unit ``j`` of layer ``layer + 1``.
    """

    nodes: np.ndarray
    biases: np.ndarray
    edges: np.ndarray


def diagram(trace: Trace, snapshot: int = -1, theta: np.ndarray | None = None) -> Diagram:
    """Layout of the network with the weights and biases at a snapshot.

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """
    need_weights(trace, "the network diagram")
    sizes = trace.arch.sizes
    theta = trace.theta(snapshot) if theta is None else theta
    layers = trace.arch.unflatten(theta)
    nodes, biases = [], []
    for layer, width in enumerate(sizes):
        x = layer / (len(sizes) - 1)
        for u in range(width):
            nodes.append((layer, u, x, (u + 0.5) / width))
            biases.append(0.0 if layer == 0 else layers[layer - 1][1][u])
    edges = [
        (layer, i, j, W[i, j]) for layer, (W, _) in enumerate(layers) for i in range(W.shape[0]) for j in range(W.shape[1])
    ]
    return Diagram(np.array(nodes, dtype=float), np.array(biases), np.array(edges, dtype=float).reshape(-1, 4))


def training_curves(trace: Trace) -> dict[str, np.ndarray]:
    """``steps``, ``train_loss``, ``test_loss``, ``train_acc``, ``test_acc``, each ``(n_snapshots,)``."""
    m = trace.metrics
    return {
        "steps": trace.steps,
        "train_loss": m[:, 0],
        "test_loss": m[:, 1],
        "train_acc": m[:, 2],
        "test_acc": m[:, 3],
    }
