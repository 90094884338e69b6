"""In-place building blocks shared by the update rules.

Each part writes into arrays that the caller owns and allocates nothing. Each
computes the formula of one or two in-place tensor operations of torch.optim
2.13.0's single-tensor code paths, named in its docstring. torch's CPU kernels
round some of these formulas differently (`addcdiv_` multiplies before it divides,
for example), so float64 results agree with torch to about 1e-12 relative over the
30-step trajectories that tests/test_optimizers.py checks, not bit for bit.
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
    `beta * average + (1 - beta) * value`, the formula of torch's
    `average.lerp_(value, weight)`.
    """
    np.subtract(value, average, out=scratch)
    scratch *= weight
    average += scratch


def update_moving_average_of_squares(
    average: np.ndarray, value: np.ndarray, decay: float, scratch: np.ndarray
) -> None:
    """Update `average = decay * average + (1 - decay) * value**2` in place.

    This is the formula of torch's
    `average.mul_(decay).addcmul_(value, value, value=1 - decay)`.
    """
    average *= decay
    np.multiply(value, value, out=scratch)
    scratch *= 1.0 - decay
    average += scratch


def add_scaled_quotient(
    param: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    scale: float,
    out: np.ndarray,
) -> None:
    """Add `scale * numerator / denominator` to `param` in place.

    This is the formula of torch's
    `param.addcdiv_(numerator, denominator, value=scale)`, which multiplies before it
    divides and so can differ in the last place. `out` receives the scaled quotient
    and may be `numerator` or `denominator`, but not `param`.
    """
    np.divide(numerator, denominator, out=out)
    out *= scale
    param += out
