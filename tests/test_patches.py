"""Training on random patches of images of any sizes (``patch_size``)."""

import io
import math
import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_sample_image
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._batch_sources import Corruption, SampleArrays
from skdenoise._batches import PatchBatches
from skdenoise._patches import PatchSampler, validate_images

# A tiny dense network: the sampling, not the network, is under test.
SMALL = dict(latent_dim=2, hidden_layer_sizes=(8,), architecture="dense", batch_size=16)


def _photos():
    """Two photos of different sizes, small enough for fast tests."""
    china = load_sample_image("china.jpg")[100:130:2, 200:260:2] / 255.0
    flower = load_sample_image("flower.jpg")[50:74, 300:320] / 255.0
    return [china.astype(np.float32), flower.astype(np.float32)]


def _coordinates(shapes, channels=1):
    """Images whose every value tells its image, row and column."""
    return [
        (
            index * 1_000_000
            + np.arange(height)[:, None, None] * 1000
            + np.arange(width)[None, :, None]
            + np.zeros((1, 1, channels))
        ).astype(np.float32)
        for index, (height, width) in enumerate(shapes)
    ]


def _same_weights(a, b):
    return all(
        np.array_equal(x, y) for x, y in zip(a.model_.get_weights(), b.model_.get_weights())
    )


# ------------------------------------------------------------------ sampling


def test_patches_are_whole_windows_of_the_images():
    images = _coordinates([(20, 30), (12, 9)], channels=2)
    targets, clean, weights = PatchSampler(SampleArrays(images), (5, 4)).draw(
        500, np.random.default_rng(0)
    )
    assert clean is None and weights is None and targets.shape == (500, 5, 4, 2)
    corner = targets[:, 0, 0, 0].astype(int)
    image, top, left = corner // 1_000_000, corner % 1_000_000 // 1000, corner % 1000
    for patch, index, row, column in zip(targets, image, top, left):
        np.testing.assert_array_equal(patch, images[index][row : row + 5, column : column + 4])
    # Every place where a patch fits whole can be drawn, and no other.
    assert set(top[image == 1]) == set(range(12 - 5 + 1))
    assert set(left[image == 1]) == set(range(9 - 4 + 1))


def test_images_are_drawn_in_proportion_to_their_pixels():
    images = _coordinates([(20, 20), (40, 30)])
    targets = PatchSampler(SampleArrays(images), (4, 4)).draw(4000, np.random.default_rng(0)).X
    from_second = np.mean(targets[:, 0, 0, 0] >= 1_000_000)
    assert from_second == pytest.approx(1200 / 1600, abs=0.03)


def test_a_stack_and_the_list_of_its_images_give_the_same_patches():
    stack = np.random.RandomState(0).uniform(size=(3, 12, 10, 2)).astype(np.float32)
    from_stack = PatchSampler(SampleArrays(stack), (4, 5)).draw(50, np.random.default_rng(1)).X
    from_list = (
        PatchSampler(SampleArrays(list(stack)), (4, 5)).draw(50, np.random.default_rng(1)).X
    )
    np.testing.assert_array_equal(from_stack, from_list)


def test_pairs_are_cut_at_the_same_places():
    clean = _coordinates([(20, 30), (15, 15)])
    noisy = [image + 0.5 for image in clean]
    weights = np.array([1.0, 3.0], dtype=np.float32)
    patches = PatchSampler(SampleArrays(noisy, clean, weights), (6, 6)).draw(
        200, np.random.default_rng(0)
    )
    np.testing.assert_array_equal(patches.X, patches.y + 0.5)
    # Each patch carries the weight of the image it was cut from.
    from_second = patches.y[:, 0, 0, 0] >= 1_000_000
    np.testing.assert_array_equal(patches.sample_weight, np.where(from_second, 3.0, 1.0))


def test_patches_per_epoch_cover_the_pixels_once_and_fill_a_batch():
    sampler = PatchSampler(SampleArrays(_coordinates([(20, 30), (15, 15)])), (4, 5))
    assert sampler.patches_per_epoch(batch_size=16) == math.ceil((600 + 225) / 20)
    assert sampler.patches_per_epoch(batch_size=100) == 100


