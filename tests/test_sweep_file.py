"""Sweep files: every mistake is one line naming the file and the key, before any cell.

Each bad file is run against a results folder that already contains a sweep of the
same name, which must come out untouched.
"""

import pandas as pd
import pytest
from sklearn.datasets import load_iris

from bench.cli import main

NAME = "study"
# A valid sweep of 2 cells; the bad files below change one thing in it.
HEADER = f'name = "{NAME}"\n'
VALID = HEADER + """
[axes]
datasets = ["iris"]
optimizers = ["sgd"]
losses = ["cross_entropy"]
lrs = [0.1]
seeds = 2
epochs = 2

[run]
jobs = 1
"""

# (test id, file text, strings that the one-line message must contain). {path} is
# the sweep file.
BAD_FILES = [
    ("syntax", HEADER + "[axes\nlrs = [0.1]\n", ["{path}", "invalid TOML", "line 2"]),
    ("top_key", HEADER + 'nmae = "x"\n',
     ["{path}", "nmae", "unknown key", "name, axes, optimizers"]),
    ("axes_key", HEADER + "[axes]\nlr = [0.1]\n",
     ["{path}", "axes.lr:", "unknown key", "datasets, losses, lrs"]),
    ("empty_list", HEADER + "[axes]\nlrs = []\n", ["{path}", "axes.lrs", "empty"]),
    ("negative_lr", HEADER + "[axes]\nlrs = [0.1, -1.0]\n",
     ["{path}", "axes.lrs[1]", "-1.0", "positive"]),
    ("text_lr", HEADER + '[axes]\nlrs = ["fast"]\n',
     ["{path}", "axes.lrs[0]", "'fast'", "positive"]),
    ("zero_seeds", HEADER + "[axes]\nseeds = 0\n",
     ["{path}", "axes.seeds", "at least 1"]),
    ("unknown_dataset", HEADER + '[axes]\ndatasets = ["irsi"]\n',
     ["{path}", "axes.datasets[0]", "'irsi'", "iris"]),
    ("unknown_optimizer", HEADER + '[axes]\noptimizers = ["adamm"]\n',
     ["{path}", "axes.optimizers[0]", "'adamm'", "adam"]),
    ("unknown_optimizer_table", HEADER + '[[optimizers]]\nname = "adamm"\n',
     ["{path}", "optimizers[0].name", "'adamm'"]),
    ("both_optimizer_forms",
     HEADER + '[axes]\noptimizers = ["sgd"]\n[[optimizers]]\nname = "adam"\n',
     ["{path}", "axes.optimizers", "[[optimizers]]"]),
    ("unknown_hyperparameter",
     HEADER + '[[optimizers]]\nname = "adam"\nhyperparameters = { betaa = 0.9 }\n',
     ["{path}", "optimizers[0].hyperparameters.betaa", "betas"]),
    ("invalid_hyperparameter",
     HEADER + '[[optimizers]]\nname = "adam"\nhyperparameters = { betas = [2.0, 0.9] }\n',
     ["{path}", "optimizers[0].hyperparameters", "betas[0]=2.0"]),
    ("lr_hyperparameter",
     HEADER + '[[optimizers]]\nname = "adam"\nhyperparameters = { lr = 0.5 }\n',
     ["{path}", "optimizers[0].hyperparameters.lr", "lrs"]),
    ("weight_decay_twice",
     HEADER + '[axes]\nweight_decays = [0.1]\n[[optimizers]]\nname = "adamw"\n'
     "hyperparameters = { weight_decay = 0.05 }\n",
     ["{path}", "axes.weight_decays", "'adamw'"]),
    ("unknown_schedule", HEADER + '[axes]\nschedules = ["cosin"]\n',
     ["{path}", "axes.schedules[0]", "'cosin'", "cosine"]),
    ("unknown_schedule_option",
     HEADER + '[axes]\nschedules = [{ name = "cosine", warmup = 3 }]\n',
     ["{path}", "axes.schedules[0]", "warmup=3", "warmup_steps"]),
    ("cross_entropy_on_regression",
     HEADER + '[axes]\ndatasets = ["iris", "diabetes"]\n'
     'losses = ["cross_entropy", "mse"]\n',
     ["{path}", "axes.losses", "'cross_entropy'", "'diabetes'", "mse"]),
    ("csv_without_target", HEADER + '[axes]\ndatasets = ["csv:data.csv"]\n',
     ["{path}", "targets", "'csv:data.csv'", "[targets]"]),
    ("target_of_registered_set", HEADER + '[targets]\niris = "species"\n',
     ["{path}", "targets.iris", "csv:PATH"]),
    ("zero_jobs", HEADER + "[run]\njobs = 0\n", ["{path}", "run.jobs", "-1"]),
    ("dask_without_scheduler", HEADER + '[run]\nbackend = "dask"\n',
     ["{path}", "run.backend", "scheduler"]),
]


