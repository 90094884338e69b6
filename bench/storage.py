"""Result storage: one JSON file per finished cell, and tables rebuilt from them.

Each cell is written to a temporary file and renamed into place, so a killed sweep
never leaves a half-written cell behind. ``runs.parquet`` and ``curves.parquet`` are
derived from the cell files and can always be rebuilt.
"""

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

CELLS_FOLDER = "cells"
RUNS_FILE = "runs.parquet"
CURVES_FILE = "curves.parquet"
RUN_SORT_COLUMNS = ["dataset", "loss", "optimizer", "lr", "seed", "cell_key"]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """Yield a temporary file name beside ``path``, renamed to ``path`` on success.

    On any error the temporary file is removed and ``path`` keeps its old content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


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
    """Return the keys of the cells already stored in ``sweep_dir``."""
    folder = sweep_dir / CELLS_FOLDER
    if not folder.is_dir():
        return set()
    return {path.stem for path in folder.glob("*.json")}


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
