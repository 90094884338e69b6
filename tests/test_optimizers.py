"""Tests of backprop_core.optimizers.

Every optimizer is one row of OPTIMIZERS, and the shared checks run once per row.
The reference for the update rules is torch.optim 2.13.0: recorded trajectories
under tests/data/torch_trajectories (written by tools/record_torch_trajectories.py)
always, and live runs on randomly drawn settings when torch is installed. Lion,
which torch lacks, is checked against a trajectory worked out by hand.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import json
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from backprop_core import optimizers
from backprop_core.optimizers import _parts

REPOSITORY = Path(__file__).resolve().parents[1]
TRAJECTORY_DIR = REPOSITORY / "tests/data/torch_trajectories"
RECORDER_PATH = REPOSITORY / "tools/record_torch_trajectories.py"
RELATIVE_TOLERANCE = 1e-12
LIVE_SEED = 12345
# torch.optim options that have no meaning for NumPy arrays, or that this package
# leaves out (maximize). They are the only torch hyperparameters missing here.
TORCH_ONLY_OPTIONS = {"foreach", "fused", "capturable", "differentiable", "maximize"}


class OptimizerRow(NamedTuple):
    name: str
    torch_class: str | None  # None: torch.optim 2.13.0 has no equivalent
    torch_preset: dict[str, object]  # hyperparameters that `name` presets
    # Hyperparameters that switch on every optional buffer and branch of the rule.
    all_options: dict[str, object]


OPTIMIZERS = [
    OptimizerRow(
        "sgd", "SGD", {}, {"momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}
    ),
    OptimizerRow(
        "momentum", "SGD", {"momentum": 0.9}, {"dampening": 0.1, "weight_decay": 0.01}
    ),
    OptimizerRow(
        "nesterov", "SGD", {"momentum": 0.9, "nesterov": True}, {"weight_decay": 0.01}
    ),
    OptimizerRow(
        "rmsprop",
        "RMSprop",
        {},
        {"momentum": 0.5, "centered": True, "weight_decay": 0.01},
    ),
    OptimizerRow(
        "adagrad",
        "Adagrad",
        {},
        {"lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1},
    ),
    OptimizerRow("adadelta", "Adadelta", {}, {"weight_decay": 0.01}),
    OptimizerRow("adam", "Adam", {}, {"amsgrad": True, "weight_decay": 0.01}),
    OptimizerRow("adamw", "AdamW", {}, {"amsgrad": True}),
    OptimizerRow("adamax", "Adamax", {}, {"weight_decay": 0.01}),
    OptimizerRow(
        "nadam", "NAdam", {}, {"weight_decay": 0.01, "decoupled_weight_decay": True}
    ),
    OptimizerRow("radam", "RAdam", {}, {"weight_decay": 0.01}),
    OptimizerRow("lion", None, {}, {"weight_decay": 0.1}),
]
TORCH_ROWS = [row for row in OPTIMIZERS if row.torch_class is not None]


def _ids(rows: list[OptimizerRow]) -> list[str]:
    return [row.name for row in rows]


def _log_uniform(low: float, high: float):
    return lambda rng: float(math.exp(rng.uniform(math.log(low), math.log(high))))


def _uniform(low: float, high: float):
    return lambda rng: float(rng.uniform(low, high))


def _coin(rng: np.random.Generator) -> bool:
    return bool(rng.random() < 0.5)


# Draws a random valid value per hyperparameter for the live comparison with torch.
# The ranges lie inside the valid ranges and avoid corners where both libraries
# lose all significant digits (alpha = 0 makes centered RMSprop divide by eps).
HYPERPARAMETER_SAMPLERS = {
    "lr": _log_uniform(1e-4, 1e-1),
    "momentum": _uniform(0.01, 0.99),
    "dampening": _uniform(0.0, 0.5),
    "weight_decay": _uniform(0.0, 0.1),
    "nesterov": _coin,
    "alpha": _uniform(0.5, 0.999),
    "eps": _log_uniform(1e-10, 1e-2),
    "centered": _coin,
    "betas": lambda rng: (
        float(rng.uniform(0.0, 0.99)),
        float(rng.uniform(0.5, 0.9999)),
    ),
    "lr_decay": _uniform(0.0, 0.1),
    "initial_accumulator_value": _uniform(0.0, 1.0),
    "rho": _uniform(0.5, 0.99),
    "momentum_decay": _log_uniform(1e-4, 1e-1),
    "amsgrad": _coin,
    "decoupled_weight_decay": _coin,
}


def draw_hyperparameters(name: str, rng: np.random.Generator) -> dict[str, object]:
    """Draw every hyperparameter of optimizer `name` at random within valid values."""
    drawn = {
        key: HYPERPARAMETER_SAMPLERS[key](rng) for key in optimizers.defaults(name)
    }
    if drawn.get("nesterov") or name == "nesterov":
        drawn["dampening"] = 0.0  # Nesterov momentum requires zero dampening.
    return drawn


def run_engine(
    name: str,
    hyperparameters: dict[str, object],
    initial_param: np.ndarray,
    grads: np.ndarray,
) -> np.ndarray:
    """Run optimizer `name` on one parameter and return it after every step."""
    optimizer = optimizers.create(name, **hyperparameters)
    param = initial_param.copy()
    state = optimizer.init([param])
    trajectory = []
    for grad in grads:
        optimizer.step([param], [grad], state)
        trajectory.append(param.copy())
    assert state.step == len(grads)
    return np.stack(trajectory)


def load_recording(name: str) -> dict:
    return json.loads((TRAJECTORY_DIR / f"{name}.json").read_text())


def recorded_problem(recording: dict) -> tuple[np.ndarray, np.ndarray]:
    shape = tuple(recording["shape"])
    initial_param = np.array(recording["initial_param"]).reshape(shape)
    grads = np.array(recording["grads"]).reshape(-1, *shape)
    return initial_param, grads


def state_arrays(state: optimizers.OptimizerState) -> list[np.ndarray]:
    """Collect every ndarray in an optimizer state record, scratch arrays included."""
    arrays = []
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        if isinstance(value, list):
            for item in value:
                arrays.extend(item if isinstance(item, tuple) else [item])
    return arrays


def small_problem(
    dtype=np.float64, n_steps: int = 5
) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Return two parameters and `n_steps` steps of seeded gradients for them.

    RAdam takes its rectified step from step 6 on with the default beta2, so tests
    of every branch need `n_steps` >= 6.
    """
    rng = np.random.default_rng(7)
    params = [
        rng.standard_normal((3, 2)).astype(dtype),
        rng.standard_normal(2).astype(dtype),
    ]
    grads = [
        [rng.standard_normal(p.shape).astype(dtype) for p in params]
        for _ in range(n_steps)
    ]
    return params, grads


