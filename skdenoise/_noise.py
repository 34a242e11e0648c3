"""Corruption transformers used to train denoising autoencoders."""

import math
from numbers import Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, validate_data

from ._input import flatten_images, reject_time_dtypes
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
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            Data to corrupt later: rows, or a stack of images.

        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            The transformer.
        """
        self._check_params()
        reject_time_dtypes(X)
        X, _ = flatten_images(X)
        validate_data(self, X, reset=True, accept_sparse="csr", dtype=_FLOAT_DTYPES)
        return self

    def transform(self, X):
        """Return a corrupted copy of `X`.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            Data to corrupt: rows, or a stack of images, whose values are
            corrupted as the flat rows of the images. A sparse matrix is
            corrupted as the dense array it stands for.

        Returns
        -------
        X_noisy : ndarray of the shape of `X`
            Corrupted data, of the same floating dtype as `X` (float64 for
            integer input).
        """
        self._validate_params()
        self._check_params()
        reject_time_dtypes(X)
        X, sample_shape = flatten_images(X)
        if hasattr(self, "n_features_in_"):
            X = validate_data(self, X, reset=False, accept_sparse="csr", dtype=_FLOAT_DTYPES)
        else:
            # Stateless: no fit is needed, and transform leaves an unfitted
            # noiser unfitted.
            X = check_array(X, accept_sparse="csr", dtype=_FLOAT_DTYPES)
        if hasattr(X, "toarray"):
            # Corruption fills in the zeros that sparse data leaves implicit.
            X = X.toarray()
        X_noisy = self._corrupt_samples(X, sample_shape, check_generator(self.random_state))
        return X_noisy if sample_shape is None else X_noisy.reshape(len(X), *sample_shape)

    def _corrupt_samples(self, X, sample_shape, rng):
        """Corrupt flat rows `X` of samples of `sample_shape` (None for tables)."""
        return self._corrupt(X, rng)

    def _check_params(self):
        pass

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.sparse = True
        tags.non_deterministic = self.random_state is None
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class GaussianNoiser(_BaseNoiser):
    """Corrupt data with additive Gaussian noise.

    Each value becomes ``x + noise_factor * z`` with ``z`` drawn from the
    standard normal distribution, then clipped to ``clip``. By default,
    data in [0, 1] stays in [0, 1] and other data is not clipped. The
    transformer is stateless: :meth:`fit` only validates its input.

    A range ``noise_factor=(low, high)`` gives every sample (every row, or
    every image) its own standard deviation, drawn uniformly from
    [low, high]: a model trained on it denoises any noise level of the
    range without being told which, as DnCNN-B does [1]_.

    It is the default corruption of
    :class:`~skdenoise.DenoisingAutoencoder`, where it is a nested parameter
    (``noise__noise_factor`` can be tuned by a grid search).

    Parameters
    ----------
    noise_factor : float or tuple of (float, float), default=0.5
        Standard deviation of the added noise, or a range ``(low, high)``,
        with ``0 <= low <= high``, from which each sample's standard
        deviation is drawn uniformly, once per sample and call. A list of two
        numbers is taken as a range too.

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

    References
    ----------
    .. [1] K. Zhang, W. Zuo, Y. Chen, D. Meng and L. Zhang, "Beyond a
       Gaussian Denoiser: Residual Learning of Deep CNN for Image
       Denoising", IEEE Transactions on Image Processing 26(7), 2017,
       pp. 3142-3155.

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

    >>> noiser.transform(X - 2).round(2)
    array([[-1.5 , -1.35, -1.5 ],
           [-1.4 , -1.44, -1.64]])

    A range of noise levels: each row gets its own, here from 0 to 0.2:

    >>> X = np.zeros((4, 1000))
    >>> blind = GaussianNoiser((0.0, 0.2), clip=None, random_state=0)
    >>> blind.fit_transform(X).std(axis=1).round(2)
    array([0.08, 0.07, 0.14, 0.11])
    """

    _parameter_constraints: dict = {
        "noise_factor": [Interval(Real, 0, None, closed="left"), tuple, list],
        "clip": [StrOptions({"auto"}), tuple, list, None],
        "random_state": ["random_state"],
    }

    def __init__(self, noise_factor=0.5, *, clip="auto", random_state=None):
        self.noise_factor = noise_factor
        self.clip = clip
        self.random_state = random_state

    def _check_params(self):
        check_noise_factor(self.noise_factor)
        _validate_clip(self.clip)

    def _corrupt(self, X, rng):
        return corrupt_gaussian(
            X,
            noise_factor=check_noise_factor(self.noise_factor),
            clip=resolve_clip(self.clip, X),
            rng=rng,
        )


def check_noise_factor(noise_factor):
    """`noise_factor` as given when it is a number, else as a checked range.

    Parameters
    ----------
    noise_factor : float or sequence of two floats
        A standard deviation, or a range ``(low, high)`` of them.

    Returns
    -------
    noise_factor : float or tuple of (float, float)
        A number unchanged, or the range as a tuple of two floats.
    """
    if isinstance(noise_factor, Real):
        return noise_factor
    try:
        low, high = noise_factor
    except (TypeError, ValueError):
        low = high = None
    if not all(isinstance(v, Real) and math.isfinite(v) for v in (low, high)):
        raise ValueError(
            "noise_factor must be a non-negative number or a pair (low, high) "
            f"of finite numbers; got {noise_factor!r}."
        )
    if not 0 <= low <= high:
        raise ValueError(
            f"noise_factor=(low, high) must satisfy 0 <= low <= high; got {noise_factor!r}."
        )
    return float(low), float(high)


def corrupt_gaussian(X, *, noise_factor, clip, rng):
    """Add scaled standard normal noise to an array and clip it.

    Works on arrays of any shape (images included) and keeps their dtype.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
        Floating point data.

    noise_factor : float or tuple of (float, float)
        Standard deviation of the noise, or a range ``(low, high)`` from
        which each sample's is drawn uniformly.

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
    if isinstance(noise_factor, tuple):
        # Drawn after the noise, so that a range of a single value gives
        # exactly the noise of that value.
        scales = rng.uniform(*noise_factor, size=X.shape[0]).astype(dtype)
        noise_factor = scales.reshape(-1, *(1,) * (X.ndim - 1))
    X_noisy *= noise_factor
    X_noisy += X
    if clip is not None:
        np.clip(X_noisy, clip[0], clip[1], out=X_noisy)
    return X_noisy


