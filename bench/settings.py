"""Run settings: how a sweep runs, as opposed to what it computes."""

import dataclasses

BACKENDS = ("loky", "dask")


@dataclasses.dataclass(frozen=True)
class RunSettings:
    """Workers, per-cell time limit and parallel backend of a sweep.

    ``jobs`` -1 uses every core. ``cell_timeout`` None lets a cell run as long as it
    needs. ``scheduler`` is the address of a Dask scheduler for the ``dask`` backend.
    """

    jobs: int = -1
    cell_timeout: float | None = None
    backend: str = "loky"
    scheduler: str | None = None
