"""Keras models behind :class:`~skdenoise.DenoisingAutoencoder`.

Each builder is a plain function of explicit arguments that returns an
uncompiled ``keras.Model`` made of two nested models, ``encoder`` and
``decoder``, so the estimator can expose both without holding separate copies
of their weights; :func:`build_compiled_autoencoder` builds the estimator's
network and compiles it. Keras is imported inside the builders: importing
this module does not start TensorFlow.
"""

import contextlib
import math
from dataclasses import dataclass

AUTOENCODER_NAME = "autoencoder"
ENCODER_NAME = "encoder"
DECODER_NAME = "decoder"


class _SeedSequence:
    """Hand out a distinct initializer seed for each layer, from one integer."""

    def __init__(self, seed):
        self._seed = int(seed)
        self._count = 0

    def glorot(self):
        import keras

        self._count += 1
        return keras.initializers.GlorotUniform(seed=self._seed + self._count)


def _pooled_size(size, n_pools):
    # MaxPooling2D(padding="same") rounds up at every halving.
    for _ in range(n_pools):
        size = math.ceil(size / 2)
    return size


def build_conv_autoencoder(image_shape, latent_dim, *, output_activation, seed):
    """Build the convolutional denoising autoencoder for images.

    Encoder: Conv 16 → BatchNorm → MaxPool, Conv 32 → BatchNorm → MaxPool,
    Conv 32, Dense latent. The decoder mirrors it with Conv2DTranspose layers,
    batch normalisation and upsampling, and ends in a 3×3 convolution with
    `output_activation`. For ``image_shape=(28, 28, 1)`` and
    ``latent_dim=128`` the model has 440,865 parameters.

    Parameters
    ----------
    image_shape : tuple of (int, int, int)
        Height, width and channels of one image. Sizes that are not a
        multiple of 4 are padded by the pooling and cropped at the end.

    latent_dim : int
        Size of the code.

    output_activation : str
        Activation of the last layer (``"sigmoid"`` for data in [0, 1]).

    seed : int
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Autoencoder whose layers named ``"encoder"`` and ``"decoder"`` are
        the two halves.
    """
    import keras
    from keras import layers

    height, width, channels = image_shape
    seeds = _SeedSequence(seed)
    conv = dict(kernel_size=3, padding="same", activation="relu")

    encoder = keras.Sequential(
        [
            keras.Input(shape=image_shape),
            layers.Conv2D(16, kernel_initializer=seeds.glorot(), **conv),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2, padding="same"),
            layers.Conv2D(32, kernel_initializer=seeds.glorot(), **conv),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2, padding="same"),
            layers.Conv2D(32, kernel_initializer=seeds.glorot(), **conv),
            layers.Flatten(),
            layers.Dense(latent_dim, kernel_initializer=seeds.glorot()),
        ],
        name=ENCODER_NAME,
    )

    code_height, code_width = _pooled_size(height, 2), _pooled_size(width, 2)
    decoder_layers = [
        keras.Input(shape=(latent_dim,)),
        layers.Dense(
            code_height * code_width * 32,
            activation="relu",
            kernel_initializer=seeds.glorot(),
        ),
        layers.Reshape((code_height, code_width, 32)),
        layers.Conv2DTranspose(32, kernel_initializer=seeds.glorot(), **conv),
        layers.BatchNormalization(),
        layers.UpSampling2D(2),
        layers.Conv2DTranspose(32, kernel_initializer=seeds.glorot(), **conv),
        layers.BatchNormalization(),
        layers.UpSampling2D(2),
        layers.Conv2DTranspose(16, kernel_initializer=seeds.glorot(), **conv),
        layers.Conv2D(
            channels,
            kernel_size=3,
            padding="same",
            activation=output_activation,
            kernel_initializer=seeds.glorot(),
        ),
    ]
    crop_height, crop_width = 4 * code_height - height, 4 * code_width - width
    if crop_height or crop_width:
        decoder_layers.append(layers.Cropping2D(((0, crop_height), (0, crop_width))))
    decoder = keras.Sequential(decoder_layers, name=DECODER_NAME)
    return _join(encoder, decoder, image_shape)


# Dilation rates of the fully convolutional network's 3x3 ReLU layers,
# encoder then decoder: plain convolutions, a receptive field of 17 pixels.
FULLY_CONV_DILATIONS = ((1, 1, 1, 1), (1, 1, 1))
FULLY_CONV_FILTERS = 32


