"""Tests for skdenoise.metrics."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdenoise.metrics import peak_signal_noise_ratio


def test_psnr_matches_definition_per_sample_then_mean():
    rng = np.random.RandomState(0)
    X_true = rng.uniform(size=(5, 12))
    X_pred = X_true + rng.normal(scale=[[0.01], [0.05], [0.1], [0.2], [0.3]], size=(5, 12))
    mse = ((X_true - X_pred) ** 2).mean(axis=1)
    expected = np.mean(10 * np.log10(1.0 / mse))
    assert peak_signal_noise_ratio(X_true, X_pred) == pytest.approx(expected)
    # Averaging per sample differs from the PSNR of the pooled MSE.
    assert expected != pytest.approx(10 * np.log10(1.0 / mse.mean()))


def test_psnr_known_values():
    X_true = np.zeros((2, 4))
    X_pred = np.array([[0.1] * 4, [0.01] * 4])
    # MSE 1e-2 -> 20 dB, MSE 1e-4 -> 40 dB.
    assert peak_signal_noise_ratio(X_true, X_pred) == pytest.approx(30.0)


def test_psnr_scales_with_data_range():
    X_true = np.zeros((3, 10))
    X_pred = np.full((3, 10), 25.5)
    assert peak_signal_noise_ratio(X_true, X_pred, data_range=255) == pytest.approx(20.0)
    # 20 * log10(255) dB more than with the default range of 1.
    assert peak_signal_noise_ratio(X_true, X_pred, data_range=255) - (
        peak_signal_noise_ratio(X_true, X_pred)
    ) == pytest.approx(20 * np.log10(255))


def test_psnr_of_uint8_images_does_not_overflow():
    X_true = np.zeros((2, 4, 4), dtype=np.uint8)
    X_pred = np.full((2, 4, 4), 255, dtype=np.uint8)
    # The error is the full range: 0 dB, not wrapped-around uint8 arithmetic.
    assert peak_signal_noise_ratio(X_true, X_pred, data_range=255) == pytest.approx(0.0)


def test_psnr_accepts_images_and_matches_flat_rows():
    rng = np.random.RandomState(1)
    X_true = rng.uniform(size=(4, 6, 6, 3)).astype(np.float32)
    X_pred = np.clip(X_true + rng.normal(scale=0.1, size=X_true.shape), 0, 1)
    flat = peak_signal_noise_ratio(X_true.reshape(4, -1), X_pred.reshape(4, -1))
    assert peak_signal_noise_ratio(X_true, X_pred) == pytest.approx(flat)
    assert isinstance(peak_signal_noise_ratio(X_true, X_pred), float)


def test_psnr_is_symmetric_and_accepts_lists():
    X_true = [[0.0, 0.5], [1.0, 0.2]]
    X_pred = [[0.1, 0.4], [0.8, 0.2]]
    assert peak_signal_noise_ratio(X_true, X_pred) == pytest.approx(
        peak_signal_noise_ratio(X_pred, X_true)
    )


def test_psnr_is_infinite_for_an_exact_reconstruction(recwarn):
    X = np.random.RandomState(0).uniform(size=(3, 5))
    assert peak_signal_noise_ratio(X, X) == np.inf
    # One exact sample makes the mean infinite too, without a division warning.
    X_pred = X.copy()
    X_pred[1:] += 0.1
    assert peak_signal_noise_ratio(X, X_pred) == np.inf
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    "X_true, X_pred, message",
    [
        (np.zeros((2, 3)), np.zeros((2, 4)), "same shape"),
        (np.zeros((2, 3)), np.zeros((3, 3)), "same shape"),
        (np.zeros((2, 9)), np.zeros((2, 3, 3)), "same shape"),
        (np.zeros((0, 3)), np.zeros((0, 3)), "0 sample"),
        (np.zeros((2, 0)), np.zeros((2, 0)), "0 feature"),
        (np.zeros((2, 0, 3)), np.zeros((2, 0, 3)), "no values per sample"),
        (np.zeros(3), np.zeros(3), "Expected 2D array"),
        (np.array([[np.nan, 0.0]]), np.zeros((1, 2)), "X_true contains NaN"),
        (np.zeros((1, 2)), np.array([[np.inf, 0.0]]), "X_pred contains infinity"),
    ],
)
def test_psnr_rejects_invalid_inputs(X_true, X_pred, message):
    with pytest.raises(ValueError, match=message):
        peak_signal_noise_ratio(X_true, X_pred)


@pytest.mark.parametrize("data_range", [0, -1.0, "1"])
def test_psnr_rejects_invalid_data_range(data_range):
    with pytest.raises(InvalidParameterError, match="data_range"):
        peak_signal_noise_ratio(np.zeros((1, 2)), np.ones((1, 2)), data_range=data_range)
