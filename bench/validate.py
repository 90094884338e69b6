"""Checks of a whole sweep that need the datasets or the engine, run before any cell."""

import hashlib
from pathlib import Path

import datasets
from backprop_core import losses, optimizers, schedules
from backprop_core.training import steps_per_epoch
from bench.cells import Cell
from bench.checks import CSV_PREFIX
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


def data_versions(spec: SweepSpec) -> dict[str, str]:
    """Return a short SHA-256 of the content of each ``csv:PATH`` dataset of ``spec``."""
    versions = {}
    for name in spec.datasets:
        if name.startswith(CSV_PREFIX):
            content = Path(name[len(CSV_PREFIX):]).read_bytes()
            versions[name] = hashlib.sha256(content).hexdigest()[:16]
    return versions


def losses_by_dataset(spec: SweepSpec, loaded: dict[str, datasets.Dataset],
                      losses_given: bool) -> dict[str, tuple[str, ...]]:
    """Return the losses to run on each dataset of ``spec``.

    A loss that takes logits needs class labels, so it is dropped for a regression set
    when it comes from the default list, and rejected when the user chose it.
    """
    chosen = {}
    for name, data in loaded.items():
        unfit = logit_losses(spec.losses) if data.task == "regression" else []
        fitting = tuple(loss for loss in spec.losses if loss not in unfit)
        if unfit and losses_given:
            raise UsageError(regression_loss_message(unfit[0], name))
        if not fitting:
            raise UsageError(f"no loss in {', '.join(spec.losses)} fits the regression set "
                             f"{name!r}; add mse to the losses")
        chosen[name] = fitting
    return chosen


def logit_losses(names: tuple[str, ...]) -> list[str]:
    """Return the losses of ``names`` that take logits, so need class labels."""
    return [name for name in names if losses.create(name).takes_logits]


def regression_loss_message(loss: str, dataset: str) -> str:
    return (f"loss {loss!r} needs class labels but dataset {dataset!r} is a regression "
            "set; use mse for it")


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
