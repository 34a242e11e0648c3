"""Validation of the arrays given to :class:`~skdenoise.DenoisingAutoencoder`.

The estimator takes flat ``(n_samples, n_features)`` data, DataFrames and
image arrays ``(n_samples, height, width[, channels])``. Everything is
validated by scikit-learn as 2-D data, so its errors and feature-name checks
apply, and reshaped afterwards.
"""

import math
import os
import sys
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array
from sklearn.utils.validation import check_consistent_length, validate_data

from ._architectures import architecture_spec, requires_images

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


def validate_samples(estimator, X, *, reset, fitted_image_shape, input_name="X"):
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

    fitted_image_shape : tuple of (int, int, int) or None
        With ``reset=False``, the image shape the estimator was fitted on
        (None for 2-D data): samples of another shape are refused in the
        terms of images. Ignored with ``reset=True``.

    input_name : str
        Name of the argument for error messages.

    Returns
    -------
    X_flat : ndarray or CSR matrix of float32 of shape (n_samples, n_features)
        Validated data, without a copy where it was float32 already. Sparse
        data stays sparse, in CSR format, whose rows slice cheaply.

    sample_shape : tuple of int or None
        Shape of one sample when `X` was given as images, None for 2-D data.
    """
    reject_time_dtypes(X, input_name)
    original_shape = _shape(X)
    X, sample_shape = flatten_images(X, input_name)
    if not reset:
        check_sample_shape(
            sample_shape, fitted_image_shape, full_shape=original_shape, input_name=input_name
        )
    X = validate_data(
        estimator,
        X,
        reset=reset,
        accept_sparse="csr",
        dtype=np.float32,
        ensure_min_features=1,
    )
    return X, sample_shape


def resolve_image_shape(
    image_shape, sample_shape, n_features, architecture, *, n_samples=None, input_name="X"
):
    """Decide which image shape, if any, the samples have.

    Parameters
    ----------
    image_shape : tuple or None
        The estimator's `image_shape` parameter.

    sample_shape : tuple or None
        Shape of one sample as given to ``fit`` (None for 2-D data).

    n_features : int
        Number of values in one sample.

    architecture : {"auto", "conv", "fully_conv", "dense"}
        The estimator's `architecture` parameter; ``"conv"`` or
        ``"fully_conv"`` where the samples must be images.

    n_samples : int or None, default=None
        Number of samples, to recognise a single image or a channels-first
        stack given where a channels-last stack is expected.

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
        if n_samples is not None:
            _check_image_layout((n_samples, *sample_shape), input_name, shape_advice=True)
        return as_image_shape(sample_shape)
    side = math.isqrt(n_features)
    is_square = side * side == n_features
    if requires_images(architecture):
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


def _shape(X):
    """Shape of an array-like, or None where it has none (ragged lists)."""
    shape = getattr(X, "shape", None)
    if shape is None:
        try:
            shape = np.shape(X)
        except (ValueError, TypeError):
            # Ragged lists, or objects that only convert to arrays whole.
            return None
    return tuple(shape)


# Channel counts of real images: grey, grey and alpha, RGB, RGBA.
_CHANNEL_COUNTS = (1, 2, 3, 4)
# Colour channels, the last axis of a single photo as image libraries load it.
_COLOUR_CHANNELS = (3, 4)
# Images inferred from an array's shape with a side below this are taken for
# a misread array, such as the rows and channels of one photo.
MIN_IMAGE_SIDE = 5


