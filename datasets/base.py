"""Records and the error type shared by the dataset loaders."""

from typing import NamedTuple

import numpy as np

CLASSIFICATION = "classification"
REGRESSION = "regression"
TASKS = (CLASSIFICATION, REGRESSION)


class DatasetError(ValueError):
    """Invalid dataset name, argument or file content; the message names the fix."""


class Dataset(NamedTuple):
    """A train/test split ready for training.

    X_train, X_test : float64 arrays of shape (n_train, n_features) and
        (n_test, n_features), standardised with the mean and standard deviation
        of X_train.
    y_train, y_test : shape (n_train,) and (n_test,). Classification: int64 labels
        0..n_classes-1. Regression: float64 targets standardised with the mean and
        standard deviation of y_train.
    task : "classification" or "regression".
    n_classes : number of classes, 0 for regression.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    n_classes: int


class DatasetInfo(NamedTuple):
    """Metadata of a registered dataset, known without loading it.

    n_samples counts train and test rows together. n_classes is 0 for regression.
    """

    name: str
    task: str
    n_samples: int
    n_features: int
    n_classes: int
    summary: str


class RawData(NamedTuple):
    """A whole dataset before the split.

    X : float64 array of shape (n_samples, n_features).
    y : shape (n_samples,). Class labels of any sortable dtype, or float64 targets.
    task : "classification" or "regression".
    """

    X: np.ndarray
    y: np.ndarray
    task: str
