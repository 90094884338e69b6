"""The ``run``, ``merge`` and ``list`` commands."""

import logging
import shlex
import sys
import time
from pathlib import Path

import datasets
from backprop_core import losses, optimizers, schedules
from bench import meta, report, status, storage, validate
from bench.cells import Cell
from bench.merge import check_merge, merge_sweeps, merged_meta
from bench.options import losses_chosen, settings_from_args
from bench.runner import local_workers, run_cells
from bench.settings import RunSettings
from bench.sweep import SweepSpec, expand

logger = logging.getLogger(__name__)


def plan_cells(spec: SweepSpec, losses_given: bool) -> list[Cell]:
    """Return the cells of ``spec``, longest first, after every check that can run early.

    Starting the longest cells first keeps every worker busy until near the end, so
    the sweep does not wait on one long cell started last.
    """
    loaded = validate.load_datasets(spec)
    default_lrs = {opt.name: optimizers.defaults(opt.name)["lr"] for opt in spec.optimizers}
    cells = expand(spec, validate.losses_by_dataset(spec, loaded, losses_given),
                   default_lrs, validate.data_versions(spec))
    validate.check_cells(cells, loaded)

    shapes = {name: data.X_train.shape for name, data in loaded.items()}
    return sorted(cells, key=lambda cell: estimated_work(cell, *shapes[cell.dataset]),
                  reverse=True)


def estimated_work(cell: Cell, n_train: int, n_features: int) -> int:
    """Return a rough cost of a cell: samples seen times weights up to the last hidden layer."""
    widths = [n_features, *cell.hidden]
    weights = sum(a * b for a, b in zip(widths, widths[1:])) + widths[-1]
    return cell.epochs * n_train * weights


def run(args) -> int:
    """Run a sweep, store its tables and write its report; return the exit code."""
    spec, settings = settings_from_args(args)
    cells = plan_cells(spec, losses_given=losses_chosen(args))
    sweep_dir = Path(args.results_dir) / spec.name
    report_dir = Path(args.reports_dir) / spec.name

    storage.prepare_folders(sweep_dir / storage.CELLS_FOLDER, report_dir)
    storage.remove_stale_temporaries(sweep_dir)
    done = set() if args.force else storage.completed_keys(sweep_dir)
    todo = [cell for cell in cells if cell.key not in done]
    print(f"sweep {spec.name!r}: {len(cells)} cells, {len(cells) - len(todo)} already "
          f"stored, {len(todo)} to run on {_workers_text(settings, len(todo))}", file=sys.stderr)

    started, start_time = meta.now(), time.perf_counter()
    try:
        outcome = run_cells(todo, sweep_dir, settings, progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"interrupted: cells that finished are stored in {sweep_dir}; run the same "
              "command again to resume", file=sys.stderr)
        return 130
    wall_seconds = time.perf_counter() - start_time

    records = storage.read_cells(sweep_dir, [cell.key for cell in cells])
    runs, curves = storage.build_tables(records)
    storage.write_tables(sweep_dir, runs, curves)
    info = {"name": spec.name, "command": "python -m bench " + shlex.join(sys.argv[1:]),
            "sweep_file": args.sweep, "started": started,
            "finished": meta.now(), "wall_seconds": wall_seconds,
            "jobs": outcome.workers, "backend": settings.backend,
            "scheduler": settings.scheduler,
            "cells": len(cells), "cells_run": len(todo),
            "git_commit": meta.git_commit(Path(__file__).parent), **meta.environment()}
    storage.write_json(sweep_dir / "meta.json", info)
    report.write_report(spec.name, runs, curves, report_dir, info)

    counts = runs["status"].value_counts()
    print(f"{report.summary.status_line(runs)} Tables: {sweep_dir}  Report: "
          f"{report_dir / 'index.html'}", file=sys.stderr)
    return 1 if counts.get(status.ERROR, 0) else 0


def merge(args) -> int:
    """Merge stored sweeps into one, rebuild its tables and write its report.

    Returns 1 when a cell of the merged sweep has status error, as ``run`` does.
    """
    results_dir = Path(args.results_dir)
    check_merge(results_dir, args.sources, args.name)
    result = merge_sweeps(results_dir, args.sources, args.name)

    target_dir = results_dir / args.name
    report_dir = Path(args.reports_dir) / args.name
    records = storage.read_cells(target_dir, sorted(storage.finished_keys(target_dir)))
    runs, curves = storage.build_tables(records)
    storage.write_tables(target_dir, runs, curves)
    info = {"name": args.name, "command": "python -m bench " + shlex.join(sys.argv[1:]),
            "finished": meta.now(), "cells": len(runs),
            "duplicates": result.duplicates, "conflicts": len(result.conflicts),
            **merged_meta(results_dir, args.sources),
            "git_commit": meta.git_commit(Path(__file__).parent)}
    storage.write_json(target_dir / "meta.json", info)
    report.write_report(args.name, runs, curves, report_dir, info)

    read = ", ".join(f"{name!r} ({count} cells)"
                     for name, count in result.cells_read.items())
    print(f"merged {read} into {args.name!r}: {result.duplicates} duplicate keys, "
          f"{len(result.conflicts)} conflicts. {report.summary.status_line(runs)} "
          f"Tables: {target_dir}  Report: {report_dir / 'index.html'}", file=sys.stderr)
    return 1 if (runs["status"] == status.ERROR).any() else 0


def _workers_text(settings: RunSettings, n_cells: int) -> str:
    if settings.backend == "dask":
        return f"the Dask cluster at {settings.scheduler}"
    workers = local_workers(settings, n_cells)
    return f"{workers} worker" + ("s" if workers != 1 else "")


def list_choices() -> int:
    """Print the datasets, optimizers with their defaults, and losses."""
    print("datasets:")
    for name in datasets.names():
        print(f"  {name}")
    print("optimizers (hyperparameter=default):")
    for name in optimizers.names():
        settings = ", ".join(f"{key}={value}" for key, value in optimizers.defaults(name).items())
        print(f"  {name:10s} {settings}")
    print("losses:")
    for name in losses.names():
        print(f"  {name}")
    print("schedules (indexed by optimizer step; warmup_steps=N adds linear warmup):")
    for name in schedules.names():
        print(f"  {name}")
    return 0
