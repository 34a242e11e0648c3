"""The fully convolutional denoiser: images of any size, in every output path."""

import io
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import skdenoise
import skdenoise._tiling
from skdenoise import DenoisingAutoencoder

ATOL = 1e-5
PARAMS = dict(
    architecture="fully_conv",
    latent_dim=4,
    epochs=1,
    batch_size=4,
    validation_fraction=None,
    random_state=0,
)


def _images(*shape, seed=0):
    return np.random.RandomState(seed).uniform(size=shape).astype(np.float32)


@pytest.fixture(scope="module")
def grey():
    return DenoisingAutoencoder(**PARAMS).fit(_images(6, 16, 16))


@pytest.fixture(scope="module")
def rgb():
    return DenoisingAutoencoder(**PARAMS).fit(_images(6, 16, 16, 3))


@pytest.mark.parametrize("size", [(16, 16), (37, 53), (1, 1), (5, 70)])
def test_predict_keeps_the_shape_of_grey_images_of_any_size(grey, size):
    X = _images(2, *size, seed=1)
    denoised = grey.predict(X)
    assert denoised.shape == X.shape
    assert denoised.dtype == np.float32
    # With a channel axis, the same images give the same output.
    np.testing.assert_allclose(grey.predict(X[..., np.newaxis])[..., 0], denoised, atol=1e-6)


def test_predict_keeps_the_shape_of_rgb_images_of_any_size(rgb):
    X = _images(3, 37, 53, 3, seed=1)
    assert rgb.predict(X).shape == X.shape


def test_score_and_score_samples_take_images_of_another_size(grey):
    X = _images(3, 37, 53, seed=1)
    scores = grey.score_samples(X)
    assert scores.shape == (3,)
    assert scores.mean() == pytest.approx(grey.score(X, X), rel=1e-5)
    assert np.isfinite(grey.score(X))


def test_transform_is_one_fixed_width_vector_per_image(grey, rgb):
    for estimator, channels in [(grey, ()), (rgb, (3,))]:
        small = estimator.transform(_images(2, 16, 16, *channels))
        large = estimator.transform(_images(3, 37, 53, *channels))
        assert small.shape == (2, 4)
        assert large.shape == (3, 4)
        names = estimator.get_feature_names_out()
        assert list(names) == [f"denoisingautoencoder{i}" for i in range(4)]


def test_transform_averages_the_latent_layer_over_space(grey):
    X = _images(2, 37, 53, seed=1)
    latent = grey.encoder_.get_layer("latent")
    assert latent.filters == grey.latent_dim
    maps = grey.encoder_(X[..., np.newaxis]).numpy()
    np.testing.assert_allclose(grey.transform(X), maps.mean(axis=(1, 2)), atol=1e-6)


def test_inverse_transform_is_refused(grey):
    codes = grey.transform(_images(2, 16, 16))
    with pytest.raises(ValueError, match="fully_conv.*averaged.*predict"):
        grey.inverse_transform(codes)


def test_all_hidden_features_are_refused():
    with pytest.raises(ValueError, match="all_hidden.*fully_conv"):
        DenoisingAutoencoder(**PARAMS, features="all_hidden").fit(_images(6, 16, 16))


def test_loss_auto_is_the_squared_error_even_for_pixels_in_unit_range(grey):
    assert grey.loss_ == "mean_squared_error"


@pytest.mark.parametrize("loss", ["binary_crossentropy"])
def test_binary_cross_entropy_is_refused(loss):
    with pytest.raises(ValueError, match="fully_conv.*not bounded"):
        DenoisingAutoencoder(**PARAMS, loss=loss).fit(_images(6, 16, 16))


def test_a_non_linear_output_activation_is_refused():
    with pytest.raises(ValueError, match="fully_conv.*linear"):
        DenoisingAutoencoder(**PARAMS, output_activation="sigmoid").fit(_images(6, 16, 16))


def test_images_of_other_channels_are_refused(grey, rgb):
    with pytest.raises(ValueError, match="fitted on images with 1 channel:"):
        grey.predict(_images(2, 16, 16, 3))
    with pytest.raises(ValueError, match="fitted on images with 3 channels"):
        rgb.predict(_images(2, 16, 16))
    with pytest.raises(ValueError, match="fitted on images with 3 channels"):
        rgb.transform(_images(2, 20, 20, 4))


def test_network_is_small_residual_and_has_no_batch_normalisation(grey):
    layer_kinds = {
        type(layer).__name__ for part in (grey.encoder_, grey.decoder_) for layer in part.layers
    }
    assert layer_kinds == {"Conv2D"}
    assert type(grey.model_.layers[-1]).__name__ == "Subtract"
    assert grey.model_.input_shape == (None, None, None, 1)
    assert 1_000 < grey.model_.count_params() < 80_000


def test_default_network_for_grey_photos_has_64_449_parameters():
    from skdenoise._architectures import build_fully_conv_denoiser, receptive_radius

    model = build_fully_conv_denoiser(1, 128, seed=0)
    assert model.count_params() == 64_449
    # Each output pixel sees 17 x 17 input pixels.
    assert receptive_radius(model) == 8
    dilated = build_fully_conv_denoiser(1, 128, seed=0, dilations=((1, 2), (2, 1)))
    assert receptive_radius(dilated) == 1 + 2 + 2 + 1 + 1


def test_same_random_state_gives_the_same_predictions(grey):
    X = _images(2, 37, 53, seed=1)
    refit = DenoisingAutoencoder(**PARAMS).fit(_images(6, 16, 16))
    np.testing.assert_array_equal(refit.predict(X), grey.predict(X))


