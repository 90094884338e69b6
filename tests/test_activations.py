import warnings

import numpy as np
import pytest

from backprop_core import activations

Z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])


def test_names_listed():
    expected = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
    assert activations.names() == expected


def test_unknown_name_lists_valid():
    with pytest.raises(ValueError, match="leaky_relu"):
        activations.create("swish")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("identity", Z),
        ("sigmoid", 1 / (1 + np.exp(-Z))),
        ("tanh", np.tanh(Z)),
        ("relu", [[0.0, 0.0, 0.0, 0.5, 3.0]]),
        ("leaky_relu", [[-0.02, -0.005, 0.0, 0.5, 3.0]]),
        ("softmax", np.exp(Z) / np.exp(Z).sum()),
    ],
)
def test_forward_values(name, expected):
    outputs = activations.create(name).forward(Z)
    np.testing.assert_allclose(outputs, expected, atol=1e-12)


@pytest.mark.parametrize("name", activations.names())
def test_extreme_inputs_finite(name):
    z = np.array([[-1000.0, 0.0, 1000.0], [800.0, -800.0, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        outputs = activations.create(name).forward(z)
    assert np.all(np.isfinite(outputs))


def test_sigmoid_saturates_exactly():
    outputs = activations.create("sigmoid").forward(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_array_equal(outputs, [[0.0, 1.0]])


def test_sigmoid_keeps_small_outputs():
    outputs = activations.create("sigmoid").forward(np.array([[-40.0]]))
    np.testing.assert_allclose(outputs, np.exp(-40.0), rtol=1e-12)


def test_softmax_rows_sum_to_one():
    z = np.random.default_rng(0).normal(size=(4, 6))
    outputs = activations.create("softmax").forward(z)
    np.testing.assert_allclose(outputs.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("name", activations.names())
def test_float32_preserved(name):
    z = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    activation = activations.create(name)
    outputs = activation.forward(z)
    grad_z = activation.backward(z, outputs, np.ones_like(outputs))
    assert (outputs.dtype, grad_z.dtype) == (np.float32, np.float32)


@pytest.mark.parametrize(
    ("name", "z", "expected"),
    [
        ("identity", [[-1.0, 0.0, 1.0]], [[1.0, 1.0, 1.0]]),
        ("sigmoid", [[0.0, np.log(3.0)]], [[0.25, 0.1875]]),
        ("tanh", [[0.0, np.arctanh(0.5)]], [[1.0, 0.75]]),
        ("relu", [[-1.0, 0.0, 1.0]], [[0.0, 0.0, 1.0]]),
        ("leaky_relu", [[-1.0, 0.0, 1.0]], [[0.01, 0.01, 1.0]]),
    ],
)
def test_derivative_at_points(name, z, expected):
    z = np.array(z)
    activation = activations.create(name)
    outputs = activation.forward(z)
    grad_z = activation.backward(z, outputs, np.ones_like(z))
    np.testing.assert_allclose(grad_z, expected, atol=1e-12)


def test_softmax_backward_uniform_gradient():
    # Adding a constant to every logit leaves softmax unchanged, so a gradient that is
    # equal across a row must map to zero.
    z = np.random.default_rng(2).normal(size=(2, 5))
    softmax = activations.create("softmax")
    outputs = softmax.forward(z)
    grad_z = softmax.backward(z, outputs, np.full_like(z, 3.0))
    np.testing.assert_allclose(grad_z, 0.0, atol=1e-12)


def test_leaky_relu_custom_slope():
    activation = activations.LeakyReLU(negative_slope=0.2)
    outputs = activation.forward(np.array([[-1.0, 2.0]]))
    np.testing.assert_allclose(outputs, [[-0.2, 2.0]])
