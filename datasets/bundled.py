"""Small datasets that ship with scikit-learn, so loading them needs no network."""

import functools

import numpy as np
from sklearn import datasets as sklearn_datasets

from .base import CLASSIFICATION, REGRESSION, RawData

_LOADERS = {
    "digits": (sklearn_datasets.load_digits, CLASSIFICATION),
    "breast_cancer": (sklearn_datasets.load_breast_cancer, CLASSIFICATION),
    "wine": (sklearn_datasets.load_wine, CLASSIFICATION),
    "iris": (sklearn_datasets.load_iris, CLASSIFICATION),
    "diabetes": (sklearn_datasets.load_diabetes, REGRESSION),
}


@functools.cache
def load_bundled(name: str) -> RawData:
    """Load a scikit-learn bundled dataset; the returned arrays are read-only."""
    loader, task = _LOADERS[name]
    X, y = loader(return_X_y=True)
    X = np.asarray(X, dtype=np.float64)
    if task == REGRESSION:
        y = np.asarray(y, dtype=np.float64)
    # functools.cache returns the same arrays to every caller, so they are read-only.
    X.setflags(write=False)
    y.setflags(write=False)
    return RawData(X, y, task)
