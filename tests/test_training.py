import math
import time
import types
import warnings

import numpy as np
import pytest

from backprop_core import losses, optimizers, training
from backprop_core.model import build_mlp
from backprop_core.training import DivergenceWarning, steps_per_epoch, train

N_TRAIN, N_TEST, N_FEATURES, N_CLASSES = 90, 30, 4, 3


class PlainSGD:
    """Stand-in optimizer following the optimizer contract: p <- p - lr * g."""

    def __init__(self, lr):
        self.lr = lr

    def init(self, params):
        return types.SimpleNamespace(step=0)

    def step(self, params, grads, state, lr=None):
        rate = self.lr if lr is None else lr
        for param, grad in zip(params, grads):
            param -= rate * grad
        state.step += 1


class SleepingSGD(PlainSGD):
    """PlainSGD whose every step sleeps, to push a run past its time limit."""

    def __init__(self, lr, seconds_per_step):
        super().__init__(lr)
        self.seconds_per_step = seconds_per_step
        self.steps_taken = 0

    def step(self, params, grads, state, lr=None):
        time.sleep(self.seconds_per_step)
        self.steps_taken += 1
        super().step(params, grads, state, lr)


class RecordingSchedule:
    """Constant schedule that records every step count it is called with."""

    def __init__(self, lr):
        self.lr = lr
        self.steps = []

    def __call__(self, step):
        self.steps.append(step)
        return self.lr


def make_blobs(seed=0):
    """Three well separated Gaussian blobs: an easy classification problem."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(N_CLASSES, N_FEATURES))
    labels = rng.integers(0, N_CLASSES, size=N_TRAIN + N_TEST)
    X = centers[labels] + rng.normal(size=(len(labels), N_FEATURES))
    return X[:N_TRAIN], labels[:N_TRAIN], X[N_TRAIN:], labels[N_TRAIN:]


def make_regression(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_TRAIN + N_TEST, N_FEATURES))
    y = X @ rng.normal(size=N_FEATURES) + 0.1 * rng.normal(size=len(X))
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def run_classification(
    loss="cross_entropy", optimizer=None, epochs=5, seed=0, dtype=np.float64, **kwargs
):
    model = build_mlp(N_FEATURES, N_CLASSES, hidden=(8,), seed=seed, dtype=dtype)
    result = train(
        model,
        losses.create(loss),
        optimizer or PlainSGD(lr=0.1),
        *make_blobs(),
        epochs=epochs,
        batch_size=16,
        seed=seed,
        task="classification",
        **kwargs,
    )
    return model, result


def run_regression(lr=0.05, epochs=5, **kwargs):
    model = build_mlp(N_FEATURES, 1, hidden=(8,), activation="tanh")
    result = train(
        model,
        losses.create("mse"),
        PlainSGD(lr=lr),
        *make_regression(),
        epochs=epochs,
        batch_size=16,
        seed=0,
        task="regression",
        **kwargs,
    )
    return model, result


def without_times(history):
    return {key: values for key, values in history.items() if key != "elapsed_seconds"}


def test_same_seed_same_history():
    _, first = run_classification(seed=1)
    _, second = run_classification(seed=1)
    assert without_times(first.history) == without_times(second.history)


def test_other_seed_other_history():
    _, first = run_classification(seed=1)
    _, second = run_classification(seed=2)
    assert first.history["train_loss"] != second.history["train_loss"]


def test_history_epochs_zero_to_end():
    _, result = run_classification(epochs=4)
    assert result.history["epoch"] == [0, 1, 2, 3, 4]


def test_history_keys_same_length():
    _, result = run_classification(epochs=4)
    assert {len(values) for values in result.history.values()} == {5}


def test_history_keys_listed():
    _, result = run_classification(epochs=1)
    assert list(result.history) == list(training.HISTORY_KEYS)


def test_status_ok():
    _, result = run_classification()
    assert result.status == training.STATUS_OK
    assert result.diverged_epoch is None


def test_elapsed_starts_at_zero():
    _, result = run_classification(epochs=2)
    assert result.history["elapsed_seconds"][0] == 0.0


def test_elapsed_nondecreasing():
    _, result = run_classification(epochs=3)
    times = result.history["elapsed_seconds"]
    assert times == sorted(times)


def test_loss_decreases_on_blobs():
    _, result = run_classification(epochs=10)
    assert result.history["train_loss"][-1] < 0.5 * result.history["train_loss"][0]


def test_blobs_accuracy_high():
    _, result = run_classification(epochs=10)
    assert result.history["test_accuracy"][-1] > 0.9


def test_mse_classification_one_hot():
    _, result = run_classification(loss="mse", epochs=10)
    assert result.history["train_loss"][-1] < result.history["train_loss"][0]


def test_regression_loss_decreases():
    _, result = run_regression(epochs=10)
    assert result.history["train_loss"][-1] < result.history["train_loss"][0]


def test_regression_accuracy_nan():
    _, result = run_regression(epochs=1)
    assert all(math.isnan(value) for value in result.history["test_accuracy"])


def test_schedule_gets_step_count():
    schedule = RecordingSchedule(lr=0.1)
    run_classification(epochs=2, schedule=schedule)
    assert schedule.steps == list(range(2 * steps_per_epoch(N_TRAIN, 16)))


def test_partial_batch_kept():
    assert steps_per_epoch(N_TRAIN, 16) == 6


def test_float32_training_keeps_dtype():
    model, _ = run_classification(dtype=np.float32, epochs=2)
    assert {param.dtype for param in model.params} == {np.dtype(np.float32)}


def test_float32_history_close_to_float64():
    _, result32 = run_classification(dtype=np.float32, epochs=3)
    _, result64 = run_classification(dtype=np.float64, epochs=3)
    np.testing.assert_allclose(
        result32.history["train_loss"], result64.history["train_loss"], rtol=1e-4
    )


def run_diverging():
    """Run SGD with a learning rate far too large, recording warnings.

    Any numpy RuntimeWarning becomes an error, while DivergenceWarning, a subclass
    of RuntimeWarning, is only recorded.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("always", DivergenceWarning)
        _, result = run_regression(lr=1e6, epochs=20)
    return result, caught


