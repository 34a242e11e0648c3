"""Blind-spot training: denoising learnt from noisy data alone.

Noise2Self [1]_ and Noise2Void [2]_: a network that predicts some entries
of a noisy sample from the others, with the loss counted only at those
entries, learns to denoise when the noise is independent between entries,
since the noise of an entry cannot be predicted from the other entries. In
denoising-autoencoder terms it is the masking corruption with the loss
restricted to the masked entries.

:class:`BlindSpotNoiser` masks entries and replaces them: each pixel of an
image by one of the unmasked pixels around it, drawn at random (all its
channels together); each cell of a table by the same column's value in
another row. No masked entry's own value is left anywhere
in its sample, so the network's output there cannot depend on it (the
"J-invariance" of Noise2Self). :class:`BlindSpot` is the batch source that
this noiser gives a fit: the noisy data is the target, the masked data the
input, and the loss weights are the mask.

References
----------
.. [1] J. Batson and L. Royer, "Noise2Self: Blind Denoising by
   Self-Supervision", ICML 2019.
.. [2] A. Krull, T.-O. Buchholz and F. Jug, "Noise2Void - Learning
   Denoising from Single Noisy Images", CVPR 2019.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._noise import _BaseNoiser


class BlindSpotNoiser(_BaseNoiser):
    """Mask a random fraction of each sample's entries, for training on noisy data alone.

    As the ``noise`` of :class:`~skdenoise.DenoisingAutoencoder`, it makes
    ``fit(X)`` treat `X` as noisy: each batch masks a fresh random
    `fraction` of the entries (pixels of images, cells of tables), replaces
    them from the other entries, and the loss is counted at the masked
    entries only, against their noisy values (Noise2Self, Noise2Void). The
    model then denoises whole, unmasked inputs with :meth:`predict`, and
    :meth:`~skdenoise.DenoisingAutoencoder.score` of noisy data is minus the
    same masked loss, which ranks models as their error against the unseen
    clean data does, when the noise is independent between entries and has
    mean zero.

    Used alone, :meth:`transform` returns the masked data.

    Parameters
    ----------
    fraction : float, default=0.05
        Fraction of each sample's entries that is masked, in (0, 1]: of the
        pixels of an image (every channel of a masked pixel is masked), or
        of the cells of a row. Each sample gets exactly
        ``max(1, round(fraction * n_entries))`` masked entries.

    radius : int, default=2
        Half the side of the square window around a masked pixel, among
        whose unmasked pixels one, drawn at random, replaces it (as in
        Noise2Void): 2 is a 5 x 5 window. A masked cell of a table takes the
        same column's value in another row, drawn at random.

    random_state : int, RandomState instance or None, default=None
        Seed of the masks and replacements. Pass an int for the same masks
        on every call to :meth:`transform`. With ``None`` every call draws
        new ones, from a generator seeded by the operating system.

    Attributes
    ----------
    n_features_in_ : int
        Number of values per sample seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    MaskingNoiser : Masks entries to a constant, with the loss counted on
        all entries against clean data.
    DenoisingAutoencoder : Learns to predict the masked entries.

    Notes
    -----
    A random neighbour, not the median of the neighbours that Noise2Void 2
    proposes [3]_ against checkerboard artefacts: with the residual network
    of ``architecture="fully_conv"``, a median replacement is so good a
    guess that the network learns to copy its input and, given the whole
    noisy image, ends below the noisy input (18.9 against 20.2 dB, where a
    random neighbour gives 26.6 dB); a random neighbour is as noisy as any
    other, and the network learns to average them
    (``benchmarks/results/blind_spot_replacement.md``).

    Blind-spot training assumes noise that is independent between entries
    and has mean zero given the clean value. Noise clipped to a range, or
    quantised to whole numbers, is not zero-mean near the ends of the
    range: the model then learns the biased mean there (dark and bright
    pixels come out slightly lighter and darker). Noise correlated between
    neighbouring pixels (as after demosaicking or compression) is partly
    predictable from the neighbours and is learnt as signal.

    References
    ----------
    .. [1] J. Batson and L. Royer, "Noise2Self: Blind Denoising by
       Self-Supervision", ICML 2019.
    .. [2] A. Krull, T.-O. Buchholz and F. Jug, "Noise2Void - Learning
       Denoising from Single Noisy Images", CVPR 2019.
    .. [3] E. Höck, T.-O. Buchholz, A. Brachmann, F. Jug and A. Freytag,
       "N2V2 - Fixing Noise2Void Checkerboard Artifacts with Modified
       Sampling Strategies and a Tweaked Network Architecture", ECCV
       Workshops 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import BlindSpotNoiser
    >>> X = np.arange(12.0).reshape(3, 4)
    >>> noiser = BlindSpotNoiser(fraction=0.25, random_state=0)
    >>> masked = noiser.fit_transform(X)
    >>> int((masked != X).sum(axis=1).max())  # one cell per row, at most
    1
    """

    _parameter_constraints: dict = {
        "fraction": [Interval(Real, 0, 1, closed="right")],
        "radius": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, fraction=0.05, *, radius=2, random_state=None):
        self.fraction = fraction
        self.radius = radius
        self.random_state = random_state

    def _corrupt_samples(self, X, sample_shape, rng):
        if sample_shape is None:
            return self.masked(X, rng)[0]
        images = X.reshape(len(X), *sample_shape)
        if images.ndim == 3:
            images = images[..., np.newaxis]
        return self.masked(images, rng)[0].reshape(X.shape)

    def masked(self, X, rng):
        """Mask and replace entries of samples `X`; return them and the mask.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features) or (n_samples, height, width, channels)
            Rows of a table, or images.

        rng : numpy.random.Generator
            Source of the masks and replacements.

        Returns
        -------
        inputs : ndarray of the shape and floating dtype of `X`
            `X` with the masked entries replaced.

        mask : ndarray of float32 of the shape of `X`
            1 at the masked entries, 0 elsewhere.
        """
        X = np.asarray(X)
        if X.ndim == 2:
            return _mask_cells(X, self.fraction, rng)
        return _mask_pixels(X, self.fraction, self.radius, rng)


def _n_masked(n_entries, fraction):
    return min(n_entries, max(1, round(fraction * n_entries)))


def _chosen(n_samples, n_entries, n_masked, rng):
    """`n_masked` distinct entries of each sample, as flat indices (n_samples, n_masked)."""
    # The n_masked smallest of uniform keys: a uniform draw without
    # replacement, for every sample at once.
    keys = rng.random((n_samples, n_entries))
    return np.argpartition(keys, n_masked - 1, axis=1)[:, :n_masked]


def _mask_cells(X, fraction, rng):
    """Mask cells of rows; each takes the same column's value in another row."""
    n_samples, n_features = X.shape
    inputs = np.array(X, dtype=np.result_type(X.dtype, np.float32))
    n_masked = _n_masked(n_features, fraction)
    columns = _chosen(n_samples, n_features, n_masked, rng).ravel()
    rows = np.repeat(np.arange(n_samples), n_masked)
    if n_samples > 1:
        # An offset in [1, n_samples - 1] reaches every other row alike.
        donors = (rows + rng.integers(1, n_samples, size=rows.size)) % n_samples
        inputs[rows, columns] = X[donors, columns]
    else:
        # One row has no other row: the mean of its unmasked cells stands
        # in, which holds no masked value either.
        unmasked = np.ones(n_features, dtype=bool)
        unmasked[columns] = False
        inputs[rows, columns] = X[0, unmasked].mean() if unmasked.any() else 0.0
    mask = np.zeros(X.shape, dtype=np.float32)
    mask[rows, columns] = 1.0
    return inputs, mask


