"""The epochs of a fit, run on the shared steps with Keras's callbacks.

What ``keras.Model.fit`` does for an in-memory, single-device fit, without
its per-model tracing and its ``tf.data`` set-up: the batches of
:class:`~skdenoise._batches.RowBatches` go straight to the
steps of :mod:`skdenoise._training_steps`, and the callbacks (the History and
progress bar that fit adds, early stopping, the user's own) see the same
calls, logs and ``model.stop_training`` as under fit.
"""

import keras
import numpy as np


def fit_epochs(model, steps, batches, validation, *, epochs, callbacks, verbose):
    """Train `model` for up to `epochs` epochs; return its history.

    Parameters
    ----------
    model : keras.Model
        Compiled model whose weights are trained in place.

    steps : skdenoise._training_steps.NetworkSteps
        Steps traced for the model's structure.

    batches : skdenoise._batches.RowBatches
        Training batches; epoch ``k`` of this fit is its epoch
        ``batches.first_epoch + k``.

    validation : skdenoise._batches.RowBatches or None
        Validation batches, evaluated at the end of every epoch.

    epochs : int
        Number of epochs.

    callbacks : list of keras.callbacks.Callback
        Callbacks, called as ``keras.Model.fit`` calls them.

    verbose : int
        Keras's verbosity: 0 silent, 1 a progress bar, 2 a line per epoch.

    Returns
    -------
    history : dict of str to list of float
        ``"loss"`` and, with `validation`, ``"val_loss"``: one value per epoch
        run.
    """
    callbacks = keras.callbacks.CallbackList(
        callbacks,
        add_history=True,
        add_progbar=verbose != 0,
        verbose=verbose,
        epochs=epochs,
        steps=len(batches),
        model=model,
    )
    model.stop_training = False
    callbacks.on_train_begin()
    logs = {}
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        logs = {"loss": _run_epoch(model, steps, batches, epoch, callbacks)}
        if validation is not None:
            logs["val_loss"] = _evaluate(model, steps, validation)
        callbacks.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callbacks.on_train_end(logs)
    history = model.history.history
    return {key: [float(value) for value in values] for key, values in history.items()}


def _run_epoch(model, steps, batches, epoch, callbacks):
    """Train on one epoch's batches; return the epoch's mean loss so far."""
    total, count = 0.0, 0
    for step, batch in enumerate(_epoch_batches(batches, batches.first_epoch + epoch)):
        inputs = batch[0]
        callbacks.on_train_batch_begin(step)
        loss = float(steps.train(model, *batch))
        # Like Keras's loss tracker: the mean over the samples seen so far.
        total += loss * len(inputs)
        count += len(inputs)
        callbacks.on_train_batch_end(step, {"loss": total / count})
        if model.stop_training:
            break
    return total / count


def _evaluate(model, steps, validation):
    """Mean loss over the validation samples, in inference mode."""
    total, count = 0.0, 0
    for batch in _epoch_batches(validation, validation.first_epoch):
        total += float(steps.evaluate(model, *batch)) * len(batch[0])
        count += len(batch[0])
    return total / count


def _epoch_batches(batches, epoch):
    """The (inputs, targets, weights) batches of one epoch, as float32 arrays."""
    if batches.sparse:
        for step in range(len(batches)):
            yield batches.batch_arrays(epoch, step)
        return
    arrays = batches.epoch_arrays(epoch)
    for start in range(0, batches.n_samples, batches.batch_size):
        end = start + batches.batch_size
        yield tuple(np.ascontiguousarray(array[start:end]) for array in arrays)
