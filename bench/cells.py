"""One cell of a sweep: a single training run with its full configuration.

A cell is identified by a stable key, a SHA-256 hash of its configuration written as
canonical JSON. Python's ``hash()`` is salted per process, so it is never used here.
"""

import dataclasses
import hashlib
import json
from typing import Any

import numpy as np

KEY_LENGTH = 16


@dataclasses.dataclass(frozen=True)
class Cell:
    """Configuration of one training run.

    ``seed`` is the replicate index (0, 1, 2, ...). It fixes the train/test split, and
    together with ``base_seed``, the dataset and the model shape it fixes the initial
    weights and the shuffling order. Cells that differ only in optimizer, loss,
    learning rate, schedule, weight decay or dtype therefore start from the same
    weights (up to rounding in float32) and see the same batches, which makes the
    comparison between them a paired one.

    ``hyperparameters`` are extra optimizer settings as sorted (name, value) pairs;
    ``weight_decay`` is None for the optimizer's own default. ``schedule_options``
    are the learning-rate schedule's arguments as sorted pairs. ``data_version`` is
    a hash of a CSV file's content, so that an edited file gets new keys. It is None
    for the built-in datasets and then left out of the key.
    """

    dataset: str
    optimizer: str
    loss: str
    lr: float
    seed: int
    batch_size: int
    epochs: int
    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"
    dtype: str = "float64"
    hyperparameters: tuple[tuple[str, Any], ...] = ()
    weight_decay: float | None = None
    schedule: str = "constant"
    schedule_options: tuple[tuple[str, Any], ...] = ()
    target: str | None = None
    base_seed: int = 0
    data_version: str | None = None

    def config(self) -> dict[str, Any]:
        """Return the configuration as plain JSON-ready values."""
        config = dataclasses.asdict(self)
        config["hidden"] = list(self.hidden)
        config["hyperparameters"] = dict(self.hyperparameters)
        config["schedule_options"] = dict(self.schedule_options)
        if self.data_version is None:
            del config["data_version"]
        return config

    def optimizer_settings(self) -> dict[str, Any]:
        """Return the keyword arguments for ``optimizers.create`` besides the name."""
        settings = {"lr": self.lr, **dict(self.hyperparameters)}
        if self.weight_decay is not None:
            settings["weight_decay"] = self.weight_decay
        return settings

    @property
    def key(self) -> str:
        """Stable hexadecimal key of the full configuration."""
        text = json.dumps(self.config(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]

    def training_seeds(self) -> tuple[int, int]:
        """Return the seeds for weight initialisation and for batch shuffling.

        They come from ``np.random.SeedSequence`` fed with the base seed, the replicate
        seed and a hash of the dataset and model shape, so they do not depend on the
        worker, the order of the cells or the optimizer.
        """
        shape = json.dumps([self.dataset, self.target, list(self.hidden), self.activation])
        shape_hash = int(hashlib.sha256(shape.encode()).hexdigest()[:8], 16)
        sequence = np.random.SeedSequence([self.base_seed, self.seed, shape_hash])
        init_seed, shuffle_seed = sequence.generate_state(2)
        return int(init_seed), int(shuffle_seed)