def _mask_pixels(X, fraction, radius, rng):
    """Mask pixels of images; each takes the value of an unmasked neighbour."""
    n_images, height, width, channels = X.shape
    inputs = np.array(X, dtype=np.result_type(X.dtype, np.float32))
    n_masked = _n_masked(height * width, fraction)
    flat = _chosen(n_images, height * width, n_masked, rng).ravel()
    images = np.repeat(np.arange(n_images), n_masked)
    rows, columns = np.divmod(flat, width)
    # The images padded by `radius`; `valid` is False on the padding and
    # at masked pixels, which are never a replacement.
    padded = np.pad(inputs, ((0, 0), (radius, radius), (radius, radius), (0, 0)))
    valid = np.pad(
        np.ones((n_images, height, width), dtype=bool),
        ((0, 0), (radius, radius), (radius, radius)),
    )
    valid[images, rows + radius, columns + radius] = False
    offsets = [
        (dy, dx)
        for dy in range(-radius, radius + 1)
        for dx in range(-radius, radius + 1)
        if (dy, dx) != (0, 0)
    ]
    dy, dx = np.array(offsets).T
    around_rows = rows[:, None] + radius + dy
    around_columns = columns[:, None] + radius + dx
    values = padded[images[:, None], around_rows, around_columns]  # (m, window, channels)
    usable = valid[images[:, None], around_rows, around_columns]  # (m, window)
    # A random usable neighbour: the usable one of the largest key.
    keys = np.where(usable, rng.random(usable.shape), -1.0)
    pick = np.argmax(keys, axis=1)
    chosen = values[np.arange(len(pick)), pick]
    alone = ~usable.any(axis=1)
    if alone.any():
        # Every neighbour masked: the mean of the image's unmasked pixels.
        unmasked = valid[:, radius:-radius, radius:-radius]
        means = np.stack([inputs[i][unmasked[i]].mean(axis=0) for i in range(n_images)])
        chosen[alone] = means[images[alone]]
    inputs[images, rows, columns] = chosen
    mask = np.zeros(X.shape, dtype=np.float32)
    mask[images, rows, columns] = 1.0
    return inputs, mask


class BlindSpot:
    """Batch source of :class:`BlindSpotNoiser`: noisy targets, masked inputs, masked loss.

    Parameters
    ----------
    noiser : BlindSpotNoiser
        Masks and replaces the entries of each batch.
    """

    target_name = "X (the noisy data, with BlindSpotNoiser)"
    takes_pairs = False

    def __init__(self, noiser):
        self.noiser = noiser

    def targets(self, data):
        """The noisy data, which is also the target; decides the loss of ``"auto"``."""
        return data.X

    def batch(self, X, y, seed):
        """Masked inputs, noisy targets and the mask as loss weights.

        The weights are the mask scaled by each sample's entries over its
        masked entries, so that the loss is the mean over masked entries.
        """
        inputs, mask = self.noiser.masked(X, np.random.default_rng(seed))
        per_sample = mask.reshape(len(mask), -1)
        scale = per_sample.shape[1] / per_sample.sum(axis=1)
        weights = mask * scale.reshape(-1, *[1] * (mask.ndim - 1)).astype(np.float32)
        return inputs, X, weights

    @staticmethod
    def weights_per_value(sample_shape):
        """Whether the loss weights differ between the values of a sample's last axis.

        A table's mask differs between the cells of a row, which Keras's
        losses average before they weigh them: such weights need the
        estimator's own training steps.
        """
        return len(sample_shape) == 1
