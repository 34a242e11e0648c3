"""Bad input gets a clear error from validation, never a TensorFlow traceback."""

import contextlib
import warnings

import numpy as np
import pytest
from sklearn import datasets

from skdenoise import DenoisingAutoencoder, GaussianNoiser


@pytest.fixture(scope="module")
def fitted(digits):
    return DenoisingAutoencoder(latent_dim=4, epochs=1, random_state=0).fit(digits[:64])


@pytest.mark.parametrize(
    "X, message",
    [
        (np.full((10, 784), np.nan), "NaN"),
        (np.full((10, 784), np.inf), "infinity"),
        # Cast to float32 by scikit-learn's check_array, it overflows with a
        # RuntimeWarning before the check that refuses it.
        pytest.param(
            np.full((10, 784), 1e300),
            "too large",
            marks=pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning"),
        ),
        (np.zeros((0, 784)), "0 sample"),
        (np.zeros((10, 0)), "0 feature"),
        (np.array([["a"] * 784] * 10), "could not convert string"),
        (np.zeros((10, 784), dtype=complex), "Complex"),
        (np.zeros(784), "Expected 2D array"),
        (np.zeros((2, 2, 2, 2, 2)), "stack of images"),
    ],
)
def test_fit_rejects_bad_input_clearly(X, message):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0)
    with pytest.raises(ValueError, match=message):
        dae.fit(X)
    assert not hasattr(dae, "model_")


@pytest.mark.parametrize(
    "X, message",
    [
        (np.zeros((3, 100)), r"X has 100 features, but .* images of shape \(28, 28, 1\)"),
        (np.full((3, 784), np.nan), "NaN"),
        (np.zeros((0, 784)), "0 sample"),
        (np.zeros((3, 27, 28)), r"images of shape \(27, 28\), but .* \(28, 28, 1\)"),
        (np.zeros((28, 28)), r"looks like a single image.*X\[np.newaxis\]"),
    ],
)
@pytest.mark.parametrize("method", ["transform", "predict", "score"])
def test_inference_rejects_bad_input_clearly(fitted, X, message, method):
    with pytest.raises(ValueError, match=message):
        getattr(fitted, method)(X)


def test_inverse_transform_checks_the_code_width(fitted):
    with pytest.raises(ValueError, match="expecting 4 .latent_dim. features"):
        fitted.inverse_transform(np.zeros((2, 5)))


def test_binary_crossentropy_needs_data_in_unit_interval():
    X = np.random.RandomState(0).normal(size=(20, 5))
    with pytest.raises(ValueError, match=r"binary_crossentropy.*\[0, 1\].*loss='mse'"):
        DenoisingAutoencoder(latent_dim=2, epochs=1, loss="binary_crossentropy").fit(X)
    DenoisingAutoencoder(latent_dim=2, epochs=1, loss="mse", random_state=0).fit(X)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"latent_dim": 0}, "latent_dim"),
        ({"loss": "hinge"}, "loss"),
        ({"noise": "gaussian"}, "noise"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_parameters_fail_with_sklearn_message(params, message):
    with pytest.raises(ValueError, match=f"The '{message}' parameter"):
        DenoisingAutoencoder(**params).fit(np.zeros((10, 4)))


def test_noise_that_changes_shape_is_reported():
    class Truncate(GaussianNoiser):
        def transform(self, X):
            return X[:, :2]

    with pytest.raises(ValueError, match="must keep the shape"):
        DenoisingAutoencoder(noise=Truncate(), epochs=1).fit(np.zeros((10, 4)))


def test_too_few_samples_for_validation_warns():
    X = np.random.RandomState(0).uniform(size=(5, 4))
    with pytest.warns(UserWarning, match="leaves no validation sample"):
        dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(X)
    assert "val_loss" not in dae.history_


@pytest.mark.parametrize("image_shape", [(0, 4), (2, 2, 2, 2), ("a", 4), (4,)])
def test_malformed_image_shape_is_reported(image_shape):
    with pytest.raises(ValueError, match="image_shape must be"):
        DenoisingAutoencoder(image_shape=image_shape, epochs=1).fit(np.zeros((4, 16)))


def test_tabular_fit_speaks_of_features(tabular):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(tabular)
    with pytest.raises(
        ValueError, match="X has 5 features, but DenoisingAutoencoder is expecting"
    ):
        dae.transform(tabular[:, :5])
    with pytest.raises(ValueError, match="fitted on 2-D data"):
        dae.transform(tabular.reshape(-1, 3, 4))


@pytest.mark.parametrize(
    "shape, message",
    [
        ((16, 16, 3), r"single image of 16x16 pixels and 3 channels.*X\[np.newaxis\]"),
        ((4, 3, 16, 16), r"3 channels first.*X.transpose\(0, 2, 3, 1\)"),
    ],
)
def test_fit_explains_images_given_the_wrong_way(shape, message):
    X = np.random.RandomState(0).uniform(size=shape)
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0)
    with pytest.raises(ValueError, match=message):
        dae.fit(X)
    assert not hasattr(dae, "model_")
    # An explicit image_shape says the shape is meant.
    dae.set_params(image_shape=shape[1:], validation_fraction=None).fit(X)
    assert dae.image_shape_ == shape[1:] + (1,) * (len(shape) == 3)


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("height, width", [(12, 20), (20, 12), (16, 16)])
def test_a_single_colour_photo_of_any_aspect_ratio_is_refused(height, width, channels):
    photo = np.random.RandomState(0).uniform(size=(height, width, channels))
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, validation_fraction=None, random_state=0)
    with pytest.raises(ValueError, match=r"single image.*X\[np.newaxis\].*image_shape="):
        dae.fit(photo)
    assert not hasattr(dae, "model_")
    # Four channels are taken for RGBA, and warned about.
    alpha = pytest.warns(UserWarning, match="RGBA") if channels == 4 else contextlib.nullcontext()
    with alpha:
        assert dae.fit(photo[np.newaxis]).image_shape_ == (height, width, channels)


