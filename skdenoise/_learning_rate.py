"""Learning-rate schedules over one call of ``fit``."""

from ._callbacks import CosineDecayOverFit


def set_up_learning_rate(optimizer, learning_rate, schedule, total_steps):
    """Set `optimizer` to start a fit at `learning_rate`; return the callbacks of `schedule`.

    Every fit starts from the estimator's learning rate, whatever an earlier
    fit, an interrupted one included, left in the optimizer.

    Parameters
    ----------
    optimizer : keras.optimizers.Optimizer
        The model's optimizer, with a variable learning rate.

    learning_rate : float
        The estimator's `learning_rate`: the constant rate, or the peak of
        the schedule.

    schedule : {"constant", "cosine"}
        The estimator's `learning_rate_schedule`.

    total_steps : int
        Training steps of the whole fit, over all its epochs.

    Returns
    -------
    callbacks : list of keras.callbacks.Callback
        Empty for ``"constant"``.
    """
    optimizer.learning_rate = learning_rate
    if schedule == "constant":
        return []
    return [CosineDecayOverFit(learning_rate, total_steps)]
