"""Convergence plots: one figure per dataset and loss, one line per optimizer."""

import hashlib
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import pandas as pd  # noqa: E402


def plot_file_name(dataset: str, loss: str) -> str:
    """Return the plot's file name; a ``csv:PATH`` dataset gets a safe, unique form."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", dataset)
    if safe != dataset:
        safe += "-" + hashlib.sha256(dataset.encode()).hexdigest()[:8]
    return f"convergence_{safe}_{loss}.png"


def plot_convergence(curves: pd.DataFrame, best: pd.DataFrame, task: str,
                     path: Path) -> None:
    """Draw training loss and the test metric against epochs, and save to ``path``.

    ``curves`` contains the per-epoch mean, min and max over seeds of each optimizer's
    best setting (see ``tables.best_curves``) for one dataset and loss. Each
    line is the mean and the shaded band spans the min and the max.
    """
    test_value = "test_accuracy" if task == "classification" else "test_loss"
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    try:
        for _, setting in best.iterrows():
            mine = curves[curves["optimizer"] == setting["optimizer"]]
            label = f"{setting['optimizer']} ({setting['variant']})"
            _draw_band(left, mine, "train_loss", label)
            _draw_band(right, mine, test_value, label)

        left.set(xlabel="epoch", ylabel="training loss", yscale="log")
        right.set(xlabel="epoch", ylabel=test_value.replace("_", " "))
        if task != "classification":
            right.set_yscale("log")
        right.legend(loc="best", fontsize="small")
        dataset, loss = best["dataset"].iloc[0], best["loss"].iloc[0]
        figure.suptitle(f"{dataset}, {loss}: best setting per optimizer, "
                        "mean over seeds with min-max band")
        figure.savefig(path, dpi=100)
    finally:
        plt.close(figure)


def _draw_band(axes, curves: pd.DataFrame, value: str, label: str) -> None:
    epochs = curves["epoch"].to_numpy()
    line, = axes.plot(epochs, curves[f"{value}_mean"].to_numpy(), label=label)
    axes.fill_between(epochs, curves[f"{value}_min"].to_numpy(),
                      curves[f"{value}_max"].to_numpy(), color=line.get_color(),
                      alpha=0.2, linewidth=0)
