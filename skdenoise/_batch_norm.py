"""Batch-normalisation statistics that match the trained weights.

A ``BatchNormalization`` layer normalises with the statistics of each batch
while it trains, and with moving averages of them (momentum 0.99) at
inference. After few steps, as in short fits, grid searches and
``partial_fit`` chunks, those averages still hold mostly their initial
values and lag behind the weights: the model then predicts worse than the
mean of the data, and its validation loss rises while its training loss
falls. Recomputing the statistics over training inputs with the final
weights ("precise BatchNorm", Wu & Johnson 2021) removes the lag at any
number of steps.
"""

import keras
import numpy as np

# Inputs over which the statistics are computed: enough for estimates whose
# error is far below the batch-to-batch spread (each channel of a
# convolution averages over every pixel of every input), few enough that a
# recomputation costs a small fraction of an epoch. With 4,096 it took a
# fifth of an epoch of 4,000 MNIST digits.
PRECISE_STATISTICS_SAMPLES = 1024


def _chain(model):
    """The layers of a chain of nested sequential models, input to output."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Sequential):
            yield from _chain(layer)
        else:
            yield layer


def _chain_list(model):
    return list(_chain(model))


def has_batch_norm(model):
    """Whether `model` holds any ``BatchNormalization`` layer."""
    return any(isinstance(layer, keras.layers.BatchNormalization) for layer in _chain(model))


def set_population_statistics(model, inputs, batch_size):
    """Set the moving statistics of every batch normalisation to exact ones.

    Layer by layer, from the input on, each ``BatchNormalization`` layer
    gets the mean and variance of the values it receives when the model
    runs in inference mode on `inputs`, with the statistics of the layers
    before it already set. Inference then normalises every layer's input
    exactly, whatever the number of training steps.

    Parameters
    ----------
    model : keras.Model
        A chain of layers, or of sequential models of layers, as the
        builders of :mod:`skdenoise._architectures` make.

    inputs : ndarray of float32 of shape (n_samples, ...)
        Training inputs, as the model sees them in training (corrupted).

    batch_size : int
        Samples per forward pass, to bound memory.
    """
    import tensorflow as tf

    from ._inference import shared_prefix
    from ._structures import on_default_strategy, structure_key

    chain = _chain_list(model)
    structure = structure_key(model)
    for index, layer in enumerate(chain):
        if not isinstance(layer, keras.layers.BatchNormalization):
            continue
        if on_default_strategy(model):
            # Traced once per structure: layer by layer, in eager mode, the
            # recomputation took a quarter of a small fit.
            prefix = shared_prefix(model, _chain_list, index, structure=structure)
        else:
            # The variables of a tf.distribute strategy are not the plain ones
            # the shared functions are traced for.
            prefix = _eager_prefix
        count, total, total_of_squares = 0, 0.0, 0.0
        for start in range(0, len(inputs), batch_size):
            values = prefix(chain[:index], tf.constant(inputs[start : start + batch_size]))
            # Per channel (the last axis), in float64 so that the variance,
            # a difference of two sums, keeps its precision.
            values = np.asarray(values, dtype=np.float64)
            values = values.reshape(-1, values.shape[-1])
            count += len(values)
            total = total + values.sum(axis=0)
            total_of_squares = total_of_squares + np.square(values).sum(axis=0)
        mean = total / count
        variance = np.maximum(total_of_squares / count - np.square(mean), 0.0)
        layer.moving_mean.assign(mean.astype(np.float32))
        layer.moving_variance.assign(variance.astype(np.float32))


def _eager_prefix(layers, values):
    for layer in layers:
        values = layer(values, training=False)
    return values