def test_every_epoch_cuts_new_patches_reproducibly():
    sampler = PatchSampler(SampleArrays(_coordinates([(20, 30)])), (5, 5))

    def batches(seed):
        return PatchBatches(
            sampler,
            Corruption(None),
            n_patches=40,
            batch_size=8,
            seed=seed,
            first_epoch=0,
            sample_shape=(5, 5, 1),
        )

    first, second = batches(0).epoch_arrays(0)[1], batches(0).epoch_arrays(1)[1]
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, batches(0).epoch_arrays(0)[1])
    assert not np.array_equal(first, batches(1).epoch_arrays(0)[1])


# ---------------------------------------------------------------------- fit


def test_fit_on_photos_of_different_sizes_predicts_patches():
    photos = _photos()
    dae = DenoisingAutoencoder(latent_dim=4, patch_size=8, epochs=1, batch_size=16, random_state=0)
    dae.fit(photos)
    assert dae.architecture_ == "conv"
    assert dae.image_shape_ == (8, 8, 3) and dae.n_features_in_ == 8 * 8 * 3
    assert dae.model_.input_shape == (None, 8, 8, 3)
    patches = np.stack([photos[0][:8, :8], photos[1][-8:, -8:]])
    assert dae.predict(patches).shape == (2, 8, 8, 3)
    assert dae.transform(patches).shape == (2, 4)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(8, 8, 3\)"):
        dae.predict(photos[0][np.newaxis])


def test_same_random_state_gives_the_same_model():
    photos = _photos()
    params = dict(SMALL, patch_size=(6, 5), epochs=2, random_state=0)
    a = DenoisingAutoencoder(**params).fit(photos)
    b = DenoisingAutoencoder(**params).fit(photos)
    assert _same_weights(a, b) and a.history_ == b.history_
    c = DenoisingAutoencoder(**{**params, "random_state": 1}).fit(photos)
    assert not _same_weights(a, c)


def test_a_stack_trains_like_the_list_of_its_images():
    stack = np.random.RandomState(0).uniform(size=(5, 12, 14)).astype(np.float32)
    params = dict(SMALL, patch_size=6, epochs=1, random_state=0)
    from_stack = DenoisingAutoencoder(**params).fit(stack)
    from_list = DenoisingAutoencoder(**params).fit(list(stack))
    assert from_stack.image_shape_ == (6, 6, 1)
    assert _same_weights(from_stack, from_list)


def test_an_epoch_covers_the_pixels_once():
    photos = _photos()  # 15x30 and 24x20 pixels
    steps = []

    class RecordSteps(keras.callbacks.Callback):
        # The fit trains with a copy of each callback; the list is shared.
        def on_train_batch_end(self, batch, logs=None):
            steps.append(batch)

    DenoisingAutoencoder(
        **dict(SMALL, batch_size=4),
        patch_size=5,
        epochs=2,
        validation_fraction=None,
        callbacks=[RecordSteps()],
        random_state=0,
    ).fit(photos)
    n_patches = math.ceil((15 * 30 + 24 * 20) / (5 * 5))
    assert len(steps) == 2 * math.ceil(n_patches / 4)


def test_explicit_pairs_train_on_aligned_patches():
    clean = _photos()
    rng = np.random.RandomState(0)
    noisy = [np.clip(image + rng.normal(0, 0.1, image.shape), 0, 1) for image in clean]
    dae = DenoisingAutoencoder(**SMALL, patch_size=6, epochs=1, random_state=0)
    dae.fit(noisy, clean)
    assert dae.image_shape_ == (6, 6, 3)
    with pytest.raises(ValueError, match=r"y\[1\] has shape"):
        clone(dae).fit(noisy, [clean[0], clean[1][:-1]])
    with pytest.raises(ValueError, match="X has 2 images, y 1"):
        clone(dae).fit(noisy, clean[:1])


