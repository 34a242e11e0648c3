"""Traces shared by every network of one structure, and the key they are kept under.

``keras.Model.fit`` and ``Model.predict`` trace their functions anew for
every model, which costs a second or more per network; a grid search builds
a new model for every candidate and fold. The traced training steps
(:mod:`skdenoise._training_steps`) and inference functions
(:mod:`skdenoise._inference`) are instead pure functions of the variables
they are given, traced once per network structure and process and kept
here, keyed by what the network computes.
"""

import json
import threading
from collections import OrderedDict

import keras
import tensorflow as tf

# Structures whose traces are kept: a grid over latent sizes and noise
# levels holds a handful, and each entry is small next to a fitted model.
_CACHE_SIZE = 32
_cache = OrderedDict()
_cache_lock = threading.Lock()


def on_default_strategy(model):
    """Whether `model` lives, and is called, outside any distribution strategy.

    The shared functions run on the default device placement; a model of a
    ``tf.distribute`` strategy keeps its own functions.
    """
    return (
        not tf.distribute.has_strategy()
        and model.distribute_strategy is tf.distribute.get_strategy()
    )


def cached(key, make):
    """The value kept under `key`, made by ``make()`` on the first call."""
    with _cache_lock:
        value = _cache.get(key)
        if value is None:
            value = _cache[key] = make()
            if len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(key)
    return value


def structure_key(model):
    """What a model computes, as a hashable key: every layer's settings.

    Names and initializers are left out: they do not change what a trained
    network computes, and every new model has names and seeds of its own.
    """
    return (tuple(model.input_shape), tuple(_layer_settings(model)))


def _layer_settings(layer):
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            yield from _layer_settings(inner)
        return
    config = {
        name: value
        for name, value in layer.get_config().items()
        if name not in ("name", "seed") and not name.endswith("_initializer")
    }
    yield type(layer).__name__, json.dumps(config, sort_keys=True, default=repr)


def weights_of(layers):
    """Every weight of `layers`, trainable or not, in the order of the layers."""
    return [weight for layer in layers for weight in layer.weights]


def variable_handles(variables):
    """The TensorFlow variables behind Keras variables."""
    return [variable.value for variable in variables]
