"""Sweep specification: the axes of the matrix and their expansion into cells."""

import dataclasses
import itertools
from typing import Any

from bench.cells import Cell

# Learning-rate grid per optimizer: three values around the rate that usually works
# for that optimizer on small dense networks (about 0.1 for plain SGD, 0.01 for SGD
# with momentum, 0.001 for RMSProp and Adam). Any other optimizer is tried at its
# default rate divided and multiplied by 10.
DEFAULT_LR_GRIDS: dict[str, tuple[float, ...]] = {
    "sgd": (0.01, 0.1, 0.5),
    "momentum": (0.001, 0.01, 0.05),
    "nesterov": (0.001, 0.01, 0.05),
    "rmsprop": (0.0001, 0.001, 0.01),
    "adam": (0.0001, 0.001, 0.01),
}

# In a learning-rate list, this word stands for the optimizer's default rate.
DEFAULT_LR = "default"


@dataclasses.dataclass(frozen=True)
class OptimizerSpec:
    """One optimizer of a sweep: its name, learning rates and fixed hyperparameters.

    ``lrs`` None means the built-in grid. An entry may be ``DEFAULT_LR``.
    """

    name: str
    lrs: tuple[float | str, ...] | None = None
    hyperparameters: tuple[tuple[str, Any], ...] = ()


@dataclasses.dataclass(frozen=True)
class ScheduleSpec:
    """A learning-rate schedule by name, with its arguments as sorted pairs."""

    name: str = "constant"
    options: tuple[tuple[str, Any], ...] = ()


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    """Axes of a sweep; every combination of them is one cell.

    ``seeds`` is a count: seeds 0 to ``seeds - 1`` run. ``weight_decays`` entries of
    None keep each optimizer's own default. ``targets`` maps a ``csv:PATH`` dataset
    to the name of its target column.
    """

    name: str = "default"
    datasets: tuple[str, ...] = ("digits", "breast_cancer", "wine", "mnist1d")
    optimizers: tuple[OptimizerSpec, ...] = tuple(
        OptimizerSpec(name) for name in ("sgd", "momentum", "rmsprop", "adam"))
    losses: tuple[str, ...] = ("cross_entropy", "mse")
    lrs: tuple[float | str, ...] | None = None
    seeds: int = 3
    base_seed: int = 0
    epochs: tuple[int, ...] = (30,)
    batch_sizes: tuple[int, ...] = (32,)
    dtypes: tuple[str, ...] = ("float64",)
    schedules: tuple[ScheduleSpec, ...] = (ScheduleSpec(),)
    weight_decays: tuple[float | None, ...] = (None,)
    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"
    targets: tuple[tuple[str, str], ...] = ()

    def lr_grid(self, optimizer: OptimizerSpec, default_lr: float) -> tuple[float, ...]:
        """Return the learning rates to try for ``optimizer``.

        An explicit sweep-wide ``lrs`` replaces every grid, then the optimizer's own
        list, then the built-in grid.
        """
        grid = self.lrs or optimizer.lrs
        if grid is None:
            grid = DEFAULT_LR_GRIDS.get(optimizer.name,
                                        (default_lr / 10, default_lr, default_lr * 10))
        return tuple(default_lr if lr == DEFAULT_LR else float(lr) for lr in grid)


def expand(spec: SweepSpec, losses_by_dataset: dict[str, tuple[str, ...]],
           default_lrs: dict[str, float],
           data_versions: dict[str, str] | None = None) -> list[Cell]:
    """Return the cells of ``spec`` in a fixed order.

    ``losses_by_dataset`` gives the losses to run on each dataset (a regression set
    gets no cross-entropy), ``default_lrs`` each optimizer's default rate and
    ``data_versions`` the content hash of each CSV dataset.
    """
    data_versions = data_versions or {}
    targets = dict(spec.targets)
    shared = list(itertools.product(spec.epochs, spec.batch_sizes, spec.dtypes,
                                    spec.schedules, spec.weight_decays))
    cells = []
    for dataset, optimizer in itertools.product(spec.datasets, spec.optimizers):
        grid = spec.lr_grid(optimizer, default_lrs[optimizer.name])
        combos = itertools.product(losses_by_dataset[dataset], grid, shared,
                                   range(spec.seeds))
        for loss, lr, (epochs, batch_size, dtype, schedule, decay), seed in combos:
            cells.append(Cell(
                dataset=dataset, optimizer=optimizer.name, loss=loss, lr=lr, seed=seed,
                batch_size=batch_size, epochs=epochs, hidden=spec.hidden,
                activation=spec.activation, dtype=dtype,
                hyperparameters=optimizer.hyperparameters, weight_decay=decay,
                schedule=schedule.name, schedule_options=schedule.options,
                target=targets.get(dataset), base_seed=spec.base_seed,
                data_version=data_versions.get(dataset)))
    unique = {cell.key: cell for cell in cells}  # a value listed twice runs once
    return list(unique.values())
