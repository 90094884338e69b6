import warnings

import numpy as np
import pytest

from backprop_core import losses

ATOL = 1e-6


@pytest.fixture
def cross_entropy():
    return losses.create("cross_entropy")


@pytest.fixture
def mse():
    return losses.create("mse")


def test_names_listed():
    assert losses.names() == ["mse", "cross_entropy"]


def test_unknown_name_lists_valid():
    with pytest.raises(ValueError, match="cross_entropy"):
        losses.create("hinge")


def test_takes_logits_flags():
    flags = [losses.create(name).takes_logits for name in ("mse", "cross_entropy")]
    assert flags == [False, True]


def test_cross_entropy_large_logit_value(cross_entropy):
    logits = np.array([[1000.0, 0.0], [0.0, 1.0]])
    value = cross_entropy.value(np.array([0, 1]), logits)
    np.testing.assert_allclose(value, 0.156631, atol=ATOL)


def test_cross_entropy_large_logit_gradient(cross_entropy):
    logits = np.array([[1000.0, 0.0], [0.0, 1.0]])
    gradient = cross_entropy.gradient(np.array([0, 1]), logits)
    expected = [[0.0, 0.0], [0.134471, -0.134471]]
    np.testing.assert_allclose(gradient, expected, atol=ATOL)


def test_cross_entropy_wrong_confident_value(cross_entropy):
    value = cross_entropy.value(np.array([1]), np.array([[1000.0, 0.0]]))
    np.testing.assert_allclose(value, 1000.0, atol=ATOL)


def test_cross_entropy_wrong_confident_gradient(cross_entropy):
    gradient = cross_entropy.gradient(np.array([1]), np.array([[1000.0, 0.0]]))
    np.testing.assert_allclose(gradient, [[1.0, -1.0]], atol=ATOL)


@pytest.mark.parametrize(
    "labels",
    [np.array([0, 1]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])],
    ids=["indices", "one_hot"],
)
def test_cross_entropy_probability_logits(cross_entropy, labels):
    logits = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]))
    np.testing.assert_allclose(cross_entropy.value(labels, logits), 0.289909, atol=ATOL)


def test_cross_entropy_one_hot_gradient_matches(cross_entropy):
    logits = np.random.default_rng(0).normal(size=(4, 3))
    labels = np.array([2, 0, 1, 2])
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(
        cross_entropy.gradient(one_hot, logits),
        cross_entropy.gradient(labels, logits),
        atol=1e-12,
    )


def test_cross_entropy_column_labels_rejected(cross_entropy):
    logits = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"\(3, 1\)"):
        cross_entropy.value(np.array([[0], [1], [1]]), logits)


def test_cross_entropy_column_labels_gradient_rejected(cross_entropy):
    logits = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"\(3, 1\)"):
        cross_entropy.gradient(np.array([[0], [1], [1]]), logits)


def test_cross_entropy_label_range_rejected(cross_entropy):
    with pytest.raises(ValueError, match="0 to 1"):
        cross_entropy.value(np.array([0, 2]), np.zeros((2, 2)))


def test_cross_entropy_negative_label_rejected(cross_entropy):
    with pytest.raises(ValueError, match="-1"):
        cross_entropy.gradient(np.array([0, -1]), np.zeros((2, 2)))


def test_cross_entropy_float_labels_rejected(cross_entropy):
    with pytest.raises(ValueError, match="integers"):
        cross_entropy.value(np.array([0.0, 1.0]), np.zeros((2, 2)))


def test_cross_entropy_single_class_rejected(cross_entropy):
    with pytest.raises(ValueError, match="at least 2 classes"):
        cross_entropy.value(np.array([0, 0]), np.zeros((2, 1)))


@pytest.mark.parametrize("scale", [1e3, 1e30, 1e300])
def test_cross_entropy_huge_logits_finite(cross_entropy, scale):
    logits = np.array([[scale, -scale, 0.0], [-scale, 0.0, scale]])
    labels = np.array([1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        value = cross_entropy.value(labels, logits)
        gradient = cross_entropy.gradient(labels, logits)
    assert np.isfinite(value)
    assert np.all(np.isfinite(gradient))


def test_mse_value(mse):
    np.testing.assert_allclose(mse.value(np.zeros(2), np.array([1.0, 3.0])), 5.0)


def test_mse_gradient(mse):
    gradient = mse.gradient(np.zeros(2), np.array([1.0, 3.0]))
    np.testing.assert_allclose(gradient, [1.0, 3.0], atol=ATOL)


def test_mse_shape_mismatch_rejected(mse):
    with pytest.raises(ValueError, match=r"\(3,\)"):
        mse.value(np.zeros(3), np.zeros((3, 1)))


@pytest.mark.parametrize(
    ("name", "y_true"),
    [("mse", np.eye(3)[[0, 2]]), ("cross_entropy", np.array([0, 2]))],
)
def test_gradient_keeps_float32(name, y_true):
    y_pred = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], dtype=np.float32)
    gradient = losses.create(name).gradient(y_true, y_pred)
    assert gradient.dtype == np.float32


def test_cross_entropy_one_hot_keeps_float32(cross_entropy):
    y_pred = np.array([[0.5, -1.0], [1.5, 0.0]], dtype=np.float32)
    gradient = cross_entropy.gradient(np.eye(2, dtype=np.int64), y_pred)
    assert gradient.dtype == np.float32


def test_value_is_python_float(cross_entropy):
    value = cross_entropy.value(np.array([0]), np.zeros((1, 2), dtype=np.float32))
    assert type(value) is float