def _settings(rows: list[OptimizerRow]) -> list:
    """Return pytest params (row, hyperparameters): defaults, then all options on."""
    return [
        pytest.param(row, hyperparameters, id=f"{row.name}-{setting}")
        for row in rows
        for setting, hyperparameters in (
            ("defaults", {}),
            ("all_options", row.all_options),
        )
    ]


@pytest.fixture(scope="module")
def recorder():
    """Load tools/record_torch_trajectories.py, which runs torch for the live tests."""
    spec = importlib.util.spec_from_file_location(
        "record_torch_trajectories", RECORDER_PATH
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Shared checks, run for every row of OPTIMIZERS.


@pytest.mark.parametrize("row", TORCH_ROWS, ids=_ids(TORCH_ROWS))
def test_matches_recorded_torch_trajectory(row):
    recording = load_recording(row.name)
    initial_param, grads = recorded_problem(recording)
    assert recording["torch_class"] == row.torch_class
    assert len(recording["settings"]) >= 2
    for setting in recording["settings"]:
        expected = np.array(setting["trajectory"]).reshape(grads.shape)
        actual = run_engine(row.name, setting["hyperparameters"], initial_param, grads)
        np.testing.assert_allclose(
            actual, expected, rtol=RELATIVE_TOLERANCE, atol=0, err_msg=setting["name"]
        )


@pytest.mark.parametrize("row", TORCH_ROWS, ids=_ids(TORCH_ROWS))
def test_matches_live_torch_on_random_settings(row, recorder):
    pytest.importorskip("torch")
    rng = np.random.default_rng([LIVE_SEED, TORCH_ROWS.index(row)])
    initial_param, grads = recorder.make_problem(seed=2024)
    for draw in range(4):
        hyperparameters = draw_hyperparameters(row.name, rng)
        expected = recorder.run_torch(
            row.torch_class,
            {**row.torch_preset, **hyperparameters},
            initial_param,
            grads,
        )
        actual = run_engine(row.name, hyperparameters, initial_param, grads)
        np.testing.assert_allclose(
            actual,
            expected,
            rtol=RELATIVE_TOLERANCE,
            atol=0,
            err_msg=f"draw {draw}: {hyperparameters}",
        )


@pytest.mark.parametrize("row", TORCH_ROWS, ids=_ids(TORCH_ROWS))
def test_defaults_match_torch_signature(row):
    torch = pytest.importorskip("torch")
    signature = inspect.signature(getattr(torch.optim, row.torch_class).__init__)
    torch_defaults = {
        key: parameter.default
        for key, parameter in signature.parameters.items()
        if key not in {"self", "params"}
    }
    ours = optimizers.defaults(row.name)
    assert set(torch_defaults) - set(ours) <= TORCH_ONLY_OPTIONS
    expected = {key: torch_defaults[key] for key in ours}
    assert ours == {**expected, **row.torch_preset}


@pytest.mark.parametrize(("row", "hyperparameters"), _settings(OPTIMIZERS))
def test_float32_stays_float32(row, hyperparameters):
    params, grads = small_problem(np.float32, n_steps=8)
    reference_params, reference_grads = small_problem(np.float64, n_steps=8)
    optimizer = optimizers.create(row.name, lr=1e-2, **hyperparameters)
    state = optimizer.init(params)
    reference_state = optimizer.init(reference_params)
    for step_grads, step_reference_grads in zip(grads, reference_grads, strict=True):
        optimizer.step(params, step_grads, state)
        optimizer.step(reference_params, step_reference_grads, reference_state)
    for param in params:
        assert param.dtype == np.float32
    for array in state_arrays(state):
        assert array.dtype == np.float32
    for param, reference in zip(params, reference_params, strict=True):
        np.testing.assert_allclose(param, reference, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(("row", "hyperparameters"), _settings(OPTIMIZERS))
def test_float32_kept_with_numpy_lr(row, hyperparameters):
    # A schedule built from NumPy arithmetic passes np.float64 rates, and NumPy's
    # promotion rules must not turn float32 buffers into float64 ones.
    params, grads = small_problem(np.float32, n_steps=8)
    optimizer = optimizers.create(row.name, **hyperparameters)
    state = optimizer.init(params)
    for step_grads in grads:
        optimizer.step(params, step_grads, state, lr=np.float64(1e-2))
    for param in params:
        assert param.dtype == np.float32
    for array in state_arrays(state):
        assert array.dtype == np.float32


@pytest.mark.parametrize(("row", "hyperparameters"), _settings(OPTIMIZERS))
def test_init_states_share_no_buffers(row, hyperparameters):
    params, grads = small_problem(n_steps=8)
    originals = [param.copy() for param in params]
    optimizer = optimizers.create(row.name, lr=1e-2, **hyperparameters)
    first = optimizer.init(params)
    second = optimizer.init(params)
    for param, original in zip(params, originals, strict=True):
        np.testing.assert_array_equal(param, original)
    first_arrays = state_arrays(first)
    second_arrays = state_arrays(second)
    for array in first_arrays:
        for other in second_arrays + params:
            assert not np.shares_memory(array, other)

    untouched = [array.copy() for array in second_arrays]
    for step_grads in grads:
        optimizer.step(params, step_grads, first)
    assert second.step == 0
    # Scratch arrays start uninitialized, so compare only the meaningful buffers.
    scratch = {id(array) for arrays in second.scratch for array in arrays}
    for array, copy in zip(second_arrays, untouched, strict=True):
        if id(array) not in scratch:
            np.testing.assert_array_equal(array, copy)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_step_updates_in_place_and_counts(row):
    params, grads = small_problem()
    originals = [param.copy() for param in params]
    identities = [id(param) for param in params]
    optimizer = optimizers.create(row.name, lr=1e-2)
    state = optimizer.init(params)
    assert state.step == 0
    for count, step_grads in enumerate(grads, start=1):
        optimizer.step(params, step_grads, state)
        assert state.step == count
    assert [id(param) for param in params] == identities
    for param, original in zip(params, originals, strict=True):
        assert not np.array_equal(param, original)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_step_leaves_grads_unchanged(row):
    params, grads = small_problem()
    hyperparameters = {"lr": 1e-2}
    if "weight_decay" in optimizers.defaults(row.name):
        hyperparameters["weight_decay"] = 0.1
    optimizer = optimizers.create(row.name, **hyperparameters)
    state = optimizer.init(params)
    copies = [[grad.copy() for grad in step_grads] for step_grads in grads]
    for step_grads in grads:
        optimizer.step(params, step_grads, state)
    for step_grads, step_copies in zip(grads, copies, strict=True):
        for grad, copy in zip(step_grads, step_copies, strict=True):
            np.testing.assert_array_equal(grad, copy)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_step_lr_overrides_constructor_lr(row):
    params, grads = small_problem()
    overridden = [param.copy() for param in params]
    constructed = [param.copy() for param in params]
    optimizer = optimizers.create(row.name, lr=0.5)
    reference = optimizers.create(row.name, lr=0.03)
    state = optimizer.init(overridden)
    reference_state = reference.init(constructed)
    for step_grads in grads:
        optimizer.step(overridden, step_grads, state, lr=0.03)
        reference.step(constructed, step_grads, reference_state)
    assert optimizer.lr == 0.5
    for param, expected in zip(overridden, constructed, strict=True):
        np.testing.assert_array_equal(param, expected)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_zero_lr_leaves_params_unchanged(row):
    params, grads = small_problem()
    originals = [param.copy() for param in params]
    optimizer = optimizers.create(row.name)
    state = optimizer.init(params)
    for step_grads in grads:
        optimizer.step(params, step_grads, state, lr=0.0)
    for param, original in zip(params, originals, strict=True):
        np.testing.assert_array_equal(param, original)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_defaults_build_the_optimizer(row):
    defaults = optimizers.defaults(row.name)
    optimizer = optimizers.create(row.name)
    assert "lr" in defaults
    assert optimizer.lr == defaults["lr"]
    assert optimizer.hyperparameters() == defaults
    assert optimizers.create(row.name, **defaults).hyperparameters() == defaults


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_misspelled_hyperparameter_raises(row):
    with pytest.raises(ValueError, match=r"Unknown hyperparameter.*lrr=0\.1") as info:
        optimizers.create(row.name, lrr=0.1)
    assert "lr" in str(info.value)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_docstring_states_update_rule(row):
    optimizer = optimizers.create(row.name)
    docstring = inspect.getdoc(type(optimizer))
    assert "Update rule" in docstring
    assert "Where frameworks differ" in docstring
    assert "optimizer steps" in docstring


def test_registry_rows_cover_every_name():
    assert sorted(_ids(OPTIMIZERS)) == sorted(optimizers.names())


def test_recordings_cover_every_torch_row():
    recorded = sorted(path.stem for path in TRAJECTORY_DIR.glob("*.json"))
    assert recorded == sorted(_ids(TORCH_ROWS))


# Cases worked out by hand.


def test_adam_three_unit_gradients():
    # Each bias-corrected step is lr * 1 / (1 + eps), so three steps give
    # -3 * 0.1 / (1 + 1e-8) = -0.29999999700.
    param = np.zeros(())
    optimizer = optimizers.create("adam", lr=0.1)
    state = optimizer.init([param])
    for _ in range(3):
        optimizer.step([param], [np.ones(())], state)
    assert float(param) == pytest.approx(-0.29999999700, abs=1e-10)


def test_rmsprop_one_step_eps_outside_root():
    # v = 0.1 * 1**2 = 0.1, and eps outside the root gives
    # 1 - 0.01 * 1 / (sqrt(0.1) + 1) = 0.99240253. Under the root it would be
    # 1 - 0.01 / sqrt(0.1 + 1) = 0.99046525.
    param = np.ones(())
    optimizer = optimizers.create("rmsprop", lr=0.01, alpha=0.9, eps=1.0)
    state = optimizer.init([param])
    optimizer.step([param], [np.ones(())], state)
    assert float(param) == pytest.approx(0.9924025, abs=1e-7)
    assert float(param) == pytest.approx(1.0 - 0.01 / (math.sqrt(0.1) + 1.0), rel=1e-15)


def test_lion_trajectory_by_hand():
    # lr 0.1, betas (0.9, 0.99), weight_decay 0.5, so each step first multiplies
    # the parameter by 1 - 0.1 * 0.5 = 0.95, then moves each coordinate by
    # -0.1 * sign(0.9 * m + 0.1 * g), then sets m = 0.99 * m + 0.01 * g.
    # step 1: g = (0.5, -2, 0), c = (0.05, -0.2, 0), m = (0.005, -0.02, 0)
    # step 2: g = (-0.01, 0, 0), c = (0.0035, -0.018, 0), m = (0.00485, -0.0198, 0)
    #         The first coordinate still moves down: momentum outweighs g.
    # step 3: g = (-0.2, 0, 0), c = (-0.015635, -0.01782, 0)
    # The third coordinate has c = 0 throughout, so only the decay moves it.
    expected_params = [
        [0.85, -0.375, 1.9],
        [0.7075, -0.25625, 1.805],
        [0.772125, -0.1434375, 1.71475],
    ]
    grads = [[0.5, -2.0, 0.0], [-0.01, 0.0, 0.0], [-0.2, 0.0, 0.0]]
    param = np.array([1.0, -0.5, 2.0])
    optimizer = optimizers.create("lion", lr=0.1, betas=(0.9, 0.99), weight_decay=0.5)
    state = optimizer.init([param])
    for grad, expected in zip(grads, expected_params, strict=True):
        optimizer.step([param], [np.array(grad)], state)
        np.testing.assert_allclose(param, expected, rtol=1e-12)
    np.testing.assert_allclose(
        state.exp_avg[0], [0.0028015, -0.019602, 0.0], rtol=1e-12
    )


def test_lion_defaults():
    assert optimizers.defaults("lion") == {
        "lr": 1e-4,
        "betas": (0.9, 0.99),
        "weight_decay": 0.0,
    }


def test_sgd_momentum_first_step_skips_dampening():
    # torch copies the first gradient into the buffer, so dampening acts from
    # step 2: b_1 = g_1 = 1, b_2 = 0.9 * 1 + 0.5 * 1 = 1.4.
    param = np.zeros(())
    optimizer = optimizers.create("sgd", lr=1.0, momentum=0.9, dampening=0.5)
    state = optimizer.init([param])
    optimizer.step([param], [np.ones(())], state)
    assert float(param) == -1.0
    optimizer.step([param], [np.ones(())], state)
    assert float(param) == pytest.approx(-2.4, rel=1e-15)


def test_adamw_decay_stays_out_of_moments():
    # With a zero gradient the moments stay 0, so only the decay moves the param.
    param = np.full(2, 2.0)
    optimizer = optimizers.create("adamw", lr=0.1, weight_decay=0.5)
    state = optimizer.init([param])
    optimizer.step([param], [np.zeros(2)], state)
    np.testing.assert_array_equal(state.exp_avg[0], 0.0)
    np.testing.assert_array_equal(state.exp_avg_sq[0], 0.0)
    np.testing.assert_allclose(param, 2.0 * 0.95, rtol=1e-15)


def test_shortcuts_preset_sgd_momentum():
    assert optimizers.defaults("momentum")["momentum"] == 0.9
    assert optimizers.defaults("momentum")["nesterov"] is False
    assert optimizers.defaults("nesterov")["momentum"] == 0.9
    assert optimizers.defaults("nesterov")["nesterov"] is True


def test_default_lr_follows_torch():
    expected = {
        "sgd": 1e-3,
        "momentum": 1e-3,
        "nesterov": 1e-3,
        "rmsprop": 1e-2,
        "adagrad": 1e-2,
        "adadelta": 1.0,
        "adam": 1e-3,
        "adamw": 1e-3,
        "adamax": 2e-3,
        "nadam": 2e-3,
        "radam": 1e-3,
        "lion": 1e-4,
    }
    assert {
        name: optimizers.defaults(name)["lr"] for name in optimizers.names()
    } == expected


# Invalid input.

INVALID_HYPERPARAMETERS = [
    ("sgd", {"lr": -0.1}, r"lr=-0\.1"),
    ("sgd", {"lr": float("nan")}, r"lr=nan"),
    ("adam", {"lr": float("inf")}, r"lr=inf"),
    ("sgd", {"lr": "0.1"}, r"lr='0\.1'"),
    ("sgd", {"momentum": -0.5}, r"momentum=-0\.5"),
    ("sgd", {"momentum": 1.5}, r"momentum=1\.5"),
    ("sgd", {"nesterov": True}, r"nesterov=True with momentum=0\.0"),
    ("sgd", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, r"dampening=0\.1"),
    ("nesterov", {"momentum": 0.0}, r"momentum=0\.0"),
    ("nesterov", {"dampening": 0.5}, r"dampening=0\.5"),
    ("sgd", {"weight_decay": -1e-4}, r"weight_decay=-0\.0001"),
    ("rmsprop", {"eps": -1e-8}, r"eps=-1e-08"),
    ("rmsprop", {"alpha": 1.1}, r"alpha=1\.1"),
    ("rmsprop", {"centered": "yes"}, r"centered='yes'"),
    ("adam", {"betas": (0.9, 1.0)}, r"betas\[1\]=1\.0"),
    ("adam", {"betas": (-0.1, 0.999)}, r"betas\[0\]=-0\.1"),
    ("adam", {"betas": 0.9}, r"betas=0\.9"),
    ("adam", {"betas": (0.9, 0.99, 0.9)}, r"betas=\(0\.9, 0\.99, 0\.9\)"),
    ("adam", {"amsgrad": 1}, r"amsgrad=1"),
    ("adam", {"beta1": 0.9}, r"beta1=0\.9"),
    ("adamw", {"decoupled_weight_decay": False}, r"decoupled_weight_decay=False"),
    ("adamax", {"eps": -1.0}, r"eps=-1\.0"),
    ("nadam", {"momentum_decay": -0.1}, r"momentum_decay=-0\.1"),
    ("radam", {"betas": (0.9, 1.5)}, r"betas\[1\]=1\.5"),
    ("adagrad", {"lr_decay": -1}, r"lr_decay=-1"),
    (
        "adagrad",
        {"initial_accumulator_value": -0.1},
        r"initial_accumulator_value=-0\.1",
    ),
    ("adadelta", {"rho": 1.5}, r"rho=1\.5"),
    ("lion", {"eps": 1e-8}, r"eps=1e-08"),
    ("lion", {"betas": (1.0, 0.99)}, r"betas\[0\]=1\.0"),
]


@pytest.mark.parametrize(
    ("name", "hyperparameters", "message"),
    INVALID_HYPERPARAMETERS,
    ids=[f"{name}-{'-'.join(hp)}" for name, hp, _ in INVALID_HYPERPARAMETERS],
)
def test_invalid_hyperparameter_raises(name, hyperparameters, message):
    with pytest.raises(ValueError, match=message):
        optimizers.create(name, **hyperparameters)


def test_unknown_optimizer_lists_valid_names():
    with pytest.raises(ValueError, match=r"'adma'.*adam, adamw") as info:
        optimizers.create("adma")
    for name in optimizers.names():
        assert name in str(info.value)
    with pytest.raises(ValueError, match=r"'adma'"):
        optimizers.defaults("adma")


def test_init_rejects_integer_params():
    optimizer = optimizers.create("adam")
    with pytest.raises(ValueError, match=r"params\[1\].*int64"):
        optimizer.init([np.zeros(2), np.zeros(2, dtype=np.int64)])


def test_step_rejects_mismatched_grads():
    params = [np.zeros(2), np.zeros(3)]
    optimizer = optimizers.create("sgd")
    state = optimizer.init(params)
    with pytest.raises(ValueError):
        optimizer.step(params, [np.zeros(2)], state)


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_mismatched_step_changes_nothing(row):
    params = [np.ones(2), np.ones(3)]
    optimizer = optimizers.create(row.name, lr=0.1)
    state = optimizer.init(params)
    with pytest.raises(ValueError, match=r"2 params, 1 grads"):
        optimizer.step(params, [np.ones(2)], state)
    with pytest.raises(ValueError, match=r"initialized for 2 params"):
        optimizer.step(
            [*params, np.ones(4)], [np.ones(2), np.ones(3), np.ones(4)], state
        )
    assert state.step == 0
    for param in params:
        np.testing.assert_array_equal(param, 1.0)


# Every hyperparameter name that some optimizer accepts.
ALL_HYPERPARAMETERS = sorted(
    {key for name in optimizers.names() for key in optimizers.defaults(name)}
)


def invalid_value(key: str, default: object) -> object:
    """Return a value outside the valid range of hyperparameter `key`."""
    if isinstance(default, bool):
        return "yes"
    if key == "betas":
        return (0.9, 1.0)
    return -1.0


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_every_hyperparameter_validated(row):
    for key, default in optimizers.defaults(row.name).items():
        value = invalid_value(key, default)
        with pytest.raises(ValueError, match=rf"Invalid {key}"):
            optimizers.create(row.name, **{key: value})


@pytest.mark.parametrize("row", OPTIMIZERS, ids=_ids(OPTIMIZERS))
def test_foreign_hyperparameters_raise(row):
    own = optimizers.defaults(row.name)
    foreign = [key for key in ALL_HYPERPARAMETERS if key not in own]
    assert foreign
    for key in foreign:
        with pytest.raises(ValueError, match=rf"Unknown hyperparameter.*{key}="):
            optimizers.create(row.name, **{key: 0.5})


# The in-place parts that the update rules are built from.


def part_arrays(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((4, 3)),
        rng.standard_normal((4, 3)),
        rng.uniform(0.5, 2.0, size=(4, 3)),
    )


def test_part_coupled_weight_decay():
    param, grad, _ = part_arrays()
    out = np.empty_like(param)
    grad_copy, param_copy = grad.copy(), param.copy()
    result = _parts.apply_weight_decay(param, grad, 0.1, 0.5, False, out=out)
    assert result is out
    np.testing.assert_allclose(result, grad_copy + 0.5 * param_copy, rtol=1e-15)
    np.testing.assert_array_equal(param, param_copy)
    np.testing.assert_array_equal(grad, grad_copy)


def test_part_decoupled_weight_decay():
    param, grad, _ = part_arrays()
    param_copy = param.copy()
    result = _parts.apply_weight_decay(
        param, grad, 0.1, 0.5, True, out=np.empty_like(param)
    )
    assert result is grad
    np.testing.assert_allclose(param, param_copy * 0.95, rtol=1e-15)


def test_part_zero_weight_decay_is_identity():
    param, grad, _ = part_arrays()
    param_copy = param.copy()
    for decoupled in (False, True):
        result = _parts.apply_weight_decay(
            param, grad, 0.1, 0.0, decoupled, out=np.empty_like(param)
        )
        assert result is grad
    np.testing.assert_array_equal(param, param_copy)


def test_part_moving_average():
    average, value, _ = part_arrays()
    expected = 0.9 * average + 0.1 * value
    _parts.update_moving_average(average, value, 0.1, np.empty_like(average))
    np.testing.assert_allclose(average, expected, rtol=1e-14)


def test_part_moving_average_of_squares():
    average, value, _ = part_arrays()
    average = np.abs(average)
    expected = 0.99 * average + 0.01 * value**2
    _parts.update_moving_average_of_squares(
        average, value, 0.99, np.empty_like(average)
    )
    np.testing.assert_allclose(average, expected, rtol=1e-14)


@pytest.mark.parametrize("out_is", ["separate", "numerator", "denominator"])
def test_part_scaled_quotient(out_is):
    param, numerator, denominator = part_arrays()
    expected = param - 0.3 * numerator / denominator
    out = {
        "separate": np.empty_like(param),
        "numerator": numerator,
        "denominator": denominator,
    }[out_is]
    _parts.add_scaled_quotient(param, numerator, denominator, -0.3, out=out)
    np.testing.assert_allclose(param, expected, rtol=1e-15)

