"""Learning-rate schedules indexed by optimizer step.

`create(name, lr, total_steps, **kwargs)` returns a callable that maps the number of
optimizer steps already taken (0 for the first step, one step per mini-batch,
never per epoch) to the learning rate for that step. Pass its value to
`Optimizer.step(..., lr=schedule(state.step))`.

Linear warmup can precede any schedule (`warmup_steps=W`). For steps 0..W-1 the
rate rises linearly as `lr * (s + 1) / (W + 1)`, and at step W the inner schedule
starts at its own step 0, i.e. `schedule(s) = inner(s - W)` for s >= W. Every inner
schedule starts at `lr`, so the whole sequence is one arithmetic progression
lr/(W+1), 2 lr/(W+1), ..., W lr/(W+1), lr with no value repeated or skipped at the
handoff and no step at rate 0.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

__all__ = ["create", "names"]


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_rate(name: str, value: object) -> float:
    if not (_is_real(value) and math.isfinite(value) and value >= 0):
        raise ValueError(f"Invalid {name}={value!r}: expected a finite number >= 0.")
    return float(value)


def _check_count(name: str, value: object, minimum: int) -> int:
    valid = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not valid or value < minimum:
        raise ValueError(f"Invalid {name}={value!r}: expected an integer >= {minimum}.")
    return int(value)


def _check_gamma(value: object) -> float:
    if not (_is_real(value) and 0.0 < value <= 1.0):
        raise ValueError(f"Invalid gamma={value!r}: expected a number in (0, 1].")
    return float(value)


class _Schedule:
    """Base of the schedules: validates the step index and provides a repr."""

    def __call__(self, step: int) -> float:
        if step < 0:
            raise ValueError(f"Invalid step={step!r}: expected an integer >= 0.")
        return self._value(step)

    def _value(self, step: int) -> float:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


class Constant(_Schedule):
    """lr at every step."""

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def _value(self, step: int) -> float:
        return self.lr


class StepDecay(_Schedule):
    """lr * gamma ** (step // step_size), as torch.optim.lr_scheduler.StepLR."""

    def __init__(self, lr: float, step_size: int, gamma: float) -> None:
        self.lr = lr
        self.step_size = step_size
        self.gamma = gamma

    def _value(self, step: int) -> float:
        return self.lr * self.gamma ** (step // self.step_size)


class ExponentialDecay(_Schedule):
    """lr * gamma ** step, as torch.optim.lr_scheduler.ExponentialLR.

    gamma applies per optimizer step, so it is usually close to 1.
    """

    def __init__(self, lr: float, gamma: float) -> None:
        self.lr = lr
        self.gamma = gamma

    def _value(self, step: int) -> float:
        return self.lr * self.gamma**step


class CosineDecay(_Schedule):
    """eta_min + (lr - eta_min) * (1 + cos(pi * step / decay_steps)) / 2.

    This is torch.optim.lr_scheduler.CosineAnnealingLR with T_max = decay_steps
    for steps up to decay_steps. From there on the rate stays at eta_min, where
    torch's schedule would rise again.
    """

    def __init__(self, lr: float, decay_steps: int, eta_min: float) -> None:
        self.lr = lr
        self.decay_steps = decay_steps
        self.eta_min = eta_min

    def _value(self, step: int) -> float:
        if step >= self.decay_steps:
            return self.eta_min
        cosine = math.cos(math.pi * step / self.decay_steps)
        return self.eta_min + (self.lr - self.eta_min) * (1.0 + cosine) / 2.0


class LinearWarmup(_Schedule):
    """Linear warmup in front of another schedule.

    The rate is lr * (step + 1) / (warmup_steps + 1) for step < warmup_steps and
    `inner(step - warmup_steps)` from then on.
    """

    def __init__(self, inner: _Schedule, lr: float, warmup_steps: int) -> None:
        self.inner = inner
        self.lr = lr
        self.warmup_steps = warmup_steps

    def _value(self, step: int) -> float:
        if step < self.warmup_steps:
            return self.lr * (step + 1) / (self.warmup_steps + 1)
        return self.inner._value(step - self.warmup_steps)


# Schedule name -> (class, required arguments, optional arguments with defaults).
# Every class takes lr first. CosineDecay also takes decay_steps, which `create`
# derives from total_steps.
_SCHEDULES: dict[str, tuple[type[_Schedule], tuple[str, ...], dict[str, object]]] = {
    "constant": (Constant, (), {}),
    "step": (StepDecay, ("step_size",), {"gamma": 0.1}),
    "exponential": (ExponentialDecay, ("gamma",), {}),
    "cosine": (CosineDecay, (), {"eta_min": 0.0}),
}

_ARGUMENT_CHECKS = {
    "step_size": lambda value: _check_count("step_size", value, 1),
    "gamma": _check_gamma,
    "eta_min": lambda value: _check_rate("eta_min", value),
}


def names() -> list[str]:
    """Return the schedule names that `create` accepts."""
    return list(_SCHEDULES)


def create(
    name: str,
    lr: float,
    total_steps: int | None = None,
    *,
    warmup_steps: int = 0,
    **kwargs: object,
) -> Callable[[int], float]:
    """Create the schedule `name`, a callable from step index to learning rate.

    Parameters
    ----------
    name : {"constant", "step", "exponential", "cosine"}
    lr : float >= 0
        Peak learning rate: the value at the first step after warmup.
    total_steps : int >= 1, optional
        Number of optimizer steps in the whole run, warmup included. Required by
        "cosine", which decays over the `total_steps - warmup_steps` steps after
        warmup and reaches eta_min at index total_steps. The other schedules
        ignore it apart from checking that warmup fits in it.
    warmup_steps : int >= 0, default 0
        Number of linear warmup steps before the named schedule starts.
    **kwargs
        step: step_size (int >= 1, required), gamma (in (0, 1], default 0.1).
        exponential: gamma (in (0, 1], required).
        cosine: eta_min (in [0, lr], default 0).

    Raises
    ------
    ValueError
        For an unknown name, a missing or unknown argument, or an invalid value.
        The message names the argument and echoes the value.
    """
    if name not in _SCHEDULES:
        raise ValueError(
            f"Unknown schedule {name!r}. Valid names: {', '.join(_SCHEDULES)}."
        )
    schedule_class, required, optional = _SCHEDULES[name]
    lr = _check_rate("lr", lr)
    warmup_steps = _check_count("warmup_steps", warmup_steps, 0)
    if total_steps is not None:
        total_steps = _check_count("total_steps", total_steps, 1)
        if warmup_steps >= total_steps:
            raise ValueError(
                f"Invalid warmup_steps={warmup_steps!r}: expected fewer than "
                f"total_steps={total_steps!r}."
            )
    elif name == "cosine":
        raise ValueError("Missing total_steps: the cosine schedule requires it.")

    arguments = _collect_arguments(name, required, optional, kwargs)
    if "eta_min" in arguments and arguments["eta_min"] > lr:
        raise ValueError(
            f"Invalid eta_min={arguments['eta_min']!r}: expected a value <= lr={lr!r}."
        )
    if name == "cosine":
        arguments["decay_steps"] = total_steps - warmup_steps
    schedule = schedule_class(lr, **arguments)
    if warmup_steps == 0:
        return schedule
    return LinearWarmup(schedule, lr, warmup_steps)


def _collect_arguments(
    name: str, required: tuple[str, ...], optional: dict[str, object], kwargs: dict
) -> dict[str, object]:
    valid = (*required, *optional)
    unknown = [f"{key}={value!r}" for key, value in kwargs.items() if key not in valid]
    if unknown:
        raise ValueError(
            f"Unknown argument(s) {', '.join(unknown)} for schedule {name!r}. "
            f"Valid arguments: {', '.join(('total_steps', 'warmup_steps', *valid))}."
        )
    missing = [key for key in required if key not in kwargs]
    if missing:
        raise ValueError(
            f"Missing {', '.join(missing)}: the {name} schedule requires it."
        )
    arguments = {**optional, **kwargs}
    return {key: _ARGUMENT_CHECKS[key](value) for key, value in arguments.items()}
