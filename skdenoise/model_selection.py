"""The validation split, seeds and history of a :class:`~skdenoise.DenoisingAutoencoder` fit.

A fit holds out a random validation set and derives every seed it uses
(weight initialization, split, training batches and noise, scoring) from
its ``random_state``. These functions give the same split and seeds to
code outside the estimator, for example a plain-Keras baseline that should
train and validate on exactly the rows a fit used, and read the best epoch
from the history the fit records.
"""

import numpy as np

from ._random import SEED_NAMES, derive_seeds
from ._validation_split import n_validation_samples, split_indices

__all__ = ["best_epoch", "fit_seeds", "train_validation_indices"]


def fit_seeds(random_state):
    """The seeds a fit derives from `random_state`.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The estimator's ``random_state``. An int gives the seeds of every fit
        with that ``random_state``; a ``RandomState`` instance is advanced, as
        the fit would advance it.

    Returns
    -------
    seeds : dict of str to int
        ``"init"`` seeds the weight initializers, ``"split"`` the validation
        split and its noise, ``"train"`` the order and noise of the training
        batches, ``"score"`` the noise of :meth:`~DenoisingAutoencoder.score`.

    Examples
    --------
    >>> from skdenoise.model_selection import fit_seeds
    >>> sorted(fit_seeds(0))
    ['init', 'score', 'split', 'train']
    >>> fit_seeds(0) == fit_seeds(0)
    True
    """
    return derive_seeds(random_state, SEED_NAMES)


def train_validation_indices(n_samples, *, validation_fraction=0.1, random_state=None):
    """The rows a fit trains on and the rows it holds out for validation.

    :class:`~skdenoise.DenoisingAutoencoder` holds out
    ``floor(n_samples * validation_fraction)`` rows, chosen at random from the
    seed its ``random_state`` gives (see :func:`fit_seeds`).

    Parameters
    ----------
    n_samples : int
        Number of rows passed to ``fit``.

    validation_fraction : float or None, default=0.1
        The estimator's ``validation_fraction``. ``None`` or 0 hold out
        nothing.

    random_state : int, RandomState instance or None, default=None
        The estimator's ``random_state``. With an int, the indices are those
        of every fit with that ``random_state``.

    Returns
    -------
    train : ndarray of shape (n_samples - n_validation,)
        Indices of the training rows, in the order the split leaves them.

    validation : ndarray of shape (n_validation,)
        Indices of the held-out rows.

    Examples
    --------
    >>> from skdenoise.model_selection import train_validation_indices
    >>> train, validation = train_validation_indices(10, random_state=0)
    >>> len(train), len(validation)
    (9, 1)
    """
    n_validation = n_validation_samples(n_samples, validation_fraction)
    return split_indices(n_samples, n_validation, fit_seeds(random_state)["split"])


def best_epoch(history, monitor="val_loss"):
    """The epoch of the lowest finite loss in a training history, and that loss.

    The one place where the best epoch of a training is decided:
    :class:`~skdenoise.display.TrainingCurveDisplay` marks it and the demo
    reports it. A history that ends in epochs without a value (NaN), such
    as epochs of :meth:`~skdenoise.DenoisingAutoencoder.partial_fit` after
    a validated :meth:`~skdenoise.DenoisingAutoencoder.fit`, has no best
    epoch: its model has been trained since the last value was measured,
    so no epoch's value describes it.

    Parameters
    ----------
    history : dict of str to list of float, or array-like of shape (n_epochs,)
        A history such as the ``history_`` of a fitted
        :class:`~skdenoise.DenoisingAutoencoder` or of a Keras ``History``,
        or directly the per-epoch values to search. NaN and infinite values
        (epochs without validation, a diverged epoch) are ignored, except
        that NaN values at the end leave no best epoch.

    monitor : str, default="val_loss"
        The key of `history` to search, when it is a dict.

    Returns
    -------
    epoch : int or None
        The epoch of the lowest value, counted from 1; the first such epoch
        on ties. None when there is no finite value, no `monitor` in
        `history`, or when the last value is NaN.

    value : float or None
        The lowest value; None with `epoch`.

    Examples
    --------
    >>> from skdenoise.model_selection import best_epoch
    >>> best_epoch({"loss": [0.3, 0.2, 0.1], "val_loss": [0.25, 0.18, 0.19]})
    (2, 0.18)
    >>> best_epoch({"loss": [0.3, 0.2, 0.1]}, monitor="loss")
    (3, 0.1)
    >>> best_epoch([float("nan"), 0.4])
    (2, 0.4)
    >>> best_epoch({"loss": [0.3]})
    (None, None)
    >>> best_epoch([0.3, 0.2, float("nan")])
    (None, None)
    """
    values = history.get(monitor) if isinstance(history, dict) else history
    if values is None:
        return None, None
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    finite = np.isfinite(values)
    if not finite.any() or np.isnan(values[-1]):
        return None, None
    best = int(np.argmin(np.where(finite, values, np.inf)))
    return best + 1, float(values[best])
