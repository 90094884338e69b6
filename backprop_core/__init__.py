"""NumPy backpropagation engine: layers, activations, losses and the training loop.

Optimizers and learning-rate schedules live in `backprop_core.optimizers` and
`backprop_core.schedules`.
"""

from backprop_core import activations, layers, losses, model, training
from backprop_core.layers import Dense
from backprop_core.model import Sequential, build_mlp
from backprop_core.training import (
    STATUS_DIVERGED,
    STATUS_OK,
    STATUS_TIMEOUT,
    DivergenceWarning,
    TrainResult,
    train,
)

__all__ = [
    "activations",
    "layers",
    "losses",
    "model",
    "training",
    "Dense",
    "Sequential",
    "build_mlp",
    "STATUS_OK",
    "STATUS_DIVERGED",
    "STATUS_TIMEOUT",
    "DivergenceWarning",
    "TrainResult",
    "train",
]
