"""Behaviour of SwapNoiser, alone and in an autoencoder."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser, SwapNoiser


@pytest.fixture
def distinct_values():
    """Every value distinct, and each column's values apart from the others'.

    Column j holds j * 1000 + the row number, so a value tells its row and
    its column, and any change is visible.
    """
    n_samples, n_features = 500, 8
    return np.arange(n_samples)[:, None] + 1000.0 * np.arange(n_features)


def test_replacements_come_from_the_same_column_of_other_rows(distinct_values):
    X = distinct_values
    noisy = SwapNoiser(fraction=0.3, random_state=0).transform(X)
    changed = noisy != X
    assert changed.any()
    rows, columns = np.nonzero(changed)
    donor_columns = noisy[rows, columns] // 1000
    donor_rows = noisy[rows, columns] % 1000
    np.testing.assert_array_equal(donor_columns, columns)
    assert np.all(donor_rows != rows)
    # Every value of a corrupted column is one of that column's values.
    for column in range(X.shape[1]):
        assert np.isin(noisy[:, column], X[:, column]).all()


def test_the_replaced_fraction_matches(distinct_values):
    X = np.tile(distinct_values, (10, 1))  # 5,000 rows; duplicates are rare
    X = X + np.arange(len(X))[:, None] * 1e-3
    noisy = SwapNoiser(fraction=0.2, random_state=0).transform(X)
    assert (noisy != X).mean() == pytest.approx(0.2, abs=0.005)


def test_donor_rows_are_drawn_uniformly():
    X = np.arange(20.0)[:, None].repeat(5000, axis=1)
    noisy = SwapNoiser(fraction=1.0, random_state=0).transform(X)
    # Row 0 takes its values from each of the 19 other rows equally often.
    counts = np.bincount(noisy[0].astype(int), minlength=20)
    assert counts[0] == 0
    np.testing.assert_allclose(counts[1:] / 5000, 1 / 19, atol=0.01)


def test_one_fraction_per_column(distinct_values):
    fractions = [0.0, 1.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.25]
    noisy = SwapNoiser(fraction=fractions, random_state=0).transform(distinct_values)
    np.testing.assert_allclose((noisy != distinct_values).mean(axis=0), fractions, atol=0.06)
    assert np.all(noisy[:, 0] == distinct_values[:, 0])
    assert np.all(noisy[:, 1] != distinct_values[:, 1])


def test_zero_fraction_is_identity(distinct_values):
    noisy = SwapNoiser(fraction=0.0, random_state=0).transform(distinct_values)
    np.testing.assert_array_equal(noisy, distinct_values)


def test_random_state_makes_noise_reproducible(distinct_values):
    first = SwapNoiser(random_state=7).transform(distinct_values)
    np.testing.assert_array_equal(first, SwapNoiser(random_state=7).transform(distinct_values))
    assert not np.array_equal(first, SwapNoiser(random_state=8).transform(distinct_values))


def test_random_state_none_leaves_global_rng_alone(distinct_values):
    np.random.seed(0)
    expected = np.random.random_sample()
    np.random.seed(0)
    SwapNoiser().transform(distinct_values)
    assert np.random.random_sample() == expected


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keeps_floating_dtype(dtype, distinct_values):
    assert SwapNoiser(random_state=0).transform(distinct_values.astype(dtype)).dtype == dtype


@pytest.mark.parametrize(
    "fraction, error, message",
    [
        (1.5, InvalidParameterError, "fraction"),
        (-0.1, InvalidParameterError, "fraction"),
        ([0.1, 1.2], ValueError, r"\[0, 1\]"),
        ([[0.1, 0.2]], ValueError, "one-dimensional"),
        (["a", "b"], ValueError, "array of floats"),
        ([0.1, 0.2, 0.3], ValueError, "3 values, one per column, but X has 2 columns"),
    ],
)
def test_bad_fractions_are_reported(fraction, error, message):
    with pytest.raises(error, match=message):
        SwapNoiser(fraction=fraction).fit_transform(np.zeros((4, 2)))


def test_one_row_is_refused():
    with pytest.raises(ValueError, match="at least 2 samples; got 1 sample"):
        SwapNoiser(random_state=0).transform(np.zeros((1, 3)))


def test_pickle_and_clone_keep_the_parameters(distinct_values):
    noiser = SwapNoiser(fraction=np.array([0.1] * 8), random_state=3)
    for copy in (pickle.loads(pickle.dumps(noiser)), clone(noiser)):
        np.testing.assert_array_equal(copy.fraction, noiser.fraction)
        np.testing.assert_array_equal(
            copy.transform(distinct_values), noiser.transform(distinct_values)
        )


def test_autoencoder_learns_with_swap_noise_and_nested_fraction(tabular):
    dae = DenoisingAutoencoder(
        latent_dim=3,
        hidden_layer_sizes=(16,),
        noise=SwapNoiser(random_state=0),
        epochs=2,
        random_state=0,
    )
    dae.set_params(noise__fraction=0.3).fit(tabular)
    assert dae.noise.fraction == 0.3
    assert np.all(np.isfinite(dae.history_["loss"]))


def test_grid_search_over_noise_kinds(tabular):
    dae = DenoisingAutoencoder(
        latent_dim=3,
        hidden_layer_sizes=(16,),
        epochs=1,
        score_noise=GaussianNoiser(noise_factor=0.1, random_state=0),
        random_state=0,
    )
    grid = GridSearchCV(
        dae,
        [
            {"noise": [GaussianNoiser()], "noise__noise_factor": [0.1]},
            {"noise": [SwapNoiser()], "noise__fraction": [0.1, 0.3]},
        ],
        cv=2,
    ).fit(tabular)
    assert len(grid.cv_results_["params"]) == 3
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))


def test_array_fraction_survives_save_and_load(tabular, tmp_path):
    fractions = np.linspace(0.0, 0.3, tabular.shape[1])
    dae = DenoisingAutoencoder(
        latent_dim=2,
        hidden_layer_sizes=(8,),
        noise=SwapNoiser(fraction=fractions, random_state=1),
        epochs=1,
        random_state=0,
    ).fit(tabular)
    dae.save(tmp_path / "swap.skd")
    loaded = skdenoise.load(tmp_path / "swap.skd")
    assert type(loaded.noise) is SwapNoiser
    np.testing.assert_allclose(loaded.noise.fraction, fractions)
    assert loaded.score(tabular) == dae.score(tabular)


def test_a_single_validation_row_is_a_clear_error(tabular):
    dae = DenoisingAutoencoder(
        latent_dim=2, hidden_layer_sizes=(4,), noise=SwapNoiser(), epochs=1, random_state=0
    )
    with pytest.raises(ValueError, match="at least 2 samples; got 1 sample"):
        dae.fit(tabular[:15])
    assert not hasattr(dae, "model_")


def test_a_wrong_length_fraction_fails_fit_with_the_noisers_own_error(tabular):
    dae = DenoisingAutoencoder(
        latent_dim=2,
        hidden_layer_sizes=(4,),
        noise=SwapNoiser(fraction=[0.1, 0.2]),
        validation_fraction=None,
        epochs=1,
        random_state=0,
    )
    with pytest.raises(ValueError, match="fraction has 2 values, one per column, but X has 12"):
        dae.fit(tabular)
