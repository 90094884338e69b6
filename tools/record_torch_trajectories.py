"""Record torch.optim trajectories that tests/test_optimizers.py compares against.

Usage (needs torch==2.13.0, the version the recorded files name)::

    /tmp/venv/bin/python tools/record_torch_trajectories.py [--output DIR]

The script covers every optimizer name of backprop_core.optimizers that torch.optim
implements, which is all but lion. For each setting in SETTINGS it runs torch for
STEPS steps on a fixed float64 parameter of shape SHAPE, with a gradient sequence
that NumPy draws from SEED. It writes one JSON file per optimizer name, containing
the initial parameter, the gradients and the parameter after every step, all
flattened in C order, so the tests need neither torch nor this script.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

SEED = 20250607
STEPS = 30
SHAPE = (3, 2)
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "tests/data/torch_trajectories"

# Optimizer name in backprop_core -> (torch.optim class name, hyperparameters that
# the name presets). The presets are spelled out here rather than read from
# backprop_core, so a wrong preset there shows up as a mismatch.
TORCH_EQUIVALENTS: dict[str, tuple[str, dict[str, object]]] = {
    "sgd": ("SGD", {}),
    "momentum": ("SGD", {"momentum": 0.9}),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "rmsprop": ("RMSprop", {}),
    "adagrad": ("Adagrad", {}),
    "adadelta": ("Adadelta", {}),
    "adam": ("Adam", {}),
    "adamw": ("AdamW", {}),
    "adamax": ("Adamax", {}),
    "nadam": ("NAdam", {}),
    "radam": ("RAdam", {}),
}

# Optimizer name -> setting name -> hyperparameters given to both libraries. The
# "defaults" setting gives none, so each library uses its own defaults. The other
# settings switch on every option and use a larger eps than the default, which makes
# the placement of eps visible in the trajectory.
SETTINGS: dict[str, dict[str, dict[str, object]]] = {
    "sgd": {
        "defaults": {},
        "momentum_dampening": {
            "lr": 0.05,
            "momentum": 0.9,
            "dampening": 0.25,
            "weight_decay": 0.01,
        },
        "nesterov": {
            "lr": 0.05,
            "momentum": 0.8,
            "nesterov": True,
            "weight_decay": 0.01,
        },
    },
    "momentum": {
        "defaults": {},
        "all_options": {"lr": 0.05, "dampening": 0.5, "weight_decay": 0.02},
    },
    "nesterov": {
        "defaults": {},
        "all_options": {"lr": 0.05, "momentum": 0.7, "weight_decay": 0.02},
    },
    "rmsprop": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "alpha": 0.9,
            "eps": 1e-3,
            "weight_decay": 0.01,
            "momentum": 0.5,
            "centered": True,
        },
        "momentum_uncentered": {"lr": 0.01, "eps": 1e-3, "momentum": 0.9},
    },
    "adagrad": {
        "defaults": {},
        "all_options": {
            "lr": 0.1,
            "lr_decay": 0.01,
            "weight_decay": 0.01,
            "initial_accumulator_value": 0.1,
            "eps": 1e-3,
        },
    },
    "adadelta": {
        "defaults": {},
        "all_options": {"lr": 0.5, "rho": 0.8, "eps": 1e-3, "weight_decay": 0.01},
    },
    "adam": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "betas": (0.8, 0.95),
            "eps": 1e-3,
            "weight_decay": 0.01,
            "amsgrad": True,
        },
        "decoupled_weight_decay": {
            "lr": 0.01,
            "betas": (0.8, 0.95),
            "eps": 1e-3,
            "weight_decay": 0.05,
            "amsgrad": True,
            "decoupled_weight_decay": True,
        },
    },
    "adamw": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "betas": (0.8, 0.95),
            "eps": 1e-3,
            "weight_decay": 0.05,
            "amsgrad": True,
        },
    },
    "adamax": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "betas": (0.8, 0.95),
            "eps": 1e-3,
            "weight_decay": 0.01,
        },
    },
    "nadam": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "betas": (0.8, 0.95),
            "eps": 1e-3,
            "weight_decay": 0.05,
            "momentum_decay": 0.01,
            "decoupled_weight_decay": True,
        },
        "l2_weight_decay": {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.01},
    },
    "radam": {
        "defaults": {},
        "all_options": {
            "lr": 0.01,
            "betas": (0.8, 0.99),
            "eps": 1e-3,
            "weight_decay": 0.05,
            "decoupled_weight_decay": True,
        },
        "l2_weight_decay": {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.01},
    },
}


def make_problem(seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Draw the initial parameter, shape SHAPE, and STEPS gradients of that shape.

    Two gradient entries are set to exactly 0, at the first step and at a later
    one, to cover division by a zero second moment and the sign of 0.
    """
    rng = np.random.default_rng(seed)
    initial_param = rng.standard_normal(SHAPE)
    grads = rng.standard_normal((STEPS, *SHAPE))
    grads[0, 0, 0] = 0.0
    grads[7, 2, 1] = 0.0
    return initial_param, grads


