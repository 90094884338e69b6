"""Mini-batch training loop with per-epoch evaluation and divergence detection."""

import dataclasses
import logging
import time
import warnings

import numpy as np

from backprop_core import losses

logger = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_DIVERGED = "diverged"
STATUS_TIMEOUT = "timeout"
TASKS = ("classification", "regression")
HISTORY_KEYS = ("epoch", "train_loss", "test_loss", "test_accuracy", "elapsed_seconds")


class DivergenceWarning(RuntimeWarning):
    """Warning that a training run stopped because its loss became non-finite."""


class _TimeLimitReached(Exception):
    """Raised between two steps once a run is over its time limit."""


@dataclasses.dataclass
class TrainResult:
    """Outcome of `train`.

    Attributes
    ----------
    status : str
        STATUS_OK, STATUS_DIVERGED when a loss became NaN or infinite, or
        STATUS_TIMEOUT when the run reached its time limit.
    diverged_epoch : int or None
        Epoch whose evaluation gave the non-finite loss, None for any other status.
    history : dict[str, list]
        One entry per evaluated epoch under each of HISTORY_KEYS. A diverged run
        ends with the row of the diverged epoch, which contains the non-finite loss.
    """

    status: str
    diverged_epoch: int | None
    history: dict[str, list]


def steps_per_epoch(n_train, batch_size):
    """Return the number of mini-batches per epoch, counting a last partial batch."""
    return -(-n_train // batch_size)


def train(
    model,
    loss,
    optimizer,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    epochs,
    batch_size,
    seed,
    task,
    schedule=None,
    time_limit=None,
):
    """Train ``model`` with mini-batches and evaluate it after every epoch.

    Parameters
    ----------
    model : Sequential
        Updated in place. Its dtype is used for all data and losses.
    loss : losses.Loss or str
        A loss object or a name from `losses.names()`.
    optimizer : object
        Has ``init(params) -> state`` with an int ``state.step``, and
        ``step(params, grads, state, lr=None)``, which updates params in place.
    X_train, X_test : array-like of shape (N, n_features)
        Cast to the model's dtype once.
    y_train, y_test : array-like of shape (N,)
        Integer labels 0..K-1 for classification, where K is the number of model
        outputs. Losses without ``takes_logits`` (mse) get them one-hot encoded.
        Float targets for regression, reshaped to (N, 1).
    epochs : int
        Number of passes over the training data, at least 0.
    batch_size : int
        Samples per step. The last batch of an epoch keeps the remaining samples.
    seed : int
        Seed of the np.random.Generator that shuffles the training data each epoch.
    task : {"classification", "regression"}
    schedule : callable or None
        Maps ``state.step``, the number of steps already taken, to the learning rate
        passed to ``optimizer.step``. None keeps the optimizer's own lr.
    time_limit : float >= 0 or None
        Wall-clock seconds from the start of training, evaluations included, after
        which the run stops with STATUS_TIMEOUT. It is checked before every step, so
        a run overshoots by at most one step and one evaluation. The history then
        ends with the last completed epoch.

    Returns
    -------
    TrainResult
        ``history`` has epoch 0, the evaluation before any update, then 1..epochs.
        train_loss and test_loss are full-pass losses on each set. test_accuracy is
        NaN for regression. elapsed_seconds is the cumulative wall time of the
        training steps, without the evaluations.

    Training stops at the first epoch whose train or test loss is NaN or infinite,
    with status STATUS_DIVERGED and a single DivergenceWarning. NumPy floating-point
    warnings are silenced during training, so a diverging run emits nothing else.
    """
    if isinstance(loss, str):
        loss = losses.create(loss)
    _check_count("epochs", epochs, minimum=0)
    _check_count("batch_size", batch_size, minimum=1)
    _check_time_limit(time_limit)
    if task not in TASKS:
        raise ValueError(f"invalid task {task!r}; valid tasks are {list(TASKS)}")
    X_train, train_targets, _ = _prepare_data(model, loss, task, X_train, y_train)
    X_test, test_targets, test_labels = _prepare_data(model, loss, task, X_test, y_test)

    rng = np.random.default_rng(seed)
    state = optimizer.init(model.params)
    history = {key: [] for key in HISTORY_KEYS}
    elapsed_seconds = 0.0
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    with np.errstate(all="ignore"):
        for epoch in range(epochs + 1):
            if epoch > 0:
                started = time.perf_counter()
                batches = _shuffled_batches(X_train, train_targets, batch_size, rng)
                try:
                    _run_epoch(model, loss, optimizer, state, batches, schedule,
                               deadline)
                except _TimeLimitReached:
                    return TrainResult(STATUS_TIMEOUT, None, history)
                elapsed_seconds += time.perf_counter() - started

            train_loss = loss.value(train_targets, model.forward(X_train))
            test_outputs = model.forward(X_test)
            test_loss = loss.value(test_targets, test_outputs)
            test_accuracy = _accuracy(test_outputs, test_labels)
            row = (epoch, train_loss, test_loss, test_accuracy, elapsed_seconds)
            for key, value in zip(HISTORY_KEYS, row):
                history[key].append(value)
            logger.debug(
                "epoch %d: train_loss %.6g, test_loss %.6g",
                epoch,
                train_loss,
                test_loss,
            )

            if not (np.isfinite(train_loss) and np.isfinite(test_loss)):
                warnings.warn(
                    f"training diverged at epoch {epoch}: train_loss {train_loss}, "
                    f"test_loss {test_loss}; stopping the run",
                    DivergenceWarning,
                    stacklevel=2,
                )
                return TrainResult(STATUS_DIVERGED, epoch, history)
    return TrainResult(STATUS_OK, None, history)


def _run_epoch(model, loss, optimizer, state, batches, schedule, deadline=None):
    """Take one optimizer step per (inputs, targets) batch."""
    params, grads = model.params, model.grads
    for inputs, targets in batches:
        if deadline is not None and time.perf_counter() > deadline:
            raise _TimeLimitReached
        outputs = model.forward(inputs)
        model.backward(loss.gradient(targets, outputs), compute_grad_inputs=False)
        lr = None if schedule is None else schedule(state.step)
        optimizer.step(params, grads, state, lr=lr)


def _shuffled_batches(X, targets, batch_size, rng):
    """Yield (inputs, targets) views of one shuffled copy of the data, in order."""
    order = rng.permutation(len(X))
    # take() gathers the same rows as X[order], and it measured about twice as fast
    # on a 1437 x 64 float64 array with NumPy 2.4.
    X_shuffled = X.take(order, axis=0)
    targets_shuffled = targets.take(order, axis=0)
    for start in range(0, len(X), batch_size):
        stop = start + batch_size
        yield X_shuffled[start:stop], targets_shuffled[start:stop]


def _accuracy(outputs, labels):
    if labels is None:
        return float("nan")
    return float(np.mean(np.argmax(outputs, axis=1) == labels))


def _check_count(name, value, minimum):
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not is_int or value < minimum:
        raise ValueError(f"invalid {name} {value!r}; expected an integer >= {minimum}")


def _check_time_limit(value):
    if value is None:
        return
    is_number = isinstance(value, (int, float, np.integer, np.floating))
    if isinstance(value, bool) or not is_number or not value >= 0:
        raise ValueError(
            f"invalid time_limit {value!r}; expected None or a number of seconds >= 0"
        )


def _prepare_data(model, loss, task, X, y):
    """Return X in the model's dtype, the loss targets and the labels for accuracy.

    Labels are None for regression.
    """
    X = np.asarray(X, dtype=model.dtype)
    if X.ndim != 2 or X.shape[1] != model.n_inputs:
        raise ValueError(
            f"invalid X shape {X.shape}; expected (N, {model.n_inputs}) for this model"
        )
    if len(X) == 0:
        raise ValueError("invalid X: it has no samples; expected at least one")
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"invalid y shape {y.shape}; expected ({len(X)},) to match X")
    if task == "regression":
        return X, _regression_targets(model, loss, y), None
    labels = _class_labels(model, y)
    if loss.takes_logits:
        return X, labels, labels
    one_hot = np.eye(model.n_outputs, dtype=model.dtype)[labels]
    return X, one_hot, labels


def _regression_targets(model, loss, y):
    if loss.takes_logits:
        raise ValueError(
            f"invalid loss {loss.name!r} for task 'regression'; it expects class labels"
        )
    if model.n_outputs != 1:
        raise ValueError(
            f"invalid model for task 'regression': it has {model.n_outputs} outputs; "
            "expected 1"
        )
    return y.astype(model.dtype).reshape(-1, 1)


def _class_labels(model, y):
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"invalid y dtype {y.dtype}; classification expects integer labels"
        )
    if len(y) and (y.min() < 0 or y.max() >= model.n_outputs):
        raise ValueError(
            f"invalid y: labels range from {y.min()} to {y.max()}; expected 0 to "
            f"{model.n_outputs - 1} for a model with {model.n_outputs} outputs"
        )
    return y
