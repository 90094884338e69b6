"""RMSprop: gradient scaled by a running root mean square."""

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
from ._parts import (
    add_scaled_quotient,
    apply_weight_decay,
    update_moving_average,
    update_moving_average_of_squares,
)


@dataclass(slots=True, kw_only=True)
class RMSpropState(OptimizerState):
    """RMSprop record: `grad_avg` is None unless centered, `momentum_buffer` None
    unless momentum > 0."""

    square_avg: list[np.ndarray]
    grad_avg: list[np.ndarray] | None
    momentum_buffer: list[np.ndarray] | None


class RMSprop(Optimizer):
    """RMSprop, as torch.optim.RMSprop.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g   = grad + weight_decay * param
        v_t = alpha * v_{t-1} + (1 - alpha) * g**2
        a_t = alpha * a_{t-1} + (1 - alpha) * g        (centered only)
        s   = sqrt(v_t - a_t**2) + eps  if centered,  else  sqrt(v_t) + eps
        b_t = momentum * b_{t-1} + g / s,  param -= lr * b_t    (momentum > 0)
        param -= lr * g / s                                      (momentum = 0)

    Where frameworks differ: eps is added outside the square root and the learning
    rate stays outside the momentum buffer, as in torch. TensorFlow's ApplyRMSProp
    kernel (behind tf.compat.v1.train.RMSPropOptimizer) computes
    `b_t = momentum * b_{t-1} + lr * g / sqrt(v_t + eps)` instead, which changes the
    step noticeably when eps is not tiny compared with v_t. All buffers start at
    zero and there is no bias correction.

    Parameters
    ----------
    lr : float, default 1e-2
        Learning rate (torch.optim 2.13.0 default).
    alpha : float in [0, 1], default 0.99
        Decay of the square average.
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 0
        L2 penalty added to the gradient.
    momentum : float in [0, 1], default 0
    centered : bool, default False
        Divide by an estimate of the gradient's standard deviation instead of its
        root mean square.
    """

    def __init__(
        self,
        *,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )

    def init(self, params: list[np.ndarray]) -> RMSpropState:
        check_params(params)
        return RMSpropState(
            square_avg=zeros_like_all(params),
            grad_avg=zeros_like_all(params) if self.centered else None,
            momentum_buffer=zeros_like_all(params) if self.momentum > 0.0 else None,
            scratch=make_scratch(params, 2),
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: RMSpropState,
        lr: float,
    ) -> None:
        alpha, eps, momentum = self.alpha, self.eps, self.momentum
        weight_decay, centered = self.weight_decay, self.centered
        for i, (param, grad, square_avg, (grad_buffer, work)) in enumerate(
            zip(params, grads, state.square_avg, state.scratch)
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, False, out=grad_buffer
            )
            update_moving_average_of_squares(square_avg, grad, alpha, work)
            if centered:
                grad_avg = state.grad_avg[i]
                update_moving_average(grad_avg, grad, 1.0 - alpha, work)
                np.multiply(grad_avg, grad_avg, out=work)
                np.subtract(square_avg, work, out=work)
                np.sqrt(work, out=work)
            else:
                np.sqrt(square_avg, out=work)
            work += eps
            if momentum > 0.0:
                buffer = state.momentum_buffer[i]
                buffer *= momentum
                np.divide(grad, work, out=work)
                buffer += work
                np.multiply(buffer, lr, out=work)
                param -= work
            else:
                add_scaled_quotient(param, grad, work, -lr, out=work)
