"""Training on random patches of images of any sizes.

With ``patch_size`` set, :class:`~skdenoise.DenoisingAutoencoder` trains on
patches cut at random from its training images, new ones every epoch, as the
noise is new every epoch: a few large photos then give as many training
samples as the network needs, and the photos may differ in size. This module
checks the images and cuts the patches, with NumPy alone;
:class:`~skdenoise._batches.PatchBatches` serves them to training.
"""

import math
from numbers import Integral

import numpy as np
from sklearn.utils import check_array

from ._batch_sources import SampleArrays
from ._input import _ndim, reject_time_dtypes


def check_patch_size(patch_size):
    """`patch_size` as ``(height, width)`` of positive ints.

    Parameters
    ----------
    patch_size : int or sequence of two ints
        The estimator's `patch_size`, not None.

    Returns
    -------
    patch_size : tuple of (int, int)
    """
    sides = (patch_size, patch_size) if isinstance(patch_size, Integral) else patch_size
    try:
        height, width = sides
    except (TypeError, ValueError):
        height = width = None
    if not all(
        isinstance(side, Integral) and not isinstance(side, bool) and side >= 1
        for side in (height, width)
    ):
        raise ValueError(
            "patch_size must be a positive int or a pair (height, width) of "
            f"positive ints; got {patch_size!r}."
        )
    return int(height), int(width)


def validate_images(X, patch_size, *, channels=None, input_name="X"):
    """Training images of any sizes, checked, as float32 ``(H, W, C)`` arrays.

    Parameters
    ----------
    X : list of array-like, or array-like
        A list (or tuple) of images of shape ``(height, width)`` or
        ``(height, width, channels)``, which may differ in height and width,
        or a stack of images of shape ``(n_images, height, width[, channels])``.

    patch_size : tuple of (int, int)
        Every image must be at least this large.

    channels : int or None, default=None
        The number of channels the images must have, or None to accept any
        number, the same for all.

    input_name : str, default="X"
        Name of `X` in error messages.

    Returns
    -------
    images : list of ndarray, or ndarray
        The images, each of shape ``(height, width, channels)`` and dtype
        float32: a list for a list, an array of shape ``(n_images, height,
        width, channels)`` for a stack.
    """
    if isinstance(X, (list, tuple)):
        if len(X) == 0:
            raise ValueError(f"{input_name} is an empty list; give at least one image.")
        images = [_validate_image(image, f"{input_name}[{i}]") for i, image in enumerate(X)]
    else:
        images = _validate_stack(X, input_name)
    first_channels = images[0].shape[2]
    for index, image in enumerate(images):
        height, width, image_channels = image.shape
        if image_channels != first_channels:
            raise ValueError(
                f"{input_name}[{index}] has {image_channels} channels, but "
                f"{input_name}[0] has {first_channels}: give every image the same channels."
            )
        if height < patch_size[0] or width < patch_size[1]:
            raise ValueError(
                f"{input_name}[{index}] is {height}x{width} pixels, smaller than "
                f"patch_size={patch_size}: every image must hold a whole patch."
            )
    if channels is not None and first_channels != channels:
        raise ValueError(
            f"{input_name} has images of {first_channels} channels, but the "
            f"estimator was fitted on images of {channels}."
        )
    return images


def _validate_image(image, name):
    """One image of a list as a float32 ``(height, width, channels)`` array."""
    reject_time_dtypes(image, name)
    if _ndim(image) not in (2, 3):
        raise ValueError(
            f"{name} must be an image of shape (height, width) or (height, "
            f"width, channels); got {np.shape(image) if _ndim(image) else image!r}."
        )
    image = check_array(image, dtype=np.float32, allow_nd=True, input_name=name)
    return image if image.ndim == 3 else image[:, :, np.newaxis]


def _validate_stack(X, input_name):
    """A stack of images as a float32 ``(n_images, height, width, channels)`` array.

    The caller checks that the array is laid out as a stack of images
    (``skdenoise._input._check_image_layout``), not one image.
    """
    reject_time_dtypes(X, input_name)
    ndim = _ndim(X)
    if ndim not in (3, 4):
        shape = f"an array of shape {np.shape(X)}" if ndim else f"{type(X).__name__}"
        raise ValueError(
            f"With patch_size set, {input_name} must hold images: a list of "
            "arrays of shape (height, width[, channels]), which may differ in "
            "size, or an array of shape (n_images, height, width[, channels]); "
            f"got {shape}. For a single image, pass a list of one, [{input_name}]."
        )
    X = check_array(X, dtype=np.float32, allow_nd=True, input_name=input_name)
    return X if X.ndim == 4 else X[..., np.newaxis]


