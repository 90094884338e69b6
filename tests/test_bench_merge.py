"""Tests of ``python -m bench merge``: sweeps joined by cell key."""

import json
import logging
import shutil

import pandas as pd
import pytest

from bench import storage
from bench.cli import main

TIMING_COLUMNS = list(storage.TIMING_FIELDS["run"])
AXES = ["--optimizers", "sgd,adam", "--losses", "cross_entropy", "--lrs", "0.1",
        "--seeds", "2", "--epochs", "2", "--jobs", "1", "--quiet"]
CELLS_PER_DATASET = 2 * 2


def run_sweep(root, datasets, name):
    return main(["run", "--datasets", datasets, *AXES, "--name", name,
                 "--results-dir", str(root / "results"),
                 "--reports-dir", str(root / "reports")])


def merge(root, *argv):
    """Return the exit code of ``merge`` with the folders of ``root``."""
    try:
        return main(["merge", *argv, "--results-dir", str(root / "results"),
                     "--reports-dir", str(root / "reports")])
    except SystemExit as stop:
        return stop.code


def read_runs(root, name):
    return pd.read_parquet(root / "results" / name / "runs.parquet")


def cell_files(root, name):
    return sorted((root / "results" / name / "cells").glob("*.json"))


def copy_sweep(source_root, target_root, name, new_name=None):
    shutil.copytree(source_root / "results" / name,
                    target_root / "results" / (new_name or name))


def edit_cell(path, **changes):
    record = json.loads(path.read_text())
    record["run"].update(changes)
    path.write_text(json.dumps(record))


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    root = tmp_path_factory.mktemp("merge")
    codes = [run_sweep(root, "iris", "A"), run_sweep(root, "wine", "B"),
             merge(root, "A", "B", "--name", "C")]
    return root, codes


def test_merge_exit_codes(merged):
    assert merged[1] == [0, 0, 0]


def test_merged_runs_are_union(merged):
    root = merged[0]
    union = pd.concat([read_runs(root, "A"), read_runs(root, "B")])
    union = union.sort_values("cell_key", ignore_index=True)
    runs = read_runs(root, "C").sort_values("cell_key", ignore_index=True)
    assert len(runs) == 2 * CELLS_PER_DATASET
    pd.testing.assert_frame_equal(runs, union)


def test_merged_curves_are_union(merged):
    root = merged[0]
    folders = [root / "results" / name for name in ("A", "B", "C")]
    curves = [pd.read_parquet(folder / "curves.parquet") for folder in folders]
    union = pd.concat(curves[:2]).sort_values(["cell_key", "epoch"], ignore_index=True)
    merged_curves = curves[2].sort_values(["cell_key", "epoch"], ignore_index=True)
    pd.testing.assert_frame_equal(merged_curves, union)


def test_merged_cell_files(merged):
    root = merged[0]
    sources = cell_files(root, "A") + cell_files(root, "B")
    targets = cell_files(root, "C")
    assert sorted(path.name for path in targets) == sorted(path.name for path in sources)
    assert not list((root / "results" / "C" / "cells").glob(".*"))


def test_merged_meta(merged):
    info = json.loads((merged[0] / "results" / "C" / "meta.json").read_text())
    assert [entry["name"] for entry in info["merged_from"]] == ["A", "B"]
    assert info["merged_from"][0]["meta"]["name"] == "A"
    assert info["cells"] == 2 * CELLS_PER_DATASET
    assert info["conflicts"] == 0
    assert "finished" in info


def test_merged_report(merged):
    folder = merged[0] / "reports" / "C"
    plots = sorted(path.name for path in folder.glob("*.png"))
    assert plots == ["convergence_iris_cross_entropy.png",
                     "convergence_wine_cross_entropy.png"]
    assert "| iris | cross_entropy | 1 |" in (folder / "summary.md").read_text()


def test_rerun_of_merged_resumes(merged, tmp_path, capsys):
    copy_sweep(merged[0], tmp_path, "C")
    capsys.readouterr()

    assert run_sweep(tmp_path, "iris,wine", "C") == 0

    total = 2 * CELLS_PER_DATASET
    assert f"{total} cells, {total} already stored, 0 to run" in capsys.readouterr().err


