"""Your own PyTorch model as a Trace: one snapshot (:func:`from_torch`) or your
own training loop recorded as it runs (:class:`Recorder`).

netwarp reads any ``torch.nn.Module`` whose forward pass is a chain of layers it
can show, from what the forward actually does (one run with hooks, see
:mod:`netwarp.torch.reading`): subclasses, nested blocks, ``torch.compile``'s
wrapper, a module called twice (two layers, the same weights), a shared
activation. It takes ``Linear`` layers, the activations ``ReLU``, ``Tanh``,
``Sigmoid``, ``LeakyReLU`` (slope 0.01), ``Softplus`` (beta 1), ``GELU`` (exact),
``SiLU``, ``ELU`` (alpha 1), one per hidden layer and each its own (also as
``torch.relu`` & co. in a forward); ``Dropout`` (identity: netwarp records the
model as it predicts, in eval mode); ``BatchNorm1d`` (folded into its Linear with
its running statistics, exact in eval mode); ``Identity``; a leading ``Flatten``;
a final ``Softmax``/``LogSoftmax`` (dropped, with a warning: the probabilities are
the same); and one output logit for two classes (``BCEWithLogitsLoss``), recorded
as the two logits ``[0, z]``. Anything else (a residual, a branch, a convolution)
is refused in one line naming the module by its dotted path.

Every reading is checked: netwarp's float64 forward pass of what it read must give
the model's own float64 outputs, or it raises. The weights are read on the CPU as
float64 (a float32 model's outputs agree with torch's own to float32 precision),
the model is never moved or converted, and its training mode is restored. Torch is
imported only here, only when used: ``import netwarp`` never imports it (extra
``netwarp[torch]``).
"""

from .reading import Reading, read
from .recorder import Recorder, from_torch

__all__ = ["Reading", "Recorder", "from_torch", "read"]