def validate_image_pairs(X, y, patch_size, *, channels=None):
    """Images `X` and, for explicit pairs, their clean versions `y`, checked.

    A one-dimensional `y`, such as class labels, is ignored, as in
    :func:`skdenoise._input.validate_target`.

    Returns
    -------
    X, y : list of ndarray or ndarray, and the same or None
        As :func:`validate_images` gives them; `y` holds images of the
        shapes of those of `X`.
    """
    X = validate_images(X, patch_size, channels=channels)
    if y is None or _ndim(y) == 1:
        return X, None
    y = validate_images(y, patch_size, channels=X[0].shape[2], input_name="y")
    if len(y) != len(X):
        raise ValueError(
            f"y must hold the clean version of every image of X: X has {len(X)} "
            f"images, y {len(y)}."
        )
    for index, (noisy, clean) in enumerate(zip(X, y)):
        if noisy.shape != clean.shape:
            raise ValueError(
                f"y[{index}] has shape {clean.shape}, but X[{index}] has shape "
                f"{noisy.shape}: each clean image must have the shape of its input."
            )
    return X, y


class PatchSampler:
    """Random patches cut from images, at the same places from their pairs.

    Each patch comes from an image chosen with probability proportional to
    its number of pixels, at a position drawn uniformly among those where
    the patch fits whole, and carries its image's sample weight.

    Parameters
    ----------
    images : skdenoise._batch_sources.SampleArrays
        The images ``X`` of shape ``(height, width, channels)``, float32, as
        :func:`validate_images` gives them; for explicit pairs their clean
        versions ``y``, cut at the same places; and one sample weight per
        image, or None.

    patch_size : tuple of (int, int)
        Height and width of the patches.
    """

    def __init__(self, images, patch_size):
        self.images = images
        self.patch_size = patch_size
        self._heights = np.array([image.shape[0] for image in images.X])
        self._widths = np.array([image.shape[1] for image in images.X])
        pixels = self._heights * self._widths
        self._weights = pixels / pixels.sum()
        self.patch_shape = (*patch_size, images.X[0].shape[2])
        self.n_pixels = int(pixels.sum())

    def patches_per_epoch(self, batch_size):
        """Patches that cover the images' pixels once, in expectation.

        ``ceil(n_pixels / patch area)``, and at least one batch.
        """
        return max(math.ceil(self.n_pixels / math.prod(self.patch_size)), batch_size)

    def draw(self, n_patches, rng):
        """Cut `n_patches` patches at random.

        Parameters
        ----------
        n_patches : int
            Number of patches.

        rng : numpy.random.Generator
            Source of the images and positions.

        Returns
        -------
        patches : skdenoise._batch_sources.SampleArrays
            Patches of ``X`` of shape ``(n_patches, height, width,
            channels)``, in random order; of ``y`` at the same places, or
            None; and the sample weight of each patch's image, or None.
        """
        image = rng.choice(len(self._weights), size=n_patches, p=self._weights)
        tops = rng.integers(self._heights[image] - self.patch_size[0] + 1)
        lefts = rng.integers(self._widths[image] - self.patch_size[1] + 1)
        X, y, sample_weight = self.images
        return SampleArrays(
            self._cut(X, image, tops, lefts),
            None if y is None else self._cut(y, image, tops, lefts),
            None if sample_weight is None else sample_weight[image],
        )

    def _cut(self, images, image, tops, lefts):
        rows = tops[:, np.newaxis, np.newaxis] + np.arange(self.patch_size[0])[:, np.newaxis]
        columns = lefts[:, np.newaxis, np.newaxis] + np.arange(self.patch_size[1])
        if isinstance(images, np.ndarray):
            # A stack: one gather cuts every patch.
            return images[image[:, np.newaxis, np.newaxis], rows, columns]
        patches = np.empty((len(image), *self.patch_shape), dtype=np.float32)
        order = np.argsort(image, kind="stable")
        starts = np.searchsorted(image[order], np.arange(len(images) + 1))
        for index, source in enumerate(images):
            chosen = order[starts[index] : starts[index + 1]]
            if chosen.size:
                patches[chosen] = source[rows[chosen], columns[chosen]]
        return patches
