"""What each view shows and the math behind it, in the algebra view's notation
(``l_k`` a layer, ``W_k``/``b_k`` the weights into layer ``k+1``, ``f`` the activation).

One table, read by the playground's "(?)" buttons (sent to the page in the hello
message) and by the report's sections, so both explain a view in the same words.
"""

from __future__ import annotations

from .unseen import RARE_SHARE

#: View name -> (title, explanation). Every view of the playground and the report has a row.
HELP: dict[str, tuple[str, str]] = {
    "field": ("Decision boundary", (
        "The input plane l0, coloured by the class the network predicts at each point: argmax of softmax(l_L) where "
        "l_L is the output layer's logits. The shade is how sure it is (the winning probability). Filled dots are "
        "training points, hollow ones test points.")),
    "hidden": ("Hidden space", (
        "One layer's values l_k = f(l_(k-1) W_(k-1) + b_(k-1)) for every point, drawn in that layer's own coordinates. "
        "The grey lines are a grid of the input plane pushed through the same formula, so you see how the layer "
        "stretched, squished and folded space. 3 units are drawn in 3D; wider layers along the direction the next "
        "layer separates the classes (the separating line is drawn) or by PCA.")),
    "morph": ("Morph", (
        "The path from the input to a layer: t runs through the layers, and each step from l_k to l_(k+1) is split in "
        "three: the linear map l_k W_k, the shift + b_k, then the activation f. Whole numbers of t are exact layers.")),
    "diagram": ("Network", (
        "Each line is one weight W_k[i, j] from unit i of layer k to unit j of layer k+1: orange negative, blue "
        "positive, thicker for larger |w| (relative to the largest in its layer). Each unit is filled by its bias b_k[j]; "
        "its tile shows its value over the input plane. Click a line or unit to change that number.")),
    "curves": ("Loss and accuracy", (
        "The cross-entropy loss -mean(log softmax(l_L)[y]) (or the mean squared error for a curve) and the accuracy, "
        "on the training points (solid) and the test points (dashed), at every recorded step; log scale for steps.")),
    "probes": ("Linear probe per layer", (
        "For each layer l_k, a logistic regression is fitted on the training points' values in that layer and scored "
        "on the test points: how well a straight line (a hyperplane) splits the classes there.")),
    "fit": ("Regression fit", (
        "For one input x: the network's output l_L(x) over the range, and each last-hidden unit's part of it, "
        "a_j(x) W[j, 0]; with ReLU these are hinges, and they sum (with the bias) exactly to the fit.")),
    "code": ("Shapes, algebra, code", (
        "The same forward pass three ways. Shapes: a point is a row 1 × n_k, W_k a block n_k × n_(k+1), b_k a row of "
        "n_(k+1). Algebra: l_(k+1) = f(l_k W_k + b_k), the last layer without f. Code: the numpy lines that compute it; "
        "the same symbol has the same name in all three.")),
    "weights": ("Weights over training", (
        "Every entry of W_k at every recorded step (a line each, or the spread when there are many), and the histogram of "
        "W_k's entries over time. A layer has settled once ||W_k(end) - W_k(step)|| / ||W_k(end)|| stays under 5%.")),
    "gradients": ("Gradient flow", (
        "||dLoss/dW_k, dLoss/db_k|| for each layer at each recorded step, on the training points, log scale. Gradients "
        "that shrink layer by layer towards the input are vanishing; a unit whose weights get exactly zero gradient "
        "(a dead ReLU) cannot learn.")),
    "filters": ("What each unit looks for", (
        "For each unit j of hidden layer 1, its incoming weights W0[:, j] drawn as an 8x8 image: red pixels raise the "
        "unit's input l0 W0[:, j] + b0[j] when they are inked, blue pixels lower it, white ones do not matter.")),
    "digit": ("One digit through the network", (
        "The image l0, then every hidden layer l_k = f(l_(k-1) W_(k-1) + b_(k-1)) as a grid of cells (red positive, "
        "blue negative), then softmax(l_L): the probability of each class.")),
    "path": ("From one digit to another", (
        "Images on the straight line (1 - t) a + t b between two digits in pixel space, each layer's activations along "
        "it (a row per unit), and the class probabilities; the red line marks where the decision flips.")),
    "saliency": ("Which pixels decide", (
        "The gradient of a class's logit l_L[c] with respect to each pixel (contrastive: of l_L[c] - l_L[d], what makes "
        "it c rather than d), computed by backpropagation through W_k and f; gradient x input beside it weighs it by "
        "the ink. Grey pixels are ones the training images (almost) never ink: pixels blank in every training image "
        f"never trained, their gradient is initial noise, and one inked in a handful of images (under {RARE_SHARE:.0%}) has a weight "
        f"fitted to those few; so they are greyed, not ranked.")),
    "selectivity": ("Which classes drive each unit", (
        "Each unit's mean activation over the test images of each class (pour one class at a time through the "
        "network), units sorted by the class that drives them most.")),
    "groups": ("Groups of units and lesions", (
        "Units clustered by the correlation of their activations over the test images (units that fire together), and "
        "the accuracy on each class left when one group's outputs are set to zero.")),
    "robustness": ("How much perturbation a layer takes", (
        "The fraction of test predictions unchanged when W_k gets noise of size sigma x rms(W_k), one layer at a time, "
        "several random draws per size (the band is their range).")),
    "diagnostics": ("Diagnostics", (
        "Findings computed from the network's numbers: a ReLU unit that is 0 on every training point (dead), a tanh or "
        "sigmoid unit stuck at one end (saturated), first-layer gradients far below the last layer's while still learning "
        "(vanishing), huge gradients or a diverged run (exploding), a loss that keeps jumping back up (oscillating), "
        "layers too narrow for the data's topology, and a train/test gap (overfitting).")),
}


def help_text(view: str) -> tuple[str, str]:
    """``(title, explanation)`` of a view (a key of :data:`HELP`)."""
    return HELP[view]
