"""Reconstruction losses, computed in NumPy the way Keras computes them."""

import numpy as np

from ._architectures import ARCHITECTURES
from ._batch_sources import dense_batch
from ._random import batch_seed
from ._value_range import lies_in_unit_interval, value_range

# Keras clips probabilities to [epsilon, 1 - epsilon] before taking logs.
_EPSILON = 1e-7

LOSS_NAMES = {
    "binary_crossentropy": "binary_crossentropy",
    "mean_squared_error": "mean_squared_error",
    "mse": "mean_squared_error",
    "mean_absolute_error": "mean_absolute_error",
    "mae": "mean_absolute_error",
}


def resolve_loss(loss, y):
    """Return the Keras name of the loss to train on clean targets `y`.

    ``"auto"`` is binary cross-entropy when `y` lies in [0, 1], as pixel
    intensities scaled by 255 do, and the mean squared error otherwise (for
    standardised or raw measurements).

    Parameters
    ----------
    loss : str
        ``"auto"`` or one of the keys of ``LOSS_NAMES``.

    y : ndarray
        Clean targets.

    Returns
    -------
    name : str
        One of the values of ``LOSS_NAMES``.
    """
    if loss == "auto":
        if lies_in_unit_interval(y):
            return "binary_crossentropy"
        return "mean_squared_error"
    return LOSS_NAMES[loss]


def training_loss(loss, y, *, architecture="auto", fitted_loss, name):
    """Return the Keras name of the loss a fit trains on, checked against `y`.

    Parameters
    ----------
    loss : str
        The estimator's `loss`: ``"auto"`` or one of the keys of
        ``LOSS_NAMES``.

    y : ndarray
        Clean targets of this fit.

    architecture : str, default="auto"
        The estimator's `architecture`: its ``refused_losses`` are refused,
        and its ``auto_loss``, if any, is what ``"auto"`` resolves to.

    fitted_loss : str or None
        The loss of the model that this fit continues; None for a first fit,
        which resolves `loss` on `y`.

    name : str
        How error messages name `y`.

    Returns
    -------
    name : str
        One of the values of ``LOSS_NAMES``.
    """
    spec = ARCHITECTURES.get(architecture)
    if spec is not None:
        if loss != "auto" and LOSS_NAMES[loss] in spec.refused_losses:
            raise ValueError(
                f"loss={loss!r} {spec.refusal}; use loss='auto' or {spec.auto_loss!r}."
            )
        if loss == "auto" and spec.auto_loss is not None:
            loss = spec.auto_loss
    resolved = resolve_loss(loss, y) if fitted_loss is None else fitted_loss
    check_targets_in_loss_domain(
        y,
        resolved,
        name=name,
        loss_description=(
            "loss='auto', which the first fit's data in [0, 1] resolved to 'binary_crossentropy',"
            if loss == "auto" and fitted_loss is not None
            else None
        ),
    )
    return resolved


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


def sample_losses(reconstruct, data, source, loss, *, batch_size, seed=None):
    """Sum of `loss` over the values of every sample's reconstruction.

    Parameters
    ----------
    reconstruct : callable
        Maps a float32 batch of samples to its reconstructions.

    data : skdenoise._batch_sources.SampleArrays
        The samples, as flat rows (ndarray or sparse matrix, densified a batch
        at a time) or images, and their clean targets or None.

    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where each batch's inputs, targets and loss weights come from.

    loss : str
        One of the keys of ``LOSS_NAMES``.

    batch_size : int
        Samples reconstructed at a time.

    seed : int or None, default=None
        Seed of the source's noise; each batch's is derived from it and the
        index of the batch's first sample.

    Returns
    -------
    losses : ndarray of float64 of shape (n_samples,)
        Each value's loss times its weight from the source, summed.
    """
    n_samples = len(data)
    losses = np.empty(n_samples, dtype=np.float64)
    sample_shape = data.X.shape[1:]
    for start in range(0, n_samples, batch_size):
        rows = slice(start, start + batch_size)
        inputs, targets, weights = dense_batch(
            source, data.take(rows), sample_shape, batch_seed(seed, start)
        )
        reconstruction = reconstruct(inputs)
        values = elementwise_loss(targets.reshape(reconstruction.shape), reconstruction, loss)
        # Weights per sample broadcast; per value they have the values' count.
        per_sample = all(size == 1 for size in weights.shape[1:])
        values = values * weights.reshape(
            (len(weights), *[1] * (values.ndim - 1)) if per_sample else values.shape
        )
        losses[rows] = values.reshape(len(values), -1).sum(axis=1)
    return losses


def check_targets_in_loss_domain(y, loss, *, name, loss_description=None):
    """Raise a ValueError when the loss is undefined for these targets.

    Binary cross-entropy takes targets in [0, 1]: outside it the loss has no
    minimum and training diverges silently.

    Parameters
    ----------
    y : ndarray
        Clean targets.

    loss : str
        One of the keys of ``LOSS_NAMES``.

    name : str
        How the error message names `y`.

    loss_description : str or None, default=None
        How the error message names the loss; None gives ``loss='...'``.
    """
    if LOSS_NAMES[loss] != "binary_crossentropy" or lies_in_unit_interval(y):
        return
    low, high = value_range(y)
    if loss_description is None:
        loss_description = f"loss={loss!r}"
    raise ValueError(
        f"{loss_description} needs {name} in [0, 1], but its values range "
        f"from {low:.6g} to {high:.6g}. Scale the data first (for example "
        "with sklearn.preprocessing.MinMaxScaler, or divide pixel values by "
        "255) or use loss='mse'."
    )
