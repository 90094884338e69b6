"""Optimizer base class, state record and the table of valid hyperparameter values."""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


class Interval(NamedTuple):
    """Range of valid values for a numeric hyperparameter."""

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def __contains__(self, value: float) -> bool:
        above_low = value >= self.low if self.low_closed else value > self.low
        below_high = value <= self.high if self.high_closed else value < self.high
        return above_low and below_high

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{self.low:g}, {self.high:g}{right}"


_NON_NEGATIVE = Interval(0.0, math.inf, high_closed=False)
_UNIT = Interval(0.0, 1.0)

# Valid values of every hyperparameter that any optimizer accepts: an Interval for
# numbers, `bool` for flags. The bounds follow the constructor checks of
# torch.optim 2.13.0, with four exceptions that are stricter than torch. Momentum
# is capped at 1 because a larger one makes the buffer grow without bound (torch
# checks only `>= 0`). Dampening is a fraction in [0, 1] (torch does not check it).
# The RMSprop `alpha` is capped at 1 because a larger one gives the new squared
# gradient a negative weight (torch checks only `>= 0`). Hyperparameters without an
# upper bound, such as lr, reject infinity, which torch's `>= 0` checks let through.
VALID_HYPERPARAMETERS: dict[str, Interval | type[bool]] = {
    "lr": _NON_NEGATIVE,
    "eps": _NON_NEGATIVE,
    "weight_decay": _NON_NEGATIVE,
    "momentum": _UNIT,
    "dampening": _UNIT,
    "alpha": _UNIT,
    "rho": _UNIT,
    # Each of the two betas lies in this interval.
    "betas": Interval(0.0, 1.0, high_closed=False),
    "lr_decay": _NON_NEGATIVE,
    "initial_accumulator_value": _NON_NEGATIVE,
    "momentum_decay": _NON_NEGATIVE,
    "nesterov": bool,
    "centered": bool,
    "amsgrad": bool,
    "decoupled_weight_decay": bool,
}


def check_hyperparameter(
    name: str, value: object
) -> float | bool | tuple[float, float]:
    """Validate one hyperparameter against VALID_HYPERPARAMETERS and return it.

    Numbers come back as Python floats and `betas` as a tuple of two floats, so the
    update code never mixes NumPy scalar types into float32 arithmetic.

    Raises
    ------
    ValueError
        If the value has the wrong type or lies outside its valid range. The message
        names the hyperparameter, echoes the value and states the valid values.
    """
    valid = VALID_HYPERPARAMETERS[name]
    if valid is bool:
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"Invalid {name}={value!r}: expected True or False.")
        return bool(value)
    if name == "betas":
        return _check_betas(value, valid)
    return _check_number(name, value, valid)


def _check_number(name: str, value: object, valid: Interval) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.number)
    ):
        raise ValueError(f"Invalid {name}={value!r}: expected a number in {valid}.")
    number = float(value)
    if number not in valid:
        raise ValueError(f"Invalid {name}={value!r}: expected a number in {valid}.")
    return number


def _check_betas(value: object, valid: Interval) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(
            f"Invalid betas={value!r}: expected a pair (beta1, beta2) with each "
            f"beta in {valid}."
        )
    return (
        _check_number("betas[0]", value[0], valid),
        _check_number("betas[1]", value[1], valid),
    )


@dataclass(slots=True, kw_only=True)
class OptimizerState:
    """Optimizer record kept apart from the parameters.

    Subclasses add the per-parameter buffers of their update rule as lists in the
    order of the parameters. `step` is the number of optimizer steps taken so far, one
    per mini-batch. `scratch` contains work arrays, shaped like each parameter, that
    every step reuses so that updates allocate no temporaries. Their contents carry no
    meaning between steps.
    """

    step: int = 0
    scratch: list[tuple[np.ndarray, ...]] = field(default_factory=list, repr=False)


def make_scratch(params: list[np.ndarray], count: int) -> list[tuple[np.ndarray, ...]]:
    """Allocate `count` work arrays per parameter, with its shape and dtype."""
    return [tuple(np.empty_like(param) for _ in range(count)) for param in params]


def zeros_like_all(params: list[np.ndarray]) -> list[np.ndarray]:
    """Allocate one zero buffer per parameter, with its shape and dtype."""
    return [np.zeros_like(param) for param in params]


def check_step_arguments(
    params: list[np.ndarray], grads: list[np.ndarray], state: OptimizerState
) -> None:
    """Raise ValueError unless there is one gradient and one state entry per parameter.

    `Optimizer.step` calls this before the update rule touches any array, so a
    mismatched call leaves the parameters and the state as they were.
    """
    if not len(params) == len(grads) == len(state.scratch):
        raise ValueError(
            f"Invalid step arguments: {len(params)} params, {len(grads)} grads and a "
            f"state initialized for {len(state.scratch)} params. Pass one gradient per "
            "parameter, and the same parameters that were passed to init()."
        )


def check_params(params: list[np.ndarray]) -> None:
    """Raise ValueError unless every parameter is a floating-point ndarray."""
    for index, param in enumerate(params):
        if not isinstance(param, np.ndarray) or not np.issubdtype(
            param.dtype, np.floating
        ):
            raise ValueError(
                f"Invalid params[{index}]: expected a floating-point numpy.ndarray, "
                f"got {type(param).__name__} "
                f"with dtype {getattr(param, 'dtype', None)}."
            )


class Optimizer:
    """Base class of the update rules.

    A subclass validates its hyperparameters in `__init__`, whose keyword defaults are
    the single source of `default_hyperparameters()`. `init(params)` returns a fresh
    OptimizerState and `step(params, grads, state, lr=None)` updates every parameter
    array in place and increments `state.step`. A given `lr` replaces the constructor's
    `lr` for that step only, which is how learning-rate schedules are applied.
    Subclasses implement the update rule in `_update`, which `step` calls after the
    argument check and the step count.
    """

    lr: float

    @classmethod
    def default_hyperparameters(cls) -> dict[str, object]:
        """Return the constructor's hyperparameter names mapped to their defaults."""
        signature = inspect.signature(cls.__init__)
        return {
            name: parameter.default
            for name, parameter in signature.parameters.items()
            if name != "self"
        }

    def _set_hyperparameters(self, **values: object) -> None:
        """Validate each value with `check_hyperparameter` and store it as an attribute.

        Values are checked in the order given, so the first invalid one raises.
        """
        for name, value in values.items():
            setattr(self, name, check_hyperparameter(name, value))

    def hyperparameters(self) -> dict[str, object]:
        """Return this instance's hyperparameter values, keyed like the constructor."""
        return {name: getattr(self, name) for name in self.default_hyperparameters()}

    def init(self, params: list[np.ndarray]) -> OptimizerState:
        raise NotImplementedError

    def step(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: OptimizerState,
        lr: float | None = None,
    ) -> None:
        """Update every parameter array in place and increment `state.step`.

        `lr` replaces the constructor's learning rate for this step only. Raises
        ValueError, before any array changes, unless there is one gradient and one
        state entry per parameter.
        """
        check_step_arguments(params, grads, state)
        state.step += 1
        self._update(params, grads, state, self.lr if lr is None else lr)

    def _update(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray],
        state: OptimizerState,
        lr: float,
    ) -> None:
        """Apply the update rule of step `state.step`, already counted, with rate lr."""
        raise NotImplementedError

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({arguments})"
