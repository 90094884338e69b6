"""Training of one cell inside a worker process, returned as a plain record."""

import contextlib
import functools
import logging
import os
import signal
import threading
import time
import traceback
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

# TODO: this import pulls in scikit-learn, about 2.5 s in each new worker process,
# which is most of the harness overhead of a sweep on 2 workers.
import datasets
from backprop_core import losses, optimizers, schedules
from backprop_core.model import build_mlp
from backprop_core.training import DivergenceWarning, steps_per_epoch, train
from bench.cells import Cell
from bench.status import ERROR

logger = logging.getLogger(__name__)

CURVE_COLUMNS = ("epoch", "train_loss", "test_loss", "test_accuracy", "elapsed_seconds")

_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter: threadpool_limits | None = None


@functools.lru_cache(maxsize=32)
def load_dataset(name: str, seed: int, target: str | None = None) -> datasets.Dataset:
    """Load a dataset split once per worker process."""
    return datasets.load(name, seed=seed, target=target)


def output_activation(task: str, loss_name: str) -> str:
    """Return the output layer's activation for a task and loss.

    Cross-entropy takes logits, so the last layer is linear. MSE on a classification
    set compares softmax probabilities with one-hot targets.
    """
    if task == "classification" and not losses.create(loss_name).takes_logits:
        return "softmax"
    return "identity"


@contextlib.contextmanager
def single_thread_blas():
    """Limit BLAS to one thread in this process until the last overlapping use ends.

    A Dask worker runs several cells as threads of one process, and BLAS limits are
    per process. A plain ``threadpool_limits`` block per cell would restore the old
    limit when the first cell ends, while the others still run, so the limit is
    counted: the first entry sets it and the last exit restores it.
    """
    global _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = threadpool_limits(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def ignore_interrupts_outside(main_pid: int) -> None:
    """Ignore Ctrl-C (SIGINT) in a worker process other than ``main_pid``.

    Ctrl-C in a terminal reaches every process of the group. Only the main process
    should react, by stopping the sweep and saying how to resume, so that a worker
    never reports a KeyboardInterrupt of its own. Threads cannot set signal handlers,
    so Dask worker threads are left alone.
    """
    if os.getpid() != main_pid and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_cell(cell: Cell, time_limit: float | None = None,
             main_pid: int | None = None) -> dict:
    """Train one cell and return ``{"run": row, "curves": columns}``.

    ``train_seconds`` in the row times the training alone, and ``cell_seconds`` the
    whole cell, loading its data split and building its model included.

    BLAS is limited to one thread, since the workers already use every core. A run
    longer than ``time_limit`` seconds stops with status ``timeout``. Any exception
    becomes a row with status ``error`` and the message, so that one bad cell never
    stops a sweep. With ``main_pid``, a worker process ignores Ctrl-C.
    """
    start = time.perf_counter()
    if main_pid is not None:
        ignore_interrupts_outside(main_pid)
    with single_thread_blas(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        try:
            record = _train_cell(cell, time_limit)
        except Exception as exc:  # noqa: BLE001 - the sweep records and carries on
            logger.error("cell %s failed: %s", cell.key, exc)
            record = _error_record(cell, exc)
    record["run"]["cell_seconds"] = time.perf_counter() - start
    return record


def _train_cell(cell: Cell, time_limit: float | None) -> dict:
    data = load_dataset(cell.dataset, cell.seed, cell.target)
    init_seed, shuffle_seed = cell.training_seeds()
    n_outputs = data.n_classes if data.task == "classification" else 1

    model = build_mlp(data.X_train.shape[1], n_outputs, hidden=cell.hidden,
                      activation=cell.activation,
                      output_activation=output_activation(data.task, cell.loss),
                      seed=init_seed, dtype=np.dtype(cell.dtype))
    optimizer = optimizers.create(cell.optimizer, **cell.optimizer_settings())
    total_steps = cell.epochs * steps_per_epoch(len(data.X_train), cell.batch_size)
    schedule = schedules.create(cell.schedule, lr=cell.lr, total_steps=total_steps,
                                **dict(cell.schedule_options))

    start = time.perf_counter()
    result = train(model, losses.create(cell.loss), optimizer, data.X_train, data.y_train,
                   data.X_test, data.y_test, epochs=cell.epochs,
                   batch_size=cell.batch_size, seed=shuffle_seed, task=data.task,
                   schedule=schedule, time_limit=time_limit)
    seconds = time.perf_counter() - start

    history = result.history
    row = _base_row(cell)
    row.update(task=data.task, status=result.status,
               diverged_epoch=result.diverged_epoch,
               final_train_loss=float(history["train_loss"][-1]),
               final_test_loss=float(history["test_loss"][-1]),
               final_test_accuracy=float(history["test_accuracy"][-1]),
               train_seconds=seconds, error="")
    curves = {column: list(map(float, history[column])) for column in CURVE_COLUMNS}
    return {"run": row, "curves": curves}


def _base_row(cell: Cell) -> dict:
    config = cell.config()
    row = {"cell_key": cell.key}
    row.update({name: config[name] for name in
                ("dataset", "optimizer", "loss", "lr", "seed", "batch_size", "epochs",
                 "activation", "dtype", "weight_decay", "schedule", "base_seed")})
    row["weight_decay"] = _effective_weight_decay(cell)
    row["hidden"] = "-".join(map(str, cell.hidden))
    row["hyperparameters"] = _pairs_text(cell.hyperparameters)
    row["schedule_options"] = _pairs_text(cell.schedule_options)
    return row


def _effective_weight_decay(cell: Cell) -> float:
    """Return the weight decay the cell ran with: its own or the optimizer's default."""
    settings = cell.optimizer_settings()
    if "weight_decay" in settings:
        return float(settings["weight_decay"])
    try:
        return float(optimizers.defaults(cell.optimizer).get("weight_decay", np.nan))
    except ValueError:
        return np.nan


def _pairs_text(pairs: tuple) -> str:
    return ",".join(f"{name}={value}" for name, value in pairs)


def _error_record(cell: Cell, exc: Exception) -> dict:
    row = _base_row(cell)
    last_line = traceback.format_exception_only(exc)[-1].strip()
    row.update(task="", status=ERROR, diverged_epoch=None, final_train_loss=np.nan,
               final_test_loss=np.nan, final_test_accuracy=np.nan,
               train_seconds=np.nan, error=last_line)
    return {"run": row, "curves": {column: [] for column in CURVE_COLUMNS}}
