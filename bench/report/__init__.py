"""Report of a sweep: convergence plots, ``summary.md`` and ``index.html``."""

import logging
from pathlib import Path

import pandas as pd

from bench import status
from bench.report.html import index_html
from bench.report.plots import plot_convergence, plot_file_name
from bench.report.summary import summary_markdown
from bench.report.tables import (VARIANT, best_curves, best_settings, setting_scores,
                                 variant_label, varying_columns)

logger = logging.getLogger(__name__)


def write_report(name: str, runs: pd.DataFrame, curves: pd.DataFrame, report_dir: Path,
                 meta: dict) -> None:
    """Write the plots, ``summary.md`` and ``index.html`` of a sweep to ``report_dir``."""
    report_dir.mkdir(parents=True, exist_ok=True)
    done = runs[runs["status"] != status.ERROR]
    if done.empty:
        logger.warning("no cell finished without an error; the report has no results")
    best = best_settings(setting_scores(done)) if not done.empty else _empty_best()
    varying = varying_columns(done)
    best["variant"] = [variant_label(row, varying) for _, row in best.iterrows()]

    plot_files = []
    for (dataset, loss), group in best.groupby(["dataset", "loss"], sort=True):
        file_name = plot_file_name(dataset, loss)
        task = done.loc[done["dataset"] == dataset, "task"].iloc[0]
        plot_convergence(best_curves(done, curves, group), group, task,
                         report_dir / file_name)
        plot_files.append(file_name)

    (report_dir / "summary.md").write_text(summary_markdown(name, runs, best, meta))
    (report_dir / "index.html").write_text(index_html(name, runs, best, plot_files, meta))


def _empty_best() -> pd.DataFrame:
    columns = ["dataset", "loss", "optimizer", "lr", "mean", "std", "min", "max", "runs",
               "failed", "train_seconds", "metric", "higher_is_better", "rank",
               *VARIANT]
    return pd.DataFrame(columns=columns)
