"""Text of the report: the recommendation, the best-settings table and timings."""

import pandas as pd

from bench.report.tables import paired_wins

METRIC_LABELS = {"final_test_accuracy": "test accuracy", "final_test_loss": "test loss"}


def markdown_table(frame: pd.DataFrame) -> str:
    """Render ``frame`` as a GitHub-flavoured Markdown table."""
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def recommendations(runs: pd.DataFrame, best: pd.DataFrame) -> list[str]:
    """Return one sentence per dataset and loss naming the best optimizer.

    The margin to the runner-up and the count of paired seeds on which the winner was
    ahead show how sure the pick is.
    """
    lines = []
    for (dataset, loss), group in best.groupby(["dataset", "loss"], sort=True):
        leader = group.iloc[0]
        label = METRIC_LABELS[leader["metric"]]
        text = f"**{dataset}, {loss}**: "
        if pd.isna(leader["mean"]):
            lines.append(text + "every run failed.")
            continue
        text += (f"{leader['optimizer']} ({leader['variant']}) reaches {label} "
                 f"{_mean_std(leader)}")
        if len(group) > 1 and not pd.isna(group.iloc[1]["mean"]):
            second = group.iloc[1]
            wins, ties, seeds = paired_wins(runs, leader, second)
            text += (f"; runner-up {second['optimizer']} ({second['variant']}) reaches "
                     f"{second['mean']:.4f}, and {leader['optimizer']} is ahead on "
                     f"{wins} and level on {ties} of {seeds} paired seeds")
        lines.append(text + ".")
    return lines


def best_table(best: pd.DataFrame) -> pd.DataFrame:
    """Return the best setting per dataset, loss and optimizer, formatted for display."""
    return pd.DataFrame({
        "dataset": best["dataset"], "loss": best["loss"], "rank": best["rank"],
        "optimizer": best["optimizer"], "best setting": best["variant"],
        "metric": best["metric"].map(METRIC_LABELS),
        "mean ± std": best.apply(_mean_std, axis=1),
        "min – max": best.apply(lambda row: f"{row['min']:.4f} – {row['max']:.4f}", axis=1),
        "runs ok": (best["runs"] - best["failed"]).astype(str) + "/" + best["runs"].astype(str),
    })


def timing_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Return median and total training seconds per dataset and optimizer."""
    grouped = runs.groupby(["dataset", "optimizer"], sort=True)["train_seconds"]
    table = grouped.agg(["median", "sum", "size"]).reset_index()
    return pd.DataFrame({
        "dataset": table["dataset"], "optimizer": table["optimizer"],
        "cells": table["size"], "median s per cell": table["median"].map("{:.3f}".format),
        "total s": table["sum"].map("{:.1f}".format),
    })


def status_line(runs: pd.DataFrame) -> str:
    counts = runs["status"].value_counts().sort_index()
    parts = ", ".join(f"{name} {count}" for name, count in counts.items())
    return f"{len(runs)} cells: {parts}."


def run_line(meta: dict) -> str:
    """Return how many cells the last command ran, in how long and on how many workers."""
    workers = f"{meta['jobs']} worker" + ("s" if meta["jobs"] != 1 else "")
    if "cells_run" not in meta:
        return f"Merged; the sources took {meta['wall_seconds']:.1f} s in all."
    text = (f"This command ran {meta['cells_run']} of them in "
            f"{meta['wall_seconds']:.1f} s on {workers}")
    stored = meta["cells"] - meta["cells_run"]
    return text + (f"; {stored} were stored before." if stored else ".")


def summary_markdown(name: str, runs: pd.DataFrame, best: pd.DataFrame,
                     meta: dict) -> str:
    """Return the whole ``summary.md`` text."""
    sections = [
        f"# Sweep `{name}`",
        status_line(runs) + " " + run_line(meta),
        "## Which optimizer?",
        "Each optimizer at its best setting (fewest failed runs first, then the best "
        "mean over seeds). Seeds are paired: the same seed starts every optimizer from "
        "the same weights.",
        "\n".join(f"- {line}" for line in recommendations(runs, best)),
        "## Best final result per dataset, loss and optimizer",
        markdown_table(best_table(best)),
        "## Timing",
        "Training seconds per cell, over every loss, learning rate and seed.",
        markdown_table(timing_table(runs)),
    ]
    return "\n\n".join(sections) + "\n"


def _mean_std(row: pd.Series) -> str:
    if pd.isna(row["mean"]):
        return "n/a"
    std = 0.0 if pd.isna(row["std"]) else row["std"]
    return f"{row['mean']:.4f} ± {std:.4f}"
