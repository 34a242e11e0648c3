"""The rows a fit holds out for validation."""

import numpy as np


def n_validation_samples(n_samples, validation_fraction):
    """How many of `n_samples` rows a fit holds out: ``floor(n * fraction)``."""
    return int(np.floor(n_samples * validation_fraction)) if validation_fraction else 0


def split_indices(n_samples, n_validation, seed):
    """Training and validation row indices, the validation rows drawn by `seed`."""
    order = np.random.default_rng(seed).permutation(n_samples)
    return order[n_validation:], order[:n_validation]
