"""Checks of single sweep values, shared by the command line and sweep files.

Each check returns the value converted to its Python type or raises UsageError with
a message that starts with ``where`` (a flag such as ``--lrs`` or a key such as
``sweep.toml: axes.lrs``) and names the bad value.
"""

import math
import numbers
import re

import datasets
from backprop_core import activations, losses, optimizers, schedules
from bench.errors import UsageError
from bench.sweep import DEFAULT_LR

CSV_PREFIX = "csv:"
DTYPES = ("float32", "float64")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_int(where: str, value, minimum: int) -> int:
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool)) \
            or value < minimum:
        raise UsageError(f"{where}: {value!r} is not a whole number of at least {minimum}")
    return int(value)


def check_lr(where: str, value) -> float | str:
    if value == DEFAULT_LR:
        return value
    if not (is_number(value) and math.isfinite(value) and value > 0):
        raise UsageError(f"{where}: {value!r} is not a positive number; give learning "
                         f"rates such as 0.01 or {DEFAULT_LR!r} for the optimizer's own")
    return float(value)


def check_weight_decay(where: str, value) -> float:
    if not (is_number(value) and math.isfinite(value) and value >= 0):
        raise UsageError(f"{where}: {value!r} is not a number of at least 0")
    return float(value)


def check_choice(where: str, value, valid: list[str], extra: str = "") -> str:
    if value not in valid:
        raise UsageError(f"{where}: unknown name {value!r}; valid names: "
                         f"{', '.join(valid)}{extra}")
    return value


def check_dataset(where: str, value) -> str:
    if isinstance(value, str) and value.startswith(CSV_PREFIX) and len(value) > len(CSV_PREFIX):
        return value
    return check_choice(where, value, datasets.names(), ", or csv:PATH for a CSV file")


def check_optimizer(where: str, value) -> str:
    return check_choice(where, value, optimizers.names())


def check_loss(where: str, value) -> str:
    return check_choice(where, value, losses.names())


def check_schedule(where: str, value) -> str:
    return check_choice(where, value, schedules.names())


def check_dtype(where: str, value) -> str:
    return check_choice(where, value, list(DTYPES))


def check_activation(where: str, value) -> str:
    return check_choice(where, value, activations.names())


def check_sweep_name(where: str, value) -> str:
    if not (isinstance(value, str) and NAME_PATTERN.fullmatch(value)):
        raise UsageError(f"{where}: {value!r} is not a valid sweep name; use letters, "
                         "digits, '.', '_' and '-', starting with a letter or digit")
    return value


def check_timeout(where: str, value) -> float:
    if not (is_number(value) and math.isfinite(value) and value > 0):
        raise UsageError(f"{where}: {value!r} is not a positive number of seconds")
    return float(value)


def check_jobs(where: str, value) -> int:
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool)) \
            or value == 0 or value < -1:
        raise UsageError(f"{where}: {value!r} is not a positive number of workers or -1 "
                         "for every core")
    return int(value)
