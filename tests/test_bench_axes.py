"""Sweep axes beyond the learning rate: optimizers, dtype, schedules, weight decay."""

from pathlib import Path

import pandas as pd
import pytest

from backprop_core import optimizers
from bench.cli import main
from bench.settings import RunSettings
from bench.sweep import SweepSpec, expand
from bench.sweep_file import load_sweep_file

SWEEPS = Path(__file__).resolve().parent.parent / "sweeps"
CLASSIFICATION_LOSSES = ("cross_entropy", "mse")


def cell_keys(spec):
    losses = {name: CLASSIFICATION_LOSSES for name in spec.datasets}
    default_lrs = {opt.name: optimizers.defaults(opt.name)["lr"] for opt in spec.optimizers}
    return [cell.key for cell in expand(spec, losses, default_lrs)]


def test_default_file_matches_builtin():
    spec, run = load_sweep_file(SWEEPS / "default.toml")
    assert cell_keys(spec) == cell_keys(SweepSpec())
    assert spec.name == SweepSpec().name
    assert run == RunSettings()


@pytest.mark.parametrize("name", ["smoke", "mnist1d"])
def test_example_sweep_file_loads(name):
    spec, _ = load_sweep_file(SWEEPS / f"{name}.toml")
    assert spec.name == name


def run_sweep(tmp_path, *flags):
    code = main(["run", "--results-dir", str(tmp_path / "results"), "--reports-dir",
                 str(tmp_path / "reports"), "--quiet", "--jobs", "2", "--name", "axes",
                 *flags])
    runs = pd.read_parquet(tmp_path / "results" / "axes" / "runs.parquet")
    return code, runs


def test_every_optimizer_converges_at_default_lr(tmp_path):
    code, runs = run_sweep(tmp_path, "--datasets", "digits", "--optimizers",
                           ",".join(optimizers.names()), "--losses", "cross_entropy",
                           "--lrs", "default", "--seeds", "1", "--epochs", "3")
    assert code == 0
    assert sorted(runs["optimizer"]) == sorted(optimizers.names())
    assert set(runs["status"]) == {"ok"}
    curves = pd.read_parquet(tmp_path / "results" / "axes" / "curves.parquet")
    initial = curves[curves["epoch"] == 0].set_index("cell_key")["train_loss"]
    final = runs.set_index("cell_key")["final_train_loss"]
    assert (final < initial.loc[final.index]).all()


@pytest.fixture(scope="module")
def axes_sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("axes")
    return run_sweep(root, "--datasets", "wine", "--optimizers", "adamw,momentum",
                     "--losses", "cross_entropy", "--lrs", "0.01", "--seeds", "1",
                     "--epochs", "2", "--batch-size", "16,64", "--dtypes",
                     "float32,float64", "--schedules", "constant,cosine",
                     "--weight-decays", "0,0.01")


def test_axes_sweep_cell_count(axes_sweep):
    code, runs = axes_sweep
    assert code == 0
    assert len(runs) == 2 * 2 * 2 * 2 * 2


@pytest.mark.parametrize(("column", "values"), [
    ("batch_size", {16, 64}), ("dtype", {"float32", "float64"}),
    ("schedule", {"constant", "cosine"}), ("weight_decay", {0.0, 0.01}),
])
def test_axes_sweep_column_values(axes_sweep, column, values):
    assert set(axes_sweep[1][column]) == values


def test_float32_close_to_float64(axes_sweep):
    runs = axes_sweep[1]
    setting = ["optimizer", "batch_size", "schedule", "weight_decay"]
    pivot = runs.pivot_table(index=setting, columns="dtype", values="final_train_loss")
    assert (pivot["float32"] != pivot["float64"]).any()
    assert ((pivot["float32"] - pivot["float64"]).abs() < 1e-3).all()


def test_weight_decay_changes_result(axes_sweep):
    runs = axes_sweep[1]
    pivot = runs.pivot_table(index=["optimizer", "batch_size", "schedule", "dtype"],
                             columns="weight_decay", values="final_train_loss")
    assert (pivot[0.0] != pivot[0.01]).all()