def random_fraction_mask(shape, fraction, rng):
    """A boolean mask choosing a `fraction` of each row's entries at random.

    Each row of ``n_features`` entries gets ``fraction * n_features`` of them
    chosen uniformly without replacement, as in the denoising-autoencoder
    papers. When that number is not whole, a row gets its integer part or one
    more, the latter with probability of the fractional part, so the expected
    fraction is exactly `fraction` and every row is as close to it as whole
    entries allow.

    Parameters
    ----------
    shape : tuple of (int, int)
        ``(n_samples, n_features)``.

    fraction : float
        Fraction in [0, 1] of each row to choose.

    rng : numpy.random.Generator
        Source of the choice.

    Returns
    -------
    mask : ndarray of bool of shape `shape`
    """
    n_samples, n_features = shape
    expected = fraction * n_features
    whole = math.floor(expected)
    counts = whole + (rng.random(n_samples) < expected - whole)
    mask = np.arange(n_features) < counts[:, np.newaxis]
    # Shuffling every row on its own moves its chosen entries to a uniformly
    # random subset of the same size.
    return rng.permuted(mask, axis=1, out=mask)


def _float_copy(X):
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return np.array(X, dtype=dtype, copy=True)


def corrupt_masking(X, *, fraction, value, rng):
    """Set a random fraction of each sample's features to `value`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Data; it is not modified.

    fraction : float
        Fraction of each sample's features to mask, see
        :func:`random_fraction_mask`.

    value : float
        Value the masked features take.

    rng : numpy.random.Generator
        Source of the mask.

    Returns
    -------
    X_noisy : ndarray of shape (n_samples, n_features)
        Corrupted copy of `X`, of its floating dtype (float64 for integers).
    """
    X_noisy = _float_copy(X)
    X_noisy[random_fraction_mask(X.shape, fraction, rng)] = value
    return X_noisy


