"""Tests for the displays in skdenoise.display."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from sklearn.exceptions import NotFittedError

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.display import (
    DenoisingDisplay,
    TrainingCurveDisplay,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def images():
    """Clean, noisy and denoised stacks of 12 grey 6x6 images in [0, 1]."""
    rng = np.random.RandomState(0)
    clean = rng.uniform(size=(12, 6, 6))
    noisy = np.clip(clean + rng.normal(scale=0.5, size=clean.shape), 0, 1)
    denoised = 0.2 + 0.5 * clean
    return clean, noisy, denoised


@pytest.fixture(scope="module")
def fitted_dae():
    """A tiny autoencoder fitted on flat 4x16 "images"."""
    X = np.random.RandomState(0).uniform(size=(60, 64)).astype(np.float32)
    dae = DenoisingAutoencoder(
        latent_dim=4,
        architecture="dense",
        image_shape=(4, 16),
        hidden_layer_sizes=(8,),
        epochs=2,
        random_state=0,
    )
    return dae.fit(X), X


# ------------------------------------------------------------ DenoisingDisplay


def test_denoising_display_draws_clean_noisy_denoised_rows(images):
    clean, noisy, denoised = images
    display = DenoisingDisplay.from_predictions(clean, noisy, denoised, n_images=5)

    assert display.axes_.shape == display.images_.shape == (3, 5)
    assert all(len(ax.images) == 1 for ax in display.axes_.flat)
    assert len(display.figure_.axes) == 15
    assert [ax.get_ylabel() for ax in display.axes_[:, 0]] == ["Clean", "Noisy", "Denoised"]
    assert all(ax.get_ylabel() == "" for ax in display.axes_[:, 1:].flat)
    for row, data in zip(display.images_, images):
        for j, image in enumerate(row):
            np.testing.assert_allclose(image.get_array(), data[j])
    assert display.bounding_ax_ is None
    assert display.figure_ is display.axes_[0, 0].figure


def test_denoising_display_shares_one_colour_scale(images):
    clean, noisy, denoised = images
    display = DenoisingDisplay.from_predictions(clean, noisy, denoised, n_images=3)
    low = min(a[:3].min() for a in images)
    high = max(a[:3].max() for a in images)
    assert {image.get_clim() for image in display.images_.flat} == {(low, high)}
    assert display.images_[0, 0].get_cmap().name == "gray"

    display = DenoisingDisplay.from_predictions(
        clean, noisy, denoised, n_images=3, vmin=0, vmax=2, cmap="viridis"
    )
    assert {image.get_clim() for image in display.images_.flat} == {(0, 2)}
    assert display.images_[0, 0].get_cmap().name == "viridis"


def test_denoising_display_shows_all_samples_when_fewer_than_n_images(images):
    clean, noisy, denoised = (a[:3] for a in images)
    display = DenoisingDisplay(clean, noisy, denoised).plot(n_images=10)
    assert display.axes_.shape == (3, 3)


def test_denoising_display_titles(images):
    display = DenoisingDisplay(*images).plot(n_images=2, titles=("a", "b", "c"))
    assert [ax.get_ylabel() for ax in display.axes_[:, 0]] == ["a", "b", "c"]
    display = DenoisingDisplay(*images).plot(n_images=2, titles=None)
    assert all(ax.get_ylabel() == "" for ax in display.axes_.flat)
    with pytest.raises(ValueError, match="titles must hold 3 labels"):
        DenoisingDisplay(*images).plot(titles=("Clean", "Denoised"))


def test_denoising_display_reshapes_flat_rows(images):
    flat = [a.reshape(12, 36) for a in images]
    display = DenoisingDisplay.from_predictions(*flat, n_images=2)
    assert display.images_[0, 0].get_array().shape == (6, 6)

    # Non-square rows need image_shape.
    display = DenoisingDisplay.from_predictions(*flat, image_shape=(4, 9), n_images=2)
    assert display.images_[0, 0].get_array().shape == (4, 9)
    with pytest.raises(ValueError, match="not a square number"):
        DenoisingDisplay.from_predictions(*(a[:, :30] for a in flat))


def test_denoising_display_accepts_mixed_flat_and_image_inputs(images):
    clean, noisy, denoised = images
    display = DenoisingDisplay.from_predictions(
        clean.reshape(12, -1), noisy[..., np.newaxis], denoised, n_images=2
    )
    assert display.axes_.shape == (3, 2)


def test_denoising_display_shows_rgb_images():
    rng = np.random.RandomState(0)
    clean = rng.uniform(size=(2, 5, 5, 3))
    display = DenoisingDisplay.from_predictions(clean, 2 * clean, clean / 2, vmin=0, vmax=2)
    shown = display.images_[0, 0].get_array()
    assert shown.shape == (5, 5, 3)
    # Rescaled from [vmin, vmax] to the [0, 1] that imshow takes for RGB.
    np.testing.assert_allclose(shown, clean[0] / 2)
    np.testing.assert_allclose(display.images_[1, 0].get_array(), clean[0])

    # By default the range is that of all the images shown.
    display = DenoisingDisplay.from_predictions(clean, 2 * clean, clean / 2)
    shown = np.stack([image.get_array() for image in display.images_.flat])
    assert shown.min() == pytest.approx(0) and shown.max() == pytest.approx(1)


def test_denoising_display_shows_one_row_per_denoiser(images):
    clean, noisy, denoised = images
    denoisers = {"Model A": denoised, "Model B": noisy / 2, "Model C": clean}
    display = DenoisingDisplay.from_predictions(clean, noisy, denoisers, n_images=4)

    assert display.axes_.shape == display.images_.shape == (5, 4)
    assert [ax.get_ylabel() for ax in display.axes_[:, 0]] == [
        "Clean",
        "Noisy",
        "Model A",
        "Model B",
        "Model C",
    ]
    for row, data in zip(display.images_, [clean, noisy, *denoisers.values()]):
        np.testing.assert_allclose(row[1].get_array(), data[1])

    figure = matplotlib.figure.Figure()
    display = DenoisingDisplay(clean, noisy, denoisers).plot(
        ax=figure.subplots(5, 2), n_images=2, titles=list("abcde")
    )
    assert [ax.get_ylabel() for ax in display.axes_[:, 0]] == list("abcde")
    with pytest.raises(ValueError, match="titles must hold 5 labels"):
        DenoisingDisplay(clean, noisy, denoisers).plot(titles=("a", "b", "c"))


@pytest.mark.parametrize(
    "denoised, message",
    [
        ({}, "at least one denoiser"),
        ({"Noisy": np.zeros((12, 6, 6))}, "must not use the row titles"),
        ({"a": np.zeros((12, 6, 6)), "b": np.zeros((12, 5, 5))}, "denoised\\['b'\\]"),
    ],
)
def test_denoising_display_rejects_invalid_denoiser_rows(images, denoised, message):
    with pytest.raises(ValueError, match=message):
        DenoisingDisplay(images[0], images[1], denoised).plot()


@pytest.mark.parametrize(
    "arrays, kwargs, message",
    [
        (
            (np.zeros((3, 6, 6)), np.zeros((3, 6, 6)), np.zeros((2, 6, 6))),
            {},
            "same number of images",
        ),
        (
            (np.zeros((3, 6, 6)), np.zeros((3, 6, 6)), np.zeros((3, 5, 5))),
            {},
            "same shape",
        ),
        ((np.zeros((3, 4, 4, 2)),) * 3, {}, "1 \\(grey\\) or 3 \\(RGB\\) channels"),
        ((np.zeros((3, 36)),) * 3, {"image_shape": (5, 5)}, "holds 25 values"),
        ((np.zeros((3, 6, 6)),) * 3, {"image_shape": (3, 12)}, "does not match"),
        ((np.zeros((3, 36)),) * 3, {"image_shape": (36,)}, "image_shape must be"),
        ((np.zeros(3),) * 3, {}, "Expected 2D array"),
        ((np.full((3, 36), np.nan),) * 3, {}, "clean contains NaN"),
    ],
)
def test_denoising_display_rejects_invalid_images(arrays, kwargs, message):
    with pytest.raises(ValueError, match=message):
        DenoisingDisplay.from_predictions(*arrays, **kwargs)


@pytest.mark.parametrize("n_images", [0, -1, 2.5, True])
def test_denoising_display_rejects_invalid_n_images(images, n_images):
    with pytest.raises(ValueError, match="n_images must be a positive integer"):
        DenoisingDisplay(*images).plot(n_images=n_images)


def test_denoising_display_fills_a_given_axes(images):
    figure, (ax_images, ax_other) = plt.subplots(2, 1)
    display = DenoisingDisplay(*images).plot(ax=ax_images, n_images=4)

    assert display.bounding_ax_ is ax_images
    assert not ax_images.axison
    assert display.figure_ is figure
    assert len(figure.axes) == 2 + 12
    # The grid lies within the area of the Axes it replaces.
    bounds = ax_images.get_position()
    for ax in display.axes_.flat:
        position = ax.get_position()
        assert bounds.x0 - 1e-9 <= position.x0 and position.x1 <= bounds.x1 + 1e-9
        assert bounds.y0 - 1e-9 <= position.y0 and position.y1 <= bounds.y1 + 1e-9


def test_denoising_display_uses_an_array_of_axes(images):
    figure = matplotlib.figure.Figure()
    axes = figure.subplots(3, 4)
    display = DenoisingDisplay(*images).plot(ax=axes, n_images=4)
    assert display.axes_.shape == (3, 4)
    assert all(a is b for a, b in zip(display.axes_.flat, axes.flat))
    assert display.figure_ is figure

    with pytest.raises(ValueError, match="shape \\(3, 5\\)"):
        DenoisingDisplay(*images).plot(ax=axes, n_images=5)
    with pytest.raises(ValueError, match="must be a matplotlib Axes"):
        DenoisingDisplay(*images).plot(ax="not axes", n_images=4)


def test_denoising_display_from_estimator(fitted_dae):
    dae, X = fitted_dae
    display = DenoisingDisplay.from_estimator(dae, X, n_images=4, random_state=0)

    assert display.axes_.shape == (3, 4)
    # The shape comes from the estimator's image_shape_: 4x16, not square.
    assert display.images_[0, 0].get_array().shape == (4, 16)
    np.testing.assert_array_equal(display.clean, X[:4])
    expected_noisy = GaussianNoiser(0.5, random_state=0).fit_transform(X[:4])
    np.testing.assert_allclose(display.noisy, expected_noisy)
    np.testing.assert_allclose(display.denoised, dae.predict(display.noisy), rtol=1e-5)
    # The estimator's own noise is copied, never changed.
    assert dae.noise.random_state is None


def test_denoising_display_from_estimator_is_seeded(fitted_dae):
    dae, X = fitted_dae
    first = DenoisingDisplay.from_estimator(dae, X, n_images=3, random_state=1)
    again = DenoisingDisplay.from_estimator(dae, X, n_images=3, random_state=1)
    other = DenoisingDisplay.from_estimator(dae, X, n_images=3, random_state=2)
    np.testing.assert_array_equal(first.noisy, again.noisy)
    assert not np.array_equal(first.noisy, other.noisy)


def test_denoising_display_from_estimator_with_other_noise(fitted_dae):
    dae, X = fitted_dae
    display = DenoisingDisplay.from_estimator(
        dae, X, noise=GaussianNoiser(noise_factor=0.0), n_images=2
    )
    np.testing.assert_allclose(display.noisy, display.clean)


def test_denoising_display_from_estimator_keeps_image_arrays(fitted_dae):
    dae, X = fitted_dae
    display = DenoisingDisplay.from_estimator(
        dae, X.reshape(-1, 4, 16), n_images=2, random_state=0
    )
    assert display.denoised.shape == (2, 4, 16)


def test_denoising_display_from_estimator_without_noise_needs_noise(fitted_dae):
    dae, X = fitted_dae
    plain = DenoisingAutoencoder(
        latent_dim=2, noise=None, hidden_layer_sizes=(4,), epochs=1, random_state=0
    ).fit(X[:, :16])
    with pytest.raises(ValueError, match="noise=None"):
        DenoisingDisplay.from_estimator(plain, X[:, :16])
    display = DenoisingDisplay.from_estimator(
        plain, X[:, :16], noise=GaussianNoiser(0.1), n_images=2, random_state=0
    )
    # Fitted on tabular data (no image_shape_): 16 values show as 4x4 images.
    assert plain.image_shape_ is None
    assert display.images_[0, 0].get_array().shape == (4, 4)


def test_denoising_display_from_estimator_requires_fitted_estimator(images):
    with pytest.raises(NotFittedError):
        DenoisingDisplay.from_estimator(DenoisingAutoencoder(), images[0])


# -------------------------------------------------------- TrainingCurveDisplay


def test_training_curve_display_plots_loss_and_best_val_loss():
    history = {"loss": [0.5, 0.3, 0.2, 0.15], "val_loss": [0.4, 0.25, 0.22, 0.23]}
    display = TrainingCurveDisplay(history, loss_name="mse").plot()

    np.testing.assert_array_equal(display.line_.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(display.line_.get_ydata(), history["loss"])
    np.testing.assert_array_equal(display.val_line_.get_ydata(), history["val_loss"])
    assert display.best_epoch_ == 3
    np.testing.assert_array_equal(display.best_marker_.get_xdata(), [3])
    np.testing.assert_array_equal(display.best_marker_.get_ydata(), [0.22])
    assert len(display.ax_.lines) == 3
    assert display.ax_.get_xlabel() == "Epoch"
    assert display.ax_.get_ylabel() == "Loss (mse)"
    legend = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert legend == [
        "Training loss",
        "Validation loss",
        "Lowest validation loss: 0.22 (epoch 3)",
    ]
    assert display.figure_ is display.ax_.figure


def test_training_curve_display_marks_lowest_finite_val_loss():
    history = {"loss": [0.5, 0.4, 0.3], "val_loss": [np.nan, 0.2, np.inf]}
    display = TrainingCurveDisplay(history).plot()
    assert display.best_epoch_ == 2
    np.testing.assert_array_equal(display.best_marker_.get_ydata(), [0.2])

    display = TrainingCurveDisplay({"loss": [0.5], "val_loss": [np.nan]}).plot()
    assert display.best_epoch_ is None and display.best_marker_ is None


def test_training_curve_display_without_validation():
    display = TrainingCurveDisplay({"loss": [0.5, 0.3]}).plot()
    assert display.val_line_ is None
    assert display.best_marker_ is None
    assert display.best_epoch_ is None
    assert len(display.ax_.lines) == 1
    assert display.ax_.get_ylabel() == "Loss"


def test_training_curve_display_draws_on_given_axes_with_style():
    figure = matplotlib.figure.Figure()
    ax = figure.subplots()
    display = TrainingCurveDisplay({"loss": [0.5, 0.3], "val_loss": [0.4, 0.35]}).plot(
        ax=ax,
        loss_kwargs={"c": "black", "label": "train"},
        best_kwargs={"marker": "*"},
    )
    assert display.ax_ is ax
    assert display.figure_ is figure
    # "c" overrides the default "color" instead of clashing with it.
    assert to_rgba(display.line_.get_color()) == to_rgba("black")
    assert display.line_.get_label() == "train"
    assert display.best_marker_.get_marker() == "*"


@pytest.mark.parametrize(
    "history, message",
    [
        ({"val_loss": [0.1]}, "per-epoch 'loss'"),
        ([0.1, 0.2], "per-epoch 'loss'"),
        ({"loss": []}, "non-empty"),
        ({"loss": [[0.1, 0.2]]}, "non-empty"),
        ({"loss": [0.3, 0.2], "val_loss": [0.3]}, "2 epochs of 'loss' but 1"),
    ],
)
def test_training_curve_display_rejects_invalid_history(history, message):
    with pytest.raises(ValueError, match=message):
        TrainingCurveDisplay(history).plot()


def test_training_curve_display_from_estimator(fitted_dae):
    dae, _ = fitted_dae
    display = TrainingCurveDisplay.from_estimator(dae)
    np.testing.assert_allclose(display.line_.get_ydata(), dae.history_["loss"])
    np.testing.assert_allclose(display.val_line_.get_ydata(), dae.history_["val_loss"])
    assert display.best_epoch_ == int(np.argmin(dae.history_["val_loss"])) + 1
    assert display.ax_.get_ylabel() == "Loss (binary_crossentropy)"


def test_training_curve_display_after_fit_then_partial_fit(tmp_path):
    X = np.random.RandomState(0).uniform(size=(60, 6)).astype(np.float32)
    dae = DenoisingAutoencoder(latent_dim=2, hidden_layer_sizes=(8,), epochs=2, random_state=0)
    dae.fit(X).partial_fit(X)
    # partial_fit makes no validation split: its epoch has no val_loss.
    assert len(dae.history_["loss"]) == len(dae.history_["val_loss"]) == dae.n_iter_ == 3
    assert np.isnan(dae.history_["val_loss"][2])
    display = TrainingCurveDisplay.from_estimator(dae)
    np.testing.assert_allclose(display.val_line_.get_ydata(), dae.history_["val_loss"])
    # The model of the validated epochs has been trained since: none is
    # marked as best, and the legend says since when it is unvalidated.
    assert display.best_epoch_ is None and display.best_marker_ is None
    legend = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert legend == ["Training loss", "Validation loss (none after epoch 2)"]
    # A later validated fit describes the model again.
    dae.set_params(warm_start=True, epochs=1).fit(X)
    assert TrainingCurveDisplay.from_estimator(dae).best_epoch_ is not None
    dae.save(tmp_path / "dae.skd")
    np.testing.assert_array_equal(
        skdenoise.load(tmp_path / "dae.skd").history_["val_loss"], dae.history_["val_loss"]
    )


def test_training_curve_display_from_history():
    ax = matplotlib.figure.Figure().subplots()
    history = {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35], "lr": [1e-3, 1e-3]}
    display = TrainingCurveDisplay.from_history(
        history, loss_name="BCE", ax=ax, val_loss_kwargs={"color": "black"}
    )
    assert display.ax_ is ax
    assert display.history is history
    assert display.ax_.get_ylabel() == "Loss (BCE)"
    assert display.best_epoch_ == 2
    assert to_rgba(display.val_line_.get_color()) == to_rgba("black")


def test_training_curve_display_from_estimator_requires_fitted_estimator():
    with pytest.raises(NotFittedError):
        TrainingCurveDisplay.from_estimator(DenoisingAutoencoder())
