"""Loss functions, looked up by name, with the value and its gradient kept apart.

``value(y_true, y_pred)`` returns the mean loss over the batch as a Python float.
``gradient(y_true, y_pred)`` returns dL/d y_pred with the shape and dtype of y_pred,
so a float32 model gets float32 gradients.
"""

import numpy as np


class Loss:
    """Base class for a loss over a batch of N predictions.

    Attributes
    ----------
    takes_logits : bool
        True when y_pred must be unnormalised logits and y_true class labels.
    """

    name = "loss"
    takes_logits = False

    def value(self, y_true, y_pred):
        """Compute the mean loss over the batch."""
        raise NotImplementedError

    def gradient(self, y_true, y_pred):
        """Compute dL/d y_pred, with the shape and dtype of y_pred."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """L = mean((y_pred - y_true)**2) over all entries, like torch.nn.MSELoss().

    The gradient is 2 * (y_pred - y_true) / y_pred.size. y_true and y_pred must have
    the same shape, because broadcasting (N,) against (N, 1) would silently compare
    every target with every prediction.
    """

    name = "mse"

    def value(self, y_true, y_pred):
        residuals = self._residuals(y_true, y_pred)
        return float(np.mean(residuals * residuals))

    def gradient(self, y_true, y_pred):
        residuals = self._residuals(y_true, y_pred)
        residuals *= 2.0 / residuals.size
        return residuals

    @staticmethod
    def _residuals(y_true, y_pred):
        y_true = np.asarray(y_true)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"invalid y_true shape {y_true.shape}; mse expects the shape of "
                f"y_pred {y_pred.shape}"
            )
        return np.subtract(y_pred, y_true, dtype=y_pred.dtype)


class CrossEntropy(Loss):
    """Softmax cross-entropy on logits, averaged over the batch.

    L = mean_n(logsumexp(z_n) - z_n[y_n]) for logits z (N, K) and labels y, which are
    either integer class indices (N,) or one-hot rows (N, K). With one-hot rows,
    L = mean_n(-sum_k y_nk * log_softmax(z_n)_k). The gradient is
    (softmax(z) - onehot(y)) / N.

    Both are computed from z - max(z) per row, which is at most 0, so exp cannot
    overflow for finite logits. The value
    stays finite unless the logits of a row span more than the float range, such as
    1e308 and -1e308 in float64. Labels of shape (N, 1) raise ValueError
    because they are neither form. Rows of y that are not one-hot are used as given,
    and the gradient formula holds for them only if each row sums to 1.
    """

    name = "cross_entropy"
    takes_logits = True

    def value(self, y_true, y_pred):
        labels = self._check(y_true, y_pred)
        shifted = y_pred - y_pred.max(axis=1, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
        if labels.ndim == 1:
            rows = np.arange(len(labels))
            losses = log_sum_exp - shifted[rows, labels]
            return float(np.mean(losses))
        log_probabilities = shifted - log_sum_exp[:, None]
        return float(-np.sum(labels * log_probabilities) / len(labels))

    def gradient(self, y_true, y_pred):
        labels = self._check(y_true, y_pred)
        probabilities = y_pred - y_pred.max(axis=1, keepdims=True)
        np.exp(probabilities, out=probabilities)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        if labels.ndim == 1:
            probabilities[np.arange(len(labels)), labels] -= 1
        else:
            probabilities -= labels
        probabilities /= len(labels)
        return probabilities

    @staticmethod
    def _check(y_true, y_pred):
        """Return y_true as an array after checking it against logits y_pred."""
        if y_pred.ndim != 2:
            raise ValueError(
                f"invalid y_pred shape {y_pred.shape}; cross_entropy expects logits "
                "of shape (N, K)"
            )
        n_samples, n_classes = y_pred.shape
        if n_classes < 2:
            raise ValueError(
                f"invalid y_pred shape {y_pred.shape}; cross_entropy expects at least "
                "2 classes"
            )
        labels = np.asarray(y_true)
        if labels.shape == (n_samples,):
            if labels.dtype.kind not in "iu":
                raise ValueError(
                    f"invalid y_true dtype {labels.dtype}; class labels of shape (N,) "
                    "must be integers"
                )
            if n_samples == 0:
                return labels
            low, high = labels.min(), labels.max()
            if low < 0 or high >= n_classes:
                raise ValueError(
                    f"invalid y_true: labels range from {low} to {high}; expected 0 "
                    f"to {n_classes - 1}"
                )
            return labels
        if labels.shape == (n_samples, n_classes):
            return labels
        raise ValueError(
            f"invalid y_true shape {labels.shape} for logits of shape {y_pred.shape}; "
            f"expected integer labels ({n_samples},) or one-hot rows "
            f"({n_samples}, {n_classes}). Flatten labels of shape (N, 1) to (N,)."
        )


_LOSSES = {cls.name: cls for cls in (MeanSquaredError, CrossEntropy)}


def names():
    """Return the names that `create` accepts."""
    return list(_LOSSES)


def create(name):
    """Create the loss registered under ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not one of `names()`.
    """
    try:
        cls = _LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"invalid loss {name!r}; valid names are {names()}") from None
    return cls()
