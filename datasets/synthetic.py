"""Generated toy datasets with fixed size and noise.

The data are drawn once with a constant random_state, so every load returns the same
points, and only the train/test split depends on the seed passed to `load`.
"""

import functools

import numpy as np
from sklearn import datasets as sklearn_datasets

from .base import CLASSIFICATION, REGRESSION, RawData

DATA_RANDOM_STATE = 0
N_SAMPLES = 1000
MOONS_NOISE = 0.2
CIRCLES_NOISE = 0.1
# Radius of the inner circle relative to the outer one.
CIRCLES_FACTOR = 0.5
FRIEDMAN1_FEATURES = 10
FRIEDMAN1_NOISE = 1.0


def _read_only(X: np.ndarray, y: np.ndarray, task: str) -> RawData:
    X = np.asarray(X, dtype=np.float64)
    X.setflags(write=False)
    y.setflags(write=False)
    return RawData(X, y, task)


@functools.cache
def make_moons() -> RawData:
    """Generate two interleaved half circles: (1000, 2), 2 classes."""
    X, y = sklearn_datasets.make_moons(
        n_samples=N_SAMPLES, noise=MOONS_NOISE, random_state=DATA_RANDOM_STATE
    )
    return _read_only(X, y, CLASSIFICATION)


@functools.cache
def make_circles() -> RawData:
    """Generate two concentric circles: (1000, 2), 2 classes."""
    X, y = sklearn_datasets.make_circles(
        n_samples=N_SAMPLES,
        noise=CIRCLES_NOISE,
        factor=CIRCLES_FACTOR,
        random_state=DATA_RANDOM_STATE,
    )
    return _read_only(X, y, CLASSIFICATION)


@functools.cache
def make_friedman1() -> RawData:
    """Generate Friedman's #1 regression problem: (1000, 10), float target.

    Only the first 5 features enter the target; the other 5 are noise features.
    """
    X, y = sklearn_datasets.make_friedman1(
        n_samples=N_SAMPLES,
        n_features=FRIEDMAN1_FEATURES,
        noise=FRIEDMAN1_NOISE,
        random_state=DATA_RANDOM_STATE,
    )
    return _read_only(X, np.asarray(y, dtype=np.float64), REGRESSION)
