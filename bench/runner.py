"""Parallel execution of a sweep's cells, saving each one as soon as it finishes.

The cells run through joblib, on local processes (``loky``) or on a Dask distributed
cluster (``dask``). Either way the main process receives every record and writes it.
"""

import collections
import contextlib
import dataclasses
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import joblib
from joblib import Parallel, delayed
from tqdm import tqdm

from bench import status, storage
from bench.cells import Cell
from bench.errors import UsageError
from bench.settings import RunSettings
from bench.worker import run_cell

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 10.0
DASK_INSTALL = "pip install 'backprop-bench[dask]'"


@dataclasses.dataclass(frozen=True)
class RunOutcome:
    """Count of each status, and the number of parallel workers the cells ran on.

    ``workers`` is the number of local processes for ``loky`` and the total number
    of Dask worker threads for ``dask`` (0 when there was no cell to run).
    """

    counts: collections.Counter
    workers: int


def local_workers(settings: RunSettings, n_cells: int | None = None) -> int:
    """Return the number of local processes for ``settings.jobs`` and ``n_cells`` cells.

    There is never more than one process per cell, so that a large ``--jobs`` does
    not start idle processes.
    """
    jobs = joblib.cpu_count() if settings.jobs == -1 else settings.jobs
    return max(1, min(jobs, n_cells)) if n_cells is not None else jobs


def run_cells(cells: list[Cell], sweep_dir: Path, settings: RunSettings = RunSettings(),
              *, progress: bool = True) -> RunOutcome:
    """Run ``cells`` with the backend of ``settings`` and store each record.

    A cell that trains longer than ``settings.cell_timeout`` seconds stops with
    status timeout. Cells finish in any order, and each is written to ``sweep_dir``
    the moment it comes back, so an interrupted sweep keeps every finished cell.
    Raises UsageError when the Dask scheduler cannot be reached.
    """
    if not cells:
        workers = local_workers(settings) if settings.backend == "loky" else 0
        return RunOutcome(collections.Counter(), workers)

    with parallel_backend(settings, len(cells)) as workers:
        parallel = Parallel(return_as="generator_unordered")
        records = parallel(delayed(run_cell)(cell, settings.cell_timeout, os.getpid())
                           for cell in cells)
        counts = _store_records(records, len(cells), sweep_dir, progress)
    return RunOutcome(counts, workers)


def _store_records(records, total: int, sweep_dir: Path,
                   progress: bool) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    with tqdm(total=total, unit="cell", disable=not progress, mininterval=0.5,
              dynamic_ncols=True) as bar:
        for record in records:
            storage.write_cell(sweep_dir, record)
            counts[record["run"]["status"]] += 1
            bar.set_postfix(diverged=counts[status.DIVERGED], timeout=counts[status.TIMEOUT],
                            errors=counts[status.ERROR], refresh=False)
            bar.update()
    return counts


@contextlib.contextmanager
def parallel_backend(settings: RunSettings, n_cells: int | None = None) -> Iterator[int]:
    """Make joblib use the backend of ``settings``, and yield the number of workers.

    For ``dask`` this connects to ``settings.scheduler`` and closes the connection on
    exit, and ``settings.jobs`` is ignored because the cluster's worker threads set
    the parallelism.
    """
    if settings.backend == "loky":
        jobs = local_workers(settings, n_cells)
        with joblib.parallel_config(backend="loky", n_jobs=jobs):
            yield jobs
        return

    if settings.jobs != -1:
        logger.warning("jobs %d (--jobs or run.jobs) is ignored with the dask backend; "
                       "the cluster's worker threads set the parallelism", settings.jobs)
    client = connect(settings.scheduler)
    try:
        threads = sum(client.nthreads().values())
        with joblib.parallel_config(backend="dask", client=client):
            yield threads
    finally:
        client.close()


def connect(address: str):
    """Return a ``distributed.Client`` connected to the scheduler at ``address``.

    Raises UsageError when dask.distributed is not installed, when the address is
    invalid, when no scheduler responds within ``CONNECT_TIMEOUT_SECONDS`` or when the
    scheduler has no worker within that time.
    """
    try:
        import distributed
    except ImportError:
        raise UsageError("the dask backend needs dask.distributed, which is not "
                         f"installed; install it with {DASK_INSTALL}") from None

    timeout = CONNECT_TIMEOUT_SECONDS
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except ValueError as exc:
        raise UsageError(f"Dask scheduler {address!r} is not a valid address ({exc}); "
                         "give it as tcp://HOST:PORT") from None
    except OSError:
        raise UsageError(f"connection to the Dask scheduler at {address!r} timed "
                         f"out after {timeout:g} s; check the address and that "
                         "`dask scheduler` is running there, or run with --backend "
                         "loky") from None

    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise UsageError(f"the Dask scheduler at {address!r} has no worker after "
                         f"{timeout:g} s; start workers with `dask worker {address} "
                         "--nthreads 1`") from None
    return client