def _check_image_layout(shape, input_name, shape_advice=False):
    """Refuse a single image or channels-first images, read as a stack.

    Both would otherwise be read as some other, valid-looking stack of
    images and trained on silently; so would any array whose images would
    be implausibly thin. A stack that could also be one channels-first image
    is warned about. Passing `image_shape` explicitly skips this check, for
    the rare data that really has such a shape; `shape_advice` says so in
    the messages (not with `patch_size`, which takes no `image_shape`).
    """

    def meant(images):
        if not shape_advice:
            return ""
        return f" If {images}, pass image_shape={shape[1:]}."

    if len(shape) == 3 and (
        shape[2] in _COLOUR_CHANNELS or (shape[0] == shape[1] and shape[2] in _CHANNEL_COUNTS)
    ):
        raise ValueError(
            f"{input_name} of shape {shape} looks like a single image of "
            f"{shape[0]}x{shape[1]} pixels and {shape[2]} channels, but it "
            f"would be read as {shape[0]} images of shape {shape[1:]}. Pass a "
            f"stack of one image, {input_name}[np.newaxis], of shape "
            f"{(1, *shape)}." + meant(f"it really holds {shape[0]} images")
        )
    if len(shape) == 4 and shape[1] in _CHANNEL_COUNTS and shape[3] not in _CHANNEL_COUNTS:
        raise ValueError(
            f"{input_name} of shape {shape} looks like images with their "
            f"{shape[1]} channels first, but images are read channels last, "
            "(n_samples, height, width, channels): these would be "
            f"{shape[1]}x{shape[2]} images of {shape[3]} channels. Transpose "
            f"them with {input_name}.transpose(0, 2, 3, 1)." + meant("the shape is meant")
        )
    height, width = shape[1:3]
    if min(height, width) < MIN_IMAGE_SIDE:
        raise ValueError(
            f"{input_name} of shape {shape} would be read as {shape[0]} images "
            f"of {height}x{width} pixels, too thin to be images. For a single "
            f"image, pass {input_name}[np.newaxis]; for tabular data, pass "
            f"2-D rows, {input_name}.reshape({shape[0]}, -1)."
            + meant("these are the images meant")
        )
    if len(shape) == 3 and shape[0] in _COLOUR_CHANNELS:
        warnings.warn(
            f"{input_name} of shape {shape} is read as {shape[0]} grey images "
            f"of {height}x{width} pixels. If it is one colour image with its "
            f"channels first, pass {input_name}.transpose(1, 2, 0)[np.newaxis]."
            + meant("the shape is meant"),
            UserWarning,
            # The caller of fit or partial_fit.
            stacklevel=caller_stacklevel(),
        )


def _single_image_hint(full_shape, image_shape, input_name):
    """Advice for a single image given where a stack of images is expected."""
    channels = image_shape[2]
    one_image = (
        full_shape is not None and len(full_shape) == 3 and full_shape[2] == channels
    ) or (full_shape is not None and len(full_shape) == 2 and channels == 1)
    if not one_image:
        return ""
    return (
        f" If {input_name} is a single image, pass a stack of one, "
        f"{input_name}[np.newaxis], of images of shape {image_shape}."
    )


def check_sample_shape(sample_shape, image_shape, *, full_shape=None, input_name="X"):
    """Check that samples given after fit have the shape seen in fit.

    Parameters
    ----------
    sample_shape : tuple of int or None
        Shape of one sample of `X` given as images, None for 2-D data.

    image_shape : tuple of (int, int, int) or None
        The fitted image shape, None for tabular data.

    full_shape : tuple of int or None, default=None
        Shape of `X` as given, for the messages.

    input_name : str, default="X"
        Name of `X` in error messages.
    """
    if image_shape is None:
        if sample_shape is not None:
            raise ValueError(
                f"{input_name} has samples of shape {tuple(sample_shape)}, but "
                "the estimator was fitted on 2-D data."
            )
        return
    n_values = math.prod(image_shape)
    single_image = (
        full_shape is not None
        and 2 <= len(full_shape) <= 3
        and full_shape[:2] == image_shape[:2]
        and math.prod(full_shape) == n_values
    )
    if single_image:
        raise ValueError(
            f"{input_name} of shape {tuple(full_shape)} looks like a single "
            f"image, but a stack of images is expected: pass "
            f"{input_name}[np.newaxis], of shape {(1, *full_shape)}."
        )
    if sample_shape is None:
        if full_shape is not None and len(full_shape) == 2 and full_shape[1] != n_values:
            raise ValueError(
                f"{input_name} has {full_shape[1]} features, but the estimator "
                f"was fitted on images of shape {image_shape}: give images of "
                f"that shape, or flat rows of {n_values} values."
                + _single_image_hint(full_shape, image_shape, input_name)
            )
        return
    if as_image_shape(sample_shape) == image_shape:
        return
    raise ValueError(
        f"{input_name} has images of shape {tuple(sample_shape)}, but the "
        f"estimator was fitted on images of shape {image_shape}."
        + _single_image_hint(full_shape, image_shape, input_name)
    )