def build_fully_conv_denoiser(n_channels, latent_dim, *, seed, dilations=FULLY_CONV_DILATIONS):
    """Build the fully convolutional residual denoiser, for images of any size.

    Encoder: four 3x3 ReLU convolutions of 32 channels, then a 1x1 ReLU
    convolution of `latent_dim` channels named ``"latent"``. Decoder: a 1x1
    ReLU convolution back to 32 channels, three 3x3 ReLU convolutions, and a
    linear 3x3 convolution named ``"noise"`` that predicts the noise. The
    model outputs its input minus the predicted noise (residual learning, as
    in DnCNN). Every layer has stride 1 and "same" padding and there is no
    batch normalisation, so any height and width work and each output pixel
    depends only on the input within :func:`receptive_radius` pixels of it.
    For grey images and ``latent_dim=128`` it has 64,449 parameters.

    Parameters
    ----------
    n_channels : int
        Channels of the images.

    latent_dim : int
        Channels of the ``"latent"`` layer.

    seed : int
        Seed of the weight initializers.

    dilations : tuple of (tuple of int, tuple of int), default=FULLY_CONV_DILATIONS
        Dilation rates of the encoder's four and the decoder's three 3x3
        ReLU layers.

    Returns
    -------
    model : keras.Model
        Denoiser of input shape ``(None, None, n_channels)`` whose layers
        named ``"encoder"`` and ``"decoder"`` are its two halves.
    """
    import keras
    from keras import layers

    seeds = _SeedSequence(seed)
    encoder_dilations, decoder_dilations = dilations

    def conv(filters, dilation, kernel_size=3, activation="relu", **kwargs):
        return layers.Conv2D(
            filters,
            kernel_size,
            padding="same",
            dilation_rate=dilation,
            activation=activation,
            kernel_initializer=seeds.glorot(),
            **kwargs,
        )

    image_shape = (None, None, n_channels)
    encoder = keras.Sequential(
        [
            keras.Input(shape=image_shape),
            *[conv(FULLY_CONV_FILTERS, dilation) for dilation in encoder_dilations],
            conv(latent_dim, 1, kernel_size=1, name="latent"),
        ],
        name=ENCODER_NAME,
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(None, None, latent_dim)),
            conv(FULLY_CONV_FILTERS, 1, kernel_size=1),
            *[conv(FULLY_CONV_FILTERS, dilation) for dilation in decoder_dilations],
            conv(n_channels, 1, activation="linear", name="noise"),
        ],
        name=DECODER_NAME,
    )
    inputs = keras.Input(shape=image_shape)
    denoised = layers.Subtract(name="denoised")([inputs, decoder(encoder(inputs))])
    return keras.Model(inputs, denoised, name=AUTOENCODER_NAME)


def receptive_radius(model):
    """Pixels on each side of an output pixel that it depends on.

    Parameters
    ----------
    model : keras.Model
        A network of stride-1 convolutions, such as the one of
        :func:`build_fully_conv_denoiser`; nested models are walked.

    Returns
    -------
    radius : int
    """
    radius = 0
    for layer in model.layers:
        if hasattr(layer, "layers"):
            radius += receptive_radius(layer)
        elif type(layer).__name__ == "Conv2D":
            config = layer.get_config()
            radius += max(
                dilation * (size // 2)
                for dilation, size in zip(config["dilation_rate"], config["kernel_size"])
            )
    return radius


def build_dense_autoencoder(
    n_features, latent_dim, hidden_layer_sizes, *, output_activation, seed
):
    """Build a fully connected autoencoder for tabular data.

    The encoder is a stack of ReLU layers of `hidden_layer_sizes` followed by
    a linear code of `latent_dim`; the decoder mirrors the hidden layers.

    Parameters
    ----------
    n_features : int
        Width of one sample.

    latent_dim : int
        Size of the code.

    hidden_layer_sizes : tuple of int
        Widths of the encoder's hidden layers, from the input inwards.

    output_activation : str
        Activation of the last layer.

    seed : int
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Autoencoder whose layers named ``"encoder"`` and ``"decoder"`` are
        the two halves.
    """
    import keras
    from keras import layers

    seeds = _SeedSequence(seed)
    hidden = [
        layers.Dense(units, activation="relu", kernel_initializer=seeds.glorot())
        for units in hidden_layer_sizes
    ]
    encoder = keras.Sequential(
        [
            keras.Input(shape=(n_features,)),
            *hidden,
            layers.Dense(latent_dim, kernel_initializer=seeds.glorot()),
        ],
        name=ENCODER_NAME,
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            *[
                layers.Dense(units, activation="relu", kernel_initializer=seeds.glorot())
                for units in reversed(hidden_layer_sizes)
            ],
            layers.Dense(
                n_features,
                activation=output_activation,
                kernel_initializer=seeds.glorot(),
            ),
        ],
        name=DECODER_NAME,
    )
    return _join(encoder, decoder, (n_features,))


