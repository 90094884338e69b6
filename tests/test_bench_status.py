"""Cell statuses in one sweep: error, diverged and timeout rows, and the exit code.

The sweeps run with ``--jobs 1``, where joblib runs every cell in this process, so
that a monkeypatched ``bench.worker._train_cell`` takes effect.
"""

import contextlib
import io

import pandas as pd
import pytest

import bench.worker
from bench.cli import main

# iris at lr 0.01 is the cell made to fail. MSE on the regression set diabetes
# diverges at lr 10 in the first epoch, while iris trains on a softmax output and
# stays finite.
MIXED = ["run", "--datasets", "iris,diabetes", "--optimizers", "sgd", "--losses", "mse",
         "--lrs", "0.01,10", "--seeds", "1", "--epochs", "2", "--jobs", "1", "--quiet"]
FAILING = {"dataset": "iris", "lr": 0.01}
FAILURE_MESSAGE = "injected failure for this test"


def run_sweep(root, argv, name):
    return main(argv + ["--name", name, "--results-dir", str(root / "results"),
                        "--reports-dir", str(root / "reports")])


def read_runs(root, name):
    return pd.read_parquet(root / "results" / name / "runs.parquet")


def row_of(runs, dataset, lr):
    rows = runs[(runs["dataset"] == dataset) & (runs["lr"] == lr)]
    assert len(rows) == 1
    return rows.iloc[0]


def fail_one_cell(monkeypatch):
    """Make ``_train_cell`` raise for the FAILING cell only; return the cells seen."""
    train = bench.worker._train_cell
    seen = []

    def train_or_fail(cell, time_limit):
        seen.append((cell.dataset, cell.lr))
        if cell.dataset == FAILING["dataset"] and cell.lr == FAILING["lr"]:
            raise RuntimeError(FAILURE_MESSAGE)
        return train(cell, time_limit)

    monkeypatch.setattr(bench.worker, "_train_cell", train_or_fail)
    return seen


@pytest.fixture(scope="module")
def mixed_sweep(tmp_path_factory):
    """Run the MIXED sweep once with one failing cell; return root, code, stderr, seen."""
    root = tmp_path_factory.mktemp("status")
    # capsys is function-scoped, so this module fixture captures stderr itself.
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as monkeypatch, contextlib.redirect_stderr(stderr):
        seen = fail_one_cell(monkeypatch)
        code = run_sweep(root, MIXED, "mixed")
    return root, code, stderr.getvalue(), seen


def test_error_exit_code(mixed_sweep):
    assert mixed_sweep[1] == 1


def test_error_cell_does_not_stop_sweep(mixed_sweep):
    root, _, _, seen = mixed_sweep
    runs = read_runs(root, "mixed")
    assert len(seen) == 4
    assert seen.index((FAILING["dataset"], FAILING["lr"])) < len(seen) - 1
    assert len(runs) == 4


def test_error_row(mixed_sweep):
    runs = read_runs(mixed_sweep[0], "mixed")
    row = row_of(runs, "iris", 0.01)
    assert row["status"] == "error"
    assert row["error"] == f"RuntimeError: {FAILURE_MESSAGE}"
    assert pd.isna(row["final_test_loss"])


def test_diverged_row(mixed_sweep):
    runs = read_runs(mixed_sweep[0], "mixed")
    row = row_of(runs, "diabetes", 10.0)
    assert row["status"] == "diverged"
    assert row["diverged_epoch"] == 1
    assert row["error"] == ""


def test_other_cells_ok(mixed_sweep):
    runs = read_runs(mixed_sweep[0], "mixed")
    assert row_of(runs, "iris", 10.0)["status"] == "ok"
    assert row_of(runs, "diabetes", 0.01)["status"] == "ok"
    assert runs["diverged_epoch"].isna().sum() == 3


def test_status_summary_line(mixed_sweep):
    last_line = mixed_sweep[2].strip().splitlines()[-1]
    assert last_line.startswith("4 cells: diverged 1, error 1, ok 2.")


def test_error_cell_retried_on_rerun(tmp_path, monkeypatch, capsys):
    argv = ["run", "--datasets", "iris", "--optimizers", "sgd", "--losses", "mse",
            "--lrs", "0.01,0.1", "--seeds", "1", "--epochs", "2", "--jobs", "1",
            "--quiet"]
    with monkeypatch.context() as patch:
        fail_one_cell(patch)
        assert run_sweep(tmp_path, argv, "retry") == 1
    capsys.readouterr()

    code = run_sweep(tmp_path, argv, "retry")

    assert code == 0
    assert "2 cells, 1 already stored, 1 to run" in capsys.readouterr().err
    assert set(read_runs(tmp_path, "retry")["status"]) == {"ok"}


def test_cell_timeout_status(tmp_path, capsys):
    argv = ["run", "--datasets", "iris", "--optimizers", "sgd", "--losses", "mse",
            "--lrs", "0.1", "--seeds", "1", "--epochs", "3", "--jobs", "1", "--quiet",
            "--cell-timeout", "1e-9"]

    code = run_sweep(tmp_path, argv, "timeout")

    runs = read_runs(tmp_path, "timeout")
    assert code == 0
    assert list(runs["status"]) == ["timeout"]
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(
        "1 cells: timeout 1.")
