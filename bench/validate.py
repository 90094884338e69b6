"""Checks of a whole sweep that need the datasets or the engine, run before any cell."""

import datasets
from backprop_core import losses, optimizers, schedules
from backprop_core.training import steps_per_epoch
from bench.cells import Cell
from bench.errors import UsageError
from bench.sweep import SweepSpec


def load_datasets(spec: SweepSpec) -> dict[str, datasets.Dataset]:
    """Load every dataset of ``spec`` once (seed 0), turning a load error into a UsageError."""
    targets = dict(spec.targets)
    loaded = {}
    for name in spec.datasets:
        try:
            loaded[name] = datasets.load(name, seed=0, target=targets.get(name))
        except ValueError as exc:
            raise UsageError(f"dataset {name!r}: {exc}") from None
    return loaded


def losses_by_dataset(spec: SweepSpec, loaded: dict[str, datasets.Dataset],
                      losses_given: bool) -> dict[str, tuple[str, ...]]:
    """Return the losses to run on each dataset of ``spec``.

    A loss that takes logits needs class labels, so it is dropped for a regression set
    when it comes from the default list, and rejected when the user chose it.
    """
    chosen = {}
    for name, data in loaded.items():
        fitting = tuple(loss for loss in spec.losses
                        if data.task == "classification"
                        or not losses.create(loss).takes_logits)
        unfit = [loss for loss in spec.losses if loss not in fitting]
        if unfit and losses_given:
            raise UsageError(f"loss {unfit[0]!r} needs class labels but dataset {name!r} "
                             "is a regression set; use mse for it")
        if not fitting:
            raise UsageError(f"no loss in {', '.join(spec.losses)} fits the regression set "
                             f"{name!r}; add mse to the losses")
        chosen[name] = fitting
    return chosen


def check_cells(cells: list[Cell], loaded: dict[str, datasets.Dataset]) -> None:
    """Create each distinct optimizer and schedule of ``cells`` once, to reject bad values.

    Raises UsageError with the engine's message, which names the value.
    """
    seen_optimizers, seen_schedules = set(), set()
    for cell in cells:
        settings = cell.optimizer_settings()
        key = (cell.optimizer, tuple(sorted(settings.items())))
        if key not in seen_optimizers:
            seen_optimizers.add(key)
            _create("optimizer", cell.optimizer, optimizers.create, cell.optimizer,
                    **settings)

        total_steps = cell.epochs * steps_per_epoch(len(loaded[cell.dataset].X_train),
                                                    cell.batch_size)
        key = (cell.schedule, cell.schedule_options, cell.lr, total_steps)
        if key not in seen_schedules:
            seen_schedules.add(key)
            _create("schedule", cell.schedule, schedules.create, cell.schedule,
                    lr=cell.lr, total_steps=total_steps, **dict(cell.schedule_options))


def _create(kind: str, name: str, factory, *args, **kwargs) -> None:
    try:
        factory(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{kind} {name!r}: {exc}") from None
