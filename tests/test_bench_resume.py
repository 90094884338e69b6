"""Sweeps never lose a result: kill, interrupt and resume, and stable cell keys.

The kill and interrupt tests start ``python -m bench run`` as a subprocess in its own
process group, so that a signal reaches the loky workers too, as Ctrl-C in a
terminal does. Each resumes the sweep in this process with the same arguments.
"""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from bench import storage
from bench.cells import Cell
from bench.cli import build_parser, main
from bench.commands import plan_cells
from bench.options import settings_from_args
from bench.worker import run_cell

# 16 cells of about 0.1 s each (150 epochs of iris or wine), so that on two workers
# the sweep is still running when the first cell is stored.
SLOW_SWEEP = ["run", "--datasets", "iris,wine", "--optimizers", "sgd,adam",
              "--losses", "cross_entropy", "--lrs", "0.01,0.1", "--seeds", "2",
              "--epochs", "150", "--jobs", "2", "--quiet", "--name", "slow"]
N_SLOW_CELLS = 2 * 2 * 2 * 2
START_TIMEOUT_SECONDS = 60.0
EXIT_TIMEOUT_SECONDS = 30.0
TIMING_FIELDS = storage.TIMING_FIELDS

# A fixed cell and its key; a change of the key orphans every stored result.
FIXED_CELL = Cell(dataset="iris", optimizer="sgd", loss="cross_entropy", lr=0.1, seed=0,
                  batch_size=32, epochs=3)
FIXED_KEY = "345eca083ba5becd"


def sweep_argv(root):
    return SLOW_SWEEP + ["--results-dir", str(root / "results"),
                         "--reports-dir", str(root / "reports")]


def expected_keys(argv):
    args = build_parser().parse_args(argv)
    spec, _ = settings_from_args(args)
    return {cell.key for cell in plan_cells(spec, losses_given=True)}


def default_interrupt_handling():
    """Let SIGINT interrupt the child, even where pytest runs as a background job.

    A shell starts background jobs with SIGINT ignored, and Python keeps an ignored
    SIGINT ignored, so without this the sweep would never see the signal.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(root):
    """Start the slow sweep as a subprocess in a new process group."""
    return subprocess.Popen([sys.executable, "-m", "bench", *sweep_argv(root)],
                            cwd=root, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_interrupt_handling)


def wait_for_first_cell(process, cells_dir):
    """Wait until a cell file exists; fail if the sweep ends or takes too long."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if cells_dir.is_dir() and any(cells_dir.glob("*.json")):
            return
        if process.poll() is not None:
            pytest.fail(f"sweep ended before the signal: {process.communicate()[1]}")
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail(f"no cell stored within {START_TIMEOUT_SECONDS} s")


def signal_sweep(process, signal_number):
    """Send ``signal_number`` to the sweep's process group; return its stderr."""
    os.killpg(process.pid, signal_number)
    try:
        _, stderr = process.communicate(timeout=EXIT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"sweep still running {EXIT_TIMEOUT_SECONDS} s after the signal")
    return stderr


def stored_cells(cells_dir):
    """Return {path: mtime_ns} of the cell files, after checking every file in cells/."""
    stored = {}
    for path in cells_dir.iterdir():
        if path.suffix == ".json":
            record = json.loads(path.read_text())
            assert record["run"]["cell_key"] == path.stem
            stored[path] = path.stat().st_mtime_ns
        else:
            assert storage.TEMPORARY_NAME.fullmatch(path.name), path.name
    return stored


def dead_process_id():
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def assert_resumed(root, stored, stderr):
    """Check that the resumed sweep ran exactly the cells missing from ``stored``."""
    sweep_dir = root / "results" / "slow"
    keys = expected_keys(sweep_argv(root))
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    meta = json.loads((sweep_dir / "meta.json").read_text())
    new_files = set((sweep_dir / "cells").glob("*.json")) - set(stored)

    assert (f"{N_SLOW_CELLS} cells, {len(stored)} already stored, "
            f"{N_SLOW_CELLS - len(stored)} to run") in stderr
    assert meta["cells_run"] == N_SLOW_CELLS - len(stored)
    assert {path.stem for path in new_files} == keys - {path.stem for path in stored}
    assert {path: path.stat().st_mtime_ns for path in stored} == stored
    assert len(runs) == N_SLOW_CELLS
    assert runs["cell_key"].is_unique
    assert set(runs["cell_key"]) == keys
    assert set(runs["status"]) == {"ok"}


def test_sigkill_then_resume(tmp_path, capsys):
    cells_dir = tmp_path / "results" / "slow" / "cells"
    process = start_sweep(tmp_path)
    wait_for_first_cell(process, cells_dir)

    signal_sweep(process, signal.SIGKILL)

    stored = stored_cells(cells_dir)
    assert process.returncode == -signal.SIGKILL
    assert 0 < len(stored) < N_SLOW_CELLS
    stale = cells_dir / f".{FIXED_KEY}.json.{dead_process_id()}.abcd1234"
    stale.write_text('{"run": {"cell_k')

    code = main(sweep_argv(tmp_path))

    assert code == 0
    assert not stale.exists()
    assert [path.name for path in cells_dir.iterdir() if path.suffix != ".json"] == []
    assert_resumed(tmp_path, stored, capsys.readouterr().err)


