"""Corruption transformers used to train denoising autoencoders."""

from numbers import Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, validate_data

from ._input import reject_time_dtypes
from ._random import check_generator
from ._value_range import lies_in_unit_interval

_FLOAT_DTYPES = (np.float64, np.float32)


def _validate_clip(clip):
    if clip is None or clip == "auto":
        return clip
    try:
        low, high = clip
        low, high = float(low), float(high)
    except (TypeError, ValueError):
        raise ValueError(
            f"clip must be None or a pair (low, high) of numbers; got {clip!r}."
        ) from None
    if not low < high:
        raise ValueError(f"clip must satisfy low < high; got {clip!r}.")
    return low, high


def resolve_clip(clip, X):
    """The range to clip the corruption of `X` to, or None.

    ``"auto"`` clips to [0, 1] when `X` lies in [0, 1], so corrupted pixels
    stay valid pixels, and does not clip at all otherwise, so data on any
    other scale is never cut off.

    Parameters
    ----------
    clip : "auto", tuple of (float, float) or None
        A noise transformer's ``clip`` parameter.

    X : ndarray
        The clean data about to be corrupted.

    Returns
    -------
    clip : tuple of (float, float) or None
    """
    if isinstance(clip, str) and clip == "auto":
        return (0.0, 1.0) if lies_in_unit_interval(X) else None
    return _validate_clip(clip)


class _BaseNoiser(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Validation, seeding and tags shared by the corruption transformers.

    A noiser is stateless, like :class:`~sklearn.preprocessing.Normalizer`:
    :meth:`fit` only validates, and :meth:`transform` works without it.
    Subclasses define ``_corrupt(X, rng)``, which returns a corrupted copy
    of the validated float array `X`, drawing from the NumPy Generator
    `rng`, and may define ``_check_params()`` for checks that
    ``_parameter_constraints`` cannot express.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Validate the parameters and the input; nothing is learned.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Data to corrupt later.

        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The transformer.
        """
        self._check_params()
        reject_time_dtypes(X)
        validate_data(self, X, reset=True, dtype=_FLOAT_DTYPES)
        return self

    def transform(self, X):
        """Return a corrupted copy of `X`.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Data to corrupt.

        Returns
        -------
        X_noisy : ndarray of shape (n_samples, n_features)
            Corrupted data, of the same floating dtype as `X` (float64 for
            integer input).
        """
        self._validate_params()
        self._check_params()
        reject_time_dtypes(X)
        if hasattr(self, "n_features_in_"):
            X = validate_data(self, X, reset=False, dtype=_FLOAT_DTYPES)
        else:
            # Stateless: no fit is needed, and transform leaves an unfitted
            # noiser unfitted.
            X = check_array(X, dtype=_FLOAT_DTYPES)
        return self._corrupt(X, check_generator(self.random_state))

    def _check_params(self):
        pass

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.non_deterministic = self.random_state is None
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class GaussianNoiser(_BaseNoiser):
    """Corrupt data with additive Gaussian noise.

    Each value becomes ``x + noise_factor * z`` with ``z`` drawn from the
    standard normal distribution, then clipped to ``clip``. By default,
    data in [0, 1] stays in [0, 1] and other data is not clipped. The
    transformer is stateless: :meth:`fit` only validates its input.

    It is the default corruption of
    :class:`~skdenoise.DenoisingAutoencoder`, where it is a nested parameter
    (``noise__noise_factor`` can be tuned by a grid search).

    Parameters
    ----------
    noise_factor : float, default=0.5
        Standard deviation of the added noise.

    clip : "auto", tuple of (float, float) or None, default="auto"
        Range the corrupted values are clipped to. ``"auto"`` clips to
        ``(0.0, 1.0)`` when all the values given to :meth:`transform` lie in
        [0, 1], which keeps pixel intensities valid inputs for a binary
        cross-entropy loss, and does not clip otherwise, so standardised or
        raw data is never cut off. ``None`` disables clipping.

    random_state : int, RandomState instance or None, default=None
        Seed of the noise. Pass an int for the same noise on every call to
        :meth:`transform`. With ``None`` every call draws new noise from a
        generator seeded by the operating system; NumPy's global random state
        is never used.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    DenoisingAutoencoder : Learns to undo this corruption.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import GaussianNoiser
    >>> X = np.full((2, 3), 0.5)
    >>> noiser = GaussianNoiser(noise_factor=0.1, random_state=0)
    >>> noiser.fit_transform(X).round(2)
    array([[0.5 , 0.65, 0.5 ],
           [0.6 , 0.56, 0.36]])

    Data outside [0, 1], standardised for example, is not clipped:

    >>> GaussianNoiser(noise_factor=0.1, random_state=0).transform(X - 2).round(2)
    array([[-1.5 , -1.35, -1.5 ],
           [-1.4 , -1.44, -1.64]])
    """

    _parameter_constraints: dict = {
        "noise_factor": [Interval(Real, 0, None, closed="left")],
        "clip": [StrOptions({"auto"}), tuple, list, None],
        "random_state": ["random_state"],
    }

    def __init__(self, noise_factor=0.5, *, clip="auto", random_state=None):
        self.noise_factor = noise_factor
        self.clip = clip
        self.random_state = random_state

    def _check_params(self):
        _validate_clip(self.clip)

    def _corrupt(self, X, rng):
        return corrupt_gaussian(
            X, noise_factor=self.noise_factor, clip=resolve_clip(self.clip, X), rng=rng
        )


def corrupt_gaussian(X, *, noise_factor, clip, rng):
    """Add scaled standard normal noise to an array and clip it.

    Works on arrays of any shape (images included) and keeps their dtype.

    Parameters
    ----------
    X : ndarray
        Floating point data.

    noise_factor : float
        Standard deviation of the noise.

    clip : tuple of (float, float) or None
        Range of the output; ``None`` leaves it unbounded.

    rng : numpy.random.Generator
        Source of the noise.

    Returns
    -------
    X_noisy : ndarray
        Corrupted data, same shape and dtype as `X`.
    """
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    X_noisy = rng.standard_normal(size=X.shape, dtype=dtype)
    X_noisy *= noise_factor
    X_noisy += X
    if clip is not None:
        np.clip(X_noisy, clip[0], clip[1], out=X_noisy)
    return X_noisy


# The noisers that the safe file format may save and construct, by class
# name. A new noiser is saved once it is listed here.
SAFE_NOISERS = {cls.__name__: cls for cls in (GaussianNoiser,)}
