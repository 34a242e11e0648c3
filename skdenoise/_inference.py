"""Inference with one fitted network, through the trace its structure shares."""

import functools

import tensorflow as tf

from ._shared_steps import on_default_strategy, shared_inference


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


def inference_function(network):
    """The function :class:`DenoisingAutoencoder` calls to run `network`.

    A :class:`NetworkFunction`; for a network of images of any height and
    width, wrapped to run in bounded batches and tiles (see
    :mod:`skdenoise._tiling`). A network ending in a spatial average (what
    ``transform`` of the fully convolutional network returns) is run up to
    the average, tile by tile, and averaged in NumPy.
    """
    import keras

    from ._architectures import receptive_radius
    from ._tiling import TiledFunction

    input_shape = tuple(network.input_shape[1:])
    if len(input_shape) != 3 or input_shape[0] is not None:
        return NetworkFunction(network)
    last = network.layers[-1]
    spatial_mean = type(last).__name__ == "GlobalAveragePooling2D"
    if spatial_mean:
        network = keras.Model(network.inputs, last.input, name="maps")
    function = NetworkFunction(network)
    return TiledFunction(
        lambda images: function(tf.constant(images)).numpy(),
        input_shape,
        radius=receptive_radius(network),
        spatial_mean=spatial_mean,
    )
