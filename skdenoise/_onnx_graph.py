"""ONNX nodes computing the Keras networks that skdenoise builds, at inference.

Each supported Keras layer becomes a few standard ONNX operators, written
through a small writer interface (:class:`GraphWriter`) so that the same code
fills a stand-alone graph or a skl2onnx converter's container. Only the
closed set of layers and settings of ``skdenoise._architectures`` is
supported; anything else is refused with the layer and setting named, rather
than exported as a wrong graph.

Keras images are channels-last (NHWC); ONNX's convolutions are
channels-first (NCHW). Four-dimensional tensors are kept channels-first
inside the graph and transposed back where Keras would flatten or reshape
them, so flat orders match Keras's exactly.

Keras is not imported here: layers are read through their class names,
configs and weights.
"""

import math

import numpy as np

# The smallest opset with every operator used below in the form used
# (Resize without roi, Slice and Reshape with tensor inputs).
MIN_OPSET = 13

_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "linear": None}
# Element types of ONNX's TensorProto, fixed by the standard.
_FLOAT, _DOUBLE = 1, 11


class GraphWriter:
    """Where the nodes go: a stand-alone graph or a skl2onnx container.

    Subclasses implement :meth:`constant` and :meth:`node`.
    """

    def constant(self, array, base_name):
        """Add `array` as an initializer; return its unique name."""
        raise NotImplementedError

    def node(self, op_type, inputs, base_name, **attributes):
        """Add one node with one output; return the output's unique name."""
        raise NotImplementedError


class UnsupportedModelError(ValueError):
    """A Keras model that cannot be exported exactly to ONNX."""


