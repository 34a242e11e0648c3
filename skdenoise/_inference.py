"""Inference with one fitted network, through the trace its structure shares."""

import functools

import keras
import numpy as np
import tensorflow as tf

from ._input import network_batch
from ._structures import (
    cached,
    on_default_strategy,
    structure_key,
    variable_handles,
    weights_of,
)


class NetworkFunction:
    """A network in inference mode, called on float32 batches.

    Every call runs the trace shared by the networks of its structure,
    traced once per process: a network never traces a function of its own
    on the default distribution strategy. Its own concrete function, reading
    the variables as captures, would save 0.03 (dense) to 0.2 ms
    (convolutional) of CPU time per one-sample call; tracing it, even after
    many calls, stalls that one call for a tenth of a second to a second and
    leaves thousands of objects to the garbage collector.

    Parameters
    ----------
    network : keras.Model
        The autoencoder, one of its halves, or a model sharing its layers.
    """

    def __init__(self, network):
        self.network = network
        self.input_shape = tuple(network.input_shape[1:])
        if on_default_strategy(network):
            self._function = shared_inference(network).bind([network])
        else:
            # A model of a tf.distribute strategy keeps a function of its own.
            spec = tf.TensorSpec((None, *self.input_shape), tf.float32)
            # A partial, not a lambda: TensorFlow keys its retracing warning
            # on a function's code, which every model's lambda shares.
            self._function = tf.function(
                functools.partial(network, training=False), input_signature=[spec]
            ).get_concrete_function()

    def __call__(self, inputs):
        """Outputs for a batch of `inputs`, a float32 tensor."""
        return self._function(inputs)


def run_batched(function, input_shape, X, batch_size):
    """Apply `function` to samples `X`, rows or images, in batches of `batch_size`.

    Parameters
    ----------
    function : callable
        A network's function of a float32 batch, such as a
        :class:`NetworkFunction`.

    input_shape : tuple
        Shape of one sample the function takes; flat rows are reshaped to it.

    X : ndarray or sparse matrix
        Validated samples.

    batch_size : int
        Samples per call, to bound memory.

    Returns
    -------
    outputs : ndarray
    """
    output = None
    for start in range(0, X.shape[0], batch_size):
        batch = network_batch(X[start : start + batch_size], input_shape)
        batch = np.asarray(function(tf.constant(batch)))
        if output is None:
            if len(batch) == X.shape[0]:
                return batch
            # Filled in place: concatenating batches would hold the
            # output twice at its peak.
            output = np.empty((X.shape[0], *batch.shape[1:]), dtype=batch.dtype)
        output[start : start + len(batch)] = batch
    return output


def inference_function(network, *, spatial_mean=False):
    """The function :class:`DenoisingAutoencoder` calls to run `network`.

    A :class:`NetworkFunction`; for a network of images of any height and
    width, wrapped to run in bounded batches and tiles (see
    :mod:`skdenoise._tiling`).

    Parameters
    ----------
    network : keras.Model
        The network to run.

    spatial_mean : bool, default=False
        Whether to average the network's output maps over each image, tile
        by tile, in NumPy (what ``transform`` of a network of images of any
        size returns).
    """
    from ._architectures import receptive_radius
    from ._tiling import TiledFunction

    input_shape = tuple(network.input_shape[1:])
    if len(input_shape) != 3 or input_shape[0] is not None:
        return NetworkFunction(network)
    function = NetworkFunction(network)
    return TiledFunction(
        lambda images: function(tf.constant(images)).numpy(),
        input_shape,
        radius=receptive_radius(network),
        spatial_mean=spatial_mean,
    )


def shared_inference(network):
    """Inference with `network`, traced at most once per structure.

    Parameters
    ----------
    network : keras.Model
        The autoencoder, one of its halves, or a model sharing its layers,
        on the default distribution strategy.

    Returns
    -------
    inference : LayersInference
        Runs any network of the same structure in inference mode, given as
        the one-element list ``[network]``.
    """
    key = ("inference", structure_key(network))
    return cached(
        key, lambda: LayersInference([keras.models.clone_model(network)], network.input_shape)
    )


def shared_prefix(model, chain, stop, *, structure=None):
    """Inference through the first `stop` layers of a chain, traced once per structure.

    Parameters
    ----------
    model : keras.Model
        The network that the layers belong to.

    chain : callable
        Returns the layers of a network of `model`'s structure, input to
        output, as a list.

    stop : int
        Number of layers, from the input, to run.

    structure : tuple, default=None
        ``structure_key(model)``, for a caller that asks for several
        prefixes of one model; computed when None.

    Returns
    -------
    prefix : LayersInference
        Runs those layers of any network of the structure.
    """
    if structure is None:
        structure = structure_key(model)
    return cached(
        ("prefix", structure, stop),
        lambda: LayersInference(chain(keras.models.clone_model(model))[:stop], model.input_shape),
    )


class LayersInference:
    """Inference mode through a run of layers, for any network of one structure.

    The run is a whole network (a one-element list) or the first layers of
    a chain. Its function is the concrete function of one signature, for
    batches of every size and the weights of every network of the
    structure: calling it skips tf.function's argument binding and cache
    look-up.

    Parameters
    ----------
    layers : list of keras.Layer
        Template layers, applied in order.

    input_shape : tuple
        Shape of the inputs, batch dimension first.
    """

    def __init__(self, layers, input_shape):
        self.layers = layers
        self._weights = weights_of(layers)
        spec = tf.TensorSpec((None, *input_shape[1:]), tf.float32)
        self._function = tf.function(self._outputs, autograph=False).get_concrete_function(
            variable_handles(self._weights), spec
        )

    def __call__(self, layers, inputs):
        """Outputs of `layers`, matching the template's, for a batch of `inputs`."""
        return self._function(variable_handles(weights_of(layers)), inputs)

    def bind(self, layers):
        """A function of a batch of inputs, running `layers`.

        The variables of `layers` are looked up once, not at every call:
        their values are read when the function runs, so it follows every
        later change of the weights.
        """
        return functools.partial(self._function, variable_handles(weights_of(layers)))

    def _outputs(self, weights, x):
        values = [weight.read_value() for weight in weights]
        with keras.StatelessScope(state_mapping=list(zip(self._weights, values))):
            for layer in self.layers:
                x = layer(x, training=False)
        return x
