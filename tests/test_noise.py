"""Behaviour of GaussianNoiser."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skdenoise import GaussianNoiser


def test_adds_scaled_standard_normal_noise():
    X = np.zeros((2000, 50))
    noise = GaussianNoiser(noise_factor=0.3, clip=None, random_state=0).transform(X)
    assert noise.mean() == pytest.approx(0, abs=0.01)
    assert noise.std() == pytest.approx(0.3, rel=0.02)


def test_clips_to_the_given_range():
    X = np.full((100, 10), 0.5)
    noisy = GaussianNoiser(noise_factor=2.0, random_state=0).transform(X)
    assert noisy.min() == 0.0 and noisy.max() == 1.0
    noisy = GaussianNoiser(noise_factor=2.0, clip=(-1, 2), random_state=0).transform(X)
    assert noisy.min() == -1.0 and noisy.max() == 2.0


def test_default_clip_leaves_data_outside_unit_interval_unclipped():
    X = np.random.RandomState(0).normal(size=(200, 10))
    noisy = GaussianNoiser(noise_factor=2.0, random_state=0).transform(X)
    unclipped = GaussianNoiser(noise_factor=2.0, clip=None, random_state=0).transform(X)
    np.testing.assert_array_equal(noisy, unclipped)
    # One value outside [0, 1] is enough: the data is not pixels.
    almost_pixels = np.full((100, 10), 0.5)
    almost_pixels[0, 0] = 1.5
    noisy = GaussianNoiser(noise_factor=2.0, random_state=0).transform(almost_pixels)
    assert noisy.min() < 0 and noisy.max() > 1


def test_default_clip_is_auto_and_explicit_clips_are_kept():
    assert GaussianNoiser().clip == "auto"
    X = np.random.RandomState(0).normal(size=(50, 4))
    noisy = GaussianNoiser(noise_factor=2.0, clip=(0.0, 1.0), random_state=0).transform(X)
    assert noisy.min() == 0.0 and noisy.max() == 1.0


def test_zero_noise_factor_is_identity():
    X = np.random.RandomState(0).uniform(size=(5, 4))
    np.testing.assert_array_equal(GaussianNoiser(noise_factor=0.0).fit_transform(X), X)


def test_random_state_makes_noise_reproducible():
    X = np.full((20, 5), 0.5)
    a = GaussianNoiser(random_state=3).transform(X)
    np.testing.assert_array_equal(a, GaussianNoiser(random_state=3).transform(X))
    assert not np.array_equal(a, GaussianNoiser(random_state=4).transform(X))
    noiser = GaussianNoiser()
    assert not np.array_equal(noiser.transform(X), noiser.transform(X))


def test_random_state_none_leaves_global_rng_alone():
    np.random.seed(0)
    expected = np.random.random_sample()
    np.random.seed(0)
    GaussianNoiser().fit_transform(np.zeros((10, 3)))
    assert np.random.random_sample() == expected


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keeps_floating_dtype(dtype):
    X = np.zeros((3, 2), dtype=dtype)
    assert GaussianNoiser(random_state=0).transform(X).dtype == dtype


def test_keeps_dataframes_and_feature_names():
    frame = pd.DataFrame({"a": [0.1, 0.2], "b": [0.3, 0.4]}, index=[10, 11])
    noiser = GaussianNoiser(random_state=0).set_output(transform="pandas")
    noisy = noiser.fit_transform(frame)
    assert isinstance(noisy, pd.DataFrame)
    assert list(noisy.columns) == ["a", "b"] and list(noisy.index) == [10, 11]
    assert list(noiser.get_feature_names_out()) == ["a", "b"]


def test_transform_without_fit_and_checks_width_after_fit():
    X = np.zeros((3, 2))
    assert GaussianNoiser(random_state=0).transform(X).shape == (3, 2)
    noiser = GaussianNoiser().fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianNoiser is expecting 2"):
        noiser.transform(np.zeros((3, 3)))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"noise_factor": -1}, "noise_factor"),
        ({"clip": (1, 0)}, "low < high"),
        ({"clip": ("a", 1)}, "pair"),
        ({"clip": "everything"}, "clip"),
    ],
)
def test_bad_parameters_are_reported(params, message):
    with pytest.raises(ValueError, match=message):
        GaussianNoiser(**params).fit_transform(np.zeros((2, 2)))


def test_rejects_non_finite_input():
    with pytest.raises(ValueError, match="NaN"):
        GaussianNoiser().transform(np.array([[np.nan, 0.0]]))


def test_transform_without_fit_leaves_the_noiser_unfitted():
    noiser = GaussianNoiser(random_state=0)
    frame = pd.DataFrame({"a": [0.1, 0.2], "b": [0.3, 0.4]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noiser.transform(frame)
    assert not hasattr(noiser, "n_features_in_")
    assert not hasattr(noiser, "feature_names_in_")


def test_fit_validates_parameters_through_fit_context():
    with pytest.raises(InvalidParameterError, match="noise_factor"):
        GaussianNoiser(noise_factor="big").fit(np.zeros((2, 2)))
