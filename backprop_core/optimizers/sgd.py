"""Stochastic gradient descent with optional heavy-ball or Nesterov momentum."""

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
from ._parts import apply_weight_decay


@dataclass(slots=True, kw_only=True)
class SGDState(OptimizerState):
    """SGD record: `momentum_buffer` is None when momentum is 0."""

    momentum_buffer: list[np.ndarray] | None


class SGD(Optimizer):
    """Stochastic gradient descent, as torch.optim.SGD.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g   = grad + weight_decay * param
        b_1 = g,  b_t = momentum * b_{t-1} + (1 - dampening) * g    (if momentum > 0)
        d   = g + momentum * b_t  if nesterov,  else  b_t  (or g without momentum)
        param -= lr * d

    Where frameworks differ: the learning rate stays outside the momentum buffer, as
    in torch. The SGD optimizers of scikit-learn's MLP and of Keras 3 fold it in
    (`v = momentum * v - lr * g`), so there a new learning rate from a schedule
    scales only new gradients, while here it rescales the whole buffer at once.
    The first step copies g into the buffer without dampening, as torch does.
    Nesterov requires momentum > 0 and dampening = 0.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate (torch.optim 2.13.0 default).
    momentum : float in [0, 1], default 0
    dampening : float in [0, 1], default 0
        Fraction of the gradient left out of the buffer update.
    weight_decay : float >= 0, default 0
        L2 penalty added to the gradient.
    nesterov : bool, default False
    """

    def __init__(
        self,
        *,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )
        if self.nesterov and (self.momentum <= 0.0 or self.dampening != 0.0):
            raise ValueError(
                f"Invalid nesterov=True with momentum={momentum!r} and "
                f"dampening={dampening!r}: Nesterov momentum requires momentum > 0 "
                "and dampening = 0."
            )

    def init(self, params: list[np.ndarray]) -> SGDState:
        check_params(params)
        buffers = zeros_like_all(params) if self.momentum > 0.0 else None
        return SGDState(momentum_buffer=buffers, scratch=make_scratch(params, 2))

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: SGDState,
        lr: float,
    ) -> None:
        momentum, dampening = self.momentum, self.dampening
        weight_decay, nesterov = self.weight_decay, self.nesterov
        first_step = state.step == 1
        for i, (param, grad, (grad_buffer, work)) in enumerate(
            zip(params, grads, state.scratch)
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, False, out=grad_buffer
            )
            direction = grad
            if momentum > 0.0:
                buffer = state.momentum_buffer[i]
                if first_step:
                    np.copyto(buffer, grad)
                else:
                    buffer *= momentum
                    np.multiply(grad, 1.0 - dampening, out=work)
                    buffer += work
                direction = buffer
                if nesterov:
                    np.multiply(buffer, momentum, out=work)
                    work += grad
                    direction = work
            np.multiply(direction, lr, out=work)
            param -= work
