"""The defaults work on any numeric data, not only on pixels in [0, 1]."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._batch_sources import Corruption, SampleArrays
from skdenoise._batches import RowBatches
from skdenoise._losses import elementwise_loss
from skdenoise._value_range import lies_in_unit_interval

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=3, epochs=1, random_state=0)


@pytest.fixture
def standardized(tabular):
    return StandardScaler().fit_transform(tabular).astype(np.float32)


def _output_activation(dae):
    return dae.decoder_.layers[-1].get_config()["activation"]


def test_unit_interval_rule_tolerates_float32_rounding_only():
    assert lies_in_unit_interval(np.array([0.0, 0.5, 1.0]))
    assert lies_in_unit_interval(np.array([-1e-7, 1 + 1e-7]))
    assert not lies_in_unit_interval(np.array([0.0, 1.01]))
    assert not lies_in_unit_interval(np.array([-0.01, 0.5]))
    assert lies_in_unit_interval(np.empty((0, 3)))


def test_loss_auto_keeps_the_reference_model_on_pixels(small_dae, digits):
    dae = small_dae(latent_dim=128).fit(digits[:64])
    assert dae.loss == "auto" and dae.loss_ == "binary_crossentropy"
    assert _output_activation(dae) == "sigmoid"
    assert dae.model_.loss == "binary_crossentropy"
    assert dae.model_.count_params() == 440_865


def test_loss_auto_is_squared_error_with_linear_output_elsewhere(small_dae, standardized):
    dae = small_dae().fit(standardized)
    assert dae.loss_ == "mean_squared_error"
    assert _output_activation(dae) == "linear"
    assert dae.model_.loss == "mean_squared_error"
    # A linear output reaches the negative values a sigmoid never could.
    assert dae.predict(standardized).min() < 0


def test_loss_auto_follows_the_clean_targets_of_explicit_pairs(small_dae, tabular):
    noisy = tabular + np.random.RandomState(0).normal(scale=0.5, size=tabular.shape)
    assert not lies_in_unit_interval(noisy)
    assert small_dae().fit(noisy, tabular).loss_ == "binary_crossentropy"
    assert small_dae().fit(tabular, noisy).loss_ == "mean_squared_error"


def test_loss_auto_is_decided_once_by_the_first_fit(small_dae, tabular, standardized):
    dae = small_dae().partial_fit(tabular)
    weights = dae.model_.get_weights()
    with pytest.raises(ValueError, match=r"loss='auto'.*resolved.*binary_crossentropy"):
        dae.partial_fit(standardized)
    # The failed call changed nothing.
    assert dae.n_iter_ == 1 and dae.loss_ == "binary_crossentropy"
    for before, after in zip(weights, dae.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    on_standardized = small_dae(warm_start=True).fit(standardized)
    on_standardized.fit(tabular)
    assert on_standardized.loss_ == "mean_squared_error"


def test_explicit_binary_crossentropy_outside_unit_interval_is_an_error(small_dae, standardized):
    with pytest.raises(
        ValueError,
        match=r"^loss='binary_crossentropy' needs X \(the clean target\) in \[0, 1\]",
    ):
        small_dae(loss="binary_crossentropy").fit(standardized)


def test_explicit_loss_is_kept_and_resolved_to_its_keras_name(small_dae, tabular):
    dae = small_dae(loss="mse").fit(tabular)
    assert dae.loss_ == "mean_squared_error" and _output_activation(dae) == "linear"
    assert small_dae(loss="mae").fit(tabular).loss_ == "mean_absolute_error"


def test_score_uses_the_fitted_loss(small_dae, standardized):
    dae = small_dae(noise=None).fit(standardized)
    squared = (standardized - dae.predict(standardized)) ** 2
    assert dae.score(standardized) == pytest.approx(-squared.mean(), rel=1e-5)


def test_default_noise_does_not_clip_data_outside_unit_interval(standardized):
    batches = RowBatches(
        SampleArrays(standardized),
        Corruption(GaussianNoiser()),
        batch_size=300,
        seed=1,
        first_epoch=0,
    )
    inputs, targets, _ = batches.epoch_arrays(0)
    noise = inputs - targets
    # Unclipped N(0, 0.5) noise: clipping to [0, 1] would shrink it and
    # squash every input into [0, 1].
    assert noise.std() == pytest.approx(0.5, rel=0.05)
    assert inputs.min() < -1 and inputs.max() > 2


def test_default_pipeline_on_standardized_tabular_data():
    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(
        StandardScaler(),
        DenoisingAutoencoder(latent_dim=8, epochs=5, random_state=0),
        LogisticRegression(),
    )
    model.fit(X[:400], y[:400])
    assert model[1].loss_ == "mean_squared_error"
    assert model.score(X[400:], y[400:]) > 0.9


def test_loss_and_noise_clip_survive_save_and_load(small_dae, standardized, tmp_path):
    dae = small_dae().fit(standardized)
    dae.save(tmp_path / "dae.skd")
    loaded = skdenoise.load(tmp_path / "dae.skd")
    assert loaded.loss == "auto" and loaded.loss_ == "mean_squared_error"
    assert loaded.noise.clip == "auto"
    assert loaded.score(standardized) == dae.score(standardized)
    np.testing.assert_array_equal(
        loaded.score_samples(standardized), dae.score_samples(standardized)
    )


def test_score_samples_is_minus_the_loss_of_each_sample_uncorrupted(small_dae, standardized):
    dae = small_dae(inference_batch_size=7).fit(standardized)
    scores = dae.score_samples(standardized)
    assert scores.shape == (len(standardized),) and scores.dtype == np.float64
    expected = -elementwise_loss(standardized, dae.predict(standardized), dae.loss_).mean(axis=1)
    np.testing.assert_allclose(scores, expected, rtol=1e-5)
    # No corruption: deterministic, and its mean is score(X, X).
    np.testing.assert_array_equal(dae.score_samples(standardized), scores)
    assert scores.mean() == pytest.approx(dae.score(standardized, standardized), rel=1e-5)
    assert scores.mean() != pytest.approx(dae.score(standardized), rel=1e-3)


def test_score_samples_of_images_gives_one_score_per_image(small_dae, digits):
    dae = small_dae(latent_dim=8).fit(digits[:100])
    images = digits[:5].reshape(5, 28, 28)
    scores = dae.score_samples(images)
    assert scores.shape == (5,)
    np.testing.assert_allclose(scores, dae.score_samples(digits[:5]), rtol=1e-6)
    expected = -elementwise_loss(digits[:5], dae.predict(digits[:5]), "binary_crossentropy").mean(
        axis=1
    )
    np.testing.assert_allclose(scores, expected, rtol=1e-5)


def test_files_saved_before_loss_auto_still_load(small_dae, tabular, tmp_path):
    import json
    import zipfile

    dae = small_dae(loss="binary_crossentropy").fit(tabular)
    dae.save(tmp_path / "new.skd")
    # The same file as written before the loss_ attribute existed.
    with (
        zipfile.ZipFile(tmp_path / "new.skd") as new,
        zipfile.ZipFile(tmp_path / "old.skd", "w") as old,
    ):
        document = json.loads(new.read("estimator.json"))
        del document["fitted"]["loss_"]
        old.writestr("estimator.json", json.dumps(document))
        old.writestr("model.keras", new.read("model.keras"))
    loaded = skdenoise.load(tmp_path / "old.skd")
    assert loaded.loss_ == "binary_crossentropy"
    assert loaded.score(tabular) == dae.score(tabular)
