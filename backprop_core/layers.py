"""Fully connected layer with its forward and backward pass."""

import numpy as np

from backprop_core import activations

INITS = ("he", "glorot")
DTYPES = (np.float32, np.float64)


def check_dtype(dtype):
    """Return ``dtype`` as a np.dtype, or raise ValueError unless it is a float type."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in DTYPES:
        valid = [np.dtype(d).name for d in DTYPES]
        raise ValueError(f"invalid dtype {dtype!r}; valid dtypes are {valid}")
    return resolved


def init_weights(n_inputs, n_outputs, init, rng, dtype):
    """Draw a (n_inputs, n_outputs) weight matrix.

    "he" is the He (Kaiming) normal scheme for ReLU layers: N(0, variance
    2 / n_inputs). "glorot" is the Glorot (Xavier) uniform scheme: U(-limit, limit)
    with limit = sqrt(6 / (n_inputs + n_outputs)). Values are drawn in float64 and
    then cast, so float32 and float64 layers built from the same seed start from the
    same weights, up to rounding.
    """
    shape = (n_inputs, n_outputs)
    if init == "he":
        weights = rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=shape)
    elif init == "glorot":
        limit = np.sqrt(6.0 / (n_inputs + n_outputs))
        weights = rng.uniform(-limit, limit, size=shape)
    else:
        raise ValueError(f"invalid init {init!r}; valid inits are {list(INITS)}")
    return weights.astype(dtype)


def _check_size(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"invalid {name} {value!r}; expected a positive integer")
    return int(value)


class Dense:
    """Affine layer followed by an activation: outputs = activation(inputs @ W + b).

    Parameters
    ----------
    n_inputs, n_outputs : int
        Number of input and output features.
    activation : str or activations.Activation, default "relu"
        A name from `activations.names()` or an Activation instance.
    init : {"he", "glorot"}, default "he"
        Weight initialisation, see `init_weights`. The bias starts at zero.
    rng : np.random.Generator, int or None, default None
        Source of the initial weights, passed to np.random.default_rng, so None draws
        fresh, unseeded entropy.
    dtype : np.float32 or np.float64, default np.float64
        dtype of the parameters, gradients and outputs. Inputs of another dtype are
        cast to it.

    Attributes
    ----------
    weights : ndarray of shape (n_inputs, n_outputs)
    bias : ndarray of shape (n_outputs,)
    grad_weights, grad_bias : ndarray
        dL/dW and dL/db from the last `backward`, same shapes as weights and bias.
        Each backward pass overwrites these arrays in place, so references to them
        stay valid.
    """

    def __init__(
        self,
        n_inputs,
        n_outputs,
        activation="relu",
        init="he",
        rng=None,
        dtype=np.float64,
    ):
        self.n_inputs = _check_size("n_inputs", n_inputs)
        self.n_outputs = _check_size("n_outputs", n_outputs)
        if isinstance(activation, activations.Activation):
            self.activation = activation
        else:
            self.activation = activations.create(activation)
        self.dtype = check_dtype(dtype)
        rng = np.random.default_rng(rng)
        self.weights = init_weights(
            self.n_inputs, self.n_outputs, init, rng, self.dtype
        )
        self.bias = np.zeros(self.n_outputs, dtype=self.dtype)
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(self.bias)
        # Cached by forward for backward.
        self._inputs = None
        self._pre_activations = None
        self._outputs = None

    def forward(self, inputs):
        """Compute the outputs (N, n_outputs) for inputs (N, n_inputs) and cache both.

        The inputs are cached by reference, so the caller must not modify them in
        place before calling `backward`.
        """
        if inputs.ndim != 2 or inputs.shape[1] != self.n_inputs:
            raise ValueError(
                f"invalid inputs shape {inputs.shape}; expected (N, {self.n_inputs})"
            )
        if inputs.dtype != self.dtype:
            inputs = inputs.astype(self.dtype)
        pre_activations = np.matmul(inputs, self.weights)
        pre_activations += self.bias
        outputs = self.activation.forward(pre_activations)
        self._inputs = inputs
        self._pre_activations = pre_activations
        self._outputs = outputs
        return outputs

    def backward(self, grad_outputs, compute_grad_inputs=True):
        """Store grad_weights and grad_bias, and return grad_inputs (N, n_inputs).

        Parameters
        ----------
        grad_outputs : ndarray of shape (N, n_outputs)
            dL/d outputs for the batch of the last `forward`.
        compute_grad_inputs : bool, default True
            When False, skip the product grad_z @ W.T and return None. The first
            layer of a model needs no input gradient during training.
        """
        if self._inputs is None:
            raise RuntimeError("backward called before forward")
        if grad_outputs.dtype != self.dtype:
            grad_outputs = grad_outputs.astype(self.dtype)
        grad_pre_activations = self.activation.backward(
            self._pre_activations, self._outputs, grad_outputs
        )
        np.matmul(self._inputs.T, grad_pre_activations, out=self.grad_weights)
        grad_pre_activations.sum(axis=0, out=self.grad_bias)
        if not compute_grad_inputs:
            return None
        return np.matmul(grad_pre_activations, self.weights.T)

    def __repr__(self):
        return (
            f"Dense({self.n_inputs}, {self.n_outputs}, "
            f"activation={self.activation!r}, dtype={self.dtype.name})"
        )
