"""Adam and its variants: AdamW, Adamax, NAdam and RAdam."""

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
class AdamState(OptimizerState):
    """Adam record: `max_exp_avg_sq` is None unless amsgrad is on (Adam, AdamW).

    NAdam and RAdam use this record too, without `max_exp_avg_sq`.
    """

    exp_avg: list[np.ndarray]
    exp_avg_sq: list[np.ndarray]
    max_exp_avg_sq: list[np.ndarray] | None = None


@dataclass(slots=True, kw_only=True)
class NAdamState(AdamState):
    """NAdam record: adds the running product of the momentum schedule."""

    mu_product: float = 1.0


@dataclass(slots=True, kw_only=True)
class AdamaxState(OptimizerState):
    """Adamax record: first moment and the exponentially weighted infinity norm."""

    exp_avg: list[np.ndarray]
    exp_inf: list[np.ndarray]


class _AdamFamily(Optimizer):
    """State set-up shared by Adam, NAdam and RAdam, which keep both moments.

    Subclasses choose their state record with `_state_class`. Their steps apply weight
    decay and update the moments with the same three parts from `_parts`, called
    inline in the loop over parameters rather than through one helper method, because
    every extra Python call per parameter slows a step measurably.
    """

    _state_class: type[AdamState] = AdamState

    def init(self, params: list[np.ndarray]) -> AdamState:
        check_params(params)
        return self._state_class(
            exp_avg=zeros_like_all(params),
            exp_avg_sq=zeros_like_all(params),
            scratch=make_scratch(params, 2),
        )


class Adam(_AdamFamily):
    """Adam, as torch.optim.Adam.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g   = grad + weight_decay * param         (decoupled_weight_decay=False)
        param *= 1 - lr * weight_decay            (decoupled_weight_decay=True)
        m_t = beta1 * m_{t-1} + (1 - beta1) * g
        v_t = beta2 * v_{t-1} + (1 - beta2) * g**2
        u_t = max(u_{t-1}, v_t) if amsgrad, else v_t
        param -= lr / (1 - beta1**t) * m_t / (sqrt(u_t / (1 - beta2**t)) + eps)

    Where frameworks differ: eps is added outside the square root and after the bias
    correction of the second moment, as in torch. TensorFlow 1's AdamOptimizer adds
    it before the correction (the "epsilon hat" of Kingma and Ba), which makes it
    larger in the first steps. By default weight decay is an L2 term in the
    gradient, so it passes through both moments. The AMSGrad maximum is taken over
    the uncorrected v_t.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate (torch.optim 2.13.0 default).
    betas : (float, float), each in [0, 1), default (0.9, 0.999)
        Decay of the first and second moment.
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 0
    amsgrad : bool, default False
    decoupled_weight_decay : bool, default False
        Shrink the parameter instead of adding an L2 term, which makes this AdamW.
    """

    def __init__(
        self,
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            decoupled_weight_decay=decoupled_weight_decay,
        )

    def init(self, params: list[np.ndarray]) -> AdamState:
        state = super().init(params)
        if self.amsgrad:
            state.max_exp_avg_sq = zeros_like_all(params)
        return state

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdamState,
        lr: float,
    ) -> None:
        beta1, beta2 = self.betas
        step_size = lr / (1.0 - beta1**state.step)
        bias_correction2_sqrt = (1.0 - beta2**state.step) ** 0.5
        eps, amsgrad = self.eps, self.amsgrad
        weight_decay, decoupled = self.weight_decay, self.decoupled_weight_decay
        for i, (param, grad, exp_avg, exp_avg_sq, (grad_buffer, work)) in enumerate(
            zip(params, grads, state.exp_avg, state.exp_avg_sq, state.scratch)
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, decoupled, out=grad_buffer
            )
            update_moving_average(exp_avg, grad, 1.0 - beta1, work)
            update_moving_average_of_squares(exp_avg_sq, grad, beta2, work)
            second_moment = exp_avg_sq
            if amsgrad:
                second_moment = state.max_exp_avg_sq[i]
                np.maximum(second_moment, exp_avg_sq, out=second_moment)

            np.sqrt(second_moment, out=work)
            work /= bias_correction2_sqrt
            work += eps
            add_scaled_quotient(param, exp_avg, work, -step_size, out=work)


