"""Photos as a new user gives them: lists of sizes, single photos, integers, alpha.

The networks are tiny and barely trained: these tests check what each call
accepts, returns or refuses, not how well it denoises.
"""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skdenoise import DenoisingAutoencoder, GaussianNoiser

PARAMS = dict(latent_dim=4, epochs=1, batch_size=4, validation_fraction=None, random_state=0)


def _photo(*shape, seed=0):
    return np.random.RandomState(seed).uniform(size=shape).astype(np.float32)


def _grey_photos():
    return [_photo(30, 40, seed=1), _photo(24, 20, seed=2), _photo(17, 33, seed=3)]


@pytest.fixture(scope="module")
def grey_patches():
    """A fully convolutional model fitted on patches of grey photos."""
    return DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS).fit(
        _grey_photos()
    )


@pytest.fixture(scope="module")
def rgb_patches():
    photos = [_photo(30, 40, 3, seed=1), _photo(24, 20, 3, seed=2)]
    return DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS).fit(photos)


@pytest.fixture(scope="module")
def conv_patches():
    """The reference network, of one image size, fitted on patches."""
    return DenoisingAutoencoder(patch_size=8, **PARAMS).fit(_grey_photos())


# ------------------------------------------------- lists of different sizes


def test_predict_returns_a_list_in_the_shapes_of_a_list_of_photos(grey_patches, rgb_patches):
    for model, channels in [(grey_patches, ()), (rgb_patches, (3,))]:
        photos = [_photo(30, 40, *channels, seed=4), _photo(12, 50, *channels, seed=5)]
        denoised = model.predict(photos)
        assert isinstance(denoised, list)
        assert [d.shape for d in denoised] == [p.shape for p in photos]
        for one, photo in zip(denoised, photos, strict=True):
            np.testing.assert_array_equal(one, model.predict(photo[np.newaxis])[0])


def test_transform_and_score_samples_give_one_row_per_photo(grey_patches):
    photos = _grey_photos()
    codes = grey_patches.transform(photos)
    scores = grey_patches.score_samples(photos)
    assert codes.shape == (3, 4) and scores.shape == (3,)
    for index, photo in enumerate(photos):
        np.testing.assert_array_equal(codes[index], grey_patches.transform(photo[np.newaxis])[0])
        assert scores[index] == grey_patches.score_samples(photo[np.newaxis])[0]


def test_score_of_a_list_is_minus_the_mean_loss_over_all_its_values(grey_patches):
    clean = _grey_photos()
    noisy = [photo + 0.1 * _photo(*photo.shape, seed=9) for photo in clean]
    denoised = grey_patches.predict(noisy)
    errors = np.concatenate([(d - c).ravel() ** 2 for d, c in zip(denoised, clean, strict=True)])
    assert grey_patches.score(noisy, clean) == pytest.approx(-errors.mean(), rel=1e-5)
    # Corrupted by the score noise, the same for every call.
    assert np.isfinite(grey_patches.score(clean))
    assert grey_patches.score(clean) == grey_patches.score(clean)


def test_score_of_a_list_weighs_each_photo_by_its_sample_weight(grey_patches):
    clean = _grey_photos()
    noisy = [photo + 0.1 * _photo(*photo.shape, seed=9) for photo in clean]
    denoised = grey_patches.predict(noisy)
    weights = np.array([0.5, 2.0, 1.0][: len(clean)])
    sums = [((d - c) ** 2).sum() for d, c in zip(denoised, clean, strict=True)]
    sizes = [c.size for c in clean]
    expected = -np.dot(weights, sums) / np.dot(weights, sizes)
    score = grey_patches.score(noisy, clean, sample_weight=weights)
    assert score == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="sample_weight"):
        grey_patches.score(noisy, clean, sample_weight=np.ones(len(clean) + 1))


def test_grid_search_over_four_photos_of_different_sizes():
    photos = [_photo(20 + 3 * i, 30 - 2 * i, seed=i) for i in range(4)]
    search = GridSearchCV(
        DenoisingAutoencoder(
            architecture="fully_conv", patch_size=8, noise=GaussianNoiser(0.1), **PARAMS
        ),
        {"noise__noise_factor": [0.05, 0.2]},
        cv=2,
        error_score="raise",
    ).fit(photos)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_a_network_of_one_image_size_refuses_a_list_of_sizes_clearly(conv_patches):
    for method in ["predict", "transform", "score", "score_samples"]:
        with pytest.raises(ValueError, match=r"different sizes.*\(8, 8, 1\) only.*fully_conv"):
            getattr(conv_patches, method)(_grey_photos())


# ------------------------------------------------ a photo without batch axis


@pytest.mark.parametrize("width", [64, 50])
def test_a_2d_photo_is_one_grey_photo_for_a_fully_conv_model_fitted_on_patches(
    grey_patches, width
):
    # Width 64 is n_features_in_, one patch of 8 x 8: never read as rows.
    assert grey_patches.n_features_in_ == 64
    photo = _photo(48, width, seed=6)
    one = photo[np.newaxis]
    denoised = grey_patches.predict(photo)
    assert denoised.shape == photo.shape
    np.testing.assert_array_equal(denoised, grey_patches.predict(one)[0])
    np.testing.assert_array_equal(grey_patches.transform(photo), grey_patches.transform(one))
    assert grey_patches.score_samples(photo).shape == (1,)
    assert grey_patches.score(photo, photo) == grey_patches.score(one, one)


