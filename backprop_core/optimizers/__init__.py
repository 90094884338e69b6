"""Optimizers looked up by name, with torch.optim's hyperparameter names and defaults.

Usage, with `model` a backprop_core.model.Sequential::

    opt = optimizers.create("adam", lr=1e-2)
    state = opt.init(model.params)
    opt.step(model.params, model.grads, state)  # updates model.params in place
"""

from __future__ import annotations

from ._base import Optimizer, OptimizerState
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, Adamax, AdamW, NAdam, RAdam
from .lion import Lion
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Lion",
    "NAdam",
    "Optimizer",
    "OptimizerState",
    "RAdam",
    "RMSprop",
    "create",
    "defaults",
    "names",
]

# Registry name -> (class, preset hyperparameters). A preset replaces the class
# default, and explicit hyperparameters passed to `create` replace the preset.
_REGISTRY: dict[str, tuple[type[Optimizer], dict[str, object]]] = {
    "sgd": (SGD, {}),
    "momentum": (SGD, {"momentum": 0.9}),
    "nesterov": (SGD, {"momentum": 0.9, "nesterov": True}),
    "rmsprop": (RMSprop, {}),
    "adagrad": (Adagrad, {}),
    "adadelta": (Adadelta, {}),
    "adam": (Adam, {}),
    "adamw": (AdamW, {}),
    "adamax": (Adamax, {}),
    "nadam": (NAdam, {}),
    "radam": (RAdam, {}),
    "lion": (Lion, {}),
}


def names() -> list[str]:
    """Return the registered optimizer names, in registry order."""
    return list(_REGISTRY)


def _lookup(name: str) -> tuple[type[Optimizer], dict[str, object]]:
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown optimizer {name!r}. Valid names: {', '.join(_REGISTRY)}."
        ) from None


def defaults(name: str) -> dict[str, object]:
    """Return the hyperparameters of optimizer `name` mapped to their defaults.

    The dict includes `lr`, and for the `momentum` and `nesterov` shortcuts it
    contains their preset values. Raises ValueError for an unknown name.
    """
    cls, preset = _lookup(name)
    return {**cls.default_hyperparameters(), **preset}


def create(name: str, **hyperparameters: object) -> Optimizer:
    """Create the optimizer registered as `name`.

    Hyperparameters use torch.optim's names, and omitted ones take the values of
    `defaults(name)`.

    Raises
    ------
    ValueError
        For an unknown optimizer name (the message lists the valid names), for a
        hyperparameter that this optimizer does not have (the message lists the
        valid ones), or for an invalid value (the message names the
        hyperparameter and its valid range).
    """
    cls, preset = _lookup(name)
    valid = cls.default_hyperparameters()
    unknown = [
        f"{key}={value!r}" for key, value in hyperparameters.items() if key not in valid
    ]
    if unknown:
        raise ValueError(
            f"Unknown hyperparameter(s) {', '.join(unknown)} for optimizer "
            f"{name!r}. Valid hyperparameters: {', '.join(valid)}."
        )
    return cls(**{**preset, **hyperparameters})
