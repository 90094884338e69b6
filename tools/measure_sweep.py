"""Measure a sweep's wall time on 1 and 2 workers, the speedup and the harness overhead.

Runs ``python -m bench run`` with ``--force`` several times per worker count, in a
temporary folder, and prints the median of each figure. The harness overhead is the
sweep's wall time (``wall_seconds`` in meta.json, the time spent running cells) over
the sum of the cells' own time divided by the number of workers, minus one. It is
given against the training time alone (``train_seconds``) and against the whole
cell, data loading and model building included (``cell_seconds``).

Usage: python tools/measure_sweep.py [--repeats 3] [--jobs 1,2] [-- extra run flags]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def run_once(folder: Path, jobs: int, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "bench", "run", "--jobs", str(jobs), "--force",
               "--quiet", "--name", f"measure-j{jobs}", "--results-dir",
               str(folder / "results"), "--reports-dir", str(folder / "reports"), *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    command_seconds = time.perf_counter() - started

    sweep_dir = folder / "results" / f"measure-j{jobs}"
    meta = json.loads((sweep_dir / "meta.json").read_text())
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    train_sum = float(runs["train_seconds"].sum())
    cell_sum = float(runs["cell_seconds"].sum())
    return {"jobs": jobs, "cells": len(runs), "command_s": command_seconds,
            "sweep_s": meta["wall_seconds"], "train_sum_s": train_sum,
            "cell_sum_s": cell_sum,
            "overhead_train": meta["wall_seconds"] / (train_sum / jobs) - 1,
            "overhead_cell": meta["wall_seconds"] / (cell_sum / jobs) - 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("extra", nargs="*", help="flags passed on to bench run")
    args = parser.parse_args()
    job_counts = [int(item) for item in args.jobs.split(",")]

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(args.repeats):
            for jobs in job_counts:
                row = run_once(Path(folder), jobs, args.extra)
                print(json.dumps({"repeat": repeat, **row}), flush=True)
                rows.append(row)

    table = pd.DataFrame(rows).groupby("jobs").median(numeric_only=True)
    print(table.to_string(float_format="{:.3f}".format))
    if 1 in table.index:
        for jobs in table.index.drop(1):
            speedup = table.loc[1, "sweep_s"] / table.loc[jobs, "sweep_s"]
            print(f"speedup 1 -> {jobs} workers (median sweep_s): {speedup:.2f}x")


if __name__ == "__main__":
    main()