def test_a_2d_photo_is_never_rows_for_a_conv_model_fitted_on_patches(conv_patches):
    # 1,200 x 64: as rows, 1,200 patches of 8 x 8; it is one photo, of a size
    # this network does not take.
    assert conv_patches.n_features_in_ == 64
    with pytest.raises(ValueError, match=r"images of shape \(1200, 64\).*\(8, 8, 1\)"):
        conv_patches.predict(_photo(1200, 64, seed=7))
    # One patch-sized photo without its batch axis is one image.
    patch = _photo(8, 8, seed=8)
    np.testing.assert_array_equal(
        conv_patches.predict(patch), conv_patches.predict(patch[np.newaxis])[0]
    )


def test_a_2d_array_of_another_width_is_explained_without_patches():
    model = DenoisingAutoencoder(architecture="fully_conv", **PARAMS).fit(_photo(6, 8, 8))
    # Without patches, flat rows of one image are what fit took, as in a pipeline.
    assert model.predict(_photo(3, 64)).shape == (3, 64)
    with pytest.raises(ValueError, match=r"any size.*one grey image, pass X\[np.newaxis\]"):
        model.predict(_photo(30, 40))


# ------------------------------------------------------------- integers


@pytest.mark.parametrize("method", ["predict", "transform", "score", "score_samples"])
def test_integer_photos_are_warned_about_in_every_inference_method(grey_patches, method):
    photo = np.round(_photo(1, 20, 24) * 255).astype(np.uint8)
    with pytest.warns(UserWarning, match=r"unscaled 8-bit images.*X / 255") as record:
        getattr(grey_patches, method)(photo)
    assert record[0].filename == __file__


def test_16_bit_photos_are_warned_about_in_fit_and_predict():
    photos = [np.round(_photo(20, 24, seed=i) * 4095).astype(np.uint16) for i in range(2)]
    model = DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS)
    with pytest.warns(UserWarning, match=r"16-bit images.*X / 65535") as record:
        model.fit(photos)
    assert record[0].filename == __file__
    with pytest.warns(UserWarning, match="16-bit"):
        model.predict(photos)


def test_the_integer_warning_is_true_for_the_fully_convolutional_network():
    photos = [np.round(_photo(20, 24, seed=i) * 255).astype(np.uint8) for i in range(2)]
    model = DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS)
    with pytest.warns(UserWarning, match="8-bit") as record:
        model.fit(photos)
    message = str(record[0].message)
    assert model.loss_ == "mean_squared_error"
    assert "cross-entropy" not in message and "sigmoid" not in message


# ------------------------------------------------------------- messages


def test_one_rgb_photo_to_predict_gets_the_newaxis_hint(rgb_patches):
    with pytest.raises(ValueError, match=r"single image.*X\[np.newaxis\], of shape \(1, 40, 60"):
        rgb_patches.predict(_photo(40, 60, 3))


def test_fit_on_one_rgb_photo_with_patch_size_does_not_suggest_image_shape():
    model = DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS)
    with pytest.raises(ValueError, match=r"single image.*X\[np.newaxis\]") as error:
        model.fit(_photo(40, 60, 3))
    assert "image_shape" not in str(error.value)


def test_a_grey_photo_to_a_colour_model_is_named_as_such(rgb_patches):
    with pytest.raises(ValueError, match=r"one grey image of shape \(30, 40\).*3 channels"):
        rgb_patches.predict(_photo(30, 40))


# ---------------------------------------------------------------- alpha


def test_fit_on_rgba_photos_warns_that_alpha_would_be_a_colour():
    photos = [_photo(20, 24, 4, seed=i) for i in range(2)]
    model = DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS)
    with pytest.warns(UserWarning, match=r"alpha.*X\[\.\.\., :3\]") as record:
        model.fit(photos)
    assert record[0].filename == __file__


def test_rgba_photos_to_a_colour_model_are_told_to_drop_alpha(rgb_patches):
    with pytest.raises(ValueError, match=r"alpha.*X\[\.\.\., :3\]"):
        rgb_patches.predict(_photo(2, 20, 24, 4))


def test_photos_in_unit_range_and_of_three_channels_give_no_warning(rgb_patches):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rgb_patches.predict([_photo(20, 24, 3), _photo(12, 30, 3)])


# -------------------------------------------------------------------- ONNX


def test_onnx_transform_of_a_large_photo_matches_within_the_documented_tolerance():
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    model = DenoisingAutoencoder(architecture="fully_conv", **PARAMS).fit(_photo(5, 8, 8))
    # Codes of order one, as a trained model gives; the graph averages
    # 1.4 million of them per channel.
    latent = model.encoder_.get_layer("latent")
    kernel, bias = latent.get_weights()
    latent.set_weights([kernel, bias + 3])
    photo = _photo(1, 1100, 1300, seed=3)
    graph = to_onnx(model, photo[:, :8, :8])
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    (codes,) = session.run(None, {"X": photo})
    expected = model.transform(photo)
    assert np.abs(expected).max() > 0.5
    np.testing.assert_allclose(codes, expected, rtol=0, atol=1e-5)


def test_onnx_export_asks_for_a_stack_where_a_2d_photo_is_one_photo(grey_patches):
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    with pytest.raises(ValueError, match=r"one grey photo.*X_sample\[np.newaxis\]"):
        to_onnx(grey_patches, _photo(48, 64), method="predict")
