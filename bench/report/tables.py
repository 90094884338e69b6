"""Report data: the best setting of each optimizer and the tables built on it.

Everything here takes the ``runs`` and ``curves`` tables and returns DataFrames, so
that plots and text are rendered from the same numbers.
"""

import numpy as np
import pandas as pd

from bench import status

GROUP = ["dataset", "loss"]
# Columns that together fix one optimizer setting; its seeds are its replicates.
VARIANT = ["lr", "batch_size", "epochs", "dtype", "schedule", "schedule_options",
           "weight_decay", "hyperparameters"]
SETTING = GROUP + ["optimizer"] + VARIANT


def metric_of(task: str) -> tuple[str, bool]:
    """Return the final metric column for ``task`` and whether higher is better."""
    if task == "classification":
        return "final_test_accuracy", True
    return "final_test_loss", False


def setting_scores(runs: pd.DataFrame) -> pd.DataFrame:
    """Score every setting (dataset, loss, optimizer and variant) over its seeds.

    Only runs with status ``ok`` enter the mean, standard deviation, min and max;
    ``failed`` counts the other runs of the setting.
    """
    frames = []
    for (dataset, loss), group in runs.groupby(GROUP, sort=True):
        metric, higher_is_better = metric_of(group["task"].iloc[0])
        ok = group["status"] == status.OK
        scores = group.assign(score=group[metric].where(ok), failed=~ok)
        table = scores.groupby(SETTING, sort=True).agg(
            mean=("score", "mean"), std=("score", "std"), min=("score", "min"),
            max=("score", "max"), runs=("score", "size"), failed=("failed", "sum"),
            train_seconds=("train_seconds", "median"))
        table["metric"] = metric
        table["higher_is_better"] = higher_is_better
        frames.append(table.reset_index())
    return pd.concat(frames, ignore_index=True)


def best_settings(scores: pd.DataFrame) -> pd.DataFrame:
    """Pick each optimizer's best variant (learning rate etc.) per dataset and loss.

    The setting with the fewest failed runs wins, and among those the best mean
    metric, so a rate that diverges on some seeds never beats one that never does.
    The result is ranked within each dataset and loss, best first.
    """
    ranked = scores.assign(order=np.where(scores["higher_is_better"], -scores["mean"],
                                          scores["mean"]))
    ranked = ranked.sort_values(GROUP + ["optimizer", "failed", "order"], na_position="last")
    best = ranked.groupby(GROUP + ["optimizer"], sort=False).head(1)
    best = best.sort_values(GROUP + ["failed", "order"], na_position="last")
    best["rank"] = best.groupby(GROUP).cumcount() + 1
    return best.drop(columns="order").reset_index(drop=True)


def paired_wins(runs: pd.DataFrame, first: pd.Series,
                second: pd.Series) -> tuple[int, int, int]:
    """Count the seeds on which setting ``first`` beats and ties ``second``.

    Returns (wins, ties, seeds), where ``seeds`` counts the seeds both ran.
    Both settings start each seed from the same weights and batches, so the seeds
    pair up. A seed where either run failed is left out.
    """
    def per_seed(setting: pd.Series) -> pd.Series:
        mask = np.logical_and.reduce([runs[c] == setting[c] for c in SETTING])
        chosen = runs[mask & (runs["status"] == status.OK)]
        return chosen.set_index("seed")[setting["metric"]]

    a, b = per_seed(first).align(per_seed(second), join="inner")
    wins = (a > b) if first["higher_is_better"] else (a < b)
    return int(wins.sum()), int((a == b).sum()), int(len(a))


def variant_label(setting: pd.Series, varying: list[str]) -> str:
    """Return a short label of a setting: its learning rate and other varying axes."""
    parts = [f"lr={setting['lr']:g}"]
    parts += [f"{column}={setting[column]}" for column in varying if column != "lr"]
    return ", ".join(parts)


def varying_columns(runs: pd.DataFrame) -> list[str]:
    """Return the variant columns that take more than one value in ``runs``."""
    return [column for column in VARIANT if runs[column].nunique(dropna=False) > 1]


def best_curves(runs: pd.DataFrame, curves: pd.DataFrame, best: pd.DataFrame) -> pd.DataFrame:
    """Return mean, min and max per epoch of each best setting's curves over seeds.

    Non-finite values (a diverged run's last epoch) become NaN and are skipped.
    """
    chosen = runs.merge(best[SETTING], on=SETTING)[SETTING + ["cell_key"]]
    joined = curves.merge(chosen, on="cell_key")
    values = ["train_loss", "test_loss", "test_accuracy"]
    joined[values] = joined[values].replace([np.inf, -np.inf], np.nan)
    grouped = joined.groupby(SETTING + ["epoch"], sort=True)[values]
    table = grouped.agg(["mean", "min", "max"])
    table.columns = [f"{value}_{statistic}" for value, statistic in table.columns]
    return table.reset_index()
