"""Reconstruction losses, computed in NumPy the way Keras computes them."""

import numpy as np

# Keras clips probabilities to [epsilon, 1 - epsilon] before taking logs.
_EPSILON = 1e-7
_DOMAIN_TOLERANCE = 1e-6

LOSS_NAMES = {
    "binary_crossentropy": "binary_crossentropy",
    "mean_squared_error": "mean_squared_error",
    "mse": "mean_squared_error",
    "mean_absolute_error": "mean_absolute_error",
    "mae": "mean_absolute_error",
}


def elementwise_loss(y_true, y_pred, loss):
    """Return the loss of every value, so means can be taken over batches.

    Parameters
    ----------
    y_true, y_pred : ndarray of the same shape
        Targets and reconstructions.

    loss : str
        One of the keys of ``LOSS_NAMES``.

    Returns
    -------
    values : ndarray of float64, same shape as the inputs
        The loss of every value.
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    name = LOSS_NAMES[loss]
    if name == "binary_crossentropy":
        p = np.clip(y_pred, _EPSILON, 1 - _EPSILON)
        return -(y_true * np.log(p) + (1 - y_true) * np.log1p(-p))
    if name == "mean_squared_error":
        return (y_true - y_pred) ** 2
    return np.abs(y_true - y_pred)


def check_targets_in_loss_domain(y, loss, *, name):
    """Raise a ValueError when the loss is undefined for these targets.

    Binary cross-entropy takes targets in [0, 1]: outside it the loss has no
    minimum and training diverges silently.
    """
    if LOSS_NAMES[loss] != "binary_crossentropy" or y.size == 0:
        return
    low, high = float(np.min(y)), float(np.max(y))
    # Rounding to float32 can push scaled data a hair past the bounds.
    if low < -_DOMAIN_TOLERANCE or high > 1 + _DOMAIN_TOLERANCE:
        raise ValueError(
            f"loss='binary_crossentropy' needs {name} in [0, 1], but its values "
            f"range from {low:.6g} to {high:.6g}. Scale the data first "
            "(for example with sklearn.preprocessing.MinMaxScaler, or divide "
            "pixel values by 255) or use loss='mse'."
        )
