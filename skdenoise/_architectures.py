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
# encoder then decoder. Plain convolutions (a receptive field of 17 pixels)
# denoised photos better after short training than dilation rates 1, 2, 3,
# 4, 3, 2, 1 (35 pixels), and faster; benchmarks/results/photos_design.md.
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


def build_compiled_autoencoder(
    architecture,
    input_shape,
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
    architecture : {"conv", "fully_conv", "dense"}
        :func:`build_conv_autoencoder`, :func:`build_fully_conv_denoiser` or
        :func:`build_dense_autoencoder`.

    input_shape : tuple of int
        Shape of one sample: ``(height, width, channels)`` for ``"conv"``
        (only the channels count for ``"fully_conv"``), ``(n_features,)``
        for ``"dense"``.

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
        if architecture == "fully_conv":
            if output_activation != "linear":
                raise ValueError(
                    "architecture='fully_conv' subtracts the predicted noise from its "
                    f"input, so its output is linear; got output_activation={output_activation!r}."
                )
            model = build_fully_conv_denoiser(input_shape[-1], latent_dim, seed=seed)
        elif architecture == "conv":
            model = build_conv_autoencoder(
                input_shape, latent_dim, output_activation=output_activation, seed=seed
            )
        else:
            model = build_dense_autoencoder(
                input_shape[0],
                latent_dim,
                hidden_layer_sizes,
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
        columns.
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
    if output.spatial_mean:
        result = layers.GlobalAveragePooling2D()(result)
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