class AdamW(Adam):
    """AdamW, as torch.optim.AdamW: Adam with decoupled weight decay.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        param *= 1 - lr * weight_decay
        then the Adam update of param with the raw gradient g = grad

    Where frameworks differ: the decay is applied to the parameter before the moment
    update and never enters m_t or v_t. The shrink factor contains lr, as in torch,
    so a learning-rate schedule scales the decay as well. The default weight_decay
    is 1e-2 (torch); the rest matches Adam, including eps and amsgrad.

    Parameters
    ----------
    lr : float, default 1e-3
    betas : (float, float), each in [0, 1), default (0.9, 0.999)
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 1e-2
    amsgrad : bool, default False
    """

    def __init__(
        self,
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            decoupled_weight_decay=True,
        )


class Adamax(Optimizer):
    """Adamax, as torch.optim.Adamax: Adam with an infinity norm in the denominator.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g   = grad + weight_decay * param
        m_t = beta1 * m_{t-1} + (1 - beta1) * g
        u_t = max(beta2 * u_{t-1}, |g| + eps)
        param -= lr / (1 - beta1**t) * m_t / u_t

    Where frameworks differ: eps is added to |g| inside the maximum, as in torch, so
    u_t never falls below eps. Placing it in the denominator instead (u_t + eps)
    gives slightly different steps. Only the first moment is bias corrected.

    Parameters
    ----------
    lr : float, default 2e-3
        Learning rate (torch.optim 2.13.0 default).
    betas : (float, float), each in [0, 1), default (0.9, 0.999)
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 0
        L2 penalty added to the gradient.
    """

    def __init__(
        self,
        *,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        self._set_hyperparameters(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay
        )

    def init(self, params: list[np.ndarray]) -> AdamaxState:
        check_params(params)
        return AdamaxState(
            exp_avg=zeros_like_all(params),
            exp_inf=zeros_like_all(params),
            scratch=make_scratch(params, 2),
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdamaxState,
        lr: float,
    ) -> None:
        beta1, beta2 = self.betas
        step_size = lr / (1.0 - beta1**state.step)
        eps, weight_decay = self.eps, self.weight_decay
        for param, grad, exp_avg, exp_inf, (grad_buffer, work) in zip(
            params, grads, state.exp_avg, state.exp_inf, state.scratch
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, False, out=grad_buffer
            )
            update_moving_average(exp_avg, grad, 1.0 - beta1, work)
            exp_inf *= beta2
            np.abs(grad, out=work)
            work += eps
            np.maximum(exp_inf, work, out=exp_inf)
            add_scaled_quotient(param, exp_avg, exp_inf, -step_size, out=work)


class NAdam(_AdamFamily):
    """NAdam, as torch.optim.NAdam: Adam with Nesterov momentum (Dozat, 2016).

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g      = grad + weight_decay * param      (decoupled_weight_decay=False)
        param *= 1 - lr * weight_decay            (decoupled_weight_decay=True)
        mu_t   = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))
        P_t    = mu_1 * ... * mu_t
        m_t    = beta1 * m_{t-1} + (1 - beta1) * g
        v_t    = beta2 * v_{t-1} + (1 - beta2) * g**2
        d      = sqrt(v_t / (1 - beta2**t)) + eps
        param -= lr * (1 - mu_t) / (1 - P_t) * g / d
        param -= lr * mu_{t+1} / (1 - P_t * mu_{t+1}) * m_t / d

    Where frameworks differ: the momentum schedule mu_t advances with t, so it
    depends on the number of mini-batches seen, not on epochs. The moments use the
    constant beta1 while the look-ahead uses mu_t. eps is added outside the square
    root, after the bias correction of v_t. P_t is kept as a float64 Python float,
    while torch keeps it in a tensor of its default dtype, so under torch's float32
    default P_t is rounded to float32 at every step.

    Parameters
    ----------
    lr : float, default 2e-3
        Learning rate (torch.optim 2.13.0 default).
    betas : (float, float), each in [0, 1), default (0.9, 0.999)
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 0
    momentum_decay : float >= 0, default 4e-3
        The psi of the momentum schedule mu_t.
    decoupled_weight_decay : bool, default False
        Shrink the parameter instead of adding an L2 term (NAdamW).
    """

    _state_class = NAdamState

    def __init__(
        self,
        *,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: NAdamState,
        lr: float,
    ) -> None:
        beta1, beta2 = self.betas
        t = state.step
        bias_correction2 = 1.0 - beta2**t
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * self.momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * self.momentum_decay)))
        state.mu_product *= mu
        mu_product_next = state.mu_product * mu_next
        grad_scale = -lr * (1.0 - mu) / (1.0 - state.mu_product)
        exp_avg_scale = (-lr * mu_next) / (1.0 - mu_product_next)
        eps = self.eps
        weight_decay, decoupled = self.weight_decay, self.decoupled_weight_decay
        for param, grad, exp_avg, exp_avg_sq, (grad_buffer, work) in zip(
            params, grads, state.exp_avg, state.exp_avg_sq, state.scratch
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, decoupled, out=grad_buffer
            )
            update_moving_average(exp_avg, grad, 1.0 - beta1, work)
            update_moving_average_of_squares(exp_avg_sq, grad, beta2, work)

            np.divide(exp_avg_sq, bias_correction2, out=work)
            np.sqrt(work, out=work)
            work += eps
            # grad_buffer is free once the moments are updated, even when it
            # contains the decayed gradient, because the division reads it first.
            add_scaled_quotient(param, grad, work, grad_scale, out=grad_buffer)
            add_scaled_quotient(param, exp_avg, work, exp_avg_scale, out=grad_buffer)


