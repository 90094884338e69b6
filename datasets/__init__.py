"""Datasets for the optimizer benchmark, as standardised train/test splits.

`load(name, seed)` returns a `Dataset`; `names()` lists the registered names and
`describe(name)` their metadata. "csv:PATH" loads a user CSV file. Nothing is
downloaded: the sets ship with scikit-learn or are generated locally.
"""

from .base import Dataset, DatasetError, DatasetInfo
from .loader import load
from .registry import describe, names

__all__ = ["Dataset", "DatasetError", "DatasetInfo", "describe", "load", "names"]