def corrupt_salt_pepper(X, *, fraction, low, high, rng):
    """Set a random fraction of each sample's features to `low` or `high`.

    Each chosen feature takes `low` or `high` with probability one half.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Data; it is not modified.

    fraction : float
        Fraction of each sample's features to corrupt, see
        :func:`random_fraction_mask`.

    low, high : float or ndarray of shape (n_features,)
        Values of the "pepper" and the "salt", for all features or for each.

    rng : numpy.random.Generator
        Source of the corruption.

    Returns
    -------
    X_noisy : ndarray of shape (n_samples, n_features)
        Corrupted copy of `X`, of its floating dtype (float64 for integers).
    """
    X_noisy = _float_copy(X)
    mask = random_fraction_mask(X.shape, fraction, rng)
    salt = rng.random(X.shape, dtype=np.float32) < 0.5
    np.copyto(X_noisy, np.where(salt, high, low), where=mask)
    return X_noisy


def corrupt_swap(X, *, fraction, rng):
    """Replace entries by the same column's value in another random row.

    Each entry is chosen with probability `fraction` (of its column), and a
    chosen entry ``X[i, j]`` becomes ``X[k, j]`` for a row ``k != i`` drawn
    uniformly.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Data of at least two rows; it is not modified.

    fraction : float or ndarray of shape (n_features,)
        Probability that an entry is replaced, for all columns or for each.

    rng : numpy.random.Generator
        Source of the choice and of the donor rows.

    Returns
    -------
    X_noisy : ndarray of shape (n_samples, n_features)
        Corrupted copy of `X`, of its floating dtype (float64 for integers).
    """
    n_samples, n_features = X.shape
    X_noisy = _float_copy(X)
    rows, columns = np.nonzero(rng.random(X.shape) < fraction)
    # An offset in [1, n_samples - 1] reaches every other row with equal
    # probability and never the row itself.
    donors = (rows + rng.integers(1, n_samples, size=rows.size)) % n_samples
    X_noisy[rows, columns] = X[donors, columns]
    return X_noisy