class RAdam(_AdamFamily):
    """RAdam, as torch.optim.RAdam: Adam with a rectified adaptive learning rate.

    Update rule at step t = 1, 2, ... (t counts optimizer steps, one per mini-batch)::

        g       = grad + weight_decay * param     (decoupled_weight_decay=False)
        param  *= 1 - lr * weight_decay           (decoupled_weight_decay=True)
        m_t     = beta1 * m_{t-1} + (1 - beta1) * g
        v_t     = beta2 * v_{t-1} + (1 - beta2) * g**2
        rho_inf = 2 / (1 - beta2) - 1
        rho_t   = rho_inf - 2 t beta2**t / (1 - beta2**t)
        r_t     = sqrt((rho_t - 4)(rho_t - 2) rho_inf
                       / ((rho_inf - 4)(rho_inf - 2) rho_t))
        if rho_t > 5:
            param -= lr * m_t / (1 - beta1**t)
                     * r_t * sqrt(1 - beta2**t) / (sqrt(v_t) + eps)
        else:
            param -= lr * m_t / (1 - beta1**t)

    Where frameworks differ: the switch to the rectified step at rho_t > 5 follows
    torch. Until then the update is bias-corrected momentum SGD. With the default
    beta2 = 0.999 the switch happens at t = 6. eps is added to sqrt(v_t) before the
    bias correction of v_t, unlike Adam, which adds it after.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate (torch.optim 2.13.0 default).
    betas : (float, float), each in [0, 1), default (0.9, 0.999)
    eps : float >= 0, default 1e-8
    weight_decay : float >= 0, default 0
    decoupled_weight_decay : bool, default False
        Shrink the parameter instead of adding an L2 term.
    """

    def __init__(
        self,
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
    ) -> None:
        self._set_hyperparameters(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: AdamState,
        lr: float,
    ) -> None:
        beta1, beta2 = self.betas
        t = state.step
        bias_correction1 = 1.0 - beta1**t
        bias_correction2 = 1.0 - beta2**t
        bias_correction2_sqrt = bias_correction2**0.5
        rectification = _radam_rectification(beta2, t, bias_correction2)
        eps = self.eps
        weight_decay, decoupled = self.weight_decay, self.decoupled_weight_decay
        for param, grad, exp_avg, exp_avg_sq, (grad_buffer, work) in zip(
            params, grads, state.exp_avg, state.exp_avg_sq, state.scratch
        ):
            grad = apply_weight_decay(
                param, grad, lr, weight_decay, decoupled, out=grad_buffer
            )
            update_moving_average(exp_avg, grad, 1.0 - beta1, work)
            update_moving_average_of_squares(exp_avg_sq, grad, beta2, work)

            # grad_buffer is free from here on, because the moments are updated.
            update = grad_buffer
            np.divide(exp_avg, bias_correction1, out=update)
            update *= lr
            if rectification is not None:
                np.sqrt(exp_avg_sq, out=work)
                work += eps
                np.divide(bias_correction2_sqrt, work, out=work)
                update *= work
                update *= rectification
            param -= update


def _radam_rectification(beta2: float, t: int, bias_correction2: float) -> float | None:
    """Return RAdam's r_t at step t, or None while rho_t <= 5 (no adaptive step)."""
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * t * (beta2**t) / bias_correction2
    if rho_t <= 5.0:
        return None
    numerator = (rho_t - 4.0) * (rho_t - 2.0) * rho_inf
    return (numerator / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)) ** 0.5
