"""Blind-spot training: denoising learnt from noisy data alone."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skdenoise import BlindSpotNoiser, DenoisingAutoencoder, GaussianNoiser
from skdenoise._blind_spot import BlindSpot

SIGMA = 0.1


def _table_model(noise, epochs, **params):
    """A small dense autoencoder of the squared error for the tables here."""
    params = {"latent_dim": 3, **params}
    return DenoisingAutoencoder(noise=noise, epochs=epochs, loss="mse", random_state=0, **params)


def _one_epoch_image_model(architecture="fully_conv", **params):
    """A tiny blind-spot network of images, fitted for one epoch without validation."""
    return DenoisingAutoencoder(
        architecture=architecture,
        latent_dim=4,
        noise=BlindSpotNoiser(),
        epochs=1,
        validation_fraction=None,
        random_state=0,
        **params,
    )


@pytest.fixture(scope="module")
def table():
    """A low-rank table, clean and with Gaussian noise of SIGMA."""
    rng = np.random.RandomState(0)
    clean = (rng.uniform(size=(400, 3)) @ rng.uniform(size=(3, 12)) / 3).astype(np.float32)
    return clean, clean + SIGMA * rng.normal(size=clean.shape).astype(np.float32)


@pytest.fixture(scope="module")
def photos():
    """Smooth grey images, clean and with Gaussian noise of SIGMA."""
    rng = np.random.RandomState(1)
    y, x = np.mgrid[0:48, 0:56] / 8.0
    clean = np.stack(
        [0.5 + 0.4 * np.sin(x * a + y * b) for a, b in rng.uniform(0.3, 1.0, size=(6, 2))]
    ).astype(np.float32)
    return clean, clean + SIGMA * rng.normal(size=clean.shape).astype(np.float32)


# ------------------------------------------------------------------ masks


def test_no_masked_value_is_left_in_its_image():
    rng = np.random.RandomState(0)
    images = rng.uniform(size=(3, 20, 24, 2))
    noiser = BlindSpotNoiser(0.1, radius=1)
    inputs, mask = noiser.masked(images, np.random.default_rng(5))
    # Exactly round(0.1 * 480) pixels per image, every channel of each.
    assert mask.reshape(3, -1, 2).sum(axis=1).tolist() == [[48, 48]] * 3
    np.testing.assert_array_equal(mask[..., 0], mask[..., 1])
    np.testing.assert_array_equal(inputs[mask == 0], images[mask == 0])
    # Changing the masked values changes nothing of the inputs, with the
    # same draws: the masked values are nowhere in them.
    changed = np.where(mask == 1, 5.0, images)
    np.testing.assert_array_equal(noiser.masked(changed, np.random.default_rng(5))[0], inputs)
    # Each replacement comes from the unmasked pixels of its 3 x 3 window.
    for image, row, column in zip(*np.nonzero(mask[..., 0])):
        window = np.s_[image, max(row - 1, 0) : row + 2, max(column - 1, 0) : column + 2]
        unmasked = images[window][mask[window][..., 0] == 0]
        assert any(np.array_equal(inputs[image, row, column], v) for v in unmasked)


def test_a_masked_cell_takes_its_column_value_from_another_row():
    X = np.arange(60.0).reshape(10, 6)
    inputs, mask = BlindSpotNoiser(0.5).masked(X, np.random.default_rng(0))
    assert mask.sum(axis=1).tolist() == [3] * 10
    rows, columns = np.nonzero(mask)
    for row, column in zip(rows, columns):
        donors = np.nonzero(X[:, column] == inputs[row, column])[0]
        assert donors.size == 1 and donors[0] != row
    np.testing.assert_array_equal(inputs[mask == 0], X[mask == 0])


def test_the_noiser_is_a_transformer_of_tables_and_image_stacks():
    noiser = BlindSpotNoiser(0.25, random_state=0)
    images = np.random.RandomState(0).uniform(size=(2, 8, 8))
    first = noiser.fit_transform(images)
    assert first.shape == images.shape
    np.testing.assert_array_equal(noiser.transform(images), first)
    assert (first != images).sum() == 2 * 16
    assert noiser.fit_transform(np.ones((5, 4))).shape == (5, 4)


# -------------------------------------------------------------- J-invariance


@pytest.mark.parametrize("architecture", ["fully_conv", "conv"])
def test_the_output_at_a_masked_pixel_ignores_that_pixel(architecture, photos):
    _, noisy = photos
    images = noisy[:, :32, :32]
    dae = _one_epoch_image_model(architecture).fit(images)
    source = BlindSpot(dae.noise)
    inputs, _, weights = source.batch(images[..., np.newaxis], None, seed=3)
    image, row, column, _ = np.argwhere(weights > 0)[0]
    changed = images.copy()
    changed[image, row, column] += 0.7
    changed_inputs, _, _ = source.batch(changed[..., np.newaxis], None, seed=3)
    before = dae.predict(inputs[..., 0])[image, row, column]
    after = dae.predict(changed_inputs[..., 0])[image, row, column]
    # The residual output (input minus predicted noise) takes the
    # replacement, never the pixel itself.
    assert before == after
    # Where the pixel is not masked, the same change moves the output.
    assert dae.predict(changed)[image, row, column] != dae.predict(images)[image, row, column]


def test_the_output_at_a_masked_cell_ignores_that_cell(table):
    _, noisy = table
    dae = _table_model(BlindSpotNoiser(0.1), 1).fit(noisy)
    source = BlindSpot(dae.noise)
    inputs, _, weights = source.batch(noisy, None, seed=4)
    row, column = np.argwhere(weights > 0)[0]
    changed = noisy.copy()
    changed[row, column] += 3.0
    changed_inputs, _, _ = source.batch(changed, None, seed=4)
    # The cell may stand in other rows; its own row's output ignores it.
    assert dae.predict(changed_inputs)[row, column] == dae.predict(inputs)[row, column]


# ------------------------------------------------------------- denoising


def test_a_table_is_denoised_from_its_noisy_version_alone(table):
    clean, noisy = table
    dae = _table_model(BlindSpotNoiser(0.1), 30).fit(noisy)
    error = np.mean((dae.predict(noisy) - clean) ** 2)
    assert error < 0.5 * np.mean((noisy - clean) ** 2)


def test_photos_are_denoised_from_their_noisy_versions_alone(photos):
    clean, noisy = photos
    dae = DenoisingAutoencoder(
        architecture="fully_conv",
        latent_dim=16,
        noise=BlindSpotNoiser(),
        patch_size=24,
        batch_size=4,
        epochs=30,
        learning_rate=3e-3,
        random_state=0,
    ).fit(list(noisy))
    error = np.mean((dae.predict(noisy) - clean) ** 2)
    assert error < 0.5 * np.mean((noisy - clean) ** 2)


def test_the_self_supervised_score_is_the_true_error_plus_the_noise_variance(table):
    # Noise2Self: for a predictor blind to each masked entry, the loss
    # against the noisy entries is the loss against the clean ones plus the
    # noise variance.
    clean, noisy = table
    # A quarter of the cells: 1,200 masked values, for a sampling error of
    # the masked loss of about 4%.
    dae = _table_model(BlindSpotNoiser(0.25), 10).fit(noisy)
    source = BlindSpot(dae.noise)
    inputs, _, weights = source.batch(noisy, None, seed=7)
    masked = weights > 0
    outputs = dae.predict(inputs)
    against_noisy = np.mean((outputs - noisy)[masked] ** 2)
    against_clean = np.mean((outputs - clean)[masked] ** 2)
    assert against_noisy - against_clean == pytest.approx(SIGMA**2, rel=0.15)
    # score on noisy data alone is minus that masked loss.
    assert -dae.score(noisy) == pytest.approx(against_noisy, rel=0.1)


def test_a_grid_search_runs_on_noisy_data_alone(table):
    _, noisy = table
    search = GridSearchCV(
        _table_model(BlindSpotNoiser(0.1), 5),
        {"latent_dim": [1, 3]},
        cv=2,
        error_score="raise",
    ).fit(noisy)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


# -------------------------------------------------------------- other paths


def test_noise2noise_pairs_of_noisy_captures_beat_the_noisy_input(table):
    clean, noisy = table
    second = clean + SIGMA * np.random.RandomState(9).normal(size=clean.shape)
    dae = _table_model(None, 30)
    dae.fit(noisy, second.astype(np.float32))
    assert np.mean((dae.predict(noisy) - clean) ** 2) < 0.5 * np.mean((noisy - clean) ** 2)


def test_a_model_fitted_on_clean_data_fine_tunes_on_noisy_data(table):
    clean, noisy = table
    dae = _table_model(GaussianNoiser(SIGMA), 3).fit(clean)
    weights = [w.copy() for w in dae.model_.get_weights()]
    dae.set_params(noise=BlindSpotNoiser(0.1), warm_start=True).fit(noisy)
    assert dae.n_iter_ == 6 and np.isfinite(dae.history_["loss"]).all()
    assert any(not np.array_equal(a, b) for a, b in zip(weights, dae.model_.get_weights()))
    dae.partial_fit(noisy)
    assert dae.n_iter_ == 7


def test_explicit_pairs_are_refused_with_blind_spot_noise(table):
    clean, noisy = table
    dae = DenoisingAutoencoder(noise=BlindSpotNoiser(), epochs=1)
    with pytest.raises(ValueError, match="noisy X alone.*y was given"):
        dae.fit(noisy, clean)
    assert not hasattr(dae, "model_")


def test_a_distributed_fit_of_a_table_is_refused_and_of_images_runs(table, photos):
    _, noisy = table
    dae = DenoisingAutoencoder(
        noise=BlindSpotNoiser(0.1), epochs=1, distribution_strategy="mirrored", loss="mse"
    )
    with pytest.raises(ValueError, match="own steps only.*distribution_strategy"):
        dae.fit(noisy)
    _, images = photos
    dae = _one_epoch_image_model(distribution_strategy="mirrored").fit(images)
    own = _one_epoch_image_model().fit(images)
    np.testing.assert_allclose(dae.history_["loss"], own.history_["loss"], rtol=1e-3)


def test_a_subclass_of_the_noiser_trains_on_its_masks(table):
    class Sparser(BlindSpotNoiser):
        pass

    _, noisy = table
    dae = _table_model(Sparser(0.1), 1)
    with pytest.raises(ValueError, match="noisy X alone"):
        dae.fit(noisy, noisy)
    plain = _table_model(BlindSpotNoiser(0.1), 1)
    assert dae.fit(noisy).history_ == plain.fit(noisy).history_
