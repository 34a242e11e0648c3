"""Inference with one fitted network: shared trace first, its own when called often."""

import functools
import threading

import tensorflow as tf

from ._shared_steps import on_default_strategy, shared_inference

# Calls after which a network gets a concrete function of its own. Passing
# the variables as arguments to the shared trace costs about a millisecond
# more per call than reading them as captures of the network's own function,
# which takes from a fraction of a second to seconds to trace: worth it for a
# model serving many predictions, not for the one score of every model that
# a grid search fits.
OWN_TRACE_AFTER_CALLS = 16


class NetworkFunction:
    """A network in inference mode, called on float32 batches.

    Parameters
    ----------
    network : keras.Model
        The autoencoder, one of its halves, or a model sharing its layers.
    """

    def __init__(self, network):
        self.network = network
        self.input_shape = tuple(network.input_shape[1:])
        self._calls = 0
        self._own = None
        self._lock = threading.Lock()
        self._shared = shared_inference(network) if on_default_strategy(network) else None

    def __call__(self, inputs):
        """Outputs for a batch of `inputs`, a float32 tensor."""
        if self._own is None and self._shared is not None:
            with self._lock:
                self._calls += 1
                use_shared = self._calls <= OWN_TRACE_AFTER_CALLS
            if use_shared:
                return self._shared([self.network], inputs)
        return self._own_function()(inputs)

    def _own_function(self):
        with self._lock:
            if self._own is None:
                spec = tf.TensorSpec((None, *self.input_shape), tf.float32)
                # A partial, not a lambda: TensorFlow keys its retracing
                # warning on a function's code, which every model's lambda
                # shares. The concrete function of the one signature skips
                # tf.function's argument binding and cache look-up, about
                # 0.3 ms of every call (benchmarks/latency.py).
                self._own = tf.function(
                    functools.partial(self.network, training=False), input_signature=[spec]
                ).get_concrete_function()
        return self._own