def test_tiled_prediction_equals_the_untiled_one(grey, monkeypatch):
    X = _images(2, 101, 77, seed=2)
    whole = grey.predict(X)
    calls = []
    function = grey._inference_function("autoencoder")[0]
    original = function._function
    # Photos above a megapixel are tiled; smaller tiles here, to test it fast.
    assert skdenoise._tiling.TILE_SIZE == 1024
    monkeypatch.setattr(skdenoise._tiling, "TILE_SIZE", 48)
    monkeypatch.setattr(
        function, "_function", lambda tile: calls.append(tile.shape) or original(tile)
    )
    tiled = grey.predict(X)
    # Tiles of at most 48x48 pixels, each keeping its interior.
    assert len(calls) > 2 * 4
    assert max(shape[1] for shape in calls) <= 48 and max(shape[2] for shape in calls) <= 48
    np.testing.assert_allclose(tiled, whole, rtol=0, atol=1e-4)


def test_tiled_transform_equals_the_untiled_one(grey, monkeypatch):
    X = _images(2, 101, 77, seed=2)
    whole = grey.transform(X)
    monkeypatch.setattr(skdenoise._tiling, "TILE_SIZE", 40)
    np.testing.assert_allclose(grey.transform(X), whole, rtol=0, atol=1e-5)


def test_a_large_photo_goes_through(rgb):
    photo = _images(1, 1100, 1030, 3, seed=3)
    denoised = rgb.predict(photo)
    assert denoised.shape == photo.shape
    assert np.all(np.isfinite(denoised))
    assert rgb.transform(photo).shape == (1, rgb.latent_dim)


# Peak resident memory of predicting a 9-megapixel grey photo, in a fresh process
# whose pools already served a megapixel: growth over the memory before the call.
_LARGE_PREDICT = textwrap.dedent(
    """
    import pathlib, re, sys
    import numpy as np
    import skdenoise

    def megabytes(key):
        status = pathlib.Path("/proc/self/status").read_text()
        return int(re.search(key + r":\\s*(\\d+)", status)[1]) / 1024

    model = skdenoise.load(sys.argv[1])
    model.predict(np.zeros((1, 1000, 1000), np.float32))
    pathlib.Path("/proc/self/clear_refs").write_text("5")  # peak := now
    before = megabytes("VmRSS")
    denoised = model.predict(np.zeros((1, 3000, 3000), np.float32))
    print(denoised.shape, megabytes("VmHWM") - before)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_large_photo_is_predicted_in_bounded_memory(grey, tmp_path):
    path = tmp_path / "model.skd"
    grey.save(path)
    command = [sys.executable, "-c", _LARGE_PREDICT, str(path)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    shape, growth = output.rsplit(" ", 1)
    assert shape == "(1, 3000, 3000)"
    # Tiled, about 350 MB; the same network called on the whole photo at once
    # grows by about 2,500 MB (one layer of 32 float32 channels is 1,100 MB).
    assert float(growth) < 1000


def _assert_same_outputs(loaded, estimator):
    for X in (_images(2, 16, 16, seed=4), _images(2, 37, 53, seed=5)):
        np.testing.assert_allclose(loaded.predict(X), estimator.predict(X), atol=ATOL)
        np.testing.assert_allclose(loaded.transform(X), estimator.transform(X), atol=ATOL)


def test_save_and_load(grey):
    buffer = io.BytesIO()
    grey.save(buffer)
    buffer.seek(0)
    loaded = skdenoise.load(buffer)
    assert loaded.architecture_ == "fully_conv"
    _assert_same_outputs(loaded, grey)


def test_pickle(grey):
    _assert_same_outputs(pickle.loads(pickle.dumps(grey)), grey)


def test_skops(grey):
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(grey)
    _assert_same_outputs(sio.loads(data, trusted=sio.get_untrusted_types(data=data)), grey)


def test_onnx_exports_dilated_convolutions(monkeypatch):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    import skdenoise._architectures as architectures
    from skdenoise.onnx import to_onnx

    builder = architectures.build_fully_conv_denoiser
    monkeypatch.setattr(
        architectures,
        "build_fully_conv_denoiser",
        lambda *args, **kwargs: builder(*args, **kwargs, dilations=((1, 2, 3, 4), (3, 2, 1))),
    )
    dilated = DenoisingAutoencoder(**PARAMS).fit(_images(6, 16, 16))
    assert dilated.encoder_.layers[3].get_config()["dilation_rate"] == (4, 4)
    session = ort.InferenceSession(
        to_onnx(dilated, _images(1, 16, 16), method="predict").SerializeToString(),
        providers=["CPUExecutionProvider"],
    )
    X = _images(2, 37, 53, seed=6)
    (output,) = session.run(None, {"X": X})
    np.testing.assert_allclose(output, dilated.predict(X), rtol=0, atol=ATOL)


@pytest.mark.parametrize("method", ["predict", "transform"])
@pytest.mark.parametrize("channels", [(), (3,)], ids=["grey", "rgb"])
def test_onnx_takes_images_of_any_height_and_width(grey, rgb, method, channels):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    estimator = rgb if channels else grey
    onnx_model = to_onnx(estimator, _images(1, 16, 16, *channels), method=method)
    session = ort.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    for size in [(37, 53), (24, 20)]:
        X = _images(2, *size, *channels, seed=6)
        (output,) = session.run(None, {"X": X})
        expected = getattr(estimator, method)(X)
        assert output.shape == expected.shape
        np.testing.assert_allclose(output, expected, rtol=0, atol=ATOL)