def run_file(root, text, *flags):
    """Write ``text`` as a sweep file under ``root``, run it; return the exit code."""
    path = root / "sweep.toml"
    path.write_text(text)
    return main(["run", str(path), "--results-dir", str(root / "results"),
                 "--reports-dir", str(root / "reports"), "--quiet", *flags])


def make_sentinel(root):
    """Store an earlier result of the sweep; return {path: bytes} of everything stored."""
    folder = root / "results" / NAME
    (folder / "cells").mkdir(parents=True)
    (folder / "cells" / "0123456789abcdef.json").write_text('{"earlier": "cell"}')
    (folder / "runs.parquet").write_bytes(b"earlier table")
    return stored_files(root)


def stored_files(root):
    return {path: path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and path.suffix != ".toml"}


def write_iris_csv(path, blank_at=None, text_at=None):
    """Write iris as CSV with a 'species' target; optionally spoil row 3 of 'petal_width'."""
    frame = load_iris(as_frame=True).frame
    frame.columns = ["sepal_length", "sepal_width", "petal_length", "petal_width",
                     "species"]
    frame = frame.astype({"petal_width": object})
    if blank_at is not None:
        frame.loc[blank_at, "petal_width"] = ""
    if text_at is not None:
        frame.loc[text_at, "petal_width"] = "wide"
    frame.to_csv(path, index=False)


def csv_sweep(csv_path):
    return HEADER + f"""
[axes]
datasets = ["csv:{csv_path}"]
optimizers = ["sgd"]
losses = ["cross_entropy"]
lrs = [0.1]
seeds = 1
epochs = 2

[run]
jobs = 1

[targets]
"csv:{csv_path}" = "species"
"""


def assert_one_line_error(code, message, expected):
    assert code == 2
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1
    assert message.startswith("error: ")
    for text in expected:
        assert text in message


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_bad_sweep_file(text, expected, tmp_path, capsys):
    before = make_sentinel(tmp_path)

    code = run_file(tmp_path, text)

    message = capsys.readouterr().err
    path = str(tmp_path / "sweep.toml")
    assert_one_line_error(code, message, [item.format(path=path) for item in expected])
    assert stored_files(tmp_path) == before


@pytest.mark.parametrize(("spoil", "expected"), [
    ({"blank_at": 2}, ["missing value", "'petal_width'", "data row 3 (line 4)"]),
    ({"text_at": 2}, ["'wide'", "'petal_width'", "data row 3 (line 4)"]),
], ids=["missing_value", "non_numeric_value"])
def test_bad_csv_value(spoil, expected, tmp_path, capsys):
    csv_path = tmp_path / "iris.csv"
    write_iris_csv(csv_path, **spoil)
    before = make_sentinel(tmp_path)

    code = run_file(tmp_path, csv_sweep(csv_path))

    message = capsys.readouterr().err
    assert_one_line_error(code, message, [str(csv_path), *expected])
    assert stored_files(tmp_path) == before


def test_valid_file_runs(tmp_path):
    code = run_file(tmp_path, VALID)

    runs = pd.read_parquet(tmp_path / "results" / NAME / "runs.parquet")
    assert code == 0
    assert len(runs) == 2
    assert sorted(runs["seed"]) == [0, 1]
    assert set(runs["epochs"]) == {2}


def test_flags_override_file(tmp_path, capsys):
    code = run_file(tmp_path, VALID, "--seeds", "1", "--lrs", "0.05")

    runs = pd.read_parquet(tmp_path / "results" / NAME / "runs.parquet")
    assert code == 0
    assert len(runs) == 1
    assert list(runs["lr"]) == [0.05]
    assert f"sweep '{NAME}': 1 cells" in capsys.readouterr().err


def test_csv_dataset_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_iris_csv(tmp_path / "iris.csv")

    code = run_file(tmp_path, csv_sweep("iris.csv"))

    runs = pd.read_parquet(tmp_path / "results" / NAME / "runs.parquet")
    assert code == 0
    assert list(runs["dataset"]) == ["csv:iris.csv"]
    assert list(runs["task"]) == ["classification"]
    assert list(runs["status"]) == ["ok"]


def test_csv_dataset_absolute_path(tmp_path):
    csv_path = tmp_path / "iris.csv"
    write_iris_csv(csv_path)

    code = run_file(tmp_path, csv_sweep(csv_path))

    runs = pd.read_parquet(tmp_path / "results" / NAME / "runs.parquet")
    assert code == 0
    assert list(runs["dataset"]) == [f"csv:{csv_path}"]


def test_csv_edit_gives_new_cells(tmp_path, capsys):
    csv_path = tmp_path / "iris.csv"
    write_iris_csv(csv_path)
    assert run_file(tmp_path, csv_sweep(csv_path)) == 0
    frame = pd.read_csv(csv_path)
    frame.loc[0, "sepal_length"] += 1.0
    frame.to_csv(csv_path, index=False)
    capsys.readouterr()

    assert run_file(tmp_path, csv_sweep(csv_path)) == 0

    assert "0 already stored, 1 to run" in capsys.readouterr().err
