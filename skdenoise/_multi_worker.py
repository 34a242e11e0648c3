"""Training across worker processes with ``tf.distribute.MultiWorkerMirroredStrategy``.

``keras.Model.fit`` (Keras 3, TensorFlow backend) fails as soon as a
``MultiWorkerMirroredStrategy`` spans two workers: before the first step it
reduces the first batch, a tuple of per-replica values, which
``Strategy.reduce`` does not accept, and after each step it averages the
scalar logs along an axis they do not have. Both happen for any data, NumPy
arrays included. :func:`fit_across_workers` runs the same training instead:
the model's own ``train_step`` and ``test_step`` under ``Strategy.run``, the
usual Keras callbacks, and the logs averaged over replicas.
"""

import functools

import keras
import numpy as np
import tensorflow as tf


@functools.cache
def _strategy_of_this_process():
    # TensorFlow lets a process set up collective ops only once, before it
    # runs anything else: one strategy serves every fit of the process.
    try:
        return tf.distribute.MultiWorkerMirroredStrategy()
    except RuntimeError as error:
        raise RuntimeError(
            'distribution_strategy="multi_worker_mirrored" needs TensorFlow '
            "to set up its collective operations before it runs anything "
            "else in the process. Create the strategy first, at the start "
            "of the program, and fit inside its scope: "
            "strategy = tf.distribute.MultiWorkerMirroredStrategy(), then "
            "`with strategy.scope(): dae.fit(X)`."
        ) from error


def multi_worker_strategy():
    """The process's ``MultiWorkerMirroredStrategy``, created at most once.

    The strategy whose scope is active is used when it is one; otherwise
    the one this module created on its first call, configured by the
    ``TF_CONFIG`` environment variable.

    Returns
    -------
    strategy : tf.distribute.MultiWorkerMirroredStrategy
    """
    if tf.distribute.has_strategy():
        current = tf.distribute.get_strategy()
        if isinstance(current, tf.distribute.MultiWorkerMirroredStrategy):
            return current
    return _strategy_of_this_process()


def _shard_by_batch(dataset):
    # Every worker builds the same batches from the same seeds and keeps its
    # part of each: file-based sharding does not apply to arrays.
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def fit_across_workers(
    model, dataset, *, epochs, steps_per_epoch, validation_data, callbacks, verbose
):
    """Train `model` with its strategy, as ``model.fit`` would.

    Parameters
    ----------
    model : keras.Model
        Compiled under a ``MultiWorkerMirroredStrategy`` scope.

    dataset : tf.data.Dataset
        ``epochs * steps_per_epoch`` global batches of ``(inputs, targets)``,
        the same on every worker.

    epochs, steps_per_epoch : int
        Epochs to train and global batches per epoch.

    validation_data : tf.data.Dataset or None
        Global batches of ``(inputs, targets)``, evaluated after each epoch.

    callbacks : list of keras.callbacks.Callback
        Called like ``model.fit`` calls them; ``model.stop_training`` ends
        training after the current batch or epoch.

    verbose : int
        0 silent, 1 a progress bar, 2 one line per epoch.

    Returns
    -------
    history : dict of str to list of float
        ``"loss"`` and, with validation, ``"val_loss"`` per epoch.
    """
    strategy = model.distribute_strategy
    with strategy.scope():
        # Variables are created here, in the cross-replica context, and not
        # lazily inside the first replicated step.
        model.optimizer.build(model.trainable_variables)
    train_iterator = iter(strategy.experimental_distribute_dataset(_shard_by_batch(dataset)))
    train_step = _replicated(strategy, model.train_step)
    test_step = _replicated(strategy, model.test_step)

    history = keras.callbacks.History()
    callback_list = keras.callbacks.CallbackList(
        [*callbacks, history],
        add_history=False,
        add_progbar=verbose != 0,
        verbose=verbose,
        epochs=epochs,
        steps=steps_per_epoch,
        model=model,
    )
    model.stop_training = False
    callback_list.on_train_begin()
    logs = {}
    for epoch in range(epochs):
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for step in range(steps_per_epoch):
            callback_list.on_train_batch_begin(step)
            logs = train_step(train_iterator)
            callback_list.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        epoch_logs = dict(logs)
        if validation_data is not None and not model.stop_training:
            model.reset_metrics()
            val_logs = {}
            validation = iter(
                strategy.experimental_distribute_dataset(_shard_by_batch(validation_data))
            )
            for _ in range(int(validation_data.cardinality())):
                val_logs = test_step(validation)
            epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
        callback_list.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)
    return {name: [float(value) for value in values] for name, values in history.history.items()}


def _replicated(strategy, step):
    """One step of `step` on the next batch of each replica, logs averaged."""

    @tf.function
    def run(iterator):
        per_replica_logs = strategy.run(step, args=(next(iterator),))
        return {
            name: strategy.reduce("MEAN", value, axis=None)
            for name, value in per_replica_logs.items()
        }

    def run_as_floats(iterator):
        return {name: float(np.asarray(value)) for name, value in run(iterator).items()}

    return run_as_floats