@dataclass(frozen=True)
class Architecture:
    """The facts of one value of `architecture` that other modules ask.

    Every module asks :func:`architecture_spec` rather than compare the
    name: a new architecture is one entry of :data:`ARCHITECTURES` and a
    builder.

    Attributes
    ----------
    build : callable
        ``build(sample_shape, latent_dim, *, hidden_layer_sizes,
        output_activation, seed)``: the uncompiled network.

    takes_images : bool
        Whether the samples must be images, of an ``image_shape_``.

    any_size : bool
        Whether the fitted network takes images of any height and width.
        Its ``transform`` then averages the latent map over each image, so
        the codes cannot be decoded back into an image.

    residual : bool
        Whether the network outputs its input minus the noise it predicts;
        such an output is unbounded, so its activation is linear.

    refused_losses : tuple of str
        Keras names of the losses it cannot train on, and why, in
        `refusal`.

    auto_loss : str or None
        What ``loss="auto"`` resolves to; None decides from the data.

    features : tuple of str
        The values of `features` whose ``transform`` it computes.

    refusal : str
        Why the `refused_losses` do not apply, after ``loss='...'`` in a
        message.
    """

    build: object
    takes_images: bool
    any_size: bool = False
    residual: bool = False
    refused_losses: tuple = ()
    auto_loss: str = None
    features: tuple = ("latent",)
    refusal: str = ""

    def sample_shape(self, image_shape, n_features):
        """Shape of one training sample: one image (or patch), or one row."""
        return tuple(image_shape) if self.takes_images else (n_features,)

    def network_input_shape(self, image_shape, n_features):
        """Shape of one sample as the fitted network takes it (None: any size)."""
        if self.any_size:
            return (None, None, image_shape[2])
        return self.sample_shape(image_shape, n_features)


def _build_conv(sample_shape, latent_dim, *, hidden_layer_sizes, output_activation, seed):
    return build_conv_autoencoder(
        sample_shape, latent_dim, output_activation=output_activation, seed=seed
    )


def _build_fully_conv(sample_shape, latent_dim, *, hidden_layer_sizes, output_activation, seed):
    if output_activation != "linear":
        raise ValueError(
            "architecture='fully_conv' subtracts the predicted noise from its input, so "
            f"its output is linear; got output_activation={output_activation!r}."
        )
    return build_fully_conv_denoiser(sample_shape[-1], latent_dim, seed=seed)


def _build_dense(sample_shape, latent_dim, *, hidden_layer_sizes, output_activation, seed):
    return build_dense_autoencoder(
        sample_shape[0],
        latent_dim,
        hidden_layer_sizes,
        output_activation=output_activation,
        seed=seed,
    )


# Every architecture the estimator builds, and what the rest of the package
# needs to know of it.
ARCHITECTURES = {
    "conv": Architecture(build=_build_conv, takes_images=True),
    "fully_conv": Architecture(
        build=_build_fully_conv,
        takes_images=True,
        any_size=True,
        residual=True,
        refused_losses=("binary_crossentropy",),
        auto_loss="mean_squared_error",
        refusal=(
            "needs outputs in [0, 1], but architecture='fully_conv' outputs its input "
            "minus the predicted noise, which is not bounded"
        ),
    ),
    "dense": Architecture(
        build=_build_dense, takes_images=False, features=("latent", "all_hidden")
    ),
}


def architecture_spec(architecture):
    """The :class:`Architecture` of a fitted ``architecture_`` name."""
    return ARCHITECTURES[architecture]


def resolve_architecture(architecture, image_shape):
    """The architecture a fit builds: `architecture`, or for ``"auto"`` by the data.

    ``"auto"`` is the convolutional network for images (an `image_shape`)
    and the dense one for tables.
    """
    if architecture in ARCHITECTURES:
        return architecture
    return "dense" if image_shape is None else "conv"