class MaskingNoiser(_BaseNoiser):
    """Corrupt data by forcing a random fraction of each sample to 0.

    The masking noise of the denoising-autoencoder papers [1]_: in every
    sample, a `fraction` of the features chosen at random is set to `value`
    (0 by default), the others are left as they are. The transformer is
    stateless: :meth:`fit` only validates its input.

    Used as the ``noise`` of :class:`~skdenoise.DenoisingAutoencoder`, it
    teaches the network to fill in missing values from the others;
    ``noise__fraction`` can be tuned by a grid search.

    Parameters
    ----------
    fraction : float, default=0.25
        Fraction of each sample's features that is masked, in [0, 1]. The
        papers mask exactly that many features per sample, chosen uniformly
        at random; when ``fraction * n_features`` is not whole, each sample
        gets its integer part or one more at random, so that the fraction
        masked is `fraction` on average.

    value : float, default=0.0
        Value of the masked features. The papers use 0, which is black for
        pixels scaled to [0, 1] and each feature's mean for standardized
        data; any other value that stands for "missing" in your data works.

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
    GaussianNoiser : Additive Gaussian noise.
    SaltPepperNoiser : A random fraction forced to the minimum or maximum.
    DenoisingAutoencoder : Learns to undo the corruption.

    References
    ----------
    .. [1] P. Vincent, H. Larochelle, I. Lajoie, Y. Bengio and
       P.-A. Manzagol, "Stacked Denoising Autoencoders: Learning Useful
       Representations in a Deep Network with a Local Denoising Criterion",
       Journal of Machine Learning Research 11, 2010, pp. 3371-3408.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import MaskingNoiser
    >>> X = np.full((2, 4), 0.5)
    >>> noiser = MaskingNoiser(fraction=0.5, random_state=0)
    >>> noiser.fit_transform(X)
    array([[0.5, 0. , 0. , 0.5],
           [0. , 0.5, 0. , 0.5]])
    """

    _parameter_constraints: dict = {
        "fraction": [Interval(Real, 0, 1, closed="both")],
        "value": [Interval(Real, None, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, fraction=0.25, *, value=0.0, random_state=None):
        self.fraction = fraction
        self.value = value
        self.random_state = random_state

    def _corrupt(self, X, rng):
        return corrupt_masking(X, fraction=self.fraction, value=self.value, rng=rng)


class SaltPepperNoiser(_BaseNoiser):
    """Corrupt data by forcing a random fraction of each sample to extremes.

    The salt-and-pepper noise of the denoising-autoencoder papers [1]_: in
    every sample, a `fraction` of the features chosen at random is set to
    `low` ("pepper") or to `high` ("salt"), each with probability one half;
    the others are left as they are. The transformer is stateless:
    :meth:`fit` only validates its input.

    Used as the ``noise`` of :class:`~skdenoise.DenoisingAutoencoder`;
    ``noise__fraction`` can be tuned by a grid search.

    Parameters
    ----------
    fraction : float, default=0.1
        Fraction of each sample's features that is corrupted, in [0, 1],
        chosen as by :class:`MaskingNoiser`: that many features per sample,
        uniformly at random, the integer part or one more when
        ``fraction * n_features`` is not whole.

    low : float or "auto", default="auto"
        Value of the pepper. ``"auto"``: 0 when all of `X` lies in [0, 1]
        (pixels scaled to [0, 1]), each feature's minimum otherwise.

    high : float or "auto", default="auto"
        Value of the salt. ``"auto"``: 1 when all of `X` lies in [0, 1],
        each feature's maximum otherwise.

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
    GaussianNoiser : Additive Gaussian noise.
    MaskingNoiser : A random fraction forced to 0.
    DenoisingAutoencoder : Learns to undo the corruption.

    Notes
    -----
    Being stateless, the transformer finds the ``"auto"`` values in the `X`
    given to :meth:`transform`, each call anew: the minimum and maximum of a
    feature are those of the samples corrupted together (the whole training
    set, inside :class:`~skdenoise.DenoisingAutoencoder`). To corrupt a few
    samples of data outside [0, 1] at a time, pass `low` and `high`.

    References
    ----------
    .. [1] P. Vincent, H. Larochelle, I. Lajoie, Y. Bengio and
       P.-A. Manzagol, "Stacked Denoising Autoencoders: Learning Useful
       Representations in a Deep Network with a Local Denoising Criterion",
       Journal of Machine Learning Research 11, 2010, pp. 3371-3408.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import SaltPepperNoiser
    >>> X = np.full((2, 4), 0.5)
    >>> noiser = SaltPepperNoiser(fraction=0.5, random_state=0)
    >>> noiser.fit_transform(X)
    array([[0.5, 1. , 0. , 0.5],
           [0. , 0.5, 1. , 0.5]])
    """

    _parameter_constraints: dict = {
        "fraction": [Interval(Real, 0, 1, closed="both")],
        "low": [StrOptions({"auto"}), Interval(Real, None, None, closed="neither")],
        "high": [StrOptions({"auto"}), Interval(Real, None, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, fraction=0.1, *, low="auto", high="auto", random_state=None):
        self.fraction = fraction
        self.low = low
        self.high = high
        self.random_state = random_state

    def _check_params(self):
        if isinstance(self.low, Real) and isinstance(self.high, Real):
            if not self.low <= self.high:
                raise ValueError(
                    f"low must not exceed high; got low={self.low!r}, high={self.high!r}."
                )

    def _corrupt(self, X, rng):
        in_unit_interval = lies_in_unit_interval(X)
        low, high = self.low, self.high
        if low == "auto":
            low = 0.0 if in_unit_interval else X.min(axis=0)
        if high == "auto":
            high = 1.0 if in_unit_interval else X.max(axis=0)
        return corrupt_salt_pepper(X, fraction=self.fraction, low=low, high=high, rng=rng)


class SwapNoiser(_BaseNoiser):
    """Corrupt data by swapping entries with those of other rows.

    The swap noise of tabular denoising autoencoders [1]_, also the
    "marginal" corruption of VIME [2]_ and SCARF [3]_: each entry, with
    probability `fraction`, is replaced by the value the same column takes in
    another row of the data being corrupted, drawn uniformly. Unlike added
    Gaussian noise, the corrupted values are values of the column, so every
    column keeps its distribution: categories stay categories and a skewed
    feature stays skewed. The transformer is stateless: :meth:`fit` only
    validates its input.

    Used as the ``noise`` of :class:`~skdenoise.DenoisingAutoencoder`, the
    rows corrupted together are the whole training set of each epoch (one
    batch of it for sparse data, and one batch of `inference_batch_size`
    rows in ``score``); ``noise__fraction`` can be tuned by a grid search.

    Parameters
    ----------
    fraction : float or array-like of shape (n_features,), default=0.15
        Probability, in [0, 1], that an entry is replaced, for every column
        or one per column. The fraction replaced is `fraction` on average;
        published recipes use 0.1 to 0.3.

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
    MaskingNoiser : A random fraction forced to 0.
    GaussianNoiser : Additive Gaussian noise.
    DenoisingAutoencoder : Learns to undo the corruption.

    Notes
    -----
    Being stateless, the transformer takes the replacements from the `X`
    given to :meth:`transform`, each call anew, which needs at least two
    rows. Inside :class:`~skdenoise.DenoisingAutoencoder` the training rows
    of each epoch, and the validation rows, are corrupted each on their own:
    a `validation_fraction` that holds out a single row is an error. An
    entry may, by chance, be replaced by an equal value.

    References
    ----------
    .. [1] M. Jahrer, "1st place with representation learning", Porto Seguro's
       Safe Driver Prediction, Kaggle, 2017.
    .. [2] J. Yoon, Y. Zhang, J. Jordon and M. van der Schaar, "VIME:
       Extending the Success of Self- and Semi-supervised Learning to Tabular
       Domain", NeurIPS 2020.
    .. [3] D. Bahri, H. Jiang, Y. Tay and D. Metzler, "SCARF:
       Self-Supervised Contrastive Learning using Random Feature
       Corruption", ICLR 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import SwapNoiser
    >>> X = np.array([[0., 10.], [1., 11.], [2., 12.], [3., 13.]])
    >>> noiser = SwapNoiser(fraction=0.5, random_state=0)
    >>> noiser.fit_transform(X)
    array([[ 3., 12.],
           [ 1., 11.],
           [ 2., 10.],
           [ 3., 13.]])

    One fraction per column, here only the second one is corrupted:

    >>> per_column = SwapNoiser(fraction=[0.0, 1.0], random_state=0)
    >>> per_column.fit_transform(X)[:, 0]
    array([0., 1., 2., 3.])
    """

    _parameter_constraints: dict = {
        "fraction": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "random_state": ["random_state"],
    }

    def __init__(self, fraction=0.15, *, random_state=None):
        self.fraction = fraction
        self.random_state = random_state

    def _check_params(self):
        self._fractions()

    def _fractions(self):
        """`fraction` as a float or a 1-d float array, checked."""
        if isinstance(self.fraction, Real):
            return float(self.fraction)
        try:
            fractions = np.asarray(self.fraction, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                "fraction must be a float or an array of floats, one per "
                f"column; got {self.fraction!r}."
            ) from None
        if fractions.ndim != 1:
            raise ValueError(
                "fraction must be a float or a one-dimensional array, one value "
                f"per column; got an array of shape {fractions.shape}."
            )
        if not np.all((fractions >= 0) & (fractions <= 1)):
            raise ValueError(f"Every fraction must lie in [0, 1]; got {self.fraction!r}.")
        return fractions

    def _corrupt(self, X, rng):
        fraction = self._fractions()
        if np.ndim(fraction) and fraction.shape[0] != X.shape[1]:
            raise ValueError(
                f"fraction has {fraction.shape[0]} values, one per column, but X "
                f"has {X.shape[1]} columns."
            )
        if X.shape[0] < 2:
            raise ValueError(
                f"SwapNoiser takes replacements from other rows, so it needs at "
                f"least 2 samples; got {X.shape[0]} sample."
            )
        return corrupt_swap(X, fraction=fraction, rng=rng)


# The noisers that the safe file format may save and construct, by class
# name. A new noiser is saved once it is listed here.


def corrupt(noise, X, seed):
    """Corrupt `X` with a fresh copy of the `noise` transformer.

    The copy's ``random_state``, where it has one, is set to `seed`, so every
    call with another seed draws new noise and the same seed repeats it.

    Parameters
    ----------
    noise : transformer
        Any scikit-learn transformer that maps a 2-D array to one of the same
        shape.

    X : ndarray of shape (n_samples, ...)
        Clean data; samples of more than one dimension are flattened for the
        transformer and reshaped back.

    seed : int, RandomState instance or None
        Seed for the transformer; None keeps the transformer's own.

    Returns
    -------
    X_noisy : ndarray of float32, same shape as `X`
    """
    noiser = clone(noise)
    if seed is not None and "random_state" in noiser.get_params(deep=False):
        noiser.set_params(random_state=seed)
    flat = X.reshape(X.shape[0], -1)
    noisy = np.asarray(noiser.fit_transform(flat), dtype=np.float32)
    if noisy.shape != flat.shape:
        raise ValueError(
            f"The noise transformer {noise!r} returned an array of shape "
            f"{noisy.shape} for input of shape {flat.shape}; it must keep the "
            "shape of its input."
        )
    return noisy.reshape(X.shape)


def set_params_copying_noisers(estimator, params, noise_names, set_own_params):
    """Set `params` on `estimator`; nested ones of its noisers on copies of them.

    A nested parameter of a noiser, such as ``noise__noise_factor``, is set
    on a copy of the noiser, which then replaces it: an object passed to
    several estimators, or a default noiser, is never changed through one
    of them.

    Parameters
    ----------
    estimator : estimator instance
        The estimator whose parameters are set.

    params : dict
        The parameters, as ``set_params`` takes them.

    noise_names : tuple of str
        The estimator's parameters that hold noisers.

    set_own_params : callable
        scikit-learn's ``set_params`` of the estimator, for the other
        parameters.

    Returns
    -------
    estimator : estimator instance
    """
    noise_params = {}
    other_params = {}
    for key, value in params.items():
        name, delimiter, nested_key = key.partition("__")
        if delimiter and name in noise_names:
            noise_params.setdefault(name, {})[nested_key] = value
        else:
            other_params[key] = value
    set_own_params(**other_params)
    for name, nested in noise_params.items():
        noise = getattr(estimator, name)
        if noise is None:
            raise ValueError(
                f"Cannot set {sorted(name + '__' + key for key in nested)} "
                f"on {type(estimator).__name__}: {name} is None."
            )
        setattr(estimator, name, clone(noise, safe=False).set_params(**nested))
    return estimator
