"""End-to-end tests of ``python -m bench run`` on a tiny sweep."""

import pandas as pd
import pytest

from bench import storage
from bench.cli import main

RUN_TIMING = list(storage.TIMING_FIELDS["run"])
CURVE_TIMING = list(storage.TIMING_FIELDS["curves"])
TINY = ["run", "--datasets", "iris,wine", "--optimizers", "sgd,adam",
        "--losses", "cross_entropy,mse", "--lrs", "0.01,0.1", "--seeds", "2",
        "--epochs", "3", "--quiet"]
N_CELLS = 2 * 2 * 2 * 2 * 2


def run_tiny(tmp_path, *extra):
    return main(TINY + ["--results-dir", str(tmp_path / "results"),
                        "--reports-dir", str(tmp_path / "reports"), *extra])


@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    code = run_tiny(root, "--jobs", "2", "--name", "tiny")
    return root, code


def read_tables(root, name="tiny"):
    folder = root / "results" / name
    return pd.read_parquet(folder / "runs.parquet"), pd.read_parquet(folder / "curves.parquet")


def test_run_exit_code(tiny_sweep):
    assert tiny_sweep[1] == 0


def test_runs_table_columns(tiny_sweep):
    runs, _ = read_tables(tiny_sweep[0])
    expected = {"cell_key", "dataset", "optimizer", "loss", "lr", "seed", "batch_size",
                "epochs", "status", "final_train_loss", "final_test_loss",
                "final_test_accuracy", "train_seconds"}
    assert expected <= set(runs.columns)


def test_runs_table_one_row_per_cell(tiny_sweep):
    runs, _ = read_tables(tiny_sweep[0])
    assert len(runs) == N_CELLS
    assert runs["cell_key"].is_unique


def test_runs_table_statuses_ok(tiny_sweep):
    runs, _ = read_tables(tiny_sweep[0])
    assert set(runs["status"]) == {"ok"}


def test_curves_table_epochs(tiny_sweep):
    runs, curves = read_tables(tiny_sweep[0])
    assert list(curves.columns) == ["cell_key", "epoch", "train_loss", "test_loss",
                                    "test_accuracy", "elapsed_seconds"]
    assert len(curves) == N_CELLS * 4
    assert set(curves["cell_key"]) == set(runs["cell_key"])


def test_final_values_match_curves(tiny_sweep):
    runs, curves = read_tables(tiny_sweep[0])
    last = curves.groupby("cell_key").tail(1).set_index("cell_key")
    merged = runs.set_index("cell_key").join(last)
    assert (merged["final_test_accuracy"] == merged["test_accuracy"]).all()


def test_report_files(tiny_sweep):
    folder = tiny_sweep[0] / "reports" / "tiny"
    plots = sorted(path.name for path in folder.glob("*.png"))
    assert plots == ["convergence_iris_cross_entropy.png", "convergence_iris_mse.png",
                     "convergence_wine_cross_entropy.png", "convergence_wine_mse.png"]
    page = (folder / "index.html").read_text()
    assert all(name in page for name in plots)


def test_summary_names_every_optimizer(tiny_sweep):
    summary = (tiny_sweep[0] / "reports" / "tiny" / "summary.md").read_text()
    assert "## Which optimizer?" in summary
    assert "| iris | cross_entropy | 1 |" in summary
    assert summary.count("| wine | mse |") == 2


def test_rerun_resumes(tiny_sweep, capsys):
    root = tiny_sweep[0]
    cell_files = sorted((root / "results" / "tiny" / "cells").glob("*.json"))
    before = {path: path.stat().st_mtime_ns for path in cell_files}

    assert run_tiny(root, "--jobs", "2", "--name", "tiny") == 0
    after = {path: path.stat().st_mtime_ns for path in cell_files}

    assert after == before
    assert f"{N_CELLS} already stored, 0 to run" in capsys.readouterr().err


def test_one_worker_matches_two(tiny_sweep, tmp_path):
    assert run_tiny(tmp_path, "--jobs", "1", "--name", "tiny") == 0
    runs_2, curves_2 = read_tables(tiny_sweep[0])
    runs_1, curves_1 = read_tables(tmp_path)
    pd.testing.assert_frame_equal(runs_1.drop(columns=RUN_TIMING),
                                  runs_2.drop(columns=RUN_TIMING))
    pd.testing.assert_frame_equal(curves_1.drop(columns=CURVE_TIMING),
                                  curves_2.drop(columns=CURVE_TIMING))