def test_the_sample_photo_is_refused_with_what_to_do():
    photo = datasets.load_sample_image("china.jpg") / 255
    with pytest.raises(ValueError, match=r"single image of 427x640 pixels.*X\[np.newaxis\]"):
        DenoisingAutoencoder(epochs=1).fit(photo)


@pytest.mark.parametrize("shape", [(30, 40, 1), (30, 40, 2), (12, 9, 3, 2), (12, 40, 4, 1)])
def test_implausibly_thin_images_are_refused(shape):
    X = np.random.RandomState(0).uniform(size=shape)
    with pytest.raises(ValueError, match=r"too thin to be images.*X\[np.newaxis\]"):
        DenoisingAutoencoder(latent_dim=2, epochs=1).fit(X)


def test_a_stack_that_may_be_one_channels_first_image_is_warned_about():
    X = np.random.RandomState(0).uniform(size=(3, 16, 16))
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, validation_fraction=None, random_state=0)
    with pytest.warns(UserWarning, match=r"3 grey images.*X.transpose\(1, 2, 0\)") as record:
        dae.fit(X)
    assert record[0].filename == __file__
    assert dae.image_shape_ == (16, 16, 1)


def _bundled_tables():
    loaders = [
        datasets.load_iris,
        datasets.load_wine,
        datasets.load_breast_cancer,
        datasets.load_diabetes,
        datasets.load_linnerud,
    ]
    tables = {loader.__name__: loader(as_frame=True).data for loader in loaders}
    tables["uniform_n_by_3"] = np.random.RandomState(0).uniform(size=(40, 3))
    tables["uniform_3_by_3"] = np.random.RandomState(0).uniform(size=(3, 3))
    return tables


@pytest.mark.parametrize("name, table", _bundled_tables().items(), ids=list(_bundled_tables()))
def test_tables_raise_no_image_alarm(name, table):
    dae = DenoisingAutoencoder(
        latent_dim=2, hidden_layer_sizes=(4,), epochs=1, validation_fraction=None, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        dae.fit(table)
        dae.predict(table)
    assert dae.image_shape_ is None and dae.architecture_ == "dense"


def test_predict_explains_a_single_colour_image_of_another_size():
    X = np.random.RandomState(0).uniform(size=(8, 8, 8, 3))
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, validation_fraction=None).fit(X)
    with pytest.raises(ValueError, match=r"single image.*X\[np.newaxis\]"):
        dae.predict(np.zeros((16, 12, 3)))


def test_predict_explains_a_single_image(digits):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0)
    dae.fit(digits[:32].reshape(-1, 28, 28, 1))
    with pytest.raises(ValueError, match=r"single image.*X\[np.newaxis\]"):
        dae.predict(digits[0].reshape(28, 28, 1))
    assert dae.predict(digits[0].reshape(1, 28, 28, 1)).shape == (1, 28, 28, 1)


def test_unscaled_pixels_are_warned_about(digits):
    X = np.round(digits[:32] * 255)
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0)
    with pytest.warns(UserWarning, match=r"unscaled 8-bit images.*X / 255"):
        dae.fit(X)
    assert dae.loss_ == "mean_squared_error"
