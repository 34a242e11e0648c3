"""Behaviour of DenoisingAutoencoder."""

import pydoc
import time

import keras
import numpy as np
import pytest
from sklearn.base import clone

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._batch_sources import Corruption, GivenPairs, SampleArrays
from skdenoise._batches import RowBatches
from skdenoise._losses import elementwise_loss

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=16, epochs=1, random_state=0)


def test_reference_model_has_440865_parameters(small_dae, digits):
    dae = small_dae(latent_dim=128).fit(digits[:64])
    assert dae.architecture_ == "conv"
    assert dae.image_shape_ == (28, 28, 1)
    assert dae.model_.count_params() == 440_865
    assert dae.encoder_.output_shape == (None, 128)
    assert dae.decoder_.output_shape == (None, 28, 28, 1)


def test_transform_inverse_transform_and_predict_shapes(small_dae, digits):
    dae = small_dae().fit(digits[:200])
    codes = dae.transform(digits[:7])
    assert codes.shape == (7, 16) and codes.dtype == np.float32
    assert dae.inverse_transform(codes).shape == (7, 784)
    assert dae.predict(digits[:7]).shape == (7, 784)
    assert dae.predict(digits[:7].reshape(7, 28, 28)).shape == (7, 28, 28)
    assert dae.predict(digits[:7].reshape(7, 28, 28, 1)).shape == (7, 28, 28, 1)
    np.testing.assert_allclose(
        dae.predict(digits[:7].reshape(7, 28, 28)).reshape(7, -1),
        dae.predict(digits[:7]),
        atol=1e-6,
    )
    # The decoder of the codes is the model's reconstruction.
    np.testing.assert_allclose(dae.inverse_transform(codes), dae.predict(digits[:7]), atol=1e-5)


def test_image_arrays_fit_like_flat_rows(small_dae, digits):
    flat = small_dae().fit(digits[:200])
    images = small_dae().fit(digits[:200].reshape(-1, 28, 28))
    assert images.image_shape_ == (28, 28, 1)
    assert images.n_features_in_ == 784
    np.testing.assert_array_equal(flat.transform(digits[:5]), images.transform(digits[:5]))


@pytest.mark.parametrize(
    "params, n_features, architecture, image_shape",
    [
        ({}, 784, "conv", (28, 28, 1)),
        ({}, 64, "conv", (8, 8, 1)),
        ({}, 49, "dense", None),
        ({}, 12, "dense", None),
        ({"architecture": "dense"}, 784, "dense", None),
        ({"image_shape": (4, 5)}, 20, "conv", (4, 5, 1)),
        ({"image_shape": (4, 4, 3)}, 48, "conv", (4, 4, 3)),
        ({"architecture": "conv"}, 16, "conv", (4, 4, 1)),
    ],
)
def test_architecture_follows_the_shape_of_the_data(
    small_dae, params, n_features, architecture, image_shape
):
    X = np.random.RandomState(0).uniform(size=(40, n_features))
    dae = small_dae(latent_dim=3, hidden_layer_sizes=(8,), **params).fit(X)
    assert dae.architecture_ == architecture
    assert dae.image_shape_ == image_shape
    assert dae.predict(X).shape == X.shape


def test_image_shape_mismatches_are_reported(small_dae):
    X = np.random.RandomState(0).uniform(size=(20, 30))
    with pytest.raises(ValueError, match="image_shape=.*holds 25 values"):
        small_dae(image_shape=(5, 5)).fit(X)
    with pytest.raises(ValueError, match="not a square number"):
        small_dae(architecture="conv").fit(X)
    images = np.random.RandomState(0).uniform(size=(20, 8, 8))
    dae = small_dae(latent_dim=2).fit(images)
    with pytest.raises(ValueError, match=r"images of shape \(4, 16\), but .* \(8, 8, 1\)"):
        dae.predict(images.reshape(20, 4, 16))


