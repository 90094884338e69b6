"""Backward passes against central finite differences, and dtype and layer checks."""

import numpy as np
import pytest

from backprop_core import activations, losses
from backprop_core.layers import Dense
from backprop_core.model import Sequential, build_mlp

STEP = 1e-6
MAX_RELATIVE_ERROR = 1e-6
N_SAMPLES, N_INPUTS, N_HIDDEN, N_OUTPUTS = 5, 3, 4, 3
CHECKED = ["W1", "b1", "W2", "b2", "inputs"]

# Each case is (hidden activation, output activation, loss). Every activation is
# checked as the hidden activation with every loss, and as the output activation
# with mse, because cross_entropy expects identity outputs (logits).
CASES = [
    (hidden, "identity", loss)
    for hidden in activations.names()
    for loss in losses.names()
] + [("tanh", output, "mse") for output in activations.names() if output != "identity"]


def make_problem(hidden, output, loss_name):
    rng = np.random.default_rng(0)
    model = Sequential(
        [
            Dense(N_INPUTS, N_HIDDEN, activation=hidden, init="glorot", rng=rng),
            Dense(N_HIDDEN, N_OUTPUTS, activation=output, init="glorot", rng=rng),
        ]
    )
    # Nonzero biases, so that the bias gradients are checked away from the start.
    for bias in model.params[1::2]:
        bias[:] = rng.normal(scale=0.5, size=bias.shape)
    inputs = rng.normal(size=(N_SAMPLES, N_INPUTS))
    if loss_name == "cross_entropy":
        targets = rng.integers(0, N_OUTPUTS, size=N_SAMPLES)
    else:
        targets = rng.normal(size=(N_SAMPLES, N_OUTPUTS))
    return model, losses.create(loss_name), inputs, targets


def numerical_gradient(function, array):
    """Central differences of the scalar ``function()`` with respect to ``array``."""
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + STEP
        plus = function()
        array[index] = original - STEP
        minus = function()
        array[index] = original
        gradient[index] = (plus - minus) / (2 * STEP)
    return gradient


def relative_error(analytic, numeric):
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return np.linalg.norm(analytic - numeric) / max(scale, 1e-12)


@pytest.mark.parametrize("checked", CHECKED)
@pytest.mark.parametrize(
    ("hidden", "output", "loss_name"), CASES, ids=["-".join(case) for case in CASES]
)
def test_backward_matches_finite_differences(hidden, output, loss_name, checked):
    model, loss, inputs, targets = make_problem(hidden, output, loss_name)
    outputs = model.forward(inputs)
    grad_inputs = model.backward(loss.gradient(targets, outputs))
    analytic = dict(zip(CHECKED, [*model.grads, grad_inputs]))[checked]
    array = dict(zip(CHECKED, [*model.params, inputs]))[checked]

    def compute_loss():
        return loss.value(targets, model.forward(inputs))

    numeric = numerical_gradient(compute_loss, array)
    assert relative_error(analytic, numeric) < MAX_RELATIVE_ERROR


@pytest.mark.parametrize("loss_name", losses.names())
def test_float32_model_stays_float32(loss_name):
    model = build_mlp(4, 3, hidden=(5,), dtype=np.float32)
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(6, 4)).astype(np.float32)
    if loss_name == "cross_entropy":
        targets = rng.integers(0, 3, size=6)
    else:
        targets = rng.normal(size=(6, 3))
    outputs = model.forward(inputs)
    grad_outputs = losses.create(loss_name).gradient(targets, outputs)
    grad_inputs = model.backward(grad_outputs)
    assert outputs.dtype == np.float32
    assert grad_outputs.dtype == np.float32
    assert grad_inputs.dtype == np.float32
    assert {grad.dtype for grad in model.grads} == {np.dtype(np.float32)}
    assert {param.dtype for param in model.params} == {np.dtype(np.float32)}


def test_float32_model_casts_float64_inputs():
    model = build_mlp(4, 3, hidden=(5,), dtype=np.float32)
    outputs = model.forward(np.ones((2, 4)))
    assert outputs.dtype == np.float32


def test_float32_weights_round_float64():
    weights64 = build_mlp(4, 3, seed=7).params[0]
    weights32 = build_mlp(4, 3, seed=7, dtype=np.float32).params[0]
    np.testing.assert_array_equal(weights32, weights64.astype(np.float32))


def test_build_mlp_seed_reproducible():
    first = build_mlp(4, 3, hidden=(5, 6), seed=3).params
    second = build_mlp(4, 3, hidden=(5, 6), seed=3).params
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_build_mlp_shapes():
    shapes = [param.shape for param in build_mlp(4, 3, hidden=(5, 6)).params]
    assert shapes == [(4, 5), (5,), (5, 6), (6,), (6, 3), (3,)]


def test_params_are_live_arrays():
    model = build_mlp(4, 3)
    model.params[0][0, 0] = 42.0
    assert model.layers[0].weights[0, 0] == 42.0


def test_grads_updated_in_place():
    model = build_mlp(4, 3)
    grads = model.grads
    model.forward(np.ones((2, 4)))
    model.backward(np.ones((2, 3)))
    assert all(grad is layer_grad for grad, layer_grad in zip(grads, model.grads))


def test_first_layer_grad_inputs_skipped():
    model = build_mlp(4, 3)
    model.forward(np.ones((2, 4)))
    assert model.backward(np.ones((2, 3)), compute_grad_inputs=False) is None


def test_he_init_scale():
    layer = Dense(400, 300, init="he", rng=0)
    np.testing.assert_allclose(layer.weights.std(), np.sqrt(2 / 400), rtol=0.02)


def test_glorot_init_limit():
    layer = Dense(400, 300, activation="tanh", init="glorot", rng=0)
    limit = np.sqrt(6 / 700)
    assert np.abs(layer.weights).max() <= limit


def test_bias_starts_at_zero():
    assert not build_mlp(4, 3).params[1].any()


def test_invalid_init_rejected():
    with pytest.raises(ValueError, match="glorot"):
        Dense(2, 2, init="xavier")


def test_invalid_dtype_rejected():
    with pytest.raises(ValueError, match="float16"):
        Dense(2, 2, dtype=np.float16)


def test_invalid_size_rejected():
    with pytest.raises(ValueError, match="n_outputs 0"):
        Dense(2, 0)


def test_wrong_input_width_rejected():
    with pytest.raises(ValueError, match=r"\(N, 4\)"):
        build_mlp(4, 3).forward(np.ones((2, 5)))


def test_mismatched_layers_rejected():
    with pytest.raises(ValueError, match="3 outputs"):
        Sequential([Dense(2, 3), Dense(4, 1)])


def test_mixed_dtypes_rejected():
    with pytest.raises(ValueError, match="mixed dtypes"):
        Sequential([Dense(2, 3), Dense(3, 1, dtype=np.float32)])
