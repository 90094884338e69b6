"""Activation functions with their backward passes, looked up by name.

Every activation maps pre-activations ``z`` of shape (N, K) to activations ``a`` of the
same shape and dtype. ``backward(z, a, grad_a)`` takes the upstream gradient
``grad_a = dL/da`` and returns ``grad_z = dL/dz``, reusing the cached forward output
``a`` where the derivative can be written in terms of it.
"""

import numpy as np

LEAKY_RELU_NEGATIVE_SLOPE = 0.01
"""Default slope for z <= 0 in leaky_relu, the default of torch.nn.LeakyReLU."""


class Activation:
    """Base class: an elementwise or row-wise function and its backward pass."""

    name = "activation"

    def forward(self, z):
        """Compute the activations ``a`` (N, K) from pre-activations ``z`` (N, K)."""
        raise NotImplementedError

    def backward(self, z, a, grad_a):
        """Compute ``grad_z`` (N, K) from ``z``, the cached ``a`` and ``grad_a``."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    """a = z, so grad_z = grad_a. Both passes return their input without a copy."""

    name = "identity"

    def forward(self, z):
        return z

    def backward(self, z, a, grad_a):
        return grad_a


class Sigmoid(Activation):
    """a = 1 / (1 + exp(-z)), with derivative da/dz = a * (1 - a).

    The forward pass evaluates exp(-|z|) only, which lies in (0, 1], so no input
    overflows: a = 1 / (1 + exp(-|z|)) for z >= 0 and exp(-|z|) / (1 + exp(-|z|))
    otherwise.
    """

    name = "sigmoid"

    def forward(self, z):
        exp_neg_abs = np.exp(-np.abs(z))
        numerator = np.where(z >= 0, 1, exp_neg_abs)
        exp_neg_abs += 1
        return np.divide(numerator, exp_neg_abs, out=numerator)

    def backward(self, z, a, grad_a):
        grad_z = grad_a * a
        grad_z *= 1 - a
        return grad_z


class Tanh(Activation):
    """a = tanh(z), with derivative da/dz = 1 - a**2."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def backward(self, z, a, grad_a):
        grad_z = a * a
        np.subtract(1, grad_z, out=grad_z)
        grad_z *= grad_a
        return grad_z


class ReLU(Activation):
    """a = max(z, 0), with derivative 1 for z > 0 and 0 otherwise (0 at z = 0)."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0)

    def backward(self, z, a, grad_a):
        return grad_a * (z > 0)


class LeakyReLU(Activation):
    """a = z for z > 0 and negative_slope * z otherwise, derivative 1 or slope.

    Parameters
    ----------
    negative_slope : float, default 0.01
        Slope for z <= 0.
    """

    name = "leaky_relu"

    def __init__(self, negative_slope=LEAKY_RELU_NEGATIVE_SLOPE):
        self.negative_slope = float(negative_slope)

    def forward(self, z):
        return np.where(z > 0, z, self.negative_slope * z)

    def backward(self, z, a, grad_a):
        return np.where(z > 0, grad_a, self.negative_slope * grad_a)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Softmax(Activation):
    """a = exp(z) / sum(exp(z)) over the last axis, computed as softmax(z - max(z)).

    The Jacobian is da_i/dz_j = a_i * (delta_ij - a_j), so the backward pass is the
    Jacobian-vector product grad_z = a * (grad_a - sum(grad_a * a, axis=-1)).
    """

    name = "softmax"

    def forward(self, z):
        shifted = z - z.max(axis=-1, keepdims=True)
        np.exp(shifted, out=shifted)
        shifted /= shifted.sum(axis=-1, keepdims=True)
        return shifted

    def backward(self, z, a, grad_a):
        dot = (grad_a * a).sum(axis=-1, keepdims=True)
        grad_z = grad_a - dot
        grad_z *= a
        return grad_z


_ACTIVATIONS = {
    cls.name: cls for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}


def names():
    """Return the names that `create` accepts, in registry order."""
    return list(_ACTIVATIONS)


def create(name):
    """Create the activation registered under ``name`` with its default settings.

    Raises
    ------
    ValueError
        If ``name`` is not one of `names()`.
    """
    try:
        cls = _ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"invalid activation {name!r}; valid names are {names()}"
        ) from None
    return cls()
