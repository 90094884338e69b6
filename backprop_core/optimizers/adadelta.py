"""Adadelta: steps scaled by the ratio of running RMS of updates and gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._base import (
    Optimizer,
    OptimizerState,
    check_params,
    make_scratch,
    zeros_like_all,
)
from ._parts import apply_weight_decay, update_moving_average_of_squares


@dataclass(slots=True, kw_only=True)
class AdadeltaState(OptimizerState):
    """Adadelta record: running averages of squared gradients and squared updates."""

    square_avg: list[np.ndarray]
    acc_delta: list[np.ndarray]


class Adadelta(Optimizer):
    """Adadelta, as torch.optim.Adadelta.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g     = grad + weight_decay * param
        v_t   = rho * v_{t-1} + (1 - rho) * g**2
        d     = sqrt(u_{t-1} + eps) / sqrt(v_t + eps) * g
        u_t   = rho * u_{t-1} + (1 - rho) * d**2
        param -= lr * d

    Where frameworks differ: eps is added inside both square roots, as in torch,
    so the first step is not 0 but d = sqrt(eps / ((1 - rho) * g**2 + eps)) * g,
    about sqrt(eps / (1 - rho)) * sign(g) where g**2 is much larger than eps. The
    `lr` factor is torch's addition to the rule, and the default lr = 1.0 leaves the
    step unscaled.

    Parameters
    ----------
    lr : float, default 1.0
        Learning rate (torch.optim 2.13.0 default).
    rho : float in [0, 1], default 0.9
    eps : float >= 0, default 1e-6
    weight_decay : float >= 0, default 0
        L2 penalty added to the gradient.
    """

    def __init__(
        self,
        *,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
    ) -> None:
        self._set_hyperparameters(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)

    def init(self, params: list[np.ndarray]) -> AdadeltaState:
        check_params(params)
        return AdadeltaState(
            square_avg=zeros_like_all(params),
            acc_delta=zeros_like_all(params),
            scratch=make_scratch(params, 3),
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdadeltaState,
        lr: float,
    ) -> None:
        rho, eps, weight_decay = self.rho, self.eps, self.weight_decay
        for param, grad, square_avg, acc_delta, (grad_buffer, work, delta) in zip(
            params, grads, state.square_avg, state.acc_delta, state.scratch
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, False, out=grad_buffer
            )
            update_moving_average_of_squares(square_avg, grad, rho, work)
            np.add(square_avg, eps, out=work)
            np.sqrt(work, out=work)
            np.add(acc_delta, eps, out=delta)
            np.sqrt(delta, out=delta)
            delta /= work
            delta *= grad
            update_moving_average_of_squares(acc_delta, delta, rho, work)
            delta *= lr
            param -= delta
