"""Sweep files: a TOML description of a sweep's axes and run settings.

Every mistake is reported as a UsageError naming the file and the key, before any
cell runs. A file looks like this (every key is optional)::

    name = "my-study"

    [axes]
    datasets = ["digits", "csv:data/houses.csv"]
    losses = ["cross_entropy", "mse"]
    lrs = [0.001, 0.01]          # replaces every optimizer's own list
    seeds = 3
    base_seed = 0
    epochs = [30]
    batch_sizes = [32, 128]
    dtypes = ["float64"]
    schedules = ["constant", { name = "cosine", warmup_steps = 100 }]
    weight_decays = [0.0, 0.0001]

    [[optimizers]]
    name = "adam"
    lrs = [0.0001, 0.001, "default"]
    hyperparameters = { amsgrad = true }

    [model]
    hidden = [64]
    activation = "relu"

    [run]
    jobs = -1
    cell_timeout = 600
    backend = "loky"             # or "dask", with scheduler = "tcp://HOST:PORT"

    [targets]
    "csv:data/houses.csv" = "price"
"""

import dataclasses
import tomllib
from pathlib import Path

from backprop_core import optimizers, schedules
from bench import checks
from bench.errors import UsageError
from bench.settings import BACKENDS, RunSettings
from bench.sweep import OptimizerSpec, ScheduleSpec, SweepSpec

TOP_KEYS = ("name", "axes", "optimizers", "model", "run", "targets")
AXIS_KEYS = ("datasets", "losses", "lrs", "seeds", "base_seed", "epochs", "batch_sizes",
             "dtypes", "schedules", "weight_decays", "optimizers")
OPTIMIZER_KEYS = ("name", "lrs", "hyperparameters")
MODEL_KEYS = ("hidden", "activation")
RUN_KEYS = ("jobs", "cell_timeout", "backend", "scheduler")
# Schedule options are checked when the file is read, before the number of steps per
# run is known, so the schedule is built with this many steps. validate.check_cells
# checks warmup_steps against each cell's own number of steps later.
CHECK_TOTAL_STEPS = 2**31


@dataclasses.dataclass(frozen=True)
class SweepFile:
    """A checked sweep file.

    ``spec_keys`` maps each SweepSpec field that the file sets to its key in the file,
    such as ``axes.losses``, and ``run_keys`` does the same for RunSettings fields.
    """

    path: str
    spec: SweepSpec
    run: RunSettings
    spec_keys: dict[str, str]
    run_keys: dict[str, str]


def load_sweep_file(path: Path) -> tuple[SweepSpec, RunSettings]:
    """Read and check a sweep file; return its sweep and run settings."""
    sweep_file = read_sweep_file(path)
    return sweep_file.spec, sweep_file.run


def read_sweep_file(path: Path) -> SweepFile:
    """Read and check a sweep file; return it with the keys that it sets."""
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"sweep file {str(path)!r} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read sweep file {str(path)!r}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    return _Reader(str(path)).read(data)