class NetworkEmitter:
    """Emit the nodes of Keras Sequential networks, one layer after another.

    Parameters
    ----------
    writer : GraphWriter
        Receives the nodes.

    name : str
        Name of the current tensor, of shape ``(batch, *shape)`` in Keras's
        terms (channels-first in the graph when 4-dimensional).

    shape : tuple of int or None
        Keras shape of the current tensor, without the batch axis; None for
        a height or width left free, for fully convolutional networks.
    """

    def __init__(self, writer, name, shape):
        self.writer = writer
        self.name = name
        self.shape = _sizes(shape)

    # ----------------------------------------------------------- public

    def to_model_shape(self, model_shape):
        """Reshape the current tensor to rows of `model_shape`, channels first."""
        model_shape = tuple(int(size) for size in model_shape)
        if self.shape != model_shape:
            self._reshape((-1, *model_shape))
            self.shape = model_shape
        if len(model_shape) == 3:
            self._to_channels_first()

    def to_sample_shape(self, sample_shape):
        """Reshape the current tensor to rows of `sample_shape` in Keras's order."""
        sample_shape = tuple(int(size) for size in sample_shape)
        if len(self.shape) == 3:
            self._to_channels_last()
        if self.shape != sample_shape:
            self._reshape((-1, *sample_shape))
            self.shape = sample_shape

    def network(self, network):
        """Emit every layer of a Keras ``Sequential`` network."""
        if type(network).__name__ != "Sequential":
            raise UnsupportedModelError(
                f"Cannot export the network {network.name!r} of class "
                f"{type(network).__name__}: only the Sequential encoders and "
                "decoders that skdenoise builds can be exported."
            )
        for layer in network.layers:
            self.layer(layer)

    def concatenated(self, layers, read):
        """Emit `layers` in order; concatenate the outputs of those in `read`.

        Parameters
        ----------
        layers : list of keras.layers.Layer
            Run one after another from the current tensor.

        read : tuple of int
            Increasing indices into `layers` of the outputs to concatenate,
            as flat rows; one index leaves that output as it is.
        """
        outputs = []
        for index, layer in enumerate(layers):
            self.layer(layer)
            if index in read:
                if len(read) > 1 and len(self.shape) != 1:
                    raise UnsupportedModelError(
                        f"Cannot concatenate the output of layer {layer.name!r} "
                        f"of shape {self.shape}: only flat rows are supported."
                    )
                outputs.append((self.name, self.shape))
        if len(outputs) > 1:
            self.name = self.writer.node("Concat", [name for name, _ in outputs], "concat", axis=1)
            self.shape = (sum(shape[0] for _, shape in outputs),)
        else:
            self.name, self.shape = outputs[0]

    def layer(self, layer):
        """Emit one Keras layer."""
        kind = type(layer).__name__
        emit = getattr(self, f"_emit_{kind}", None)
        if emit is None:
            raise UnsupportedModelError(
                f"Cannot export layer {layer.name!r} of class {kind} to ONNX: "
                f"only {', '.join(sorted(SUPPORTED_LAYERS))} are supported."
            )
        config = layer.get_config()
        _require(layer, config, "data_format", {None, "channels_last"})
        output_shape = tuple(layer.compute_output_shape((None, *self.shape))[1:])
        emit(layer, config)
        self.shape = _sizes(output_shape)

    def any_size_images_to_model(self, channels):
        """From images ``(batch, height, width[, channels])`` of any size to channels first."""
        if len(self.shape) == 2:
            axes = self._int64([3], "channel_axis")
            self.name = self.writer.node("Unsqueeze", [self.name, axes], "unsqueeze")
            self.shape = (*self.shape, channels)
        self._to_channels_first()

    def any_size_images_to_sample(self, sample_rank):
        """Back to images of `sample_rank` dimensions (2 for grey without channels)."""
        self._to_channels_last()
        if sample_rank == 2:
            axes = self._int64([3], "channel_axis")
            self.name = self.writer.node("Squeeze", [self.name, axes], "squeeze")
            self.shape = self.shape[:2]

    def subtracted_from(self, name):
        """The tensor `name` minus the current one, as Keras's ``Subtract``."""
        self.name = self.writer.node("Sub", [name, self.name], "subtract")

    def spatial_mean(self):
        """Average the current images over height and width, into flat rows.

        Each row of pixels is summed in float32, the rows in float64, as
        ``transform`` sums in float64: ONNX Runtime's ``GlobalAveragePool``
        adds a whole photo in float32, 3e-4 off over a megapixel of values
        of order one.
        """
        if len(self.shape) != 3:
            raise UnsupportedModelError(
                f"Cannot average a tensor of shape {self.shape} over space: only images."
            )
        maps = self.name
        writer = self.writer
        rows = writer.node("ReduceSum", [maps, self._int64([3], "width_axis")], "row_sums")
        rows = writer.node("Cast", [rows], "row_sums_float64", to=_DOUBLE)
        total = writer.node("ReduceSum", [rows, self._int64([2], "height_axis")], "sums")
        shape = writer.node("Shape", [maps], "maps_shape")
        sides = writer.node(
            "Slice", [shape, self._int64([2], "start"), self._int64([4], "end")], "sides"
        )
        sides = writer.node("Cast", [sides], "sides_float64", to=_DOUBLE)
        # No axes: the product of both sides, in every opset.
        pixels = writer.node("ReduceProd", [sides], "pixels", keepdims=0)
        mean = writer.node("Div", [total, pixels], "spatial_mean_float64")
        mean = writer.node("Cast", [mean], "spatial_mean", to=_FLOAT)
        self.name = writer.node("Flatten", [mean], "flatten", axis=1)
        self.shape = (self.shape[2],)

    # ----------------------------------------------------------- layers

    def _emit_InputLayer(self, layer, config):
        pass

    def _emit_Dense(self, layer, config):
        if len(self.shape) != 1:
            raise UnsupportedModelError(
                f"Cannot export Dense layer {layer.name!r} applied to a tensor of "
                f"rank {len(self.shape) + 1}: only flat rows are supported."
            )
        inputs = [self.name, self._weight(layer.kernel, layer, "kernel")]
        if layer.use_bias:
            inputs.append(self._weight(layer.bias, layer, "bias"))
        self.name = self.writer.node("Gemm", inputs, layer.name)
        self._activation(layer, config)

    def _emit_Conv2D(self, layer, config):
        self._check_conv(layer, config, dilation=True)
        strides = tuple(config["strides"])
        kernel_size = tuple(config["kernel_size"])
        dilations = tuple(config.get("dilation_rate", (1, 1)))
        if dilations != (1, 1) and strides != (1, 1):
            raise UnsupportedModelError(
                f"Cannot export Conv2D layer {layer.name!r} with both strides and dilation."
            )
        # A dilated kernel spans (size - 1) * dilation + 1 pixels.
        span = tuple((size - 1) * rate + 1 for size, rate in zip(kernel_size, dilations))
        pads = self._padding(layer, config["padding"], span, strides)
        # Keras: (height, width, in, out); ONNX: (out, in, height, width).
        kernel = np.transpose(_numpy(layer.kernel), (3, 2, 0, 1))
        self._conv("Conv", layer, kernel, kernel_size, strides, pads, dilations)
        self._activation(layer, config)

    def _emit_Conv2DTranspose(self, layer, config):
        self._check_conv(layer, config)
        kernel_size = tuple(config["kernel_size"])
        if tuple(config["strides"]) != (1, 1):
            raise UnsupportedModelError(
                f"Cannot export Conv2DTranspose layer {layer.name!r} with "
                f"strides={tuple(config['strides'])}: only strides=(1, 1) is supported."
            )
        if config.get("output_padding") not in (None, (0, 0), [0, 0]):
            raise UnsupportedModelError(
                f"Cannot export Conv2DTranspose layer {layer.name!r} with output_padding."
            )
        # A transposed convolution of stride 1 crops from its full output what
        # the convolution it transposes pads (the same split as Conv2D). It
        # equals a convolution with the kernel flipped and in and out swapped,
        # padded by kernel - 1 - crop: written so, because runtimes optimise
        # Conv far more than ConvTranspose.
        crops = self._padding(layer, config["padding"], kernel_size, (1, 1))
        pads = [size - 1 - crop for size, crop in zip(kernel_size * 2, crops)]
        # Keras: (height, width, out, in); ONNX Conv: (out, in, height, width).
        kernel = np.transpose(_numpy(layer.kernel)[::-1, ::-1], (2, 3, 0, 1))
        self._conv("Conv", layer, np.ascontiguousarray(kernel), kernel_size, (1, 1), pads)
        self._activation(layer, config)

    def _emit_BatchNormalization(self, layer, config):
        axis = config["axis"]
        axis = axis[0] if isinstance(axis, (list, tuple)) and len(axis) == 1 else axis
        if axis not in (-1, len(self.shape)):
            raise UnsupportedModelError(
                f"Cannot export BatchNormalization layer {layer.name!r} with "
                f"axis={config['axis']}: only the channel (last) axis is supported."
            )
        if config.get("renorm") or config.get("synchronized"):
            raise UnsupportedModelError(
                f"Cannot export BatchNormalization layer {layer.name!r} with "
                "renorm or synchronized statistics."
            )
        mean = _numpy(layer.moving_mean)
        variance = _numpy(layer.moving_variance)
        ones, zeros = np.ones_like(mean), np.zeros_like(mean)
        scale = _numpy(layer.gamma) if layer.scale else ones
        offset = _numpy(layer.beta) if layer.center else zeros
        inputs = [self.name] + [
            self.writer.constant(value, f"{layer.name}_{part}")
            for part, value in [
                ("scale", scale),
                ("offset", offset),
                ("mean", mean),
                ("variance", variance),
            ]
        ]
        self.name = self.writer.node(
            "BatchNormalization", inputs, layer.name, epsilon=float(config["epsilon"])
        )

    def _emit_MaxPooling2D(self, layer, config):
        pool_size = tuple(config["pool_size"])
        strides = tuple(config["strides"] or pool_size)
        pads = self._padding(layer, config["padding"], pool_size, strides)
        self.name = self.writer.node(
            "MaxPool",
            [self.name],
            layer.name,
            kernel_shape=list(pool_size),
            strides=list(strides),
            pads=pads,
        )

    def _emit_UpSampling2D(self, layer, config):
        _require(layer, config, "interpolation", {"nearest"})
        size = tuple(config["size"])
        scales = np.array([1, 1, *size], dtype=np.float32)
        # Whole-number scales with the "asymmetric" transformation and
        # "floor" pick input pixel floor(x / size): Keras's nearest neighbour.
        self.name = self.writer.node(
            "Resize",
            [self.name, "", self.writer.constant(scales, f"{layer.name}_scales")],
            layer.name,
            mode="nearest",
            coordinate_transformation_mode="asymmetric",
            nearest_mode="floor",
        )

    def _emit_Cropping2D(self, layer, config):
        (top, bottom), (left, right) = config["cropping"]
        height, width = self.shape[:2]
        self.name = self.writer.node(
            "Slice",
            [
                self.name,
                self._int64([top, left], f"{layer.name}_starts"),
                self._int64([height - bottom, width - right], f"{layer.name}_ends"),
                self._int64([2, 3], f"{layer.name}_axes"),
            ],
            layer.name,
        )

    def _emit_Flatten(self, layer, config):
        if len(self.shape) == 3:
            self._to_channels_last()
        self._reshape((-1, math.prod(self.shape)))

    def _emit_Reshape(self, layer, config):
        target = tuple(layer.compute_output_shape((None, *self.shape))[1:])
        if len(target) not in (1, 3):
            raise UnsupportedModelError(
                f"Cannot export Reshape layer {layer.name!r} to shape {target}: only "
                "flat rows and (height, width, channels) images are supported."
            )
        if len(self.shape) == 3:
            self._to_channels_last()
        self._reshape((-1, *target))
        if len(target) == 3:
            self._to_channels_first()

    # ----------------------------------------------------------- helpers

    def _check_conv(self, layer, config, dilation=False):
        if len(self.shape) != 3:
            raise UnsupportedModelError(
                f"Cannot export {type(layer).__name__} layer {layer.name!r} applied to "
                f"a tensor of shape {self.shape}: only images are supported."
            )
        if not dilation and tuple(config.get("dilation_rate", (1, 1))) != (1, 1):
            raise UnsupportedModelError(
                f"Cannot export {type(layer).__name__} layer {layer.name!r} with "
                f"dilation_rate={tuple(config['dilation_rate'])}."
            )
        if config.get("groups", 1) != 1:
            raise UnsupportedModelError(
                f"Cannot export {type(layer).__name__} layer {layer.name!r} with "
                f"groups={config['groups']}."
            )

    def _padding(self, layer, padding, kernel_size, strides):
        """ONNX pads ``[top, left, bottom, right]`` for Keras's `padding`."""
        if padding == "valid":
            return [0, 0, 0, 0]
        if padding != "same":
            raise UnsupportedModelError(
                f"Cannot export {type(layer).__name__} layer {layer.name!r} with "
                f"padding={padding!r}."
            )
        begin, end = [], []
        for size, kernel, stride in zip(self.shape[:2], kernel_size, strides):
            # TensorFlow's "same": ceil(size / stride) outputs, the odd
            # padding pixel at the end; kernel - 1 in all at stride 1, for
            # images of any size.
            if stride == 1:
                total = kernel - 1
            elif size is None:
                raise UnsupportedModelError(
                    f"Cannot export {type(layer).__name__} layer {layer.name!r} of "
                    f"strides={strides} for images of any size."
                )
            else:
                total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
            begin.append(total // 2)
            end.append(total - total // 2)
        return begin + end

    def _conv(self, op_type, layer, kernel, kernel_size, strides, pads, dilations=(1, 1)):
        inputs = [self.name, self.writer.constant(kernel, f"{layer.name}_kernel")]
        if layer.use_bias:
            inputs.append(self._weight(layer.bias, layer, "bias"))
        self.name = self.writer.node(
            op_type,
            inputs,
            layer.name,
            kernel_shape=list(kernel_size),
            strides=list(strides),
            pads=pads,
            dilations=list(dilations),
        )

    def _activation(self, layer, config):
        activation = config.get("activation", "linear")
        if activation not in _ACTIVATIONS:
            raise UnsupportedModelError(
                f"Cannot export layer {layer.name!r} with activation {activation!r}: "
                f"only {', '.join(_ACTIVATIONS)} are supported."
            )
        if _ACTIVATIONS[activation] is not None:
            self.name = self.writer.node(
                _ACTIVATIONS[activation], [self.name], f"{layer.name}_{activation}"
            )

    def _weight(self, variable, layer, part):
        return self.writer.constant(_numpy(variable), f"{layer.name}_{part}")

    def _int64(self, values, base_name):
        return self.writer.constant(np.asarray(values, dtype=np.int64), base_name)

    def _reshape(self, shape):
        self.name = self.writer.node(
            "Reshape", [self.name, self._int64(shape, "shape")], "reshape"
        )

    def _to_channels_first(self):
        self.name = self.writer.node("Transpose", [self.name], "to_nchw", perm=[0, 3, 1, 2])

    def _to_channels_last(self):
        self.name = self.writer.node("Transpose", [self.name], "to_nhwc", perm=[0, 2, 3, 1])


SUPPORTED_LAYERS = frozenset(
    name.removeprefix("_emit_") for name in dir(NetworkEmitter) if name.startswith("_emit_")
)


def _sizes(shape):
    return tuple(None if size is None else int(size) for size in shape)


def _numpy(variable):
    return np.asarray(variable.numpy(), dtype=np.float32)


def _require(layer, config, key, allowed):
    if config.get(key) not in allowed:
        raise UnsupportedModelError(
            f"Cannot export {type(layer).__name__} layer {layer.name!r} with "
            f"{key}={config.get(key)!r}: only {sorted(map(str, allowed))} supported."
        )
