"""``sample_weight`` in fit, partial_fit and score, as scikit-learn's regressors take it."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skdenoise import DenoisingAutoencoder
from skdenoise.model_selection import train_validation_indices

SMALL = dict(latent_dim=3, hidden_layer_sizes=(8,), epochs=2, batch_size=16, random_state=0)


def _weights(n, seed=0):
    return np.random.RandomState(seed).uniform(0, 3, size=n).astype(np.float32)


def _same_model(first, second, X):
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    assert first.history_ == second.history_


@pytest.mark.parametrize(
    "params, data",
    [
        (dict(), "tabular"),
        (dict(architecture="conv"), "images"),
        (dict(architecture="fully_conv", patch_size=6), "photos"),
    ],
    ids=["dense", "conv", "fully_conv_patches"],
)
def test_weights_of_one_give_the_model_of_no_weights(params, data, tabular):
    X = {
        "tabular": tabular[:80],
        "images": np.random.RandomState(0).uniform(size=(48, 8, 8)).astype(np.float32),
        "photos": [np.random.RandomState(1).uniform(size=(20, 24)).astype(np.float32)] * 2,
    }[data]
    unweighted = DenoisingAutoencoder(**SMALL, **params).fit(X)
    ones = DenoisingAutoencoder(**SMALL, **params).fit(X, sample_weight=np.ones(len(X)))
    sample = X[0][np.newaxis] if data == "photos" else X[:10]
    _same_model(unweighted, ones, sample)


def test_weights_change_the_model(tabular):
    unweighted = DenoisingAutoencoder(**SMALL).fit(tabular)
    weighted = DenoisingAutoencoder(**SMALL).fit(tabular, sample_weight=_weights(len(tabular)))
    assert not np.array_equal(unweighted.predict(tabular), weighted.predict(tabular))


def test_the_validation_loss_is_weighted(tabular):
    # Explicit pairs: no noise, so the validation loss is that of the
    # fitted model's predictions on the held-out rows.
    noisy = np.clip(tabular + 0.1 * np.random.RandomState(0).normal(size=tabular.shape), 0, 1)
    weights = _weights(len(tabular))
    dae = DenoisingAutoencoder(**SMALL, validation_fraction=0.5, loss="mse")
    dae.fit(noisy, tabular, sample_weight=weights)
    _, validation = train_validation_indices(len(tabular), validation_fraction=0.5, random_state=0)
    errors = (dae.predict(noisy[validation]) - tabular[validation]) ** 2
    expected = np.mean(weights[validation] * errors.mean(axis=1))
    assert dae.history_["val_loss"][-1] == pytest.approx(expected, rel=1e-4)


def test_partial_fit_takes_weights(tabular):
    weights = _weights(len(tabular))
    dae = DenoisingAutoencoder(**SMALL).partial_fit(tabular, sample_weight=weights)
    ones = DenoisingAutoencoder(**SMALL).partial_fit(tabular, sample_weight=np.ones(300))
    plain = DenoisingAutoencoder(**SMALL).partial_fit(tabular)
    _same_model(plain, ones, tabular)
    assert not np.array_equal(dae.predict(tabular), plain.predict(tabular))


def test_score_is_the_weighted_mean_over_samples(tabular):
    dae = DenoisingAutoencoder(**SMALL).fit(tabular)
    weights = _weights(50, seed=1)
    per_sample = dae.score_samples(tabular[:50])
    # score(X, X) reconstructs X as given, as score_samples does.
    expected = np.average(per_sample, weights=weights)
    assert dae.score(tabular[:50], tabular[:50], sample_weight=weights) == pytest.approx(
        expected, rel=1e-6
    )
    assert dae.score(tabular[:50], sample_weight=np.ones(50)) == dae.score(tabular[:50])


@pytest.mark.parametrize(
    "sample_weight, message",
    [
        (np.ones(5), "sample_weight.shape"),
        (-np.ones(300), "[Nn]egative"),
        (np.full(300, np.nan), "NaN"),
        (np.zeros(300), "sum to zero|zero"),
        (np.ones((300, 2)), "1D|one-dimensional|shape"),
    ],
    ids=["length", "negative", "nan", "all_zero", "two_dimensional"],
)
def test_bad_weights_are_refused_and_change_nothing(sample_weight, message, tabular):
    dae = DenoisingAutoencoder(**SMALL).fit(tabular)
    before = dae.predict(tabular[:5])
    with pytest.raises(ValueError, match=message):
        dae.fit(tabular, sample_weight=sample_weight)
    np.testing.assert_array_equal(dae.predict(tabular[:5]), before)
    with pytest.raises(ValueError, match=message):
        dae.score(tabular, sample_weight=sample_weight)


def test_patches_take_one_weight_per_image():
    photos = [np.random.RandomState(i).uniform(size=(20, 24)).astype(np.float32) for i in (0, 1)]
    params = dict(SMALL, architecture="fully_conv", patch_size=6)
    with pytest.raises(ValueError, match="sample_weight"):
        DenoisingAutoencoder(**params).fit(photos, sample_weight=np.ones(3))
    weighted = DenoisingAutoencoder(**params).fit(photos, sample_weight=[1.0, 0.2])
    plain = DenoisingAutoencoder(**params).fit(photos)
    assert not np.array_equal(weighted.predict(photos[:1]), plain.predict(photos[:1]))


def test_a_pipeline_routes_step_weights(tabular):
    weights = _weights(len(tabular))
    pipe = Pipeline([("scale", MinMaxScaler()), ("dae", DenoisingAutoencoder(**SMALL))])
    pipe.fit(tabular, dae__sample_weight=weights)
    scaled = MinMaxScaler().fit_transform(tabular)
    alone = DenoisingAutoencoder(**SMALL).fit(scaled, sample_weight=weights)
    np.testing.assert_array_equal(pipe.transform(tabular), alone.transform(scaled))


def test_metadata_routing_brings_weights_to_fit_and_score(tabular):
    weights = _weights(len(tabular))
    with sklearn.config_context(enable_metadata_routing=True):
        dae = DenoisingAutoencoder(**SMALL).set_fit_request(sample_weight=True)
        pipe = Pipeline([("dae", dae)]).fit(tabular, sample_weight=weights)
        alone = DenoisingAutoencoder(**SMALL).fit(tabular, sample_weight=weights)
        np.testing.assert_array_equal(pipe.transform(tabular), alone.transform(tabular))
        search = GridSearchCV(
            DenoisingAutoencoder(**SMALL)
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True),
            {"latent_dim": [2, 3]},
            cv=2,
        ).fit(tabular, sample_weight=weights)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_mirrored_training_takes_weights(tabular):
    # Trains through keras.Model.fit, which takes the weights as Keras's
    # sample weights.
    params = dict(SMALL, distribution_strategy="mirrored")
    ones = DenoisingAutoencoder(**params).fit(tabular, sample_weight=np.ones(300))
    plain = DenoisingAutoencoder(**params).fit(tabular)
    weighted = DenoisingAutoencoder(**params).fit(tabular, sample_weight=_weights(300))
    np.testing.assert_allclose(ones.predict(tabular), plain.predict(tabular), atol=1e-6)
    assert not np.allclose(weighted.predict(tabular), plain.predict(tabular), atol=1e-4)
    # Its loss is the one of the estimator's own steps, to float precision.
    own = DenoisingAutoencoder(**SMALL).fit(tabular, sample_weight=_weights(300))
    np.testing.assert_allclose(weighted.history_["loss"], own.history_["loss"], rtol=1e-4)