class _Reader:
    """Converts the parsed TOML into specs, naming ``file: key`` in every error."""

    def __init__(self, file: str):
        self.file = file

    def where(self, key: str) -> str:
        return f"{self.file}: {key}"

    def table(self, key: str, value, allowed: tuple[str, ...] | None) -> dict:
        """Check that ``value`` is a table whose keys are all in ``allowed``."""
        if not isinstance(value, dict):
            raise UsageError(f"{self.where(key)} must be a table, got {value!r}")
        for name in value if allowed is not None else ():
            if name not in allowed:
                full = f"{key}.{name}" if key else name
                raise UsageError(f"{self.where(full)}: unknown key; valid keys: "
                                 f"{', '.join(allowed)}")
        return value

    def items(self, key: str, value, check, single_ok: bool = False) -> tuple:
        if single_ok and not isinstance(value, list):
            return (check(self.where(key), value),)
        if not isinstance(value, list):
            raise UsageError(f"{self.where(key)} must be a list, got {value!r}")
        if not value:
            raise UsageError(f"{self.where(key)} is empty; give at least one value")
        return tuple(check(f"{self.where(key)}[{index}]", item)
                     for index, item in enumerate(value))

    def read(self, data: dict) -> SweepFile:
        self.table("", data, TOP_KEYS)
        fields = {}
        if "name" in data:
            fields["name"] = checks.check_sweep_name(self.where("name"), data["name"])
        axes = self.table("axes", data.get("axes", {}), AXIS_KEYS)
        fields.update(self.axes(axes))
        if "optimizers" in data:
            if "optimizers" in axes:
                raise UsageError(f"{self.where('optimizers')}: optimizers are set both "
                                 "in axes.optimizers and as [[optimizers]] tables; keep "
                                 "one of the two")
            fields["optimizers"] = self.optimizers("optimizers", data["optimizers"])
        fields.update(self.model(self.table("model", data.get("model", {}), MODEL_KEYS)))
        if "targets" in data:
            fields["targets"] = self.targets(data["targets"])
        spec = SweepSpec(**fields)
        self.check_targets(spec)
        run_fields = self.run(self.table("run", data.get("run", {}), RUN_KEYS))
        return SweepFile(self.file, spec, RunSettings(**run_fields),
                         {name: _spec_key(name, axes) for name in fields},
                         {name: f"run.{name}" for name in run_fields})

    def axes(self, axes: dict) -> dict:
        readers = {
            "datasets": lambda key, v: self.items(key, v, checks.check_dataset),
            "losses": lambda key, v: self.items(key, v, checks.check_loss),
            "lrs": lambda key, v: self.items(key, v, checks.check_lr),
            "seeds": lambda key, v: checks.check_int(self.where(key), v, 1),
            "base_seed": lambda key, v: checks.check_int(self.where(key), v, 0),
            "epochs": lambda key, v: self.items(key, v, _positive, single_ok=True),
            "batch_sizes": lambda key, v: self.items(key, v, _positive),
            "dtypes": lambda key, v: self.items(key, v, checks.check_dtype),
            "schedules": lambda key, v: self.items(key, v, self.schedule),
            "weight_decays": lambda key, v: self.items(key, v, checks.check_weight_decay),
            "optimizers": lambda key, v: self.items(key, v, self.optimizer_name),
        }
        return {name: readers[name](f"axes.{name}", value) for name, value in axes.items()}

    def optimizer_name(self, where: str, value) -> OptimizerSpec:
        return OptimizerSpec(checks.check_optimizer(where, value))

    def schedule(self, where: str, value) -> ScheduleSpec:
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict) or "name" not in value:
            raise UsageError(f"{where}: {value!r} is neither a schedule name nor a table "
                             "with a 'name' key")
        name = checks.check_schedule(where, value["name"])
        options = {key: item for key, item in value.items() if key != "name"}
        try:
            schedules.create(name, lr=1.0, total_steps=CHECK_TOTAL_STEPS, **options)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"{where}: {exc}") from None
        return ScheduleSpec(name, _sorted_pairs(options))

    def optimizers(self, key: str, value) -> tuple[OptimizerSpec, ...]:
        entries = self.items(key, value, lambda where, entry: entry)
        return tuple(self.optimizer_entry(f"{key}[{index}]", entry)
                     for index, entry in enumerate(entries))

    def optimizer_entry(self, key: str, entry) -> OptimizerSpec:
        self.table(key, entry, OPTIMIZER_KEYS)
        if "name" not in entry:
            raise UsageError(f"{self.where(key)}: missing key 'name'")
        name = checks.check_optimizer(self.where(f"{key}.name"), entry["name"])
        lrs = None
        if "lrs" in entry:
            lrs = self.items(f"{key}.lrs", entry["lrs"], checks.check_lr)
        hyperparameters = self.hyperparameters(f"{key}.hyperparameters", name,
                                               entry.get("hyperparameters", {}))
        return OptimizerSpec(name, lrs, _sorted_pairs(hyperparameters))

    def hyperparameters(self, key: str, optimizer: str, value) -> dict:
        """Check an optimizer's hyperparameters by creating the optimizer with them.

        An integer given for a float hyperparameter becomes a float, so that
        ``momentum = 0`` and ``momentum = 0.0`` give the same cell key.
        """
        value = self.table(key, value, None)
        defaults = optimizers.defaults(optimizer)
        valid = [name for name in defaults if name != "lr"]
        checked = {}
        for name, item in value.items():
            if name == "lr":
                raise UsageError(f"{self.where(key + '.lr')}: set learning rates with "
                                 "lrs in the [[optimizers]] table or axes.lrs, not as a "
                                 "hyperparameter")
            if name not in defaults:
                raise UsageError(f"{self.where(f'{key}.{name}')}: unknown hyperparameter "
                                 f"of optimizer {optimizer!r}; valid hyperparameters: "
                                 f"{', '.join(valid)}")
            if isinstance(defaults[name], float) and checks.is_number(item):
                item = float(item)
            checked[name] = item
        try:
            optimizers.create(optimizer, **dict(_sorted_pairs(checked)))
        except (TypeError, ValueError) as exc:
            raise UsageError(f"{self.where(key)}: {exc}") from None
        return checked

    def model(self, model: dict) -> dict:
        fields = {}
        if "hidden" in model:
            hidden = model["hidden"]
            if not isinstance(hidden, list):
                raise UsageError(f"{self.where('model.hidden')} must be a list of layer "
                                 f"widths, got {hidden!r}")
            fields["hidden"] = tuple(_positive(f"{self.where('model.hidden')}[{i}]", width)
                                     for i, width in enumerate(hidden))
        if "activation" in model:
            fields["activation"] = checks.check_activation(self.where("model.activation"),
                                                           model["activation"])
        return fields

    def targets(self, targets) -> tuple[tuple[str, str], ...]:
        if not isinstance(targets, dict):
            raise UsageError(f"{self.where('targets')} must be a table, got {targets!r}")
        for dataset, column in targets.items():
            if not dataset.startswith(checks.CSV_PREFIX):
                raise UsageError(f"{self.where('targets.' + dataset)}: targets apply "
                                 f"only to {checks.CSV_PREFIX}PATH datasets, and "
                                 f"{dataset!r} is not one")
            if not (isinstance(column, str) and column):
                raise UsageError(f"{self.where('targets.' + dataset)}: {column!r} is not "
                                 "a column name")
        return _sorted_pairs(targets)

    def check_targets(self, spec: SweepSpec) -> None:
        targets = dict(spec.targets)
        for dataset in spec.datasets:
            if dataset.startswith(checks.CSV_PREFIX) and dataset not in targets:
                raise UsageError(f"{self.where('targets')}: dataset {dataset!r} needs its "
                                 f"target column: add \"{dataset}\" = \"COLUMN\" under "
                                 "[targets]")

    def run(self, run: dict) -> dict:
        """Return the RunSettings fields that ``run`` sets, checked."""
        fields = {}
        if "jobs" in run:
            fields["jobs"] = checks.check_jobs(self.where("run.jobs"), run["jobs"])
        if "cell_timeout" in run:
            fields["cell_timeout"] = checks.check_timeout(self.where("run.cell_timeout"),
                                                          run["cell_timeout"])
        if "backend" in run:
            fields["backend"] = checks.check_choice(self.where("run.backend"),
                                                    run["backend"], list(BACKENDS))
        if "scheduler" in run:
            if not isinstance(run["scheduler"], str):
                raise UsageError(f"{self.where('run.scheduler')}: {run['scheduler']!r} is "
                                 "not an address such as tcp://HOST:PORT")
            fields["scheduler"] = run["scheduler"]
        return fields


def _spec_key(field: str, axes: dict) -> str:
    """Return the key of the sweep file that sets SweepSpec ``field``."""
    if field in ("name", "targets"):
        return field
    if field in MODEL_KEYS:
        return f"model.{field}"
    if field == "optimizers" and field not in axes:
        return "optimizers"
    return f"axes.{field}"


def _positive(where: str, value) -> int:
    return checks.check_int(where, value, 1)


def _sorted_pairs(mapping: dict) -> tuple:
    """Return ``mapping`` as sorted (key, value) pairs, lists turned into tuples."""
    return tuple(sorted((key, tuple(value) if isinstance(value, list) else value)
                        for key, value in mapping.items()))

