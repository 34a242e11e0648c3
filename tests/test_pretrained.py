"""The ready photo denoisers: fitted, checked before loading, fine-tunable, never written."""

import hashlib
from importlib import resources

import numpy as np
import pytest
from skimage import data, img_as_float
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.pretrained import READY_MODELS, load_checked, photo_denoiser


def _psnr(clean, image):
    return 10 * np.log10(1 / np.mean((np.clip(image, 0, 1) - clean) ** 2))


def _noisy(clean, sigma, seed=0):
    return clean + np.random.default_rng(seed).normal(0, sigma / 255, clean.shape)


def _shipped(kind):
    return resources.files("skdenoise.pretrained") / READY_MODELS[kind].file


@pytest.mark.parametrize("kind", list(READY_MODELS))
def test_every_shipped_file_has_its_recorded_sha256(kind):
    digest = hashlib.sha256(_shipped(kind).read_bytes()).hexdigest()
    assert digest == READY_MODELS[kind].sha256


@pytest.mark.parametrize("color", [False, True])
def test_a_ready_denoiser_is_a_fitted_blind_fully_conv_estimator(color):
    estimator = photo_denoiser(color=color)
    assert isinstance(estimator, DenoisingAutoencoder)
    assert estimator.architecture_ == "fully_conv"
    assert estimator.warm_start is True
    noise = estimator.get_params()["noise"]
    assert isinstance(noise, GaussianNoiser)
    assert noise.noise_factor == (0, READY_MODELS["color" if color else "grey"].max_sigma)
    channels = estimator.model_.input_shape[-1]
    assert channels == READY_MODELS["color" if color else "grey"].channels == (3 if color else 1)


@pytest.mark.parametrize("sigma", [5, 25, 50])
def test_the_grey_denoiser_denoises_a_photo_of_odd_size_at_every_level(sigma):
    clean = img_as_float(data.camera())[100:193, 200:301]  # 93 x 101
    noisy = _noisy(clean, sigma)
    denoised = photo_denoiser().predict(noisy[np.newaxis])
    assert denoised.shape == (1, *clean.shape)
    gain = _psnr(clean, denoised[0]) - _psnr(clean, noisy)
    # Weak noise leaves less to remove, and the blind model removes less of
    # it than at higher levels (about 1 dB at sigma 5).
    assert gain > (0.5 if sigma == 5 else 6)


def test_the_color_denoiser_denoises_an_rgb_photo():
    clean = img_as_float(data.astronaut())[:96, 100:228]
    noisy = _noisy(clean, 25)
    denoised = photo_denoiser(color=True).predict(noisy[np.newaxis])[0]
    assert denoised.shape == clean.shape
    assert _psnr(clean, denoised) > _psnr(clean, noisy) + 6


def test_every_call_returns_a_new_estimator_sharing_nothing():
    first, second = photo_denoiser(), photo_denoiser()
    assert first is not second
    assert first.model_ is not second.model_
    assert first.get_params()["noise"] is not second.get_params()["noise"]


def test_fine_tuning_changes_the_estimator_never_the_shipped_file():
    before = _shipped("grey").read_bytes()
    photos = [img_as_float(data.coins())[:60, :64], img_as_float(data.moon())[:48, :72]]
    original = photo_denoiser()
    weights = [w.copy() for w in original.model_.get_weights()]
    tuned = photo_denoiser().set_params(epochs=1, batch_size=8)
    tuned.fit(photos)
    assert tuned.n_iter_ == original.n_iter_ + 1  # continued, not restarted
    changed = [not np.array_equal(a, b) for a, b in zip(weights, tuned.model_.get_weights())]
    assert any(changed)
    assert _shipped("grey").read_bytes() == before
    fresh = photo_denoiser()
    for a, b in zip(weights, fresh.model_.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fine_tuning_at_one_noise_level():
    estimator = photo_denoiser().set_params(
        noise=GaussianNoiser(25 / 255, clip=None, random_state=0), epochs=1, batch_size=8
    )
    estimator.fit([img_as_float(data.coins())[:60, :64]])
    assert estimator.n_iter_ == 31
    assert estimator.noise.noise_factor == pytest.approx(25 / 255)


def test_a_clone_drops_the_shipped_weights():
    copy = clone(photo_denoiser())
    assert copy.warm_start
    with pytest.raises(NotFittedError):
        check_is_fitted(copy)


def test_fine_tuning_starts_with_a_fresh_optimizer():
    # The shipped Adam moments are those of the end of the model's training, on
    # other photos; fine-tuning from them moved some weights several times as
    # far as its learning rate.
    estimator = photo_denoiser().set_params(learning_rate=1e-5, batch_size=8)
    optimizer = estimator.model_.optimizer
    assert int(optimizer.iterations.numpy()) == 0
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(1e-3)
    before = [w.copy() for w in estimator.model_.get_weights()]
    estimator.partial_fit([img_as_float(data.coins())[:60, :64]])
    steps = int(optimizer.iterations.numpy())
    assert steps > 0
    moved = max(np.abs(a - b).max() for a, b in zip(estimator.model_.get_weights(), before))
    assert 0 < moved <= 1.01 * steps * 1e-5


def test_partial_fit_fine_tunes_too():
    estimator = photo_denoiser().set_params(batch_size=8)
    iterations = estimator.n_iter_
    estimator.partial_fit([img_as_float(data.coins())[:60, :64]])
    assert estimator.n_iter_ == iterations + 1


def test_a_file_that_is_not_the_shipped_one_is_refused_before_loading(tmp_path):
    damaged = bytearray(_shipped("grey").read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path = tmp_path / "photo_grey.skd"
    path.write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match="damaged or altered"):
        load_checked(path, READY_MODELS["grey"].sha256)


def test_the_shipped_file_loads_with_its_digest(tmp_path):
    path = tmp_path / "copy.skd"
    path.write_bytes(_shipped("color").read_bytes())
    estimator = load_checked(str(path), READY_MODELS["color"].sha256)
    assert estimator.model_.input_shape[-1] == 3


@pytest.mark.parametrize("color", ["yes", 1, None])
def test_color_must_be_a_bool(color):
    with pytest.raises(TypeError, match="color must be True or False"):
        photo_denoiser(color=color)
