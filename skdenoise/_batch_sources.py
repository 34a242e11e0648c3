"""Where a batch's input, target and loss weights come from.

A fit chooses its source once (:func:`batch_source`): ``fit(X)`` corrupts
the clean `X`, which is the target, into the input (:class:`Corruption`);
``fit(X_noisy, X_clean)`` takes the given pairs (:class:`GivenPairs`); a
noiser may bring a source of its own, such as
:class:`~skdenoise._blind_spot.BlindSpot`, which counts the loss only at
masked entries of noisy data (:data:`NOISERS` says which). The training
batches, the validation batches and :meth:`score` all ask the source for
the arrays of their samples, so nothing else decides it again.

A source gives, besides the input and the target, weights of the loss per
entry (None where every entry counts alike).
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._blind_spot import BlindSpot, BlindSpotNoiser
from ._noise import GaussianNoiser, MaskingNoiser, SaltPepperNoiser, SwapNoiser, corrupt


@dataclass(frozen=True)
class SampleArrays:
    """The arrays of a fit, aligned by sample.

    Attributes
    ----------
    X : ndarray, sparse matrix or list of ndarray
        The samples as ``fit`` took them: the clean data, or the inputs of
        explicit pairs.

    y : the same as `X`, or None
        The clean targets of explicit pairs.

    sample_weight : ndarray of float32 of shape (n_samples,) or None
        The weight of each sample in the loss; None weighs them alike.
    """

    X: object
    y: object = None
    sample_weight: np.ndarray = None

    def __len__(self):
        return len(self.X) if isinstance(self.X, list) else self.X.shape[0]

    def take(self, rows):
        """The arrays of the samples of index `rows`, in that order."""
        return SampleArrays(*(None if array is None else array[rows] for array in self))

    def __iter__(self):
        return iter((self.X, self.y, self.sample_weight))


class _EveryEntry:
    """What the sources that count every entry alike share."""

    takes_pairs = True

    @staticmethod
    def weights_per_value(sample_shape):
        """Whether the loss weights differ between the values of a sample's last axis."""
        return False


class Corruption(_EveryEntry):
    """``fit(X)``: the target is the clean `X`, the input its corruption by `noise`.

    Parameters
    ----------
    noise : transformer or None
        The corruption; None trains a plain autoencoder, whose input is its
        target.
    """

    target_name = "X (the clean target)"

    def __init__(self, noise):
        self.noise = noise

    def targets(self, data):
        """The clean targets of `data`, which decide the loss of ``"auto"``."""
        return data.X

    def batch(self, X, y, seed):
        """Input, target and entry weights (None) of samples `X`, with noise of `seed`."""
        inputs = X if self.noise is None else corrupt(self.noise, X, seed)
        return inputs, X, None


class GivenPairs(_EveryEntry):
    """``fit(X_noisy, X_clean)``: the input is `X`, the target `y`, as given."""

    target_name = "y"

    def targets(self, data):
        """The clean targets of `data`, which decide the loss of ``"auto"``."""
        return data.y

    def batch(self, X, y, seed):
        """Input, target and entry weights (None) of given pairs; `seed` is unused."""
        return X, y, None


# Every noiser of skdenoise, by name, and the source it gives a fit: one
# entry each. Other transformers corrupt the clean data (Corruption).
NOISERS = {
    "GaussianNoiser": (GaussianNoiser, Corruption),
    "MaskingNoiser": (MaskingNoiser, Corruption),
    "SaltPepperNoiser": (SaltPepperNoiser, Corruption),
    "SwapNoiser": (SwapNoiser, Corruption),
    "BlindSpotNoiser": (BlindSpotNoiser, BlindSpot),
}
# The noisers that the safe file format saves and loads.
SAFE_NOISERS = {name: noiser for name, (noiser, _) in NOISERS.items()}


def batch_source(noise, y):
    """The source of a fit with `noise` and clean targets `y` (None when not given)."""
    # By class, subclasses included: a subclass of BlindSpotNoiser still
    # trains on its masks.
    source_class = next(
        (source for noiser, source in NOISERS.values() if isinstance(noise, noiser)), Corruption
    )
    source = source_class(noise)
    if y is None:
        return source
    if not source.takes_pairs:
        raise ValueError(
            f"noise={noise!r} trains on noisy X alone, with no clean target, but y "
            "was given: call fit(X) without y, or fit(X_noisy, X_clean) with another "
            "noise (which explicit pairs do not use)."
        )
    return GivenPairs()


def dense_batch(source, data, sample_shape, seed):
    """Float32 inputs, targets and loss weights of the samples of `data`.

    Parameters
    ----------
    source : Corruption or GivenPairs
        Where the arrays come from.

    data : SampleArrays
        The samples, as arrays or sparse matrices of one row per sample.

    sample_shape : tuple of int
        Shape of one sample as the network takes it.

    seed : int
        Seed of the source's randomness (the noise).

    Returns
    -------
    inputs, targets : ndarray of float32 of shape (n_samples, *sample_shape)

    weights : ndarray of float32
        The loss weight of every entry of `targets`, or of every sample as
        an array of shape ``(n_samples, 1, ..., 1)`` that broadcasts to
        them: the source's entry weights times the sample weights.
    """
    X = _dense(data.X, sample_shape)
    y = None if data.y is None else _dense(data.y, sample_shape)
    inputs, targets, entry_weights = source.batch(X, y, seed)
    weights = np.ones((len(targets),) + (1,) * len(sample_shape), dtype=np.float32)
    if data.sample_weight is not None:
        weights = np.asarray(data.sample_weight, dtype=np.float32).reshape(weights.shape)
    if entry_weights is not None:
        weights = weights * np.asarray(entry_weights, dtype=np.float32)
    return np.asarray(inputs, dtype=np.float32), targets, weights


def _dense(array, sample_shape):
    array = array.toarray() if sp.issparse(array) else array
    return np.asarray(array, dtype=np.float32).reshape(array.shape[0], *sample_shape)
