"""Lists of images of different sizes, given to a fitted estimator's inference methods.

``fit`` with ``patch_size`` takes a list of photos of any sizes; so do
``predict``, ``score``, ``score_samples`` and ``transform`` of a network that
takes images of any size, so that a grid search can cross-validate on such
a list. Each image runs as a stack of one, and the answers are joined as a
stack's would be: ``predict`` gives a list of outputs in the images' own
shapes, ``transform`` and ``score_samples`` one row or value per image, and
``score`` the mean over all values of all images. A list of images of one
shape is a stack, as NumPy reads it, and takes the usual path.
"""

import functools

import numpy as np
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._input import _ndim, takes_any_image_size


def image_list(X):
    """The images of `X` if it is a list of images of different shapes, else None.

    Parameters
    ----------
    X : object
        What an inference method was given.

    Returns
    -------
    images : list of ndarray or None
        Each image of shape ``(height, width[, channels])``, as given; None
        unless `X` is a list or tuple of such images, not all of one shape.
    """
    if not isinstance(X, (list, tuple)) or not X:
        return None
    if any(_ndim(image) not in (2, 3) for image in X):
        return None
    images = [np.asarray(image) for image in X]
    if len({image.shape for image in images}) == 1:
        return None
    return images


def check_takes_image_lists(estimator, images, input_name="X"):
    """Refuse images of different sizes where the fitted network takes one size."""
    check_is_fitted(estimator)
    if takes_any_image_size(estimator):
        return
    shapes = [image.shape for image in images]
    other = next(index for index, shape in enumerate(shapes) if shape != shapes[0])
    given = (
        f"{input_name} is a list of images of different sizes ({input_name}[0] has "
        f"shape {shapes[0]}, {input_name}[{other}] {shapes[other]})"
    )
    if estimator.image_shape_ is None:
        raise ValueError(f"{given}, but the estimator was fitted on 2-D data.")
    raise ValueError(
        f"{given}, but this network takes images of shape {estimator.image_shape_} "
        "only. Crop or resize them to that shape; a network fitted with "
        "architecture='fully_conv' takes images of any size."
    )


def _paired(value, index, n_images, name):
    """The part of an extra argument, such as `y`, that goes with image `index`."""
    if value is None or _ndim(value) == 1:
        # Nothing, or class labels: ignored, as for a stack.
        return value
    if not isinstance(value, (list, tuple)) or len(value) != n_images:
        raise ValueError(
            f"X is a list of {n_images} images, so {name} must be a list of "
            f"their clean versions, one image per image of X."
        )
    return np.asarray(value[index])[np.newaxis]


def for_each_image(join):
    """Let an inference method take a list of images of different sizes.

    Parameters
    ----------
    join : callable
        ``join(answers, images, sample_weight)``: the method's answer for the
        whole list, from its answers for each image as a stack of one, and
        one weight per image (None for none).

    Returns
    -------
    decorator : callable
        Wraps a method ``method(estimator, X, ...)``; arguments after `X`,
        such as the `y` of ``score``, may be lists paired with the images;
        a `sample_weight` keyword holds one weight per image.
    """

    def decorator(method):
        @functools.wraps(method)
        def wrapper(estimator, X, *args, **kwargs):
            images = image_list(X)
            if images is None:
                return method(estimator, X, *args, **kwargs)
            check_takes_image_lists(estimator, images)
            sample_weight = kwargs.pop("sample_weight", None)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(
                    sample_weight, images, ensure_non_negative=True
                )
            n = len(images)
            answers = [
                method(
                    estimator,
                    image[np.newaxis],
                    *(_paired(arg, index, n, "y") for arg in args),
                    **{key: _paired(arg, index, n, key) for key, arg in kwargs.items()},
                )
                for index, image in enumerate(images)
            ]
            return join(answers, images, sample_weight)

        return wrapper

    return decorator


def as_list(answers, images, sample_weight):
    """``predict``: each output in its image's own shape."""
    return [answer[0] for answer in answers]


def stacked(answers, images, sample_weight):
    """``transform`` and ``score_samples``: one row or value per image."""
    return np.concatenate(answers)


def mean_over_values(answers, images, sample_weight):
    """``score``: the mean over all values of all images, as for a stack.

    With `sample_weight`, each image's values count its weight times, so
    that images of one size get the weighted mean of a stack.
    """
    weights = np.array([image.size for image in images], dtype=np.float64)
    if sample_weight is not None:
        weights = weights * sample_weight
    return float(np.average(answers, weights=weights))
