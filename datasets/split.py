"""Train/test split and standardisation shared by every dataset."""

import math
import numbers

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from .base import CLASSIFICATION, Dataset, DatasetError, RawData

# sklearn's random_state accepts integers in [0, 2**32 - 1].
MAX_SEED = 2**32 - 1


def validate_split_args(seed: int, test_size: float) -> None:
    """Raise DatasetError unless seed is in [0, 2**32 - 1] and 0 < test_size < 1."""
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise DatasetError(f"seed must be an int, got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise DatasetError(f"seed must be in [0, {MAX_SEED}], got {seed}")
    if not isinstance(test_size, numbers.Real) or isinstance(test_size, bool):
        raise DatasetError(f"test_size must be a float in (0, 1), got {test_size!r}")
    if not 0.0 < test_size < 1.0:
        raise DatasetError(f"test_size must be in (0, 1), got {test_size}")


def split_and_standardise(
    raw: RawData, seed: int, test_size: float, source: str
) -> Dataset:
    """Split raw data and standardise it with statistics of the training part.

    Classification labels are remapped to int64 0..K-1 in sorted order of the
    original labels, and the split is stratified. Regression targets become float64
    and are standardised like the features. The split depends only on `seed`.
    `source` names the dataset in error messages.

    Raises DatasetError for a single class, and when a part would get too few rows:
    fewer than 2 rows in a class, or fewer test or train rows than classes.
    """
    n_samples = len(raw.y)
    n_test = math.ceil(test_size * n_samples)
    n_train = math.floor((1.0 - test_size) * n_samples)
    if raw.task == CLASSIFICATION:
        return _split_classification(raw, seed, test_size, source, n_train, n_test)
    return _split_regression(raw, seed, test_size, source, n_train, n_test)


def _split_classification(
    raw: RawData, seed: int, test_size: float, source: str, n_train: int, n_test: int
) -> Dataset:
    classes, labels = np.unique(raw.y, return_inverse=True)
    labels = labels.astype(np.int64)
    counts = np.bincount(labels)
    _check_stratifiable(classes, counts, test_size, source, n_train, n_test)
    X_train, X_test, y_train, y_test = train_test_split(
        raw.X, labels, test_size=test_size, random_state=seed, stratify=labels
    )
    X_train, X_test = _standardise(X_train, X_test)
    return Dataset(X_train, y_train, X_test, y_test, CLASSIFICATION, len(classes))


def _split_regression(
    raw: RawData, seed: int, test_size: float, source: str, n_train: int, n_test: int
) -> Dataset:
    # Two training rows are the minimum for a standard deviation.
    if n_train < 2 or n_test < 1:
        raise DatasetError(
            f"{source} has {len(raw.y)} rows, so test_size={test_size} leaves "
            f"{n_train} train and {n_test} test rows; a regression split needs at "
            "least 2 train rows and 1 test row, so add rows or change test_size"
        )
    X_train, X_test, y_train, y_test = train_test_split(
        raw.X, raw.y, test_size=test_size, random_state=seed
    )
    X_train, X_test = _standardise(X_train, X_test)
    y_train, y_test = _standardise(y_train[:, None], y_test[:, None])
    return Dataset(X_train, y_train[:, 0], X_test, y_test[:, 0], raw.task, 0)


def _check_stratifiable(
    classes: np.ndarray,
    counts: np.ndarray,
    test_size: float,
    source: str,
    n_train: int,
    n_test: int,
) -> None:
    if len(classes) < 2:
        raise DatasetError(
            f"{source} has only the class {classes[0].item()!r}; classification "
            "needs at least 2 classes, so check the target column"
        )
    smallest = int(np.argmin(counts))
    if counts[smallest] < 2:
        # item() turns np.str_('b') into 'b' for the message.
        label = classes[smallest].item()
        raise DatasetError(
            f"class {label!r} of {source} has 1 row; a stratified split needs at "
            "least 2 rows per class, so add rows for that class or remove it"
        )
    n_classes = len(classes)
    for part, n_rows in (("test", n_test), ("train", n_train)):
        if n_rows < n_classes:
            raise DatasetError(
                f"test_size={test_size} gives {source} {n_rows} {part} rows for "
                f"{n_classes} classes; a stratified split needs at least one {part} "
                "row per class, so change test_size or add rows"
            )


def _standardise(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale columns to zero mean and unit variance on `train`, as float64.

    A constant column of `train` is only centred (StandardScaler uses scale 1).
    """
    scaler = StandardScaler().fit(train.astype(np.float64))
    return (
        scaler.transform(train.astype(np.float64)),
        scaler.transform(test.astype(np.float64)),
    )