def test_validation_patches_are_the_same_every_epoch():
    # A learning rate too small to move the weights: the validation loss
    # then repeats exactly, while new training patches change the loss.
    dae = DenoisingAutoencoder(
        **SMALL, patch_size=6, epochs=3, learning_rate=1e-30, random_state=0
    ).fit(_photos())
    val_loss, loss = dae.history_["val_loss"], dae.history_["loss"]
    assert val_loss[0] == val_loss[1] == val_loss[2]
    assert len(set(loss)) == 3


def test_validation_patches_of_pairs_map_the_noisy_to_the_clean():
    # Uniform images: every patch is the same, so the last validation loss
    # is the fitted model's error on one noisy patch against its clean one.
    noisy = [np.zeros((12, 12), np.float32), np.zeros((10, 14), np.float32)]
    clean = [np.full_like(image, 0.5) for image in noisy]
    dae = DenoisingAutoencoder(
        **SMALL, patch_size=6, epochs=2, loss="mse", validation_fraction=0.5, random_state=0
    ).fit(noisy, clean)
    error = np.mean((dae.predict(np.zeros((1, 6, 6), np.float32)) - 0.5) ** 2)
    backwards = np.mean(dae.predict(np.full((1, 6, 6), 0.5, np.float32)) ** 2)
    assert not np.isclose(error, backwards, rtol=1e-3)
    np.testing.assert_allclose(dae.history_["val_loss"][-1], error, rtol=1e-4)


def test_too_few_patches_for_validation_warns():
    image = np.random.RandomState(0).uniform(size=(8, 8))
    dae = DenoisingAutoencoder(**dict(SMALL, batch_size=1), patch_size=8, epochs=1)
    with pytest.warns(UserWarning, match="leaves no validation patch"):
        dae.fit([image])
    assert "val_loss" not in dae.history_


def test_partial_fit_and_warm_start_cut_new_patches():
    photos = _photos()
    dae = DenoisingAutoencoder(**SMALL, patch_size=6, random_state=0)
    dae.partial_fit(photos).partial_fit(photos)
    assert dae.n_iter_ == 2
    warm = DenoisingAutoencoder(**SMALL, patch_size=6, epochs=1, warm_start=True).fit(photos)
    warm.fit(photos)
    assert warm.n_iter_ == 2
    with pytest.raises(ValueError, match="keep the patch_size of the first fit"):
        warm.set_params(patch_size=4).fit(photos)


def test_blind_noise_range_on_patches():
    dae = DenoisingAutoencoder(
        **SMALL, patch_size=6, noise=GaussianNoiser((0.0, 0.3)), epochs=1, random_state=0
    ).fit(_photos())
    assert np.isfinite(dae.history_["loss"]).all()


# ------------------------------------------------------------------- errors


def test_an_image_smaller_than_a_patch_is_named():
    photos = [*_photos(), np.zeros((10, 5, 3))]
    dae = DenoisingAutoencoder(**SMALL, patch_size=(6, 6))
    with pytest.raises(ValueError, match=r"X\[2\] is 10x5 pixels, smaller than patch_size"):
        dae.fit(photos)


def test_images_of_different_channels_are_refused():
    photos = [_photos()[0], np.zeros((20, 20))]
    with pytest.raises(ValueError, match=r"X\[1\] has 1 channels, but X\[0\] has 3"):
        DenoisingAutoencoder(**SMALL, patch_size=6).fit(photos)


def test_a_list_of_different_sizes_without_patch_size_points_to_it():
    with pytest.raises(ValueError, match="different sizes.*set patch_size"):
        DenoisingAutoencoder(**SMALL).fit(_photos())


def test_a_list_of_images_of_one_size_without_patch_size_is_a_stack():
    images = [np.zeros((8, 8)), np.ones((8, 8))]
    dae = DenoisingAutoencoder(**SMALL, epochs=1, validation_fraction=None).fit(images)
    assert dae.image_shape_ == (8, 8, 1)