def test_fit_without_y_corrupts_fresh_noise_every_epoch(digits):
    batches = RowBatches(
        SampleArrays(digits[:64]),
        Corruption(GaussianNoiser()),
        batch_size=64,
        seed=1,
        first_epoch=0,
    )
    first_inputs, first_targets, _ = batches.epoch_arrays(0)
    np.testing.assert_array_equal(batches.epoch_arrays(0)[0], first_inputs)
    second_inputs, second_targets, _ = batches.epoch_arrays(1)
    assert not np.allclose(first_inputs, second_inputs)
    # Targets are the clean rows, in the shuffled order the inputs have.
    assert {row.tobytes() for row in first_targets} == {row.tobytes() for row in digits[:64]}
    for inputs, targets in [(first_inputs, first_targets), (second_inputs, second_targets)]:
        noise = inputs - targets
        assert 0.2 < noise.std() < 0.5  # N(0, 0.5) noise, then clipped to [0, 1]
        assert inputs.min() >= 0 and inputs.max() <= 1


def test_noise_none_trains_a_plain_autoencoder(small_dae, digits):
    batches = RowBatches(
        SampleArrays(digits[:32]), Corruption(None), batch_size=32, seed=1, first_epoch=0
    )
    inputs, targets, _ = batches.epoch_arrays(0)
    np.testing.assert_array_equal(inputs, targets)
    dae = small_dae(noise=None).fit(digits[:100])
    # With no noise, score compares reconstructions of X with X itself.
    expected = -elementwise_loss(digits[:50], dae.predict(digits[:50]), dae.loss_).mean()
    assert dae.score(digits[:50]) == pytest.approx(expected, rel=1e-5)


class _ExplodingNoise(GaussianNoiser):
    def transform(self, X):
        raise AssertionError("explicit pairs must not be corrupted again")


def test_fit_with_pairs_learns_from_explicit_targets(small_dae, tabular):
    noisy = np.clip(tabular + 0.1 * np.random.RandomState(1).normal(size=tabular.shape), 0, 1)
    dae = small_dae(
        latent_dim=3, epochs=30, noise=_ExplodingNoise(), validation_fraction=None
    ).fit(noisy, tabular)
    assert dae.history_["loss"][-1] < dae.history_["loss"][0]
    assert dae.score(noisy, tabular) == pytest.approx(
        -elementwise_loss(tabular, dae.predict(noisy), "binary_crossentropy").mean(),
        rel=1e-5,
    )


def test_one_dimensional_y_such_as_labels_is_ignored(small_dae, mnist_sample):
    X, y = mnist_sample
    with_labels = small_dae().fit(X[:200], y[:200])
    without = small_dae().fit(X[:200])
    np.testing.assert_array_equal(with_labels.transform(X[:5]), without.transform(X[:5]))


def test_y_of_another_width_is_an_error(small_dae, digits):
    with pytest.raises(ValueError, match="y must hold the clean version of X"):
        small_dae().fit(digits[:50], digits[:50, :100])


def test_history_and_n_iter(small_dae, digits):
    dae = small_dae(epochs=3, validation_fraction=0.2).fit(digits[:100])
    assert dae.n_iter_ == 3
    assert set(dae.history_) == {"loss", "val_loss"}
    assert all(len(v) == 3 and all(isinstance(x, float) for x in v) for v in dae.history_.values())
    dae_no_val = small_dae(epochs=2, validation_fraction=None).fit(digits[:100])
    assert set(dae_no_val.history_) == {"loss"}


def test_warm_start_continues_training(small_dae, tabular):
    dae = small_dae(latent_dim=3, epochs=2, warm_start=True).fit(tabular)
    weights = dae.model_.get_weights()
    dae.fit(tabular)
    assert dae.n_iter_ == 4 and len(dae.history_["loss"]) == 4
    assert any(not np.array_equal(a, b) for a, b in zip(weights, dae.model_.get_weights()))
    cold = small_dae(latent_dim=3, epochs=2).fit(tabular)
    cold.fit(tabular)
    assert cold.n_iter_ == 2


def test_early_stopping_stops_and_keeps_best_weights(small_dae, tabular):
    dae = small_dae(
        latent_dim=3,
        epochs=200,
        early_stopping=True,
        n_iter_no_change=2,
        tol=0.5,  # no epoch improves this much: stops after the patience
    ).fit(tabular)
    assert dae.n_iter_ == 3


def test_user_callbacks_run_on_copies(small_dae, tabular):
    class CountEpochs(keras.callbacks.Callback):
        epochs_seen = []

        def on_epoch_end(self, epoch, logs=None):
            CountEpochs.epochs_seen.append(epoch)

    callback = CountEpochs()
    dae = small_dae(latent_dim=3, epochs=3, callbacks=[callback]).fit(tabular)
    assert CountEpochs.epochs_seen == [0, 1, 2]
    assert dae.callbacks[0] is callback and callback.model is None


