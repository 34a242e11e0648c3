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


# ------------------------------------------------------ a range of noise levels


def _noise_scales(noise_factor, shape, random_state=0):
    """The standard deviation of the noise each row of zeros received."""
    X = np.zeros(shape)
    noiser = GaussianNoiser(noise_factor=noise_factor, clip=None, random_state=random_state)
    return noiser.fit_transform(X).std(axis=1)


def test_a_range_gives_each_sample_a_level_within_it():
    scales = _noise_scales((0.1, 0.4), (300, 4000))
    # 4000 values per row estimate each row's level to about 1%.
    assert scales.min() > 0.1 * 0.95 and scales.max() < 0.4 * 1.05
    # The levels are spread over the whole range, uniformly.
    assert scales.min() < 0.12 and scales.max() > 0.38
    assert np.mean(scales < 0.25) == pytest.approx(0.5, abs=0.1)
    assert np.std(scales) == pytest.approx(0.3 / np.sqrt(12), rel=0.1)


def test_a_range_draws_one_level_per_image():
    images = np.zeros((200, 30, 30, 3))
    noisy = GaussianNoiser((0.0, 0.5), clip=None, random_state=0).fit_transform(images)
    assert noisy.shape == images.shape
    scales = noisy.reshape(200, -1).std(axis=1)
    assert scales.max() - scales.min() > 0.4
    # Within one image, every channel and region has the image's level.
    np.testing.assert_allclose(noisy[..., 0].std(axis=(1, 2)), scales, rtol=0.15)
    np.testing.assert_allclose(noisy[:, :15].std(axis=(1, 2, 3)), scales, rtol=0.15)


def test_a_range_is_reproducible_and_changes_with_the_seed():
    X = np.full((20, 5), 0.5)
    a = GaussianNoiser((0.1, 0.3), random_state=3).transform(X)
    np.testing.assert_array_equal(a, GaussianNoiser((0.1, 0.3), random_state=3).transform(X))
    assert not np.array_equal(a, GaussianNoiser((0.1, 0.3), random_state=4).transform(X))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("noise_factor", [0.5, 0.3, 0.07])
def test_a_float_draws_the_same_noise_as_before(dtype, noise_factor):
    X = np.random.RandomState(0).uniform(size=(40, 12)).astype(dtype)
    noisy = GaussianNoiser(noise_factor, random_state=7).fit_transform(X)
    # The draw of a float noise_factor, recorded from NumPy alone: a
    # Generator seeded from the random_state, standard normal noise in the
    # data's dtype, scaled, added and clipped to [0, 1].
    rng = np.random.default_rng(np.random.RandomState(7).randint(np.iinfo(np.int32).max))
    expected = rng.standard_normal(size=X.shape, dtype=dtype)
    expected *= noise_factor
    expected += X
    np.clip(expected, 0, 1, out=expected)
    np.testing.assert_array_equal(noisy, expected)
    # A range of one value is that value, bit for bit.
    single = GaussianNoiser((noise_factor, noise_factor), random_state=7).fit_transform(X)
    np.testing.assert_array_equal(single, expected)


def test_a_list_is_a_range_too():
    X = np.zeros((30, 50))
    as_list = GaussianNoiser([0.1, 0.3], random_state=0).fit_transform(X)
    as_tuple = GaussianNoiser((0.1, 0.3), random_state=0).fit_transform(X)
    np.testing.assert_array_equal(as_list, as_tuple)


@pytest.mark.parametrize(
    "noise_factor, message",
    [
        ((0.3, 0.1), "low <= high"),
        ((-0.1, 0.1), "low <= high"),
        ((0.1, 0.2, 0.3), "pair"),
        ((0.1,), "pair"),
        (("a", 0.1), "pair"),
        ((0.1, np.inf), "finite"),
        ((0.1, np.nan), "finite"),
    ],
)
def test_a_bad_range_is_reported(noise_factor, message):
    noiser = GaussianNoiser(noise_factor=noise_factor)
    with pytest.raises(ValueError, match=message):
        noiser.fit(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=message):
        noiser.transform(np.zeros((2, 2)))


def test_a_range_is_a_parameter_like_any_other():
    from sklearn.base import clone

    from skdenoise import DenoisingAutoencoder

    noiser = GaussianNoiser(noise_factor=(0.1, 0.3), random_state=0)
    assert clone(noiser).get_params()["noise_factor"] == (0.1, 0.3)
    assert noiser.set_params(noise_factor=(0.2, 0.5)).noise_factor == (0.2, 0.5)
    dae = DenoisingAutoencoder().set_params(noise__noise_factor=(0.0, 0.2))
    assert dae.get_params()["noise__noise_factor"] == (0.0, 0.2)
    assert clone(dae).noise.noise_factor == (0.0, 0.2)
    assert "noise_factor=(0.0, 0.2)" in repr(dae)


@pytest.mark.parametrize("noise_factor", [(0.1, 0.3), [0.1, 0.3]])
def test_a_range_is_saved_and_loaded(tmp_path, noise_factor):
    import pickle

    import skdenoise
    from skdenoise import DenoisingAutoencoder

    X = np.random.RandomState(0).uniform(size=(40, 6)).astype(np.float32)
    dae = DenoisingAutoencoder(
        latent_dim=2,
        hidden_layer_sizes=(4,),
        noise=GaussianNoiser(noise_factor),
        epochs=1,
        random_state=0,
    ).fit(X)
    path = tmp_path / "range.skd"
    dae.save(path)
    loaded = skdenoise.load(path)
    # JSON has no tuples: a range comes back as a tuple, whatever it was.
    assert loaded.noise.noise_factor == (0.1, 0.3)
    assert loaded.score(X) == dae.score(X)
    assert pickle.loads(pickle.dumps(dae)).score(X) == dae.score(X)
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(dae)
    from_skops = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert from_skops.noise.noise_factor == noise_factor
    assert from_skops.score(X) == dae.score(X)