def takes_any_image_size(estimator):
    """Whether the fitted network takes images of any height and width.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        Fitted.

    Returns
    -------
    any_size : bool
        True for a network of images whose height and width are left free
        (``architecture="fully_conv"``), False for one of a fixed input.
    """
    return architecture_spec(estimator.architecture_).any_size


def reads_2d_as_one_image(estimator):
    """Whether a 2-D array given to the fitted `estimator` is one grey photo.

    A network fitted on patches of photos (`patch_size`) knows photos, not
    flat rows of one patch: a 2-D array is one grey photo, however wide,
    never rows of patches (a network of one image size then refuses a photo
    of another size). Other models read 2-D arrays as flat rows, their input
    in a pipeline.
    """
    return estimator.patch_size is not None and estimator.image_shape_ is not None


def validate_inference_samples(estimator, X, input_name="X"):
    """Validate `X` given to a fitted estimator's inference methods.

    Images that look like unscaled 8- or 16-bit pixels are warned about.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        Fitted.

    X : {array-like, DataFrame}
        Samples. For a model fitted on patches, a 2-D array is one grey
        image (see :func:`reads_2d_as_one_image`).

    input_name : str, default="X"
        Name of `X` in error messages.

    Returns
    -------
    X : ndarray or CSR matrix of float32
        Flat rows, dense or sparse; for a network of images of any size,
        images of shape ``(n_samples, height, width, channels)`` of any
        height and width.
    """
    if reads_2d_as_one_image(estimator) and _ndim(X) == 2:
        reject_time_dtypes(X, input_name)
        X = (X.toarray() if sp.issparse(X) else np.asarray(X))[np.newaxis]
    if takes_any_image_size(estimator):
        X = validate_any_size_images(X, estimator.image_shape_, input_name)
    else:
        X, _ = validate_samples(
            estimator,
            X,
            reset=False,
            fitted_image_shape=estimator.image_shape_,
            input_name=input_name,
        )
    if estimator.image_shape_ is not None:
        warn_if_unscaled_pixels(X, input_name)
    return X


def validate_any_size_images(X, image_shape, input_name="X"):
    """Validate images of any height and width, with the fitted channels.

    Parameters
    ----------
    X : array-like
        Images of shape ``(n_samples, height, width[, channels])``, or flat
        rows of images of the fitted `image_shape`.

    image_shape : tuple of (int, int, int)
        Shape of the images seen in fit; only its channels bind other sizes.

    input_name : str, default="X"
        Name of `X` in error messages.

    Returns
    -------
    images : ndarray of float32 of shape (n_samples, height, width, channels)
    """
    reject_time_dtypes(X, input_name)
    if sp.issparse(X):
        X = X.toarray()
    X = check_array(
        X, dtype=np.float32, allow_nd=True, ensure_min_features=1, input_name=input_name
    )
    channels = image_shape[2]
    n_values = math.prod(image_shape)
    if X.ndim == 2:
        # Flat rows can only be read in the shape seen in fit.
        if X.shape[1] != n_values:
            one_grey = f" If {input_name} is one grey image, pass {input_name}[np.newaxis]."
            raise ValueError(
                f"{input_name} has {X.shape[1]} features, but the estimator takes "
                f"images of any size, or flat rows of {n_values} values (images of "
                f"shape {image_shape}, as in fit)." + one_grey * (channels == 1)
            )
        return X.reshape(-1, *image_shape)
    if X.ndim == 3 and channels == 1:
        X = X[..., np.newaxis]
    if X.ndim == 3 and X.shape[2] == channels:
        raise ValueError(
            f"{input_name} of shape {X.shape} looks like a single image, but a "
            f"stack of images is expected: pass {input_name}[np.newaxis], of "
            f"shape {(1, *X.shape)}, or a list of images."
        )
    if X.ndim != 4 or X.shape[3] != channels:
        grey = " or (n_samples, height, width)" if channels == 1 else ""
        given = f"images of {X.shape[3]} channels" if X.ndim == 4 else f"shape {X.shape}"
        if X.ndim == 3 and X.shape[0] == 1:
            given = f"one grey image of shape {X.shape[1:]}"
        alpha = ""
        if X.ndim == 4 and X.shape[3] == channels + 1 and channels in (1, 3):
            alpha = (
                f" If the last channel is alpha (transparency), drop it: "
                f"{input_name}[..., :{channels}]."
            )
        raise ValueError(
            f"{input_name} has {given}, but the estimator was fitted on images "
            f"with {channels} channel{'s' * (channels > 1)}: give images of shape "
            f"(n_samples, height, width, {channels}){grey}, of any height and "
            f"width, or a list of images of shape (height, width, {channels})." + alpha
        )
    if min(X.shape[1:3]) < 1:
        raise ValueError(f"{input_name} of shape {X.shape} has images without pixels.")
    return X


