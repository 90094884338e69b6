"""Table of the named datasets: metadata and the function that builds each one."""

from collections.abc import Callable
from typing import NamedTuple

from . import bundled, mnist1d, synthetic
from .base import CLASSIFICATION, REGRESSION, DatasetError, DatasetInfo, RawData

CSV_PREFIX = "csv:"


class DatasetSpec(NamedTuple):
    """A registered dataset: its metadata and a function returning all its rows."""

    info: DatasetInfo
    build: Callable[[], RawData]


def _bundled(name: str) -> Callable[[], RawData]:
    return lambda: bundled.load_bundled(name)


# n_samples, n_features and n_classes are fixed by the sources; a test compares
# them with what `load` returns.
_SPECS = [
    DatasetSpec(
        DatasetInfo(
            name="digits",
            task=CLASSIFICATION,
            n_samples=1797,
            n_features=64,
            n_classes=10,
            summary="8x8 images of handwritten digits (scikit-learn)",
        ),
        _bundled("digits"),
    ),
    DatasetSpec(
        DatasetInfo(
            name="breast_cancer",
            task=CLASSIFICATION,
            n_samples=569,
            n_features=30,
            n_classes=2,
            summary="Wisconsin breast cancer diagnosis (scikit-learn)",
        ),
        _bundled("breast_cancer"),
    ),
    DatasetSpec(
        DatasetInfo(
            name="wine",
            task=CLASSIFICATION,
            n_samples=178,
            n_features=13,
            n_classes=3,
            summary="chemical analysis of three wine cultivars (scikit-learn)",
        ),
        _bundled("wine"),
    ),
    DatasetSpec(
        DatasetInfo(
            name="iris",
            task=CLASSIFICATION,
            n_samples=150,
            n_features=4,
            n_classes=3,
            summary="Fisher's iris flowers (scikit-learn)",
        ),
        _bundled("iris"),
    ),
    DatasetSpec(
        DatasetInfo(
            name="diabetes",
            task=REGRESSION,
            n_samples=442,
            n_features=10,
            n_classes=0,
            summary="disease progression after one year (scikit-learn)",
        ),
        _bundled("diabetes"),
    ),
    DatasetSpec(
        DatasetInfo(
            name="mnist1d",
            task=CLASSIFICATION,
            n_samples=mnist1d.N_SAMPLES,
            n_features=mnist1d.N_FEATURES,
            n_classes=mnist1d.N_CLASSES,
            summary="1D digit signals (mnist1d generator, cached on disk)",
        ),
        mnist1d.load_mnist1d,
    ),
    DatasetSpec(
        DatasetInfo(
            name="moons",
            task=CLASSIFICATION,
            n_samples=synthetic.N_SAMPLES,
            n_features=2,
            n_classes=2,
            summary="two interleaved half circles, noise 0.2 (generated)",
        ),
        synthetic.make_moons,
    ),
    DatasetSpec(
        DatasetInfo(
            name="circles",
            task=CLASSIFICATION,
            n_samples=synthetic.N_SAMPLES,
            n_features=2,
            n_classes=2,
            summary="two concentric circles, noise 0.1 (generated)",
        ),
        synthetic.make_circles,
    ),
    DatasetSpec(
        DatasetInfo(
            name="friedman1",
            task=REGRESSION,
            n_samples=synthetic.N_SAMPLES,
            n_features=synthetic.FRIEDMAN1_FEATURES,
            n_classes=0,
            summary="Friedman #1 regression, noise 1.0 (generated)",
        ),
        synthetic.make_friedman1,
    ),
]
REGISTRY = {spec.info.name: spec for spec in _SPECS}


def names() -> list[str]:
    """Return the registered dataset names, sorted; csv:PATH is not listed."""
    return sorted(REGISTRY)


def lookup(name: str) -> DatasetSpec:
    """Return the spec of a registered name, or raise DatasetError listing the names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise DatasetError(
            f"unknown dataset {name!r}; valid names: {', '.join(names())}, or "
            f"{CSV_PREFIX}PATH for a CSV file with a header row (with target=COLUMN)"
        ) from None


def describe(name: str) -> DatasetInfo:
    """Return the metadata of a registered dataset without loading it."""
    if name.startswith(CSV_PREFIX):
        raise DatasetError(
            f"describe covers registered names only, got {name!r}; load a CSV file "
            "with load(name, target=COLUMN) to see its shape"
        )
    return lookup(name).info
