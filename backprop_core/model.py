"""A stack of layers trained end to end, and a builder for multilayer perceptrons."""

import numpy as np

from backprop_core.layers import Dense, check_dtype

# build_mlp gives layers with these activations He initialisation, all others Glorot.
_HE_ACTIVATIONS = ("relu", "leaky_relu")


class Sequential:
    """Layers applied in order, with the backward pass in reverse order.

    Parameters
    ----------
    layers : sequence of Dense
        Consecutive layers must agree on the number of features, and all layers must
        share one dtype.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("invalid layers []; expected at least one layer")
        for previous, layer in zip(self.layers, self.layers[1:]):
            if previous.n_outputs != layer.n_inputs:
                raise ValueError(
                    f"invalid layers: {previous!r} has {previous.n_outputs} outputs "
                    f"but the next layer {layer!r} has {layer.n_inputs} inputs"
                )
        dtypes = {layer.dtype.name for layer in self.layers}
        if len(dtypes) > 1:
            raise ValueError(
                f"invalid layers: mixed dtypes {sorted(dtypes)}; expected one dtype"
            )
        self._params = []
        self._grads = []
        for layer in self.layers:
            self._params += [layer.weights, layer.bias]
            self._grads += [layer.grad_weights, layer.grad_bias]

    @property
    def params(self):
        """Parameter arrays [W1, b1, W2, b2, ...], the live arrays of the layers.

        An optimizer that updates these arrays in place updates the model.
        """
        return list(self._params)

    @property
    def grads(self):
        """Gradient arrays in the order of `params`, overwritten by each `backward`."""
        return list(self._grads)

    @property
    def dtype(self):
        """dtype of every parameter, gradient and output."""
        return self.layers[0].dtype

    @property
    def n_inputs(self):
        """Number of input features."""
        return self.layers[0].n_inputs

    @property
    def n_outputs(self):
        """Number of output features."""
        return self.layers[-1].n_outputs

    def forward(self, x):
        """Compute the outputs (N, n_outputs) for inputs ``x`` (N, n_inputs)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_output, compute_grad_inputs=True):
        """Fill `grads` from dL/d outputs (N, n_outputs) of the last `forward`.

        Returns dL/dx (N, n_inputs), or None when ``compute_grad_inputs`` is False,
        which saves one matrix product per step in training.
        """
        grad = grad_output
        for layer in reversed(self.layers[1:]):
            grad = layer.backward(grad)
        return self.layers[0].backward(grad, compute_grad_inputs=compute_grad_inputs)

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}])"


def build_mlp(
    n_inputs,
    n_outputs,
    hidden=(64,),
    activation="relu",
    output_activation="identity",
    seed=0,
    dtype=np.float64,
):
    """Build a multilayer perceptron with seeded initial weights.

    Parameters
    ----------
    n_inputs, n_outputs : int
        Number of input features and of outputs (classes for classification).
    hidden : sequence of int, default (64,)
        Width of each hidden layer. An empty sequence builds a single Dense layer.
    activation : str, default "relu"
        Activation of every hidden layer.
    output_activation : str, default "identity"
        Activation of the last layer. Keep "identity" for cross_entropy, which
        expects logits.
    seed : int, default 0
        Seed of the np.random.Generator that draws all initial weights.
    dtype : np.float32 or np.float64, default np.float64

    Layers with relu or leaky_relu get He initialisation, the others Glorot.
    """
    dtype = check_dtype(dtype)
    rng = np.random.default_rng(seed)
    sizes = [n_inputs, *hidden, n_outputs]
    layer_activations = [activation] * len(hidden) + [output_activation]
    layers = []
    for fan_in, fan_out, name in zip(sizes, sizes[1:], layer_activations):
        init = "he" if name in _HE_ACTIVATIONS else "glorot"
        layers.append(
            Dense(fan_in, fan_out, activation=name, init=init, rng=rng, dtype=dtype)
        )
    return Sequential(layers)
