"""The ``run`` and ``list`` commands."""

import logging
import shlex
import sys
import time
from pathlib import Path

import joblib

import datasets
from backprop_core import losses, optimizers, schedules
from bench import meta, report, status, storage, validate
from bench.cells import Cell
from bench.options import settings_from_args
from bench.runner import run_cells
from bench.sweep import SweepSpec, expand

logger = logging.getLogger(__name__)


def plan_cells(spec: SweepSpec, losses_given: bool) -> list[Cell]:
    """Return the cells of ``spec`` after checking everything that can be checked early."""
    loaded = validate.load_datasets(spec)
    default_lrs = {opt.name: optimizers.defaults(opt.name)["lr"] for opt in spec.optimizers}
    cells = expand(spec, validate.losses_by_dataset(spec, loaded, losses_given),
                   default_lrs)
    validate.check_cells(cells, loaded)
    return cells


def run(args) -> int:
    """Run a sweep, store its tables and write its report; return the exit code."""
    spec, settings = settings_from_args(args)
    cells = plan_cells(spec, losses_given=args.losses is not None)
    sweep_dir = Path(args.results_dir) / spec.name
    report_dir = Path(args.reports_dir) / spec.name
    jobs = joblib.cpu_count() if settings.jobs == -1 else settings.jobs

    done = set() if args.force else storage.finished_keys(sweep_dir)
    todo = [cell for cell in cells if cell.key not in done]
    print(f"sweep {spec.name!r}: {len(cells)} cells, {len(cells) - len(todo)} already "
          f"stored, {len(todo)} to run on {jobs} workers", file=sys.stderr)

    started, start_time = meta.now(), time.perf_counter()
    try:
        run_cells(todo, sweep_dir, jobs=jobs, progress=not args.quiet,
                  time_limit=settings.cell_timeout)
    except KeyboardInterrupt:
        print(f"interrupted: finished cells are stored in {sweep_dir}; run the same "
              "command again to resume", file=sys.stderr)
        return 130
    wall_seconds = time.perf_counter() - start_time

    records = storage.read_cells(sweep_dir, [cell.key for cell in cells])
    runs, curves = storage.build_tables(records)
    storage.write_tables(sweep_dir, runs, curves)
    info = {"name": spec.name, "command": "python -m bench " + shlex.join(sys.argv[1:]),
            "sweep_file": args.sweep, "started": started,
            "finished": meta.now(), "wall_seconds": wall_seconds, "jobs": jobs,
            "cells": len(cells), "cells_run": len(todo),
            "git_commit": meta.git_commit(Path(__file__).parent), **meta.environment()}
    storage.write_json(sweep_dir / "meta.json", info)
    report.write_report(spec.name, runs, curves, report_dir, info)

    counts = runs["status"].value_counts()
    print(f"{report.summary.status_line(runs)} Tables: {sweep_dir}  Report: "
          f"{report_dir / 'index.html'}", file=sys.stderr)
    return 1 if counts.get(status.ERROR, 0) else 0


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