def test_same_random_state_gives_identical_codes(small_dae, digits):
    a = small_dae().fit(digits[:200]).transform(digits[:20])
    b = small_dae().fit(digits[:200]).transform(digits[:20])
    np.testing.assert_array_equal(a, b)
    c = small_dae(random_state=1).fit(digits[:200]).transform(digits[:20])
    assert not np.array_equal(a, c)


def test_score_is_negative_loss_of_denoising(small_dae, digits):
    dae = small_dae(epochs=2).fit(digits[:300])
    score = dae.score(digits[300:400])
    assert score < 0
    # Deterministic: the corruption of score is seeded at fit time.
    assert dae.score(digits[300:400]) == score
    assert score > small_dae(epochs=1).fit(digits[:20]).score(digits[300:400])


def test_predict_of_one_sample_is_a_direct_call(small_dae, digits, monkeypatch):
    dae = small_dae().fit(digits[:100])
    dae.predict(digits[:1])  # traces the function

    def no_model_predict(*args, **kwargs):
        raise AssertionError("Model.predict must not be used")

    monkeypatch.setattr(keras.Model, "predict", no_model_predict)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        dae.predict(digits[:1])
        dae.transform(digits[:1])
        timings.append(time.perf_counter() - start)
    # Model.predict alone takes ~40 ms per call here; a direct call ~2 ms.
    assert np.median(timings) < 0.02


def test_batched_inference_matches_one_batch(small_dae, digits):
    dae = small_dae().fit(digits[:100])
    batched = clone(dae).set_params(inference_batch_size=7)
    batched.model_, batched._inference_functions = dae.model_, {}
    for name in ["image_shape_", "architecture_", "n_features_in_"]:
        setattr(batched, name, getattr(dae, name))
    np.testing.assert_allclose(
        batched.transform(digits[:50]), dae.transform(digits[:50]), atol=1e-5
    )
    np.testing.assert_allclose(batched.predict(digits[:50]), dae.predict(digits[:50]), atol=1e-5)


def test_random_state_none_leaves_global_rng_alone(small_dae, tabular):
    np.random.seed(123)
    expected = np.random.random_sample()
    np.random.seed(123)
    small_dae(latent_dim=2, random_state=None).fit(tabular).score(tabular)
    assert np.random.random_sample() == expected


def test_tf_dataset_serves_each_epoch_in_batches(digits):
    weights = np.linspace(0, 2, 50, dtype=np.float32)
    for data, source in [
        (SampleArrays(digits[:50]), Corruption(GaussianNoiser())),
        (SampleArrays(digits[:50][::-1].copy(), digits[:50], weights), GivenPairs()),
    ]:
        batches = RowBatches(data, source, batch_size=24, seed=1, first_epoch=3)
        dataset = list(batches.as_tf_dataset(2))
        assert len(dataset) == 2 * len(batches) == 6
        for epoch in range(2):
            expected = batches.epoch_arrays(3 + epoch)
            for index in range(len(batches)):
                rows = slice(index * 24, (index + 1) * 24)
                served = dataset[epoch * len(batches) + index]
                for served_array, expected_array in zip(served, expected):
                    np.testing.assert_array_equal(served_array.numpy(), expected_array[rows])


def test_batches_split_evenly_between_replicas(digits):
    batches = RowBatches(
        SampleArrays(digits[:53]),
        Corruption(None),
        batch_size=8,
        seed=1,
        first_epoch=0,
        multiple_of=4,
    )
    sizes = [len(inputs) for inputs, _, _ in batches.as_tf_dataset(1)]
    assert sizes == [8] * 6 + [4]


@pytest.mark.parametrize(
    "parameter", ["loss : ", "distribution_strategy : ", "loss_ : ", "output_activation : "]
)
def test_help_shows_option_lists_on_one_line(parameter):
    text = pydoc.render_doc(DenoisingAutoencoder, renderer=pydoc.plaintext)
    # pydoc draws a class's documentation behind " |  ".
    lines = [line.lstrip(" |").rstrip() for line in text.splitlines()]
    (line,) = [line for line in lines if line.startswith(parameter)]
    # A continued docstring line would leave its indentation inside the list.
    assert "  " not in line
    assert line.count("{") == line.count("}")
