"""Result storage: one JSON file per finished cell, and tables rebuilt from them.

Each cell is written to a temporary file and renamed into place, so a killed sweep
never leaves a half-written cell behind. ``runs.parquet`` and ``curves.parquet`` are
derived from the cell files and can always be rebuilt.

A temporary file is named ``.TARGET.PID.RANDOM``. It starts with a dot and does not
end in ``.json``, so it is never read as a cell. ``PID`` is the writing process, which
lets ``remove_stale_temporaries`` tell a killed writer's leftovers from a live
writer's file.
"""

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bench import status
from bench.errors import UsageError

logger = logging.getLogger(__name__)

CELLS_FOLDER = "cells"
RUNS_FILE = "runs.parquet"
CURVES_FILE = "curves.parquet"
# mkstemp creates files readable by their owner only. Stored results get the mode
# that the process's umask gives an ordinary new file, as the reports do.
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK

# Fields that measure time and so differ between two runs of the same cell.
TIMING_FIELDS = {"run": ("train_seconds", "cell_seconds"), "curves": ("elapsed_seconds",)}
RUN_SORT_COLUMNS = ["dataset", "loss", "optimizer", "lr", "seed", "cell_key"]
# tempfile.mkstemp appends 8 characters from [a-z0-9_] to the prefix ".TARGET.PID."
# (tempfile._RandomNameSequence in CPython 3.11).
TEMPORARY_NAME = re.compile(r"\.(?P<target>.+)\.(?P<pid>\d+)\.[a-z0-9_]+")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """Yield a temporary file name beside ``path``, renamed to ``path`` on success.

    On any error the temporary file is removed and ``path`` keeps its old content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent,
                                         prefix=f".{path.name}.{os.getpid()}.")
    os.close(handle)
    try:
        yield temporary
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def prepare_folders(*folders: Path) -> None:
    """Create ``folders`` and check that files can be written in each, before any cell runs.

    Raises UsageError naming the folder and the reason otherwise.
    """
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise UsageError(f"cannot write to folder {str(folder)!r}: "
                             f"{exc.strerror or exc}; choose a writable folder with "
                             "--results-dir, --reports-dir or --name") from None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as temporary:
        Path(temporary).write_text(text)


def cell_path(sweep_dir: Path, key: str) -> Path:
    return sweep_dir / CELLS_FOLDER / f"{key}.json"


def write_cell(sweep_dir: Path, record: dict) -> None:
    """Store one finished cell's record."""
    write_atomic(cell_path(sweep_dir, record["run"]["cell_key"]), json.dumps(record))


def finished_keys(sweep_dir: Path) -> set[str]:
    """Return the keys of the cells stored in ``sweep_dir``, whatever their status.

    Only a file that parses as a cell record counts. Atomic writes rule out a torn
    file after a killed process, but a file cut short by a system crash or a copy is
    skipped with a warning, so that its cell runs again.
    """
    return set(_stored_statuses(sweep_dir))


def completed_keys(sweep_dir: Path) -> set[str]:
    """Return the keys of the stored cells that need not run again.

    A cell stored with status ``error`` has no result, and the error may have been
    transient (memory, a bug fixed since), so it is left out and a resumed sweep
    retries it. The other statuses are results of the configuration.
    """
    return {key for key, stored in _stored_statuses(sweep_dir).items()
            if stored != status.ERROR}


def _stored_statuses(sweep_dir: Path) -> dict[str, str]:
    folder = sweep_dir / CELLS_FOLDER
    if not folder.is_dir():
        return {}
    statuses = {}
    for path in folder.glob("*.json"):
        try:
            record = json.loads(path.read_text())
            if record["run"]["cell_key"] != path.stem:
                raise ValueError(f"it contains cell {record['run']['cell_key']!r}")
            statuses[path.stem] = record["run"]["status"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("cell file %s is not a valid cell record, so the cell runs "
                           "again: %s", path, exc)
    return statuses


def remove_stale_temporaries(sweep_dir: Path) -> int:
    """Delete the temporary files left in ``sweep_dir`` by writers that were killed.

    A file whose writing process still runs is kept, so that a second sweep running
    in the same folder at the same time does not lose a cell being written. Process
    ids are per machine, so this holds only for sweeps on one machine. Returns the
    number of files deleted.
    """
    removed = 0
    for folder in (sweep_dir, sweep_dir / CELLS_FOLDER):
        if not folder.is_dir():
            continue
        for path in folder.glob(".*"):
            match = TEMPORARY_NAME.fullmatch(path.name)
            if match is None or _process_exists(int(match["pid"])):
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
                logger.info("deleted %s, left over by killed process %s", path,
                            match["pid"])
    return removed


def _process_exists(pid: int) -> bool:
    """Return whether process ``pid`` exists; True where that cannot be checked."""
    if pid == os.getpid() or os.name != "posix":
        # NOTE: on Windows os.kill terminates the process, so leftovers stay there.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_cells(sweep_dir: Path, keys: list[str]) -> list[dict]:
    """Read the records of ``keys``; a missing or unreadable file is skipped."""
    records = []
    for key in keys:
        path = cell_path(sweep_dir, key)
        try:
            records.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError) as exc:
            logger.warning("skipped unreadable cell file %s: %s", path, exc)
    return records


def build_tables(records: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the ``runs`` and ``curves`` tables of ``records``, in a fixed order."""
    runs = pd.DataFrame([record["run"] for record in records])
    runs["diverged_epoch"] = runs["diverged_epoch"].astype("Int64")
    runs = runs.sort_values(RUN_SORT_COLUMNS, ignore_index=True)

    curve_frames = [pd.DataFrame(record["curves"]).assign(cell_key=record["run"]["cell_key"])
                    for record in records]
    curves = pd.concat(curve_frames, ignore_index=True)
    curves["epoch"] = curves["epoch"].astype("int64")
    order = {key: position for position, key in enumerate(runs["cell_key"])}
    curves = curves.sort_values(["cell_key", "epoch"], key=_order_by(order), ignore_index=True)
    return runs, curves[["cell_key"] + [c for c in curves.columns if c != "cell_key"]]


def _order_by(order: dict[str, int]):
    def sort_key(column: pd.Series) -> pd.Series:
        return column.map(order) if column.name == "cell_key" else column
    return sort_key


def write_tables(sweep_dir: Path, runs: pd.DataFrame, curves: pd.DataFrame) -> None:
    """Write both tables as Parquet, each through a temporary file and a rename."""
    for table, name in ((runs, RUNS_FILE), (curves, CURVES_FILE)):
        with atomic_path(sweep_dir / name) as temporary:
            table.to_parquet(temporary, index=False)


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as indented JSON, atomically."""
    write_atomic(path, json.dumps(data, indent=2, default=str) + "\n")
