"""Inference after short fits uses batch-normalisation statistics of the final weights."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from skdenoise import DenoisingAutoencoder
from skdenoise._batch_norm import set_population_statistics
from skdenoise._losses import elementwise_loss


@pytest.fixture(scope="module")
def small_digits():
    """300 of scikit-learn's 8x8 digits in [0, 1]: images, so the conv network."""
    return (load_digits().data[:300] / 16).astype(np.float32)


def _losses(dae, X):
    """BCE of inference-mode predictions, training-mode ones, and the mean."""
    inference = elementwise_loss(X, dae.predict(X), "binary_crossentropy").mean()
    images = X.reshape(-1, *dae.image_shape_)
    # Training mode normalises each batch with its own statistics; the
    # weights are what was trained.
    training = dae.model_(images, training=True).numpy().reshape(X.shape)
    training = elementwise_loss(X, training, "binary_crossentropy").mean()
    mean = np.clip(np.broadcast_to(X.mean(axis=0), X.shape), 1e-7, 1 - 1e-7)
    mean = elementwise_loss(X, mean, "binary_crossentropy").mean()
    return inference, training, mean


def test_short_fit_predicts_as_well_as_in_training_mode(small_digits):
    dae = DenoisingAutoencoder(epochs=5, noise=None, random_state=0).fit(small_digits)
    assert dae.architecture_ == "conv"
    inference, training, mean = _losses(dae, small_digits)
    # With the moving averages of momentum 0.99 after 45 steps, inference
    # was worse than predicting the mean (0.60 against 0.42 on 500 digits).
    assert inference < mean
    assert inference == pytest.approx(training, rel=0.03)


def test_validation_loss_uses_the_statistics_of_each_epoch(small_digits):
    dae = DenoisingAutoencoder(epochs=3, noise=None, random_state=0).fit(small_digits)
    # The held-out digits are like the training ones: their loss falls with
    # the training loss (an average over each epoch) instead of rising
    # far above it.
    val_loss, loss = np.array(dae.history_["val_loss"]), np.array(dae.history_["loss"])
    assert np.all(np.diff(val_loss) < 0)
    assert np.all(val_loss < 1.1 * loss)


def test_partial_fit_chunk_predicts_as_well_as_in_training_mode(small_digits):
    dae = DenoisingAutoencoder(noise=None, random_state=0)
    for chunk in np.array_split(small_digits, 3):
        dae.partial_fit(chunk)
    inference, training, _ = _losses(dae, small_digits)
    assert inference == pytest.approx(training, rel=0.05)


def test_population_statistics_normalise_each_layer_exactly(small_digits):
    dae = DenoisingAutoencoder(epochs=1, random_state=0).fit(small_digits)
    images = small_digits.reshape(-1, 8, 8, 1)
    # Computing over several batches gives the statistics of all inputs.
    set_population_statistics(dae.model_, images, batch_size=64)
    encoder = dae.encoder_
    first_norm = encoder.layers[1]
    values = encoder.layers[0](images).numpy().reshape(-1, 16)
    np.testing.assert_allclose(first_norm.moving_mean.numpy(), values.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(
        first_norm.moving_variance.numpy(), values.var(axis=0), rtol=1e-3, atol=1e-7
    )


# "mirrored": the variables of a tf.distribute strategy, which the functions
# traced for plain variables do not take.
@pytest.mark.parametrize("distribution_strategy", [None, "mirrored"])
def test_every_layer_gets_the_statistics_of_its_inputs(small_digits, distribution_strategy):
    import keras

    from skdenoise._batch_norm import _chain_list

    dae = DenoisingAutoencoder(
        epochs=1, distribution_strategy=distribution_strategy, random_state=0
    ).fit(small_digits)
    images = small_digits.reshape(-1, 8, 8, 1)
    set_population_statistics(dae.model_, images, batch_size=64)
    # Layer by layer in eager mode, with every statistic already set: each
    # normalisation's input has the mean and variance it holds.
    values, normalised = images, 0
    for layer in _chain_list(dae.model_):
        if isinstance(layer, keras.layers.BatchNormalization):
            flat = np.asarray(values, dtype=np.float64).reshape(-1, values.shape[-1])
            np.testing.assert_allclose(
                layer.moving_mean.numpy(), flat.mean(axis=0), rtol=1e-4, atol=1e-6
            )
            np.testing.assert_allclose(
                layer.moving_variance.numpy(), flat.var(axis=0), rtol=1e-3, atol=1e-6
            )
            normalised += 1
        values = layer(values, training=False).numpy()
    assert normalised == 4


def test_precise_statistics_keep_fits_reproducible(small_digits):
    first = DenoisingAutoencoder(epochs=2, random_state=0).fit(small_digits)
    second = DenoisingAutoencoder(epochs=2, random_state=0).fit(small_digits)
    np.testing.assert_array_equal(first.predict(small_digits), second.predict(small_digits))


@pytest.mark.parametrize("every_epoch, expected", [(True, 2), (False, 1)])
def test_statistics_are_recomputed_only_when_something_reads_them(every_epoch, expected):
    from skdenoise._callbacks import PreciseBatchNorm

    recomputed = []

    class Counting(PreciseBatchNorm):
        def _recompute(self):
            recomputed.append(True)
            self._stale = False

    callback = Counting(None, steps_per_epoch=3, batch_size=8, every_epoch=every_epoch)
    for _ in range(2):
        for batch in range(3):
            callback.on_train_batch_end(batch)
    callback.on_train_end()
    assert len(recomputed) == expected


def test_a_fit_without_validation_ends_with_precise_statistics(small_digits):
    dae = DenoisingAutoencoder(epochs=3, noise=None, validation_fraction=None, random_state=0).fit(
        small_digits
    )
    inference, training, _ = _losses(dae, small_digits)
    assert inference == pytest.approx(training, rel=0.03)