def test_divergence_status():
    result, _ = run_diverging()
    assert result.status == training.STATUS_DIVERGED


def test_divergence_epoch_recorded():
    result, _ = run_diverging()
    assert result.diverged_epoch == result.history["epoch"][-1]


def test_divergence_stops_early():
    result, _ = run_diverging()
    assert 1 <= result.diverged_epoch < 20


def test_divergence_single_warning():
    _, caught = run_diverging()
    assert [warning.category for warning in caught] == [DivergenceWarning]


def test_divergence_last_loss_nonfinite():
    result, _ = run_diverging()
    assert not np.isfinite(result.history["train_loss"][-1])


def test_divergence_classification_huge_lr():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", DivergenceWarning)
        _, result = run_classification(optimizer=PlainSGD(lr=1e12), epochs=30)
    assert result.status == training.STATUS_DIVERGED


def test_zero_epochs_evaluates_once():
    _, result = run_classification(epochs=0)
    assert result.history["epoch"] == [0]


def train_one_epoch(model, loss, data, task):
    return train(
        model, loss, PlainSGD(0.1), *data, epochs=1, batch_size=8, seed=0, task=task
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"task": "ranking"}, "classification"),
        ({"batch_size": 0}, "batch_size 0"),
        ({"epochs": -1}, "epochs -1"),
        ({"time_limit": -1.0}, "time_limit -1.0"),
        ({"time_limit": float("nan")}, "time_limit nan"),
        ({"time_limit": "10"}, "time_limit '10'"),
    ],
)
def test_invalid_arguments_rejected(kwargs, message):
    arguments = {"epochs": 1, "batch_size": 8, "seed": 0, "task": "classification"}
    arguments.update(kwargs)
    model = build_mlp(N_FEATURES, N_CLASSES)
    with pytest.raises(ValueError, match=message):
        train(model, "cross_entropy", PlainSGD(0.1), *make_blobs(), **arguments)


def test_label_out_of_range_rejected():
    model = build_mlp(N_FEATURES, 2)
    with pytest.raises(ValueError, match="0 to 1"):
        train_one_epoch(model, "cross_entropy", make_blobs(), "classification")


def test_cross_entropy_regression_rejected():
    model = build_mlp(N_FEATURES, 1)
    with pytest.raises(ValueError, match="cross_entropy"):
        train_one_epoch(model, "cross_entropy", make_regression(), "regression")


def test_regression_needs_one_output():
    model = build_mlp(N_FEATURES, 2)
    with pytest.raises(ValueError, match="2 outputs"):
        train_one_epoch(model, "mse", make_regression(), "regression")


def test_float_class_labels_rejected():
    X_train, y_train, X_test, y_test = make_blobs()
    data = (X_train, y_train.astype(float), X_test, y_test)
    model = build_mlp(N_FEATURES, N_CLASSES)
    with pytest.raises(ValueError, match="integer labels"):
        train_one_epoch(model, "cross_entropy", data, "classification")


def test_adam_from_optimizers_trains():
    _, result = run_classification(
        optimizer=optimizers.create("adam", lr=1e-2), epochs=10
    )
    assert result.history["train_loss"][-1] < result.history["train_loss"][0]


def test_adam_default_lr_runs():
    _, result = run_classification(optimizer=optimizers.create("adam", lr=1e-3))
    assert result.status == training.STATUS_OK


def test_zero_time_limit_times_out():
    _, result = run_classification(epochs=3, time_limit=0.0)
    assert result.status == training.STATUS_TIMEOUT
    assert result.diverged_epoch is None
    assert result.history["epoch"] == [0]


def test_time_limit_stops_mid_epoch():
    # Each epoch takes 6 steps of at least 20 ms each, so the 50 ms limit passes
    # during the first epoch, and the check before the fourth step at the latest
    # ends the run.
    optimizer = SleepingSGD(lr=0.1, seconds_per_step=0.02)
    _, result = run_classification(optimizer=optimizer, epochs=5, time_limit=0.05)
    assert result.status == training.STATUS_TIMEOUT
    assert result.history["epoch"] == [0]
    assert optimizer.steps_taken <= 3


def test_generous_time_limit_completes():
    _, result = run_classification(epochs=2, time_limit=3600.0)
    assert result.status == training.STATUS_OK
    assert result.history["epoch"] == [0, 1, 2]