def test_ctrl_c_then_resume(tmp_path, capsys):
    cells_dir = tmp_path / "results" / "slow" / "cells"
    process = start_sweep(tmp_path)
    wait_for_first_cell(process, cells_dir)

    stderr = signal_sweep(process, signal.SIGINT)

    stored = stored_cells(cells_dir)
    assert process.returncode == 130
    assert "Traceback" not in stderr, stderr
    assert "run the same command again to resume" in stderr
    assert 0 < len(stored) < N_SLOW_CELLS

    code = main(sweep_argv(tmp_path))

    assert code == 0
    assert_resumed(tmp_path, stored, capsys.readouterr().err)


def test_stale_temporaries_removed(tmp_path):
    cells_dir = tmp_path / storage.CELLS_FOLDER
    cells_dir.mkdir()
    dead = cells_dir / f".{FIXED_KEY}.json.{dead_process_id()}.abcd1234"
    dead_table = tmp_path / f".runs.parquet.{dead_process_id()}.x_y9z8w7"
    alive = cells_dir / f".{FIXED_KEY}.json.{os.getppid()}.abcd1234"
    unrelated = cells_dir / ".notes"
    for path in (dead, dead_table, alive, unrelated):
        path.write_text("partial")

    removed = storage.remove_stale_temporaries(tmp_path)

    assert removed == 2
    assert not dead.exists()
    assert not dead_table.exists()
    assert alive.exists()
    assert unrelated.exists()


def test_temporary_name_pattern(tmp_path):
    target = tmp_path / f"{FIXED_KEY}.json"
    with storage.atomic_path(target) as temporary:
        name = os.path.basename(temporary)
        match = storage.TEMPORARY_NAME.fullmatch(name)

    assert match is not None
    assert match["pid"] == str(os.getpid())
    assert not name.endswith(".json")
    assert target.exists()


@pytest.mark.parametrize("content", ['{"run": {"cell_k', "", '{"run": {}}', "[1, 2]"],
                         ids=["torn", "empty", "no_key", "not_a_record"])
def test_invalid_cell_file_runs_again(content, tmp_path):
    record = run_cell(FIXED_CELL)
    storage.write_cell(tmp_path, record)
    broken_key = "fedcba9876543210"
    storage.cell_path(tmp_path, broken_key).write_text(content)

    assert storage.finished_keys(tmp_path) == {FIXED_KEY}
    assert storage.completed_keys(tmp_path) == {FIXED_KEY}


def test_cell_file_of_other_key_runs_again(tmp_path):
    record = run_cell(FIXED_CELL)
    storage.cell_path(tmp_path, "fedcba9876543210").parent.mkdir()
    storage.cell_path(tmp_path, "fedcba9876543210").write_text(json.dumps(record))

    assert storage.finished_keys(tmp_path) == set()


def without_timing(record):
    stripped = {part: {name: value for name, value in record[part].items()
                       if name not in fields}
                for part, fields in TIMING_FIELDS.items()}
    return json.dumps(stripped, sort_keys=True)


def test_results_independent_of_order():
    cells = [FIXED_CELL,
             dataclasses.replace(FIXED_CELL, dataset="wine", optimizer="adam", lr=0.01),
             dataclasses.replace(FIXED_CELL, seed=1, dtype="float32"),
             dataclasses.replace(FIXED_CELL, optimizer="momentum", loss="mse")]

    forward = {cell.key: without_timing(run_cell(cell)) for cell in cells}
    backward = {cell.key: without_timing(run_cell(cell)) for cell in reversed(cells)}

    assert forward == backward


def test_cell_key_fixed():
    assert FIXED_CELL.key == FIXED_KEY


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_cell_key_same_in_other_process(hash_seed):
    code = ("from bench.cells import Cell; print(Cell(dataset='iris', optimizer='sgd', "
            "loss='cross_entropy', lr=0.1, seed=0, batch_size=32, epochs=3).key)")
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}

    result = subprocess.run([sys.executable, "-c", code], env=environment,
                            capture_output=True, text=True, check=True, timeout=60)

    assert result.stdout.strip() == FIXED_KEY


CHANGED_FIELDS = {"dataset": "wine", "optimizer": "adam", "loss": "mse", "lr": 0.2,
                  "seed": 1, "batch_size": 16, "epochs": 4, "hidden": (32,),
                  "activation": "tanh", "dtype": "float32",
                  "hyperparameters": (("momentum", 0.5),), "weight_decay": 0.001,
                  "schedule": "cosine", "schedule_options": (("warmup_steps", 1),),
                  "target": "species", "base_seed": 1, "data_version": "0123abcd"}


@pytest.mark.parametrize("field", [field.name for field in dataclasses.fields(Cell)])
def test_cell_key_covers_field(field):
    changed = dataclasses.replace(FIXED_CELL, **{field: CHANGED_FIELDS[field]})

    assert changed.key != FIXED_KEY
