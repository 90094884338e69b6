"""Tests of backprop_core.schedules: values per step, the warmup handoff, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_core import schedules

COS_36 = math.cos(math.pi / 5)  # cos(36 degrees), for cosine decay over 5 steps
COS_72 = math.cos(2 * math.pi / 5)

# (case id, create() arguments, expected rate at steps 0, 1, 2, ...)
SCHEDULE_VALUES = [
    ("constant", {"name": "constant", "lr": 0.1}, [0.1, 0.1, 0.1, 0.1]),
    (
        "step",
        {"name": "step", "lr": 1.0, "step_size": 2, "gamma": 0.5},
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125],
    ),
    (
        "step_default_gamma",
        {"name": "step", "lr": 1.0, "step_size": 3},
        [1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01],
    ),
    (
        "exponential",
        {"name": "exponential", "lr": 2.0, "gamma": 0.5},
        [2.0, 1.0, 0.5, 0.25],
    ),
    (
        "cosine",
        {"name": "cosine", "lr": 1.0, "total_steps": 5},
        # (1 + cos(pi * s / 5)) / 2, then eta_min from step 5 on.
        [
            1.0,
            (1 + COS_36) / 2,
            (1 + COS_72) / 2,
            (1 - COS_72) / 2,
            (1 - COS_36) / 2,
            0.0,
            0.0,
        ],
    ),
    (
        "cosine_eta_min",
        {"name": "cosine", "lr": 1.0, "total_steps": 2, "eta_min": 0.2},
        [1.0, 0.6, 0.2, 0.2],
    ),
    (
        "warmup_constant",
        {"name": "constant", "lr": 0.4, "warmup_steps": 3},
        # lr * (s + 1) / 4 during warmup, then lr: one progression, no repeat.
        [0.1, 0.2, 0.3, 0.4, 0.4],
    ),
    (
        "warmup_step",
        {"name": "step", "lr": 0.3, "warmup_steps": 2, "step_size": 2, "gamma": 0.5},
        # The step schedule starts at its own step 0 at step 2.
        [0.1, 0.2, 0.3, 0.3, 0.15, 0.15, 0.075],
    ),
    (
        "warmup_exponential",
        {"name": "exponential", "lr": 1.0, "warmup_steps": 1, "gamma": 0.5},
        [0.5, 1.0, 0.5, 0.25],
    ),
    (
        "warmup_cosine",
        {"name": "cosine", "lr": 0.1, "total_steps": 7, "warmup_steps": 2},
        # Warmup over steps 0 and 1, then cosine over the remaining 5 steps.
        [
            0.1 / 3,
            0.2 / 3,
            0.1,
            0.1 * (1 + COS_36) / 2,
            0.1 * (1 + COS_72) / 2,
            0.1 * (1 - COS_72) / 2,
            0.1 * (1 - COS_36) / 2,
            0.0,
        ],
    ),
    (
        "warmup_cosine_eta_min",
        {
            "name": "cosine",
            "lr": 1.0,
            "total_steps": 4,
            "warmup_steps": 2,
            "eta_min": 0.2,
        },
        # The warmup ramps to lr, not to eta_min, and the cosine ends at eta_min.
        [1 / 3, 2 / 3, 1.0, 0.6, 0.2, 0.2],
    ),
]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [case[1:] for case in SCHEDULE_VALUES],
    ids=[case[0] for case in SCHEDULE_VALUES],
)
def test_schedule_values_per_step(arguments, expected):
    arguments = dict(arguments)
    schedule = schedules.create(arguments.pop("name"), **arguments)
    actual = [schedule(step) for step in range(len(expected))]
    np.testing.assert_allclose(actual, expected, rtol=1e-14, atol=1e-17)


@pytest.mark.parametrize("name", ["constant", "step", "exponential", "cosine"])
def test_warmup_hands_off_without_repeat(name):
    extra = {"step": {"step_size": 5}, "exponential": {"gamma": 0.9}}.get(name, {})
    warmup_steps = 4
    schedule = schedules.create(
        name, lr=0.5, total_steps=20, warmup_steps=warmup_steps, **extra
    )
    plain = schedules.create(name, lr=0.5, total_steps=20 - warmup_steps, **extra)
    ramp = [schedule(step) for step in range(warmup_steps + 1)]
    np.testing.assert_allclose(np.diff(ramp), 0.5 / (warmup_steps + 1), rtol=1e-12)
    for step in range(warmup_steps, 20):
        assert schedule(step) == plain(step - warmup_steps)


@pytest.mark.parametrize("warmup_steps", [0, 3])
@pytest.mark.parametrize("name", ["constant", "step", "exponential", "cosine"])
def test_values_are_python_floats(name, warmup_steps):
    # Schedules are annotated to return float, so NumPy scalar inputs must not
    # leak into the values.
    extra = {"step": {"step_size": 2}, "exponential": {"gamma": 0.9}}.get(name, {})
    schedule = schedules.create(
        name,
        lr=np.float64(0.5),
        total_steps=np.int64(10),
        warmup_steps=warmup_steps,
        **extra,
    )
    for step in range(12):
        assert type(schedule(step)) is float


def test_positional_contract_signature():
    schedule = schedules.create("cosine", 0.1, 100, warmup_steps=10)
    assert schedule(10) == pytest.approx(0.1, rel=1e-15)
    assert schedule(100) == 0.0


def test_names_lists_schedules():
    assert schedules.names() == ["constant", "step", "exponential", "cosine"]


def test_accepts_numpy_scalars():
    schedule = schedules.create(
        "step",
        np.float32(0.5),
        np.int64(10),
        step_size=np.int64(2),
        gamma=np.float64(0.5),
    )
    assert schedule(2) == pytest.approx(0.25)


INVALID_ARGUMENTS = [
    ("unknown_name", {"name": "cosin", "lr": 0.1}, r"'cosin'.*constant, step"),
    ("negative_lr", {"name": "constant", "lr": -0.1}, r"lr=-0\.1"),
    ("nan_lr", {"name": "constant", "lr": float("nan")}, r"lr=nan"),
    ("string_lr", {"name": "constant", "lr": "0.1"}, r"lr='0\.1'"),
    ("cosine_without_total", {"name": "cosine", "lr": 0.1}, r"total_steps"),
    ("zero_total", {"name": "cosine", "lr": 0.1, "total_steps": 0}, r"total_steps=0"),
    (
        "float_total",
        {"name": "cosine", "lr": 0.1, "total_steps": 10.0},
        r"total_steps=10\.0",
    ),
    (
        "warmup_too_long",
        {"name": "cosine", "lr": 0.1, "total_steps": 10, "warmup_steps": 10},
        r"warmup_steps=10.*total_steps=10",
    ),
    (
        "negative_warmup",
        {"name": "constant", "lr": 0.1, "warmup_steps": -1},
        r"warmup_steps=-1",
    ),
    ("step_without_size", {"name": "step", "lr": 0.1}, r"Missing step_size"),
    ("zero_step_size", {"name": "step", "lr": 0.1, "step_size": 0}, r"step_size=0"),
    ("gamma_zero", {"name": "exponential", "lr": 0.1, "gamma": 0.0}, r"gamma=0\.0"),
    (
        "gamma_above_one",
        {"name": "step", "lr": 0.1, "step_size": 1, "gamma": 1.5},
        r"gamma=1\.5",
    ),
    ("exponential_without_gamma", {"name": "exponential", "lr": 0.1}, r"Missing gamma"),
    (
        "eta_min_above_lr",
        {"name": "cosine", "lr": 0.1, "total_steps": 10, "eta_min": 0.2},
        r"eta_min=0\.2",
    ),
    ("misspelled_argument", {"name": "step", "lr": 0.1, "stepsize": 2}, r"stepsize=2"),
    (
        "argument_of_other_schedule",
        {"name": "constant", "lr": 0.1, "gamma": 0.5},
        r"gamma=0\.5",
    ),
]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [case[1:] for case in INVALID_ARGUMENTS],
    ids=[case[0] for case in INVALID_ARGUMENTS],
)
def test_invalid_arguments_raise(arguments, message):
    arguments = dict(arguments)
    with pytest.raises(ValueError, match=message):
        schedules.create(arguments.pop("name"), **arguments)


def test_negative_step_raises():
    schedule = schedules.create("constant", lr=0.1)
    with pytest.raises(ValueError, match=r"step=-1"):
        schedule(-1)
