"""The training history of an estimator over all its fits."""

import numpy as np


def append_history(history, n_epochs, new):
    """`history` of `n_epochs` epochs followed by the epochs of `new`.

    Every key gets one value per epoch: NaN where a fit did not record it,
    such as the validation loss of ``partial_fit``'s epochs.
    """
    n_new = len(new["loss"])
    return {
        key: history.get(key, [np.nan] * n_epochs) + new.get(key, [np.nan] * n_new)
        for key in {**history, **new}
    }
