"""In-place building blocks shared by the update rules.

Each part writes into arrays that the caller owns and allocates nothing. The
arithmetic follows the operation order of torch.optim 2.13.0's single-tensor code
paths, so float64 results agree with torch to a few units in the last place.
"""

from __future__ import annotations

import numpy as np


def apply_weight_decay(
    param: np.ndarray,
    grad: np.ndarray,
    lr: float,
    weight_decay: float,
    decoupled: bool,
    out: np.ndarray,
) -> np.ndarray:
    """Apply weight decay and return the gradient that the update rule should use.

    Coupled (L2) decay returns `grad + weight_decay * param`, written into `out`, so
    the penalty passes through the moment estimates. Decoupled decay shrinks the
    parameter in place by the factor `1 - lr * weight_decay` and returns `grad`
    unchanged. The caller's `grad` array is never written.
    """
    if weight_decay == 0.0:
        return grad
    if decoupled:
        param *= 1.0 - lr * weight_decay
        return grad
    np.multiply(param, weight_decay, out=out)
    out += grad
    return out


def update_moving_average(
    average: np.ndarray, value: np.ndarray, weight: float, scratch: np.ndarray
) -> None:
    """Move `average` toward `value` in place: average += weight * (value - average).

    With `weight = 1 - beta` this is the exponential moving average
    `beta * average + (1 - beta) * value`, computed like torch's `lerp_`.
    """
    np.subtract(value, average, out=scratch)
    scratch *= weight
    average += scratch


def update_moving_average_of_squares(
    average: np.ndarray, value: np.ndarray, decay: float, scratch: np.ndarray
) -> None:
    """Update `average = decay * average + (1 - decay) * value**2` in place."""
    average *= decay
    np.multiply(value, value, out=scratch)
    scratch *= 1.0 - decay
    average += scratch
