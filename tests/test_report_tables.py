"""Report tables on a hand-made runs table: best settings, paired wins, wording."""

import numpy as np
import pandas as pd
import pytest

from bench.report.summary import recommendations
from bench.report.tables import best_settings, paired_wins, setting_scores

FIXED = {"loss": "cross_entropy", "batch_size": 32, "epochs": 5, "dtype": "float64",
         "schedule": "constant", "schedule_options": "", "weight_decay": 0.0,
         "hyperparameters": "", "task": "classification", "train_seconds": 1.0,
         "dataset": "digits"}


def make_runs(rows):
    """Build a runs table from (optimizer, lr, seed, status, accuracy) rows."""
    records = [{**FIXED, "optimizer": opt, "lr": lr, "seed": seed, "status": status,
                "final_test_accuracy": accuracy, "final_test_loss": 1 - accuracy}
               for opt, lr, seed, status, accuracy in rows]
    return pd.DataFrame(records)


@pytest.fixture
def runs():
    return make_runs([
        ("adam", 0.001, 0, "ok", 0.95), ("adam", 0.001, 1, "ok", 0.97),
        ("adam", 0.001, 2, "ok", 0.96),
        # Higher mean on its good seeds, but one diverged run: never the best.
        ("adam", 0.1, 0, "ok", 0.99), ("adam", 0.1, 1, "diverged", np.nan),
        ("adam", 0.1, 2, "ok", 0.99),
        ("sgd", 0.1, 0, "ok", 0.94), ("sgd", 0.1, 1, "ok", 0.97),
        ("sgd", 0.1, 2, "ok", 0.93),
    ])


def test_best_setting_avoids_failures(runs):
    best = best_settings(setting_scores(runs))
    adam = best[best["optimizer"] == "adam"].iloc[0]
    assert adam["lr"] == 0.001
    assert adam["failed"] == 0


def test_best_settings_ranked(runs):
    best = best_settings(setting_scores(runs))
    assert list(best["optimizer"]) == ["adam", "sgd"]
    assert list(best["rank"]) == [1, 2]


def test_best_setting_mean(runs):
    best = best_settings(setting_scores(runs))
    assert best.iloc[0]["mean"] == pytest.approx(0.96)


def test_paired_wins_counts_ties(runs):
    best = best_settings(setting_scores(runs))
    wins, ties, seeds = paired_wins(runs, best.iloc[0], best.iloc[1])
    assert (wins, ties, seeds) == (2, 1, 3)


def test_recommendation_sentence(runs):
    best = best_settings(setting_scores(runs))
    best["variant"] = [f"lr={lr:g}" for lr in best["lr"]]
    (line,) = recommendations(runs, best)
    assert line.startswith("**digits, cross_entropy**: adam (lr=0.001)")
    assert "ahead on 2 and level on 1 of 3 paired seeds" in line


def test_regression_lower_loss_wins():
    runs = make_runs([("adam", 0.01, 0, "ok", 0.2), ("sgd", 0.01, 0, "ok", 0.4)])
    runs["task"] = "regression"
    best = best_settings(setting_scores(runs))
    assert best.iloc[0]["optimizer"] == "sgd"
    assert best.iloc[0]["metric"] == "final_test_loss"
