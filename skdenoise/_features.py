"""What :meth:`DenoisingAutoencoder.transform` returns: its width, names and layers.

The one place that decides it. ``transform``, ``get_feature_names_out``,
``inverse_transform``, the ONNX export and persistence all ask
:func:`transform_output`, which reads the fitted network and the current
`features` parameter (a transform-time option that ``set_params`` may
change after fit), so that every output path agrees on the same columns.

Each kind of output is one :class:`FeatureKind` in :data:`FEATURE_KINDS`:
adding a kind there is all that the paths above need; which architectures
compute it, and whether their codes are maps averaged over each image, is
said by the architecture table (:data:`skdenoise._architectures.ARCHITECTURES`).
Keras is not imported: layers are read through their attributes only.
"""

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from ._architectures import ARCHITECTURES, DECODER_NAME, ENCODER_NAME, architecture_spec


@dataclass(frozen=True)
class FeatureKind:
    """One value of the `features` parameter.

    Attributes
    ----------
    decodable : bool
        Whether :meth:`DenoisingAutoencoder.inverse_transform` takes it.

    layers : callable
        ``layers(encoder, decoder)``: the Keras layers to run, in order,
        from the network's input.

    read_all : bool
        True to concatenate the output of every layer run, in order; False
        for the output of the last one only.

    network : str or None, default=None
        Name of the part of the model that computes it whole, such as
        ``"encoder"``; None builds a model from `layers`.

    refusal : str, default=""
        Why other architectures cannot compute it, and what to use instead.
    """

    decodable: bool
    layers: object
    read_all: bool
    network: str = None
    refusal: str = ""


def _encoder_layers(encoder, decoder):
    return list(encoder.layers)


def _hidden_layers(encoder, decoder):
    # Every layer but the decoder's output layer is a hidden one.
    return [*encoder.layers, *decoder.layers[:-1]]


# What DenoisingAutoencoder.transform returns, for each value of `features`:
# the code; or the activations of every hidden layer of the dense network
# concatenated, from the input towards the output. A network of images of any
# size has a latent map, averaged over each image: one width for every image
# size, which cannot be decoded back into an image.
FEATURE_KINDS = {
    "latent": FeatureKind(
        decodable=True, layers=_encoder_layers, read_all=False, network=ENCODER_NAME
    ),
    "all_hidden": FeatureKind(
        decodable=False,
        layers=_hidden_layers,
        read_all=True,
        refusal="Use features='latent' for images, or architecture='dense'.",
    ),
}
FEATURES = tuple(FEATURE_KINDS)


@dataclass(frozen=True)
class TransformOutput:
    """What ``transform`` of one fitted estimator returns, for its `features`.

    Attributes
    ----------
    features : str
        The `features` parameter it was computed for.

    layers : list of keras.layers.Layer
        The layers to run, in order, from the network's input.

    read : tuple of int
        Indices into `layers` of the outputs concatenated, in order.

    widths : tuple of int
        Width of each output read, in the order of `read`.

    network : str or None
        Name of the part of the model that computes it whole, if any.

    spatial_mean : bool
        Whether the output read is averaged over height and width.

    decodable : bool
        Whether :meth:`DenoisingAutoencoder.inverse_transform` takes it.
    """

    features: str
    layers: list
    read: tuple
    widths: tuple
    network: str = None
    spatial_mean: bool = False
    decodable: bool = True

    @property
    def width(self):
        """Number of columns ``transform`` returns."""
        return sum(self.widths)

    def feature_names(self, prefix):
        """Names of the columns, for ``get_feature_names_out``.

        ``{prefix}0``, ``{prefix}1``, ... for one output read (the codes);
        ``{prefix}_hidden{layer}_{unit}`` for several, layers counted from 0
        at the input side.
        """
        if len(self.widths) == 1:
            names = [f"{prefix}{unit}" for unit in range(self.width)]
        else:
            names = [
                f"{prefix}_hidden{layer}_{unit}"
                for layer, width in enumerate(self.widths)
                for unit in range(width)
            ]
        return np.asarray(names, dtype=object)

    def check_decodable(self, method="inverse_transform"):
        """Raise if the output cannot be decoded back into data space."""
        if self.spatial_mean:
            raise ValueError(
                f"{method} decodes latent codes, but with architecture='fully_conv' "
                "transform returns the latent maps averaged over each image "
                f"({self.width} columns), from which no image can be decoded. Use "
                "predict to denoise images."
            )
        if not self.decodable:
            raise ValueError(
                f"{method} decodes latent codes, but this estimator's "
                f"transform returns features={self.features!r} "
                f"({self.width} columns), which the decoder cannot take. "
                "Decode the codes of features='latent', or use predict to "
                "reconstruct samples."
            )


def transform_output(estimator, features=None):
    """What ``transform`` of a fitted `estimator` returns, for its `features`.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        Fitted.

    features : str or None, default=None
        A value of the `features` parameter; None takes the estimator's
        current one.

    Returns
    -------
    output : TransformOutput

    Raises
    ------
    ValueError
        If the fitted architecture cannot compute `features`.
    AttributeError
        If the estimator is not fitted.
    """
    model = estimator.model_
    features = estimator.features if features is None else features
    kind = check_features(features, estimator.architecture_)
    spatial_mean = architecture_spec(estimator.architecture_).any_size
    layers = kind.layers(model.get_layer(ENCODER_NAME), model.get_layer(DECODER_NAME))
    read = tuple(range(len(layers))) if kind.read_all else (len(layers) - 1,)
    shapes = [layers[index].output.shape[1:] for index in read]
    widths = tuple(shape[-1] if spatial_mean else math.prod(shape) for shape in shapes)
    if spatial_mean:
        # The map is averaged by the caller, tile by tile for large images.
        return TransformOutput(features, layers, read, widths, None, True, False)
    return TransformOutput(features, layers, read, widths, kind.network, False, kind.decodable)


def check_features(features, architecture):
    """Return the kind of `features` that the fitted `architecture` computes, or raise."""
    kind = FEATURE_KINDS.get(features) if isinstance(features, str) else None
    if kind is None:
        raise ValueError(f"features must be one of {FEATURES}; got {features!r}.")
    if features in architecture_spec(architecture).features:
        return kind
    architectures = [name for name, spec in ARCHITECTURES.items() if features in spec.features]
    raise ValueError(
        f"features={features!r} is computed by the "
        f"{' or '.join(architectures)} network only, but the "
        f"architecture is {architecture!r}. {kind.refusal}"
    )


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
