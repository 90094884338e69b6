"""Lion: sign of an interpolated momentum with decoupled weight decay."""

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
from ._parts import apply_weight_decay, update_moving_average


@dataclass(slots=True, kw_only=True)
class LionState(OptimizerState):
    """Lion record: the momentum per parameter."""

    exp_avg: list[np.ndarray]


class Lion(Optimizer):
    """Lion (EvoLved Sign Momentum), from Chen et al. 2023, arXiv:2302.06675.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        param *= 1 - lr * weight_decay
        c      = beta1 * m_{t-1} + (1 - beta1) * g
        param -= lr * sign(c)
        m_t    = beta2 * m_{t-1} + (1 - beta2) * g

    Where frameworks differ: torch.optim 2.13.0 has no Lion. The defaults follow
    the lion-pytorch package (lr 1e-4, weight decay 0), while Keras 3 defaults to
    lr 1e-3. Every coordinate moves by exactly lr (0 where c is 0), which is why
    the authors suggest a learning rate 3 to 10 times smaller than AdamW's. The step
    uses beta1 and the stored momentum uses beta2. There is no eps and no bias
    correction. Weight decay is decoupled and scaled by lr, as in AdamW.

    Parameters
    ----------
    lr : float, default 1e-4
    betas : (float, float), each in [0, 1), default (0.9, 0.99)
        Interpolation weight of the step and decay of the stored momentum.
    weight_decay : float >= 0, default 0
    """

    def __init__(
        self,
        *,
        lr: float = 1e-4,
        betas: tuple[float, float] = (0.9, 0.99),
        weight_decay: float = 0.0,
    ) -> None:
        self._set_hyperparameters(lr=lr, betas=betas, weight_decay=weight_decay)

    def init(self, params: list[np.ndarray]) -> LionState:
        check_params(params)
        return LionState(
            exp_avg=zeros_like_all(params), scratch=make_scratch(params, 1)
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: LionState,
        lr: float,
    ) -> None:
        beta1, beta2 = self.betas
        weight_decay = self.weight_decay
        for param, grad, exp_avg, (work,) in zip(
            params, grads, state.exp_avg, state.scratch
        ):
            apply_weight_decay(param, grad, lr, weight_decay, True, out=work)
            np.subtract(grad, exp_avg, out=work)
            work *= 1.0 - beta1
            work += exp_avg
            np.sign(work, out=work)
            work *= lr
            param -= work
            update_moving_average(exp_avg, grad, 1.0 - beta2, work)
