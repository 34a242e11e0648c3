"""Validation of the arrays given to :class:`~skdenoise.DenoisingAutoencoder`.

The estimator takes flat ``(n_samples, n_features)`` data, DataFrames and
image arrays ``(n_samples, height, width[, channels])``. Everything is
validated by scikit-learn as 2-D data, so its errors and feature-name checks
apply, and reshaped afterwards.
"""

import math

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.validation import check_consistent_length, validate_data

# Flat inputs of a square number of features are taken for images from this
# side up: sklearn's 8x8 digits are the smallest images in common use, and
# smaller squares (4, 9, 16, 25 features ...) are far more often tables.
MIN_INFERRED_IMAGE_SIDE = 8


def _ndim(X):
    """Number of dimensions of an array-like, or None if it has none."""
    ndim = getattr(X, "ndim", None)
    if ndim is None:
        try:
            ndim = np.asarray(X).ndim
        except ValueError:
            # Ragged nested lists: check_array reports them better.
            return None
    return ndim


def reject_time_dtypes(X, input_name="X"):
    """Raise a TypeError for dates and durations, which NumPy casts silently.

    ``check_array`` turns datetime64 and timedelta64 values into counts of
    days or seconds; such numbers are no pixels or features to denoise.
    """
    dtypes = getattr(X, "dtypes", None)
    dtypes = list(dtypes) if dtypes is not None else [getattr(X, "dtype", None)]
    for dtype in dtypes:
        if getattr(dtype, "kind", None) in ("m", "M"):
            raise TypeError(
                f"{input_name} has dtype {dtype}: dates and durations are not "
                "numeric features. Convert them to numbers explicitly first."
            )


def as_image_shape(image_shape):
    """``(height, width[, channels])`` as a validated 3-tuple."""
    try:
        shape = tuple(int(s) for s in image_shape)
    except (TypeError, ValueError):
        shape = ()
    if len(shape) not in (2, 3) or min(shape) < 1:
        raise ValueError(
            "image_shape must be (height, width) or (height, width, channels) "
            f"of positive integers; got {image_shape!r}."
        )
    return shape if len(shape) == 3 else (*shape, 1)


def flatten_images(X, input_name="X"):
    """A stack of images as flat rows, with the shape of one image.

    Parameters
    ----------
    X : array-like
        2-D data, or images of shape ``(n_samples, height, width[, channels])``.

    input_name : str, default="X"
        Name of the argument for error messages.

    Returns
    -------
    X_flat : array-like
        `X` itself when it is 2-D (or not an array), else an ndarray of shape
        ``(n_samples, height * width * channels)``.

    sample_shape : tuple of int or None
        Shape of one image, None for 2-D data.
    """
    ndim = _ndim(X)
    if ndim is None or ndim <= 2:
        return X, None
    X = np.asarray(X)
    if ndim > 4:
        raise ValueError(
            f"{input_name} must be 2-D (n_samples, n_features) or a stack of "
            "images (n_samples, height, width[, channels]); got an array "
            f"of shape {X.shape}."
        )
    return X.reshape(X.shape[0], -1), X.shape[1:]


def validate_samples(estimator, X, *, reset, input_name="X"):
    """Validate `X` and return it as float32, flattened, with its sample shape.

    Parameters
    ----------
    estimator : estimator instance
        The estimator; with ``reset=True`` it gets ``n_features_in_`` (the
        number of values per sample) and, for DataFrames with string column
        names, ``feature_names_in_``.

    X : {array-like, DataFrame}
        2-D data or a stack of images of 2 or 3 dimensions.

    reset : bool
        Whether this is the first validation (in ``fit``).

    input_name : str
        Name of the argument for error messages.

    Returns
    -------
    X_flat : ndarray of float32 of shape (n_samples, n_features)
        Validated data, without a copy where it was float32 already.

    sample_shape : tuple of int or None
        Shape of one sample when `X` was given as images, None for 2-D data.
    """
    reject_time_dtypes(X, input_name)
    X, sample_shape = flatten_images(X, input_name)
    X = validate_data(
        estimator,
        X,
        reset=reset,
        dtype=np.float32,
        ensure_min_features=1,
    )
    return X, sample_shape


def resolve_image_shape(image_shape, sample_shape, n_features, architecture, *, input_name="X"):
    """Decide which image shape, if any, the samples have.

    Parameters
    ----------
    image_shape : tuple or None
        The estimator's `image_shape` parameter.

    sample_shape : tuple or None
        Shape of one sample as given to ``fit`` (None for 2-D data).

    n_features : int
        Number of values in one sample.

    architecture : {"auto", "conv", "dense"}
        The estimator's `architecture` parameter; ``"conv"`` where the
        samples must be images.

    input_name : str, default="X"
        Name of the samples in error messages.

    Returns
    -------
    image_shape : tuple of (int, int, int) or None
        Height, width and channels, or None for tabular data.
    """
    if image_shape is not None:
        resolved = as_image_shape(image_shape)
        if math.prod(resolved) != n_features:
            raise ValueError(
                f"image_shape={tuple(image_shape)} holds {math.prod(resolved)} "
                f"values, but the samples have {n_features}."
            )
        if sample_shape is not None and as_image_shape(sample_shape) != resolved:
            raise ValueError(
                f"image_shape={tuple(image_shape)} does not match the shape "
                f"{tuple(sample_shape)} of the images given."
            )
        return resolved
    if sample_shape is not None:
        return as_image_shape(sample_shape)
    side = math.isqrt(n_features)
    is_square = side * side == n_features
    if architecture == "conv":
        if not is_square:
            raise ValueError(
                f"{input_name} must be images, but its {n_features} features "
                "are not a square number, so the image shape is unknown; pass "
                "image_shape=(height, width[, channels]) or image arrays of "
                "shape (n_samples, height, width[, channels])."
            )
        return (side, side, 1)
    if architecture == "auto" and is_square and side >= MIN_INFERRED_IMAGE_SIDE:
        return (side, side, 1)
    return None


def check_sample_shape(sample_shape, image_shape, *, input_name="X"):
    """Check that images given after fit have the shape seen in fit."""
    if sample_shape is None:
        return
    if image_shape is None or as_image_shape(sample_shape) != image_shape:
        expected = "2-D data" if image_shape is None else f"images of shape {image_shape}"
        raise ValueError(
            f"{input_name} has samples of shape {tuple(sample_shape)}, but the "
            f"estimator was fitted on {expected}."
        )


def validate_target(y, X_flat):
    """Validate an explicit clean target for ``fit(X_noisy, X_clean)``.

    Returns None for a one-dimensional `y`, such as the class labels that a
    Pipeline ending in a classifier passes to every step: a reconstruction
    target has one row of values per sample.
    """
    if y is None or _ndim(y) == 1:
        return None
    y = check_array(y, dtype=np.float32, allow_nd=True, input_name="y")
    check_consistent_length(X_flat, y)
    y = y.reshape(y.shape[0], -1)
    if y.shape[1] != X_flat.shape[1]:
        raise ValueError(
            f"y must hold the clean version of X: {X_flat.shape[1]} values per "
            f"sample, like X; got {y.shape[1]}. A one-dimensional y (class "
            "labels) is ignored."
        )
    return y
