"""Learning-rate schedules over one call of ``fit``."""

import math

import keras


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


class CosineDecayOverFit(keras.callbacks.Callback):
    """Half a cosine from `peak` down to zero over the `total_steps` of one fit.

    The rate is set before each step from the step's index in this fit, so
    a warm-started fit runs the whole schedule again. It is put back to
    `peak` when training ends.

    Parameters
    ----------
    peak : float
        Learning rate of the first step.

    total_steps : int
        Steps of the whole fit: step ``t`` trains at
        ``peak * (1 + cos(pi * t / total_steps)) / 2``.
    """

    def __init__(self, peak, total_steps):
        super().__init__()
        self.peak = peak
        self.total_steps = total_steps
        self._step = 0

    def on_train_begin(self, logs=None):
        self._step = 0

    def on_train_batch_begin(self, batch, logs=None):
        progress = min(self._step / self.total_steps, 1.0)
        self.model.optimizer.learning_rate = 0.5 * self.peak * (1.0 + math.cos(math.pi * progress))
        self._step += 1

    def on_train_end(self, logs=None):
        self.model.optimizer.learning_rate = self.peak
