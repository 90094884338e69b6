"""Adagrad: per-coordinate steps scaled by the accumulated squared gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._base import (
    Optimizer,
    OptimizerState,
    check_params,
    make_scratch,
)
from ._parts import add_scaled_quotient, apply_weight_decay


@dataclass(slots=True, kw_only=True)
class AdagradState(OptimizerState):
    """Adagrad record: the running sum of squared gradients per parameter."""

    sum: list[np.ndarray]


class Adagrad(Optimizer):
    """Adagrad, as torch.optim.Adagrad.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g     = grad + weight_decay * param
        lr_t  = lr / (1 + (t - 1) * lr_decay)
        s_t   = s_{t-1} + g**2,   s_0 = initial_accumulator_value
        param -= lr_t * g / (sqrt(s_t) + eps)

    Where frameworks differ: eps is added outside the square root, as in torch,
    and the sum starts at 0 by default. tf.keras.optimizers.Adagrad (TF 2) starts
    it at 0.1 with eps = 1e-7, which damps the first steps. `lr_decay` acts per
    optimizer step, not per epoch.

    Parameters
    ----------
    lr : float, default 1e-2
        Learning rate (torch.optim 2.13.0 default).
    lr_decay : float >= 0, default 0
    weight_decay : float >= 0, default 0
        L2 penalty added to the gradient.
    initial_accumulator_value : float >= 0, default 0
    eps : float >= 0, default 1e-10
    """

    def __init__(
        self,
        *,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )

    def init(self, params: list[np.ndarray]) -> AdagradState:
        check_params(params)
        sums = [np.full_like(p, self.initial_accumulator_value) for p in params]
        return AdagradState(sum=sums, scratch=make_scratch(params, 2))

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdagradState,
        lr: float,
    ) -> None:
        step_size = lr / (1.0 + (state.step - 1) * self.lr_decay)
        eps, weight_decay = self.eps, self.weight_decay
        for param, grad, squared_sum, (grad_buffer, work) in zip(
            params, grads, state.sum, state.scratch
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, False, out=grad_buffer
            )
            np.multiply(grad, grad, out=work)
            squared_sum += work
            np.sqrt(squared_sum, out=work)
            work += eps
            add_scaled_quotient(param, grad, work, -step_size, out=work)
