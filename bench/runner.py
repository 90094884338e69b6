"""Parallel execution of a sweep's cells, saving each one as soon as it finishes."""

import collections
import logging
from pathlib import Path

from joblib import Parallel, delayed
from tqdm import tqdm

from bench import status, storage
from bench.cells import Cell
from bench.worker import run_cell

logger = logging.getLogger(__name__)


def run_cells(cells: list[Cell], sweep_dir: Path, *, jobs: int = -1,
              progress: bool = True, time_limit: float | None = None
              ) -> collections.Counter:
    """Run ``cells`` on ``jobs`` workers and store each record in ``sweep_dir``.

    A cell that trains longer than ``time_limit`` seconds stops with status timeout.
    Cells finish in any order; each is written the moment it comes back, so an
    interrupted sweep keeps every finished cell. Returns the count of each status.
    """
    counts: collections.Counter = collections.Counter()
    if not cells:
        return counts

    parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
    records = parallel(delayed(run_cell)(cell, time_limit) for cell in cells)
    with tqdm(total=len(cells), unit="cell", disable=not progress, mininterval=0.5,
              dynamic_ncols=True) as bar:
        for record in records:
            storage.write_cell(sweep_dir, record)
            counts[record["run"]["status"]] += 1
            bar.set_postfix(diverged=counts[status.DIVERGED], timeout=counts[status.TIMEOUT],
                            errors=counts[status.ERROR], refresh=False)
            bar.update()
    return counts
