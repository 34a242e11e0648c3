"""What ``fit`` and ``partial_fit`` train on, validated, and what it resolves.

Samples (rows, or images of one shape) as :func:`~skdenoise._input.validate_samples`
checks them; with ``patch_size`` set, images of any sizes, as
:func:`~skdenoise._patches.validate_images` checks them. Either way, the
loss the data calls for and, on a first fit, the image shape the network
takes.
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import _check_sample_weight

from ._batch_sources import SampleArrays, batch_source
from ._input import (
    _check_image_layout,
    _ndim,
    resolve_image_shape,
    validate_samples,
    validate_target,
    warn_if_alpha,
    warn_if_unscaled_pixels,
)
from ._losses import training_loss
from ._patches import check_patch_size, validate_image_pairs


@dataclass(frozen=True)
class FitData:
    """The data of one fit, validated, and what it resolves.

    Attributes
    ----------
    data : skdenoise._batch_sources.SampleArrays
        `X` as flat float32 rows, or with `patch_size` the images as
        :func:`~skdenoise._patches.validate_images` gives them; the clean
        targets `y` in the same form, or None; the sample weights as float32,
        or None.

    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where the batches' inputs, targets and loss weights come from.

    loss : str
        The loss to train on.

    image_shape : tuple of (int, int, int) or None
        On a first fit, the shape of one sample the network takes (one patch
        with `patch_size`), None for tabular data; None when continuing.

    n_features_in : int or None
        With `patch_size`, on a first fit, the values of one patch: what
        ``predict`` and ``transform`` take as a row. None otherwise, where
        the validation has set the estimator's ``n_features_in_``.
    """

    data: SampleArrays
    source: object
    loss: str
    image_shape: tuple = None
    n_features_in: int = None


def validate_training_data(estimator, X, y, sample_weight, *, fitted):
    """Validate the data of a fit; resolve its source, loss and image shape.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        The estimator; its parameters `patch_size`, `image_shape`,
        `architecture`, `noise` and `loss` are read. A first fit of samples
        sets its ``n_features_in_`` and, for DataFrames with string column
        names, ``feature_names_in_``, as scikit-learn's ``validate_data``
        does.

    X, y, sample_weight : array-like
        The arguments of ``fit``.

    fitted : tuple of (tuple or None, str) or None
        ``(image_shape_, loss_)`` of the model the fit continues, or None for
        a first fit.

    Returns
    -------
    fit_data : FitData
    """
    reset = fitted is None
    fitted_image_shape, fitted_loss = (None, None) if reset else fitted
    if estimator.patch_size is None:
        _refuse_images_of_different_sizes(X)
        X, sample_shape = validate_samples(
            estimator, X, reset=reset, fitted_image_shape=fitted_image_shape
        )
        y = validate_target(y, X)
    else:
        X, y, sample_shape = _validate_images(estimator, X, y, reset, fitted_image_shape)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float32, ensure_non_negative=True
        )
    data = SampleArrays(X, y, sample_weight)
    source = batch_source(estimator.noise, y)
    loss = training_loss(
        estimator.loss,
        source.targets(data),
        architecture=estimator.architecture,
        fitted_loss=fitted_loss,
        name=source.target_name,
    )
    if not reset:
        return FitData(data, source, loss)
    if estimator.patch_size is not None:
        warn_if_unscaled_pixels(X)
        warn_if_alpha(sample_shape)
        # What predict and transform take: one patch.
        return FitData(data, source, loss, sample_shape, math.prod(sample_shape))
    image_shape = resolve_image_shape(
        estimator.image_shape,
        sample_shape,
        X.shape[1],
        estimator.architecture,
        n_samples=X.shape[0],
    )
    if image_shape is not None:
        warn_if_unscaled_pixels(X)
    warn_if_alpha(image_shape)
    return FitData(data, source, loss, image_shape)


def _refuse_images_of_different_sizes(X):
    """Point a list of images of different sizes to `patch_size`."""
    if not isinstance(X, (list, tuple)) or not X or _ndim(X[0]) not in (2, 3):
        return
    shapes = [np.shape(image) if _ndim(image) in (2, 3) else None for image in X]
    different = [index for index, shape in enumerate(shapes) if shape != shapes[0]]
    if different and shapes[different[0]] is not None:
        index = different[0]
        raise ValueError(
            f"X is a list of images of different sizes: X[0] has shape {shapes[0]}, "
            f"X[{index}] {shapes[index]}. The network takes samples of one shape; set "
            "patch_size to train on patches cut from the images."
        )


def _validate_images(estimator, X, y, reset, fitted_image_shape):
    """Images of any sizes for training on patches, and the patch shape."""
    patch_size = check_patch_size(estimator.patch_size)
    if estimator.image_shape is not None:
        raise ValueError(
            f"image_shape={estimator.image_shape!r} gives the shape of flat rows, "
            "but with patch_size set X must be images: a list of arrays of "
            "shape (height, width[, channels]), or one array of shape "
            "(n_images, height, width[, channels]); set image_shape=None."
        )
    if not reset and (fitted_image_shape is None or fitted_image_shape[:2] != patch_size):
        raise ValueError(
            f"patch_size={estimator.patch_size!r}, but the model being trained "
            f"takes samples of shape {fitted_image_shape or (estimator.n_features_in_,)}: "
            "keep the patch_size of the first fit, or set warm_start=False."
        )
    if not isinstance(X, (list, tuple)) and _ndim(X) in (3, 4):
        # Called from here, at the depth at which the first fit of samples
        # calls it, so that the warning it may give names the caller of fit.
        _check_image_layout(np.shape(X), "X")
    channels = None if reset else fitted_image_shape[2]
    X, y = validate_image_pairs(X, y, patch_size, channels=channels)
    return X, y, (*patch_size, X[0].shape[2])
