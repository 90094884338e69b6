"""The sweep and run settings of a ``run`` command line: a sweep file and flags.

Flags override the sweep file, which overrides the built-in default sweep.
"""

import dataclasses
from pathlib import Path

from bench import checks
from bench.errors import UsageError
from bench.settings import BACKENDS, RunSettings
from bench.sweep import OptimizerSpec, ScheduleSpec, SweepSpec
from bench.sweep_file import load_sweep_file


def split_list(flag: str, text: str) -> list[str]:
    """Split a comma-separated flag value, rejecting empty items."""
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise UsageError(f"{flag}: {text!r} has an empty item; separate values with "
                         "single commas")
    return items


def number(text: str):
    """Return ``text`` as an int or a float, or unchanged when it is neither."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def list_flag(flag: str, text: str | None, check, convert=str) -> tuple | None:
    if text is None:
        return None
    return tuple(check(flag, convert(item)) for item in split_list(flag, text))


def optimizer_specs(text: str | None, current: tuple[OptimizerSpec, ...]) -> tuple | None:
    """Return the ``--optimizers`` list, keeping a sweep file's entry for a name."""
    names = list_flag("--optimizers", text, checks.check_optimizer)
    if names is None:
        return None
    by_name = {spec.name: spec for spec in current}
    return tuple(by_name.get(name, OptimizerSpec(name)) for name in names)


def sweep_from_args(args, spec: SweepSpec) -> SweepSpec:
    """Return ``spec`` with every sweep flag given on the command line applied."""
    changes = {
        "name": None if args.name is None else checks.check_sweep_name("--name", args.name),
        "datasets": list_flag("--datasets", args.datasets, checks.check_dataset),
        "optimizers": optimizer_specs(args.optimizers, spec.optimizers),
        "losses": list_flag("--losses", args.losses, checks.check_loss),
        "lrs": list_flag("--lrs", args.lrs, checks.check_lr, number),
        "seeds": None if args.seeds is None else checks.check_int("--seeds", args.seeds, 1),
        "epochs": None if args.epochs is None else (checks.check_int("--epochs", args.epochs, 1),),
        "batch_sizes": list_flag("--batch-size", args.batch_size, _positive, number),
        "dtypes": list_flag("--dtypes", args.dtypes, checks.check_dtype),
        "schedules": list_flag("--schedules", args.schedules, lambda _, name: ScheduleSpec(name)),
        "weight_decays": list_flag("--weight-decays", args.weight_decays,
                                   checks.check_weight_decay, number),
    }
    return dataclasses.replace(spec, **{k: v for k, v in changes.items() if v is not None})


def run_from_args(args, run: RunSettings) -> RunSettings:
    """Return ``run`` with the run flags given on the command line applied."""
    changes = {
        "jobs": None if args.jobs is None else checks.check_jobs("--jobs", args.jobs),
        "cell_timeout": None if args.cell_timeout is None
        else checks.check_timeout("--cell-timeout", args.cell_timeout),
        "backend": None if args.backend is None
        else checks.check_choice("--backend", args.backend, list(BACKENDS)),
        "scheduler": args.scheduler,
    }
    return dataclasses.replace(run, **{k: v for k, v in changes.items() if v is not None})


def settings_from_args(args) -> tuple[SweepSpec, RunSettings]:
    """Return the sweep and run settings of a ``run`` command line."""
    spec, run = SweepSpec(), RunSettings()
    if args.sweep is not None:
        spec, run = load_sweep_file(Path(args.sweep))
    spec, run = sweep_from_args(args, spec), run_from_args(args, run)
    if run.backend == "dask" and not run.scheduler:
        raise UsageError("--backend dask needs --scheduler tcp://HOST:PORT, the address "
                         "of a running Dask scheduler")
    return spec, run


def _positive(flag: str, value) -> int:
    return checks.check_int(flag, value, 1)
