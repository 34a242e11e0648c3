"""Image quality metrics for judging denoised data."""

from numbers import Real

import numpy as np
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, validate_params

__all__ = ["peak_signal_noise_ratio"]


@validate_params(
    {
        "X_true": ["array-like"],
        "X_pred": ["array-like"],
        "data_range": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def peak_signal_noise_ratio(X_true, X_pred, *, data_range=1.0):
    """Mean peak signal-to-noise ratio (PSNR) of reconstructed samples, in dB.

    For every sample ``i``, ``PSNR_i = 10 * log10(data_range**2 / MSE_i)``,
    where ``MSE_i`` is the mean squared difference between ``X_true[i]`` and
    ``X_pred[i]`` over all their values. The result is the mean of the
    ``PSNR_i``. Greater is better; every halving of the error adds about
    3 dB.

    Parameters
    ----------
    X_true : array-like of shape (n_samples, n_features) or \
            (n_samples, height, width[, channels])
        Reference (clean) samples, flat or as images.

    X_pred : array-like of the same shape as `X_true`
        Reconstructed or noisy samples to compare with `X_true`.

    data_range : float, default=1.0
        Distance between the smallest and the largest value the data can
        take: 1.0 for pixels scaled to [0, 1], 255 for ``uint8`` pixels.

    Returns
    -------
    psnr : float
        Mean PSNR over the samples, in decibels. ``inf`` if any sample is
        reconstructed exactly (``MSE_i = 0``), since its own PSNR is
        infinite.

    Raises
    ------
    ValueError
        If the inputs differ in shape, are empty, are one-dimensional, or
        hold NaN or infinite values.

    See Also
    --------
    sklearn.metrics.mean_squared_error : The error the PSNR is derived from.

    Notes
    -----
    The PSNR is computed per sample and then averaged, as is usual for image
    benchmarks, rather than from the MSE over the whole set: a few badly
    reconstructed samples then weigh less than in the pooled figure. The
    computation is done in float64 whatever the input dtype, so ``uint8``
    images do not overflow.

    References
    ----------
    .. [1] "Peak signal-to-noise ratio", Wikipedia,
       https://en.wikipedia.org/wiki/Peak_signal-to-noise_ratio

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.metrics import peak_signal_noise_ratio
    >>> X_true = np.zeros((2, 4))
    >>> X_pred = np.array([[0.1, 0.1, 0.1, 0.1], [0.01, 0.01, 0.01, 0.01]])
    >>> peak_signal_noise_ratio(X_true, X_pred)  # (20 dB + 40 dB) / 2
    30.0
    >>> peak_signal_noise_ratio(X_true, X_true)
    inf
    """
    X_true = _check_samples(X_true, "X_true")
    X_pred = _check_samples(X_pred, "X_pred")
    if X_true.shape != X_pred.shape:
        raise ValueError(
            f"X_true and X_pred must have the same shape; got {X_true.shape} and {X_pred.shape}."
        )
    if X_true[0].size == 0:
        raise ValueError(f"X_true and X_pred have no values per sample (shape {X_true.shape}).")
    squared_error = (X_true - X_pred) ** 2
    mse = squared_error.reshape(squared_error.shape[0], -1).mean(axis=1)
    psnr = np.full(mse.shape, np.inf)
    exact = mse == 0
    # Exact reconstructions are set apart so that log10 never sees a zero.
    psnr[~exact] = 10 * np.log10(float(data_range) ** 2 / mse[~exact])
    return float(psnr.mean())


def _check_samples(X, name):
    """Validate `X` as finite numbers, one row or image per sample."""
    return check_array(
        X,
        dtype=np.float64,
        allow_nd=True,
        ensure_all_finite=True,
        input_name=name,
    )