@pytest.mark.parametrize(
    "X, message",
    [
        (np.zeros((30, 40)), r"must hold images.*\[X\]"),
        (np.zeros((30, 40, 3)), r"single image.*X\[np.newaxis\]"),
        ([np.zeros(30)], r"X\[0\] must be an image"),
        ([], "empty list"),
        ([np.full((10, 10), np.nan)], "NaN"),
    ],
)
def test_what_is_not_images_is_refused(X, message):
    with pytest.raises(ValueError, match=message):
        DenoisingAutoencoder(**SMALL, patch_size=6).fit(X)


@pytest.mark.parametrize("patch_size", [(6, 0), (6, 6, 6), (6.0, 6), (True, 6)])
def test_malformed_patch_size_is_reported(patch_size):
    with pytest.raises(ValueError, match="patch_size must be"):
        DenoisingAutoencoder(**SMALL, patch_size=patch_size).fit(_photos())


@pytest.mark.parametrize("patch_size", [0, "8", 2.5])
def test_patch_size_is_validated_with_the_parameters(patch_size):
    with pytest.raises(InvalidParameterError, match="patch_size"):
        DenoisingAutoencoder(**SMALL, patch_size=patch_size).fit(_photos())


def test_a_stack_that_may_be_one_channels_first_image_is_warned_about():
    stack = np.random.RandomState(0).uniform(size=(3, 12, 14))
    dae = DenoisingAutoencoder(**SMALL, patch_size=6, epochs=1, validation_fraction=None)
    with pytest.warns(UserWarning, match=r"3 grey images.*X.transpose\(1, 2, 0\)") as record:
        dae.fit(stack)
    assert record[0].filename == __file__


def test_image_shape_with_patch_size_is_refused():
    with pytest.raises(ValueError, match="image_shape.*set image_shape=None"):
        DenoisingAutoencoder(**SMALL, patch_size=6, image_shape=(8, 8)).fit(_photos())


def test_validated_images_keep_a_stack_as_one_array():
    stack = np.zeros((2, 10, 12), dtype=np.uint8)
    images = validate_images(stack, (4, 4))
    assert isinstance(images, np.ndarray) and images.shape == (2, 10, 12, 1)
    assert images.dtype == np.float32


# ------------------------------------------------------------ output paths


def test_patch_size_survives_every_way_of_saving():
    photos = _photos()
    dae = DenoisingAutoencoder(**SMALL, patch_size=[6, 5], epochs=1, random_state=0).fit(photos)
    patches = np.stack([photo[:6, :5] for photo in photos])
    expected = dae.predict(patches)
    buffer = io.BytesIO()
    dae.save(buffer)
    buffer.seek(0)
    loaded = skdenoise.load(buffer)
    # JSON has no tuples: a list comes back as a tuple.
    assert loaded.patch_size == (6, 5) and loaded.image_shape_ == (6, 5, 3)
    np.testing.assert_array_equal(loaded.predict(patches), expected)
    unpickled = pickle.loads(pickle.dumps(dae))
    assert unpickled.patch_size == [6, 5]
    np.testing.assert_array_equal(unpickled.predict(patches), expected)
    refit = clone(dae).fit(photos)
    assert refit.get_params()["patch_size"] == [6, 5]
    np.testing.assert_array_equal(refit.predict(patches), expected)


def test_grid_search_over_patch_size_and_noise_range():
    # Images of the largest patch size, so every candidate scores them:
    # the network predicts images of its patch size.
    X = np.random.RandomState(0).uniform(size=(24, 8, 8)).astype(np.float32)
    search = GridSearchCV(
        DenoisingAutoencoder(**SMALL, patch_size=8, epochs=1, random_state=0),
        {"noise__noise_factor": [0.2, (0.1, 0.3)]},
        cv=2,
        error_score="raise",
    ).fit(X)
    assert search.best_estimator_.patch_size == 8
    assert search.best_params_["noise__noise_factor"] in (0.2, (0.1, 0.3))
    smaller = GridSearchCV(
        DenoisingAutoencoder(**SMALL, patch_size=8, epochs=1, random_state=0),
        {"patch_size": [6]},
        cv=2,
        error_score="raise",
    )
    # A network of smaller patches does not take the held-out images.
    with pytest.raises(ValueError, match=r"fitted on images of shape \(6, 6, 1\)"):
        smaller.fit(X)