def requires_images(architecture):
    """Whether the `architecture` parameter asks for images (not ``"auto"``)."""
    return architecture in ARCHITECTURES and ARCHITECTURES[architecture].takes_images


def build_compiled_autoencoder(
    architecture,
    sample_shape,
    latent_dim,
    *,
    hidden_layer_sizes,
    output_activation,
    loss,
    learning_rate,
    seed,
    distribution_strategy,
):
    """Build the estimator's network, compiled with Adam, its optimizer built.

    Parameters
    ----------
    architecture : str
        A key of :data:`ARCHITECTURES`.

    sample_shape : tuple of int
        Shape of one sample, as :meth:`Architecture.sample_shape` gives it.

    latent_dim : int
        Size of the code.

    hidden_layer_sizes : tuple of int
        Widths of the dense encoder's hidden layers.

    output_activation : {"auto", "sigmoid", "linear", "relu"}
        Activation of the last layer; ``"auto"`` is ``"sigmoid"`` for
        binary cross-entropy and ``"linear"`` otherwise.

    loss : str
        Keras name of the loss.

    learning_rate : float
        Adam's learning rate.

    seed : int
        Seed of the weight initializers.

    distribution_strategy : {"mirrored", "multi_worker_mirrored"} or None
        The ``tf.distribute`` strategy whose scope the model is built in.

    Returns
    -------
    model : keras.Model
        Compiled autoencoder.
    """
    import keras

    if output_activation == "auto":
        output_activation = "sigmoid" if loss == "binary_crossentropy" else "linear"
    with _distribution_scope(distribution_strategy):
        model = ARCHITECTURES[architecture].build(
            sample_shape,
            latent_dim,
            hidden_layer_sizes=hidden_layer_sizes,
            output_activation=output_activation,
            seed=seed,
        )
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss)
        # Built now, as a first training step would: the shared training
        # steps update the optimizer's variables in place.
        model.optimizer.build(model.trainable_variables)
    return model


def _distribution_scope(name):
    """The scope of the named tf.distribute strategy, or a null context."""
    if name is None:
        return contextlib.nullcontext()
    import tensorflow as tf

    from ._multi_worker import multi_worker_strategy

    if name == "multi_worker_mirrored":
        return multi_worker_strategy().scope()
    devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
    strategy = tf.distribute.MirroredStrategy([device.name for device in devices])
    return strategy.scope()


def _join(encoder, decoder, input_shape):
    import keras

    inputs = keras.Input(shape=input_shape)
    return keras.Model(inputs, decoder(encoder(inputs)), name=AUTOENCODER_NAME)


def build_features_model(model, output):
    """A model computing what ``transform`` returns, from `model`'s layers.

    For outputs other than the encoder's codes, such as the "deep stack" of
    tabular denoising autoencoders (the activations of the encoder's hidden
    layers, the code, and the decoder's hidden layers, concatenated). The
    new model shares the layers, and so the weights, of `model`; it holds
    nothing of its own to save.

    Parameters
    ----------
    model : keras.Model
        Autoencoder built here.

    output : skdenoise._features.TransformOutput
        The layers to run and the outputs to concatenate.

    Returns
    -------
    features : keras.Model
        Maps samples to the concatenated outputs, of ``output.width``
        columns; with ``output.spatial_mean``, to the maps that its caller
        averages over each image.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=model.get_layer(ENCODER_NAME).input_shape[1:])
    x, outputs = inputs, []
    for layer in output.layers:
        x = layer(x)
        outputs.append(x)
    read = [outputs[index] for index in output.read]
    result = read[0] if len(read) == 1 else layers.Concatenate()(read)
    return keras.Model(inputs, result, name="features")


def network_for(model, part):
    """The Keras network of `model` that computes `part`.

    Parameters
    ----------
    model : keras.Model
        Autoencoder built here.

    part : str or skdenoise._features.TransformOutput
        ``"autoencoder"``, ``"encoder"`` or ``"decoder"``, or what
        ``transform`` returns.

    Returns
    -------
    network : keras.Model
    """
    if not isinstance(part, str):
        if part.network is None:
            return build_features_model(model, part)
        part = part.network
    return model if part == AUTOENCODER_NAME else model.get_layer(part)
