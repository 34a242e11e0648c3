"""The dense network's hidden layers: their sizes, and the features they give.

Free of Keras, so that parameters are checked and features named without
building a model; :func:`skdenoise._architectures.build_hidden_layers_model`
computes the features themselves.
"""

from numbers import Integral

import numpy as np

# What DenoisingAutoencoder.transform returns: the code, or the activations
# of every hidden layer of the dense network concatenated.
FEATURES = ("latent", "all_hidden")


def check_hidden_layer_sizes(hidden_layer_sizes):
    """Return `hidden_layer_sizes` as a tuple of positive ints, or raise.

    Parameters
    ----------
    hidden_layer_sizes : tuple or list of int
        Widths of the dense encoder's hidden layers; may be empty.

    Returns
    -------
    sizes : tuple of int
    """
    sizes = tuple(hidden_layer_sizes)
    if not all(
        isinstance(size, Integral) and not isinstance(size, bool) and size > 0 for size in sizes
    ):
        raise ValueError(
            "hidden_layer_sizes must be a tuple of positive ints, one per hidden "
            f"layer; got {hidden_layer_sizes!r}."
        )
    return tuple(int(size) for size in sizes)


def check_features(features, architecture):
    """Raise if `features` cannot be computed by the resolved `architecture`."""
    if features == "all_hidden" and architecture != "dense":
        raise ValueError(
            "features='all_hidden' concatenates the hidden layers of the dense "
            f"network, but the architecture is {architecture!r}. Use "
            "features='latent' for images, or architecture='dense'."
        )


def check_decodable(features):
    """Raise if the output of ``transform`` with `features` cannot be decoded."""
    if features == "all_hidden":
        raise ValueError(
            "inverse_transform decodes latent codes, but this estimator's "
            "transform returns every hidden layer (features='all_hidden'), "
            "which the decoder cannot take. Decode the codes of "
            "features='latent', or use predict to reconstruct samples."
        )


def hidden_layer_widths(latent_dim, hidden_layer_sizes):
    """Widths of the dense autoencoder's hidden layers, input to output.

    Parameters
    ----------
    latent_dim : int
        Size of the code.

    hidden_layer_sizes : tuple of int
        Widths of the encoder's hidden layers, from the input inwards.

    Returns
    -------
    widths : tuple of int
        The encoder's hidden layers, the code, then the decoder's hidden
        layers, the order in which ``features="all_hidden"`` concatenates
        them.
    """
    sizes = check_hidden_layer_sizes(hidden_layer_sizes)
    return (*sizes, int(latent_dim), *reversed(sizes))


def n_features_out(features, latent_dim, hidden_layer_sizes):
    """Width of what :meth:`DenoisingAutoencoder.transform` returns."""
    if features == "all_hidden":
        return sum(hidden_layer_widths(latent_dim, hidden_layer_sizes))
    return int(latent_dim)


def all_hidden_feature_names(prefix, latent_dim, hidden_layer_sizes):
    """Names ``{prefix}_hidden{layer}_{unit}`` of the all-hidden features.

    Layers count from 0 at the input side; the code is layer
    ``len(hidden_layer_sizes)``.

    Parameters
    ----------
    prefix : str
        The estimator's lowercase class name.

    latent_dim : int
        Size of the code.

    hidden_layer_sizes : tuple of int
        Widths of the encoder's hidden layers.

    Returns
    -------
    names : ndarray of str objects
    """
    return np.asarray(
        [
            f"{prefix}_hidden{layer}_{unit}"
            for layer, width in enumerate(hidden_layer_widths(latent_dim, hidden_layer_sizes))
            for unit in range(width)
        ],
        dtype=object,
    )
