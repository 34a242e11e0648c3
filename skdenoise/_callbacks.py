"""The Keras callbacks a fit adds to the user's own.

Each is called as ``keras.Model.fit`` calls callbacks, on both training
paths (:mod:`skdenoise._epoch_loop` and ``keras.Model.fit``).
"""

import math

import keras
import numpy as np

from ._batch_norm import set_population_statistics


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop training at the first NaN or infinite batch loss, silently.

    Keras's ``TerminateOnNaN`` prints to stdout whatever the verbosity; the
    estimator reports divergence itself, with an exception.
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.model.stop_training = True


class PreciseBatchNorm(keras.callbacks.Callback):
    """Recompute batch-normalisation statistics after each epoch's last step.

    The callback runs before the epoch's validation, so ``val_loss``,
    early stopping and the weights it restores all use statistics that
    match the weights of that epoch. When nothing looks at the model
    between epochs, the statistics are computed once, at the end.

    Parameters
    ----------
    inputs : ndarray of float32 of shape (n_samples, ...)
        Training inputs to compute the statistics over.

    steps_per_epoch : int
        Training steps in one epoch.

    batch_size : int
        Samples per forward pass of the recomputation.

    every_epoch : bool, default=True
        Whether to recompute after every epoch (for validation, early
        stopping or other callbacks), or only when training ends.
    """

    def __init__(self, inputs, *, steps_per_epoch, batch_size, every_epoch=True):
        super().__init__()
        self.inputs = inputs
        self.steps_per_epoch = steps_per_epoch
        self.batch_size = batch_size
        self.every_epoch = every_epoch
        self._stale = False

    def on_train_batch_end(self, batch, logs=None):
        self._stale = True
        if self.every_epoch and batch == self.steps_per_epoch - 1:
            self._recompute()

    def on_train_end(self, logs=None):
        # After the last epoch, or within an epoch that a callback stopped.
        if self._stale:
            self._recompute()

    def _recompute(self):
        set_population_statistics(self.model, self.inputs, self.batch_size)
        self._stale = False


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