def network_batch(X, input_shape):
    """A slice of validated samples as a float32 batch of the network's input.

    Flat rows are reshaped to `input_shape`; images of any size, for a
    network whose `input_shape` leaves height and width free, pass as they are.
    """
    batch = dense_rows(X)
    return batch.reshape(-1, *input_shape) if batch.ndim == 2 else batch


def warn_if_unscaled_pixels(X, input_name="X"):
    """Warn when images hold 8- or 16-bit pixel values rather than values in [0, 1].

    `X` is an array, a sparse matrix, or a list of images of different sizes.
    Whole numbers from 0 up to 65,535, above 1, are taken for such pixels.
    """
    parts = X if isinstance(X, list) else [X.data if hasattr(X, "tocsr") else X]
    if all(part.size == 0 for part in parts):
        return
    low = min(float(part.min()) for part in parts if part.size)
    high = max(float(part.max()) for part in parts if part.size)
    if 0 <= low and 1 < high <= 65535 and all(np.array_equal(p, np.round(p)) for p in parts):
        bits, scale = (8, 255) if high <= 255 else (16, 65535)
        warnings.warn(
            f"{input_name} looks like unscaled {bits}-bit images (whole numbers "
            f"from {low:g} to {high:g}). Scale them to [0, 1], e.g. "
            f"{input_name} / {scale}, in fit and in every later call (predict, "
            "score, transform): noise levels such as GaussianNoiser's "
            "noise_factor are meant for pixels in [0, 1] and are negligible next "
            f"to values up to {high:g}, and a model fitted on pixels in [0, 1] "
            "gives meaningless output on others.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )


def warn_if_alpha(image_shape, input_name="X"):
    """Warn that a fit on 4-channel images learns the fourth as a colour."""
    if image_shape is None or image_shape[2] != 4:
        return
    warnings.warn(
        f"{input_name} has images of 4 channels, taken for RGBA: the model would "
        "learn the alpha channel (transparency) as a fourth colour, and then "
        f"need 4 channels in every later call. Drop it first, {input_name}[..., :3], "
        "unless the fourth channel is data to denoise.",
        UserWarning,
        stacklevel=caller_stacklevel(),
    )


def caller_stacklevel():
    """The `stacklevel` of warnings that name the first caller outside the library.

    Counted from the function that calls this one and then
    :func:`warnings.warn`: frames of skdenoise and of scikit-learn (whose
    ``set_output`` and ``_fit_context`` wrap the estimator's methods) are
    skipped, so the warning names the user's line whatever the path to it.
    """
    import sklearn

    inside = (os.path.dirname(__file__), os.path.dirname(sklearn.__file__))
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(inside):
        frame, level = frame.f_back, level + 1
    return level


def dense_rows(X):
    """Rows as a float32 ndarray, densified when sparse."""
    return np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float32)


def validate_target(y, X_flat):
    """Validate an explicit clean target for ``fit(X_noisy, X_clean)``.

    Returns None for a one-dimensional `y`, such as the class labels that a
    Pipeline ending in a classifier passes to every step: a reconstruction
    target has one row of values per sample.
    """
    if y is None or _ndim(y) == 1:
        return None
    y = check_array(y, accept_sparse="csr", dtype=np.float32, allow_nd=True, input_name="y")
    if X_flat.shape[0] == 1 and y.shape == X_flat.shape[1 : 1 + y.ndim]:
        # One photo without its batch axis, as X was given (see
        # reads_2d_as_one_image).
        y = y[np.newaxis]
    check_consistent_length(X_flat, y)
    n_values = math.prod(X_flat.shape[1:])
    if y.ndim > 2:
        y = y.reshape(y.shape[0], -1)
    if y.shape[1] != n_values:
        raise ValueError(
            f"y must hold the clean version of X: {n_values} values per "
            f"sample, like X; got {y.shape[1]}. A one-dimensional y (class "
            "labels) is ignored."
        )
    return y.reshape(X_flat.shape) if X_flat.ndim > 2 else y
