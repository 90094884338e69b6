"""The sweep and run settings of a ``run`` command line: a sweep file and flags.

Flags override the sweep file, which overrides the built-in default sweep. Checks
that involve several settings run after the merge and name the flag or the sweep
file key that set the value at fault.
"""

import argparse
import dataclasses
from pathlib import Path

import datasets
from bench import checks, validate
from bench.errors import UsageError
from bench.settings import BACKENDS, RunSettings
from bench.sweep import OptimizerSpec, ScheduleSpec, SweepSpec
from bench.sweep_file import SweepFile, read_sweep_file

# The command-line flag of each SweepSpec and RunSettings field.
FLAGS = {"name": "--name", "datasets": "--datasets", "optimizers": "--optimizers",
         "losses": "--losses", "lrs": "--lrs", "seeds": "--seeds", "epochs": "--epochs",
         "batch_sizes": "--batch-size", "dtypes": "--dtypes", "schedules": "--schedules",
         "weight_decays": "--weight-decays", "jobs": "--jobs",
         "cell_timeout": "--cell-timeout", "backend": "--backend",
         "scheduler": "--scheduler"}


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
        "schedules": list_flag("--schedules", args.schedules, _schedule),
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


@dataclasses.dataclass(frozen=True)
class Origins:
    """Source of each setting of a ``run`` command line: a flag or a sweep file key."""

    args: argparse.Namespace
    sweep_file: SweepFile | None

    def of(self, field: str) -> str | None:
        """Return the flag or ``FILE: KEY`` that sets ``field``, None for the default."""
        flag = FLAGS.get(field)
        if flag is not None and getattr(self.args, flag[2:].replace("-", "_")) is not None:
            return flag
        return self.in_file(field)

    def in_file(self, field: str) -> str | None:
        """Return ``FILE: KEY`` where the sweep file sets ``field``, else None."""
        if self.sweep_file is None:
            return None
        key = self.sweep_file.spec_keys.get(field) or self.sweep_file.run_keys.get(field)
        return None if key is None else f"{self.sweep_file.path}: {key}"


def settings_from_args(args) -> tuple[SweepSpec, RunSettings]:
    """Return the sweep and run settings of a ``run`` command line."""
    spec, run = SweepSpec(), RunSettings()
    sweep_file = None
    if args.sweep is not None:
        sweep_file = read_sweep_file(Path(args.sweep))
        spec, run = sweep_file.spec, sweep_file.run
    spec, run = sweep_from_args(args, spec), run_from_args(args, run)

    origins = Origins(args, sweep_file)
    check_scheduler(run, origins)
    check_csv_targets(spec, origins)
    check_regression_losses(spec, origins)
    check_weight_decay_set_once(spec, origins)
    return spec, run


def losses_chosen(args) -> bool:
    """Return whether ``--losses`` or the sweep file sets the losses.

    Chosen losses must all fit every dataset, while the built-in list quietly drops
    cross-entropy for a regression set. Call it after ``settings_from_args``, which
    checks the sweep file.
    """
    if args.losses is not None:
        return True
    return args.sweep is not None and "losses" in read_sweep_file(Path(args.sweep)).spec_keys


def check_scheduler(run: RunSettings, origins: Origins) -> None:
    if run.backend == "dask" and not run.scheduler:
        raise UsageError(f"{origins.of('backend')}: the dask backend needs the address "
                         "of a running Dask scheduler; pass --scheduler tcp://HOST:PORT "
                         "or set run.scheduler in the sweep file")


def check_csv_targets(spec: SweepSpec, origins: Origins) -> None:
    """Reject a ``csv:PATH`` dataset from ``--datasets`` that has no target column.

    A sweep file's own csv datasets are checked when the file is read.
    """
    targets = dict(spec.targets)
    for name in spec.datasets:
        if name.startswith(checks.CSV_PREFIX) and name not in targets:
            raise UsageError(f"{origins.of('datasets')}: dataset {name!r} needs its "
                             "target column, which only a sweep file can set: add "
                             f"\"{name}\" = \"COLUMN\" under [targets] in a sweep file "
                             "and pass the file")


def check_regression_losses(spec: SweepSpec, origins: Origins) -> None:
    """Reject chosen losses that need class labels on a registered regression set.

    The task of a ``csv:PATH`` set is known only once the file is loaded, so
    ``validate.losses_by_dataset`` checks those sets.
    """
    where = origins.of("losses")
    unfit = validate.logit_losses(spec.losses)
    if where is None or not unfit:
        return
    for name in spec.datasets:
        if not name.startswith(checks.CSV_PREFIX) \
                and datasets.describe(name).task == "regression":
            raise UsageError(f"{where}: {validate.regression_loss_message(unfit[0], name)}")


def check_weight_decay_set_once(spec: SweepSpec, origins: Origins) -> None:
    """Reject a weight decay set both as an optimizer hyperparameter and as an axis.

    The axis would silently replace the hyperparameter.
    """
    axis = origins.of("weight_decays")
    if axis is None:
        return
    for optimizer in spec.optimizers:
        if "weight_decay" in dict(optimizer.hyperparameters):
            # Only [[optimizers]] tables of a sweep file set hyperparameters.
            raise UsageError(f"{origins.in_file('optimizers')}: optimizer "
                             f"{optimizer.name!r} sets weight_decay as a hyperparameter, "
                             f"and {axis} sets the weight decay of every optimizer; set "
                             "it in one place")


def _positive(flag: str, value) -> int:
    return checks.check_int(flag, value, 1)


def _schedule(flag: str, value) -> ScheduleSpec:
    return ScheduleSpec(checks.check_schedule(flag, value))
