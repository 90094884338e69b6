"""Adagrad: per-coordinate steps scaled by the accumulated squared gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._base import (
    Optimizer,
    OptimizerState,
    check_hyperparameter,
    check_params,
    make_scratch,
)
from ._parts import apply_weight_decay


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
        self.lr = check_hyperparameter("lr", lr)
        self.lr_decay = check_hyperparameter("lr_decay", lr_decay)
        self.weight_decay = check_hyperparameter("weight_decay", weight_decay)
        self.initial_accumulator_value = check_hyperparameter(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = check_hyperparameter("eps", eps)

    def init(self, params: list[np.ndarray]) -> AdagradState:
        check_params(params)
        sums = [np.full_like(p, self.initial_accumulator_value) for p in params]
        return AdagradState(sum=sums, scratch=make_scratch(params, 2))

    def step(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdagradState,
        lr: float | None = None,
    ) -> None:
        lr = self.lr if lr is None else lr
        state.step += 1
        step_size = lr / (1.0 + (state.step - 1) * self.lr_decay)
        for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
            grad_buffer, work = state.scratch[i]
            grad = apply_weight_decay(
                param, grad, lr, self.weight_decay, False, out=grad_buffer
            )
            squared_sum = state.sum[i]
            np.multiply(grad, grad, out=work)
            squared_sum += work
            np.sqrt(squared_sum, out=work)
            work += self.eps
            np.divide(grad, work, out=work)
            work *= step_size
            param -= work