def test_merge_twice_same_result(merged, tmp_path):
    for name in ("A", "B", "C"):
        copy_sweep(merged[0], tmp_path, name)
    before = read_runs(tmp_path, "C")

    assert merge(tmp_path, "A", "B", "--name", "C") == 0

    pd.testing.assert_frame_equal(read_runs(tmp_path, "C"), before)


def test_duplicate_key_kept_once(merged, tmp_path, caplog):
    copy_sweep(merged[0], tmp_path, "A")
    copy_sweep(merged[0], tmp_path, "A", "A2")
    for path in cell_files(tmp_path, "A2"):
        edit_cell(path, train_seconds=123.0)

    with caplog.at_level(logging.WARNING, logger="bench.merge"):
        assert merge(tmp_path, "A", "A2", "--name", "C") == 0

    runs = read_runs(tmp_path, "C")
    assert len(runs) == CELLS_PER_DATASET
    assert (runs["train_seconds"] != 123.0).all()
    assert caplog.records == []


@pytest.mark.parametrize("error_first", [False, True])
def test_conflict_keeps_ok(merged, tmp_path, caplog, error_first):
    copy_sweep(merged[0], tmp_path, "A")
    copy_sweep(merged[0], tmp_path, "A", "broken")
    broken = cell_files(tmp_path, "broken")[0]
    edit_cell(broken, status="error", error="RuntimeError: lost worker")
    sources = ["broken", "A"] if error_first else ["A", "broken"]

    with caplog.at_level(logging.WARNING, logger="bench.merge"):
        assert merge(tmp_path, *sources, "--name", "C") == 0

    runs = read_runs(tmp_path, "C").set_index("cell_key")
    assert runs.loc[broken.stem, "status"] == "ok"
    assert len(caplog.records) == 1
    assert broken.stem in caplog.records[0].getMessage()
    info = json.loads((tmp_path / "results" / "C" / "meta.json").read_text())
    assert info["conflicts"] == 1


def test_error_cell_exit_code(merged, tmp_path):
    copy_sweep(merged[0], tmp_path, "A")
    copy_sweep(merged[0], tmp_path, "B")
    failed = cell_files(tmp_path, "B")[0]
    edit_cell(failed, status="error", error="RuntimeError: lost worker")

    assert merge(tmp_path, "A", "B", "--name", "C") == 1

    runs = read_runs(tmp_path, "C").set_index("cell_key")
    assert runs.loc[failed.stem, "status"] == "error"


BAD_MERGES = [
    (["A", "missing", "--name", "C"], "missing", "--results-dir"),
    (["A", "B", "--name", "A"], "'A'", "new name"),
    (["A", "B", "--name", "../C"], "'../C'", "letters"),
    (["A", "../B", "--name", "C"], "'../B'", "letters"),
    (["A", "--name", "C"], "at least two", "merge A B"),
    (["A", "A", "--name", "C"], "'A'", "once"),
    (["A", "B"], "--name", "required"),
]


@pytest.mark.parametrize(("argv", "named", "hint"), BAD_MERGES)
def test_bad_merge_rejected(merged, tmp_path, capsys, argv, named, hint):
    for name in ("A", "B"):
        copy_sweep(merged[0], tmp_path, name)
    capsys.readouterr()

    code = merge(tmp_path, *argv)

    message = capsys.readouterr().err
    assert code == 2
    assert named in message
    assert hint in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1
    assert sorted(path.name for path in (tmp_path / "results").iterdir()) == ["A", "B"]
    assert not (tmp_path / "reports").exists()


def test_missing_source_names_folder(merged, tmp_path, capsys):
    copy_sweep(merged[0], tmp_path, "A")

    assert merge(tmp_path, "A", "gone", "--name", "C") == 2

    folder = tmp_path / "results" / "gone" / "cells"
    assert str(folder) in capsys.readouterr().err
