"""Seeds and random generators derived from a scikit-learn ``random_state``.

Every source of randomness in skdenoise, the autoencoder's and the
noisers', goes through :func:`check_generator`, so an int ``random_state``
reproduces everything and ``None`` never touches NumPy's global state.
"""

import numpy as np
from sklearn.utils import check_random_state

MAX_SEED = np.iinfo(np.int32).max
# The seeds of one fit, derived from the estimator's random_state: weight
# initialisation, validation split, training batches, scoring.
SEED_NAMES = ("init", "split", "train", "score")


def check_generator(random_state):
    """A NumPy ``Generator`` from a scikit-learn `random_state`.

    Generators draw normal variates several times faster than
    ``RandomState``, and directly in float32.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        ``None`` seeds the generator from the operating system and leaves
        NumPy's global random state alone; an int always gives the same
        generator; a ``RandomState`` instance is advanced by one draw.

    Returns
    -------
    generator : numpy.random.Generator
    """
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng(check_random_state(random_state).randint(MAX_SEED))


def derive_seeds(random_state, names):
    """Independent integer seeds, one for each name, from one `random_state`.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        See :func:`check_generator`.

    names : sequence of str
        What the seeds are for.

    Returns
    -------
    seeds : dict of str to int
        Seeds in ``[0, 2**31 - 1)``, plain Python ints so they can be saved
        as JSON.
    """
    values = check_generator(random_state).integers(MAX_SEED, size=len(names))
    return {name: int(value) for name, value in zip(names, values)}


def batch_seed(seed, start):
    """The seed of the batch of rows from `start` on, derived from `seed`.

    Parameters
    ----------
    seed : int
        Seed of the whole pass over the data.

    start : int
        Index of the batch's first row.

    Returns
    -------
    seed : int
    """
    return int(np.random.default_rng([seed, start]).integers(MAX_SEED))