def run_torch(
    torch_class: str,
    hyperparameters: dict[str, object],
    initial_param: np.ndarray,
    grads: np.ndarray,
) -> np.ndarray:
    """Run torch.optim.<torch_class> and return the parameter after each step.

    Returns an array of shape (len(grads), *initial_param.shape). The run uses
    float64 as torch's default dtype, so that torch keeps its scalar state (step
    counts, NAdam's momentum product) in float64, and the single-tensor code path
    (foreach=False). The previous default dtype is restored afterwards.
    """
    import torch

    previous_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        param = torch.nn.Parameter(torch.tensor(initial_param, dtype=torch.float64))
        arguments = dict(hyperparameters)
        if "betas" in arguments:
            arguments["betas"] = tuple(arguments["betas"])
        optimizer = getattr(torch.optim, torch_class)(
            [param], foreach=False, **arguments
        )
        trajectory = []
        for grad in grads:
            param.grad = torch.tensor(grad, dtype=torch.float64)
            optimizer.step()
            trajectory.append(param.detach().numpy().copy())
    finally:
        torch.set_default_dtype(previous_dtype)
    return np.stack(trajectory)


def record(name: str, initial_param: np.ndarray, grads: np.ndarray) -> dict:
    """Run every setting of optimizer `name` in torch and return the JSON record."""
    import torch

    torch_class, preset = TORCH_EQUIVALENTS[name]
    settings = []
    for setting_name, hyperparameters in SETTINGS[name].items():
        torch_hyperparameters = {**preset, **hyperparameters}
        trajectory = run_torch(torch_class, torch_hyperparameters, initial_param, grads)
        settings.append(
            {
                "name": setting_name,
                "hyperparameters": hyperparameters,
                "torch_hyperparameters": torch_hyperparameters,
                "trajectory": trajectory.reshape(len(grads), -1).tolist(),
            }
        )
    return {
        "optimizer": name,
        "torch_class": torch_class,
        "torch_version": torch.__version__,
        "seed": SEED,
        "shape": list(initial_param.shape),
        "initial_param": initial_param.ravel().tolist(),
        "grads": grads.reshape(len(grads), -1).tolist(),
        "settings": settings,
    }


def to_json(record_: dict) -> str:
    """Serialize with one line per list of numbers, so each step is one line."""
    text = json.dumps(record_, indent=2)
    number_list = re.compile(r"\[\s+([-+0-9.eE,\s]+?)\s+\]")
    return (
        number_list.sub(
            lambda match: "[" + " ".join(match.group(1).split()) + "]", text
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="directory for the JSON files (default: %(default)s)",
    )
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        logger.warning("Recording with torch %s, not 2.13.0.", torch.__version__)
    arguments.output.mkdir(parents=True, exist_ok=True)
    initial_param, grads = make_problem()
    for name in TORCH_EQUIVALENTS:
        path = arguments.output / f"{name}.json"
        path.write_text(to_json(record(name, initial_param, grads)))
        logger.info("Wrote %s (%d settings)", path, len(SETTINGS[name]))


if __name__ == "__main__":
    main()
