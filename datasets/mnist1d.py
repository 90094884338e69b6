"""MNIST-1D, generated offline with the `mnist1d` package and cached on disk.

The package's `get_dataset` downloads a pickle, so this module never calls it. It
calls `mnist1d.data.make_dataset` with the package's default arguments instead,
pools the package's train and test parts, and leaves the split to `load`.
The generator takes seconds (see `generate`), so the pooled arrays are cached
in an .npz file whose name carries a hash of the generator arguments and of the
installed `mnist1d` version.
"""

import hashlib
import importlib.metadata
import json
import logging
import os
import random
import tempfile
import time
import types
import zipfile
from pathlib import Path

import numpy as np

from .base import CLASSIFICATION, RawData

logger = logging.getLogger(__name__)

CACHE_ENV_VAR = "BACKPROP_BENCH_CACHE"

# The defaults of mnist1d.data.get_dataset_args() in mnist1d 0.0.2, copied so that a
# cache hit needs no import of mnist1d, which imports matplotlib, scipy and requests.
# A test checks that the copy still equals the installed package's defaults. The url
# key is left out because only get_dataset uses it.
GENERATOR_ARGS = {
    "num_samples": 5000,
    "train_split": 0.8,
    "template_len": 12,
    "padding": [36, 60],
    "scale_coeff": 0.4,
    "max_translation": 48,
    "corr_noise_scale": 0.25,
    "iid_noise_scale": 2e-2,
    "shear_scale": 0.75,
    "shuffle_seq": False,
    "final_seq_length": 40,
    "seed": 42,
}
N_CLASSES = 10
N_SAMPLES = GENERATOR_ARGS["num_samples"] // N_CLASSES * N_CLASSES
N_FEATURES = GENERATOR_ARGS["final_seq_length"]


def cache_dir() -> Path:
    """Return the cache folder.

    $BACKPROP_BENCH_CACHE if set, else $XDG_CACHE_HOME/backprop-bench, else
    ~/.cache/backprop-bench. The folder is not created here.
    """
    explicit = os.environ.get(CACHE_ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    xdg_cache = os.environ.get("XDG_CACHE_HOME")
    if xdg_cache:
        return Path(xdg_cache).expanduser() / "backprop-bench"
    return Path.home() / ".cache" / "backprop-bench"


def cache_path() -> Path:
    """Return the cache file for the current generator arguments and mnist1d version."""
    payload = {
        "args": GENERATOR_ARGS,
        "mnist1d_version": importlib.metadata.version("mnist1d"),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return cache_dir() / f"mnist1d-{digest[:12]}.npz"


def load_mnist1d() -> RawData:
    """Load the pooled MNIST-1D arrays from the cache, generating them on a miss.

    Returns X of shape (5000, 40) and int64 labels y of shape (5000,). A cache file
    that cannot be read or has the wrong content is rebuilt with a logged warning.
    """
    path = cache_path()
    if path.exists():
        try:
            X, y = _read_cache(path)
            logger.debug("loaded MNIST-1D from cache %s", path)
            return RawData(X, y, CLASSIFICATION)
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as error:
            logger.warning("rebuilding corrupt MNIST-1D cache %s: %s", path, error)
    X, y = generate()
    _write_cache(path, X, y)
    return RawData(X, y, CLASSIFICATION)


def generate() -> tuple[np.ndarray, np.ndarray]:
    """Run the mnist1d generator and return the pooled (X, y).

    X is float64 of shape (5000, 40), y is int64 of shape (5000,); rows are the
    generator's train part followed by its test part. make_dataset seeds the global
    RNGs of numpy and of the `random` module, so both states are restored afterwards.
    Measured 3.7 s and 4.0 s, plus 0.7 s to import mnist1d, on a 2-core AMD EPYC VM.
    """
    import mnist1d.data  # Deferred because only a cache miss needs it.

    numpy_state = np.random.get_state()
    python_state = random.getstate()
    start = time.perf_counter()
    try:
        parts = mnist1d.data.make_dataset(types.SimpleNamespace(**GENERATOR_ARGS))
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    seconds = time.perf_counter() - start
    logger.info("generated MNIST-1D in %.1f s", seconds)
    X = np.concatenate([parts["x"], parts["x_test"]]).astype(np.float64)
    y = np.concatenate([parts["y"], parts["y_test"]]).astype(np.int64)
    return X, y


def _read_cache(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        X = archive["X"]
        y = archive["y"]
    if X.shape != (N_SAMPLES, N_FEATURES) or X.dtype != np.float64:
        raise ValueError(f"X has shape {X.shape} and dtype {X.dtype}")
    if y.shape != (N_SAMPLES,) or y.dtype != np.int64:
        raise ValueError(f"y has shape {y.shape} and dtype {y.dtype}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains non-finite values")
    return X, y


def _write_cache(path: Path, X: np.ndarray, y: np.ndarray) -> None:
    """Write the cache atomically: a temporary file in the same folder, then os.replace.

    A failure to write is logged and otherwise ignored, because the caller already
    has the data.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=path.stem + ".", suffix=".tmp"
        )
    except OSError as error:
        logger.warning("cannot write MNIST-1D cache %s: %s", path, error)
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, X=X, y=y)
        os.replace(temp_name, path)
    except OSError as error:
        logger.warning("cannot write MNIST-1D cache %s: %s", path, error)
        return
    finally:
        # No-op after a successful os.replace, which moved the file away.
        Path(temp_name).unlink(missing_ok=True)
    logger.info("cached MNIST-1D in %s", path)
