"""The validation split and seeds of a :class:`~skdenoise.DenoisingAutoencoder` fit.

A fit holds out a random validation set and derives every seed it uses
(weight initialization, split, training batches and noise, scoring) from
its ``random_state``. These functions give the same split and seeds to
code outside the estimator, for example a plain-Keras baseline that should
train and validate on exactly the rows a fit used.
"""

import numpy as np

from ._random import derive_seeds

__all__ = ["fit_seeds", "train_validation_indices"]

SEED_NAMES = ("init", "split", "train", "score")


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


def n_validation_samples(n_samples, validation_fraction):
    """How many of `n_samples` rows a fit holds out: ``floor(n * fraction)``."""
    return int(np.floor(n_samples * validation_fraction)) if validation_fraction else 0


def split_indices(n_samples, n_validation, seed):
    """Training and validation row indices, the validation rows drawn by `seed`."""
    order = np.random.default_rng(seed).permutation(n_samples)
    return order[n_validation:], order[:n_validation]


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
