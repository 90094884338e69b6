"""The `load` entry point: resolve a dataset name, then split and standardise."""

import logging

from .base import Dataset, DatasetError
from .csv_loader import load_csv
from .registry import CSV_PREFIX, lookup
from .split import split_and_standardise, validate_split_args

logger = logging.getLogger(__name__)


def load(
    name: str,
    seed: int = 0,
    *,
    test_size: float = 0.2,
    target: str | None = None,
    task: str | None = None,
) -> Dataset:
    """Load a dataset as a standardised train/test split.

    Parameters
    ----------
    name : str
        A name from `names()`, or "csv:PATH" for a CSV file with a header row.
    seed : int
        Fixes the split, in [0, 2**32 - 1]. The data of generated sets do not
        depend on it.
    test_size : float
        Fraction of rows in the test part, in (0, 1).
    target : str or None
        Target column of a CSV file; required for csv:PATH, else must be None.
    task : {"classification", "regression"} or None
        Overrides the task inferred from a CSV target column; else must be None.

    Returns
    -------
    Dataset
        X_train (n_train, n_features), y_train (n_train,), X_test (n_test,
        n_features), y_test (n_test,), task and n_classes; see `Dataset`.

    Raises
    ------
    DatasetError
        For an unknown name, invalid arguments or invalid CSV content.
    """
    if not isinstance(name, str):
        raise DatasetError(f"name must be a str, got {name!r}")
    validate_split_args(seed, test_size)
    if name.startswith(CSV_PREFIX):
        raw = load_csv(name.removeprefix(CSV_PREFIX), target, task)
    else:
        spec = lookup(name)
        for parameter, value in (("target", target), ("task", task)):
            if value is not None:
                raise DatasetError(
                    f"{parameter}={value!r} applies only to {CSV_PREFIX}PATH "
                    f"datasets, not to {name!r}; leave it None"
                )
        raw = spec.build()
    dataset = split_and_standardise(raw, seed, test_size, source=repr(name))
    logger.debug(
        "loaded %s with seed %d: %d train rows, %d test rows",
        name, seed, len(dataset.y_train), len(dataset.y_test),
    )
    return dataset
