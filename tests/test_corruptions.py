"""Behaviour of MaskingNoiser and SaltPepperNoiser, alone and in an autoencoder."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skdenoise import GaussianNoiser, MaskingNoiser, SaltPepperNoiser
from skdenoise._batch_sources import Corruption, SampleArrays
from skdenoise._batches import RowBatches
from skdenoise._noise import corrupt
from skdenoise._random import batch_seed

NOISERS = [MaskingNoiser, SaltPepperNoiser]


# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=3, hidden_layer_sizes=(16,), epochs=1, random_state=0)


def corrupted_mask(X, noisy):
    """Where the noiser changed X (X avoids every value a noiser writes)."""
    return noisy != X


@pytest.fixture
def inner_values():
    """Values strictly inside (0, 1), so 0 and 1 only come from the noise."""
    return np.random.RandomState(0).uniform(0.1, 0.9, size=(400, 40))


def test_masking_zeroes_exactly_the_fraction_of_every_sample(inner_values):
    noisy = MaskingNoiser(fraction=0.25, random_state=0).transform(inner_values)
    changed = corrupted_mask(inner_values, noisy)
    assert np.all(changed.sum(axis=1) == 10)
    assert np.all(noisy[changed] == 0)
    np.testing.assert_array_equal(noisy[~changed], inner_values[~changed])


def test_masking_value_is_what_masked_features_become(inner_values):
    noisy = MaskingNoiser(fraction=0.5, value=-1, random_state=0).transform(inner_values)
    assert np.all((noisy == -1).sum(axis=1) == 20)


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_fraction_not_whole_gives_neighbouring_counts_and_the_exact_mean(noiser_class):
    X = np.full((4000, 45), 0.5)
    noisy = noiser_class(fraction=0.1, random_state=0).transform(X)
    counts = corrupted_mask(X, noisy).sum(axis=1)
    assert set(np.unique(counts)) == {4, 5}  # 0.1 * 45 = 4.5
    assert counts.mean() / 45 == pytest.approx(0.1, abs=0.003)


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_every_feature_is_corrupted_equally_often(noiser_class):
    X = np.full((5000, 10), 0.5)
    noisy = noiser_class(fraction=0.3, random_state=0).transform(X)
    per_feature = corrupted_mask(X, noisy).mean(axis=0)
    np.testing.assert_allclose(per_feature, 0.3, atol=0.03)


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_fraction_zero_is_identity_and_one_corrupts_everything(noiser_class, inner_values):
    noisy = noiser_class(fraction=0).transform(inner_values)
    np.testing.assert_array_equal(noisy, inner_values)
    noisy = noiser_class(fraction=1).transform(inner_values)
    assert np.all(corrupted_mask(inner_values, noisy))


def test_salt_and_pepper_uses_0_and_1_on_data_in_unit_interval(inner_values):
    noisy = SaltPepperNoiser(fraction=0.5, random_state=0).transform(inner_values)
    changed = corrupted_mask(inner_values, noisy)
    assert set(np.unique(noisy[changed])) == {0.0, 1.0}
    assert (noisy[changed] == 1).mean() == pytest.approx(0.5, abs=0.02)
    np.testing.assert_array_equal(noisy[~changed], inner_values[~changed])


def test_salt_and_pepper_uses_each_features_extremes_on_other_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(500, 6)) * np.arange(1, 7) + np.arange(6)  # standardized-like
    noisy = SaltPepperNoiser(fraction=0.5, random_state=0).transform(X)
    for j in range(6):
        changed = corrupted_mask(X[:, j], noisy[:, j])
        corrupted_values = set(np.unique(noisy[changed, j]))
        assert corrupted_values == {X[:, j].min(), X[:, j].max()}


def test_salt_and_pepper_explicit_low_and_high(inner_values):
    noiser = SaltPepperNoiser(fraction=0.5, low=-2, high=3, random_state=0)
    noisy = noiser.transform(inner_values)
    assert set(np.unique(noisy[corrupted_mask(inner_values, noisy)])) == {-2.0, 3.0}
    # The other end keeps its automatic value.
    noisy = noiser.set_params(low="auto", high=0.95).transform(inner_values)
    assert set(np.unique(noisy[corrupted_mask(inner_values, noisy)])) == {0.0, 0.95}


@pytest.mark.parametrize(
    "noiser, message",
    [
        (MaskingNoiser(fraction=-0.1), "fraction"),
        (MaskingNoiser(fraction=1.5), "fraction"),
        (MaskingNoiser(value=np.nan), "value"),
        (SaltPepperNoiser(fraction=-0.1), "fraction"),
        (SaltPepperNoiser(fraction=1.5), "fraction"),
        (SaltPepperNoiser(low="min"), "low"),
        (SaltPepperNoiser(low=1, high=0), "low must not exceed high"),
    ],
)
def test_bad_parameters_are_reported(noiser, message):
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match=message):
        noiser.fit(X)
    with pytest.raises(ValueError, match=message):
        noiser.transform(X)


@pytest.mark.parametrize("noiser_class", NOISERS)
@pytest.mark.parametrize(
    "dtype, expected",
    [(np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)],
)
def test_keeps_shape_and_floating_dtype_and_leaves_input_alone(noiser_class, dtype, expected):
    X = np.arange(60).reshape(6, 10).astype(dtype) % 2
    before = X.copy()
    noisy = noiser_class(fraction=0.5, random_state=0).transform(X)
    assert noisy.shape == X.shape and noisy.dtype == expected
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_random_state_makes_noise_reproducible_and_none_draws_fresh_noise(noiser_class):
    X = np.full((20, 30), 0.5)
    a = noiser_class(fraction=0.3, random_state=3).transform(X)
    np.testing.assert_array_equal(a, noiser_class(fraction=0.3, random_state=3).transform(X))
    assert not np.array_equal(a, noiser_class(fraction=0.3, random_state=4).transform(X))
    noiser = noiser_class(fraction=0.3)
    assert not np.array_equal(noiser.transform(X), noiser.transform(X))


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_random_state_none_leaves_global_rng_alone(noiser_class):
    np.random.seed(0)
    expected = np.random.random_sample()
    np.random.seed(0)
    noiser_class(fraction=0.5).fit_transform(np.full((10, 3), 0.5))
    assert np.random.random_sample() == expected


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_keeps_dataframes_and_checks_width_after_fit(noiser_class):
    frame = pd.DataFrame({"a": [0.1, 0.2], "b": [0.3, 0.4]}, index=[10, 11])
    noiser = noiser_class(random_state=0).set_output(transform="pandas")
    noisy = noiser.fit_transform(frame)
    assert isinstance(noisy, pd.DataFrame)
    assert list(noisy.columns) == ["a", "b"] and list(noisy.index) == [10, 11]
    assert list(noiser.get_feature_names_out()) == ["a", "b"]
    noiser = noiser_class().fit(np.zeros((3, 2)))
    message = f"X has 3 features, but {noiser_class.__name__} is expecting 2"
    with pytest.raises(ValueError, match=message):
        noiser.transform(np.zeros((3, 3)))


@pytest.mark.parametrize("noiser_class", NOISERS)
def test_pickle_round_trip_keeps_parameters_and_noise(noiser_class):
    noiser = noiser_class(fraction=0.4, random_state=7)
    restored = pickle.loads(pickle.dumps(noiser))
    assert restored.get_params() == noiser.get_params()
    X = np.full((5, 8), 0.5)
    np.testing.assert_array_equal(restored.transform(X), noiser.transform(X))


# ------------------------------------------------------- in the autoencoder


@pytest.mark.parametrize("noiser", [MaskingNoiser(fraction=0.25), SaltPepperNoiser(fraction=0.25)])
def test_autoencoder_training_corrupts_afresh_every_epoch(noiser, tabular):
    batches = RowBatches(
        SampleArrays(tabular), Corruption(noiser), batch_size=300, seed=1, first_epoch=0
    )
    first_inputs = batches.epoch_arrays(0)[0]
    np.testing.assert_array_equal(batches.epoch_arrays(0)[0], first_inputs)
    masks = []
    for epoch in (0, 1):
        inputs, targets, _ = batches.epoch_arrays(epoch)
        changed = inputs != targets
        assert np.all(changed.sum(axis=1) == 3)  # a quarter of 12 features
        assert set(np.unique(inputs[changed])) <= {0.0, 1.0}
        masks.append(changed)
    assert not np.array_equal(masks[0], masks[1])


def test_noise_and_score_noise_take_the_new_noisers(small_dae, tabular):
    task = SaltPepperNoiser(fraction=0.1)
    dae = small_dae(noise=MaskingNoiser(fraction=0.25), score_noise=task).fit(tabular)
    # One batch of rows: score corrupts them with the seed of the first.
    X_noisy = corrupt(task, tabular, batch_seed(dae._seeds["score"], 0))
    assert dae.score(tabular) == pytest.approx(dae.score(X_noisy, tabular), rel=1e-6)
    assert dae.predict(X_noisy).shape == tabular.shape


def test_nested_fraction_parameter_is_settable(small_dae):
    dae = small_dae(noise=MaskingNoiser(fraction=0.25), score_noise=SaltPepperNoiser())
    dae.set_params(noise__fraction=0.4, score_noise__fraction=0.2)
    params = dae.get_params()
    assert params["noise__fraction"] == 0.4 and params["score_noise__fraction"] == 0.2
    assert clone(dae).noise.fraction == 0.4


def test_gridsearch_over_the_kind_of_corruption(small_dae, tabular):
    kinds = [GaussianNoiser(0.5), MaskingNoiser(fraction=0.25), SaltPepperNoiser(fraction=0.1)]
    search = GridSearchCV(
        small_dae(score_noise=MaskingNoiser(fraction=0.25)), {"noise": kinds}, cv=2
    ).fit(tabular)
    tried = [type(params["noise"]) for params in search.cv_results_["params"]]
    assert tried == [GaussianNoiser, MaskingNoiser, SaltPepperNoiser]
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert type(search.best_estimator_.noise) in tried


def test_autoencoder_with_new_noisers_pickles(small_dae, tabular):
    dae = small_dae(noise=SaltPepperNoiser(fraction=0.2, random_state=1)).fit(tabular)
    restored = pickle.loads(pickle.dumps(dae))
    assert restored.noise.get_params() == dae.noise.get_params()
    np.testing.assert_array_equal(restored.transform(tabular), dae.transform(tabular))


@pytest.mark.parametrize("noiser_class", [GaussianNoiser, *NOISERS])
@pytest.mark.parametrize("image_shape", [(6, 6), (6, 6, 3)])
def test_noisers_corrupt_image_stacks_in_their_shape(noiser_class, image_shape):
    images = np.random.RandomState(0).uniform(0.1, 0.9, size=(5, *image_shape))
    noiser = noiser_class(random_state=0)
    noisy = noiser.transform(images)
    assert noisy.shape == images.shape
    # The values are corrupted as the flat rows of the images.
    flat = noiser.transform(images.reshape(5, -1))
    np.testing.assert_array_equal(noisy.reshape(5, -1), flat)
    fitted = clone(noiser).fit(images)
    assert fitted.n_features_in_ == np.prod(image_shape)
    np.testing.assert_array_equal(fitted.transform(images), noisy)
    with pytest.raises(ValueError, match="features"):
        fitted.transform(images[:, :3])


def test_noisers_refuse_arrays_of_more_than_four_dimensions():
    with pytest.raises(ValueError, match="stack of images"):
        GaussianNoiser().transform(np.zeros((2, 3, 3, 1, 1)))
