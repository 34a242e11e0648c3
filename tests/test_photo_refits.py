"""Fits of networks of any image size, one after another in one process."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._exceptions import MAX_MESSAGE_CHARS, readable_errors

SMALL = dict(
    architecture="fully_conv",
    latent_dim=4,
    noise=GaussianNoiser(0.1),
    epochs=1,
    batch_size=8,
    validation_fraction=None,
    random_state=0,
)


def _photos(n=4):
    rng = np.random.RandomState(0)
    shapes = [(60, 70), (72, 64), (64, 80), (70, 66)][:n]
    return [rng.uniform(size=shape).astype(np.float32) for shape in shapes]


def test_fits_of_other_patch_sizes_and_image_sizes_follow_each_other():
    photos = _photos()
    for patch_size in (40, 32, 48):
        dae = DenoisingAutoencoder(**SMALL, patch_size=patch_size).fit(photos)
        assert dae.image_shape_ == (patch_size, patch_size, 1)
        assert dae.predict(photos[0][np.newaxis]).shape == (1, 60, 70)
    stack = np.random.RandomState(1).uniform(size=(16, 64, 64)).astype(np.float32)
    dae = DenoisingAutoencoder(**SMALL).fit(stack)
    assert dae.predict(stack[:2]).shape == (2, 64, 64)
    assert np.isfinite(dae.history_["loss"]).all()


def test_a_grid_over_patch_size_scores_every_candidate():
    stack = np.random.RandomState(2).uniform(size=(12, 48, 48)).astype(np.float32)
    search = GridSearchCV(
        DenoisingAutoencoder(**SMALL), {"patch_size": [32, 40]}, cv=3, error_score="raise"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitFailedWarning)
        search.fit(stack)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert np.isfinite(search.cv_results_["split2_test_score"]).all()


def test_long_error_messages_are_cut_to_their_ends():
    long = "start " + "x" * 300_000 + " end"
    with pytest.raises(TypeError) as caught:
        with readable_errors():
            raise TypeError(long)
    message = str(caught.value)
    assert len(message) < MAX_MESSAGE_CHARS + 100
    assert message.startswith("start ") and message.endswith(" end")
    assert "characters cut" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_tensorflow_errors_keep_their_type_when_cut():
    tf = pytest.importorskip("tensorflow")
    with pytest.raises(tf.errors.InvalidArgumentError, match="characters cut"):
        with readable_errors():
            raise tf.errors.InvalidArgumentError(None, None, "y" * 10_000)


def test_a_fit_failing_inside_training_raises_a_readable_error():
    # A callback that fails with a message quoting a large tensor, as
    # TensorFlow's errors do.
    import keras

    class Failing(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise ValueError("weights: " + str(np.arange(200_000).tolist()))

    dae = DenoisingAutoencoder(**SMALL, callbacks=[Failing()])
    with pytest.raises(ValueError, match="characters cut") as caught:
        dae.fit(np.random.RandomState(0).uniform(size=(8, 16, 16)).astype(np.float32))
    assert len(str(caught.value)) < MAX_MESSAGE_CHARS + 100
    assert not hasattr(dae, "model_")
