"""Whether data lies in [0, 1]: the one rule behind the data-dependent defaults.

``loss="auto"`` of :class:`~skdenoise.DenoisingAutoencoder` and
``clip="auto"`` of the noise transformers both follow it, so pixel data in
[0, 1] gets binary cross-entropy and noise clipped to [0, 1], and any other
data gets neither.
"""

import numpy as np

# Rounding to float32 can push data scaled to [0, 1] a hair past the bounds.
UNIT_INTERVAL_TOLERANCE = 1e-6


def value_range(X):
    """Return the smallest and largest values of `X` as floats.

    Parameters
    ----------
    X : ndarray, sparse matrix or list of ndarray
        Non-empty numeric data; a list holds images of different sizes.

    Returns
    -------
    low, high : float
    """
    if isinstance(X, list):
        lows, highs = zip(*(value_range(part) for part in X))
        return min(lows), max(highs)
    # Sparse matrices have min and max methods of their own, which count
    # their implicit zeros.
    if hasattr(X, "tocsr"):
        return float(X.min()), float(X.max())
    return float(np.min(X)), float(np.max(X))


def lies_in_unit_interval(X):
    """Tell whether every value of `X` lies in [0, 1], up to float rounding.

    Parameters
    ----------
    X : ndarray or list of ndarray
        Numeric data of any shape, or images of different sizes. Empty data
        counts as lying in [0, 1].

    Returns
    -------
    in_unit_interval : bool
    """
    if all(np.size(part) == 0 for part in (X if isinstance(X, list) else [X])):
        return True
    low, high = value_range(X)
    return low >= -UNIT_INTERVAL_TOLERANCE and high <= 1 + UNIT_INTERVAL_TOLERANCE
