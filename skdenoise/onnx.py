"""Export fitted autoencoders, and pipelines holding them, to ONNX.

The graphs run in ONNX Runtime, or any other ONNX runtime, without Python,
TensorFlow or skdenoise. The Keras networks are written as standard ONNX
operators from the layers skdenoise builds; whole scikit-learn pipelines
are converted by skl2onnx, for which :func:`register_converter` registers
:class:`~skdenoise.DenoisingAutoencoder`.

Needs the optional dependencies: ``pip install "skdenoise[onnx]"``.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._architectures import architecture_spec
from ._autoencoder import DenoisingAutoencoder
from ._features import transform_output
from ._input import reads_2d_as_one_image, validate_inference_samples
from ._onnx_graph import MIN_OPSET, GraphWriter, NetworkEmitter, UnsupportedModelError

__all__ = ["UnsupportedModelError", "register_converter", "to_onnx"]

_ALIAS = "SkdenoiseDenoisingAutoencoder"
_METHODS = ("transform", "predict")


def to_onnx(model, X_sample, *, method="transform", target_opset=None, options=None):
    """Convert a fitted autoencoder, or a pipeline holding one, to ONNX.

    Parameters
    ----------
    model : DenoisingAutoencoder or estimator
        A fitted :class:`~skdenoise.DenoisingAutoencoder`, or a fitted
        scikit-learn pipeline or meta-estimator (such as
        :class:`~sklearn.pipeline.Pipeline` or
        :class:`~sklearn.pipeline.FeatureUnion`) that skl2onnx can convert,
        holding autoencoders among its steps.

    X_sample : array-like
        A few samples of the input, to fix the input's shape: flat rows, or
        for an autoencoder on its own, images of the shape it was fitted on.
        The graph's input ``"X"`` takes values of that shape, with any
        number of rows, as float32 (for ``architecture="fully_conv"`` and
        images, of any height and width); for a pipeline, as float64 when
        `X_sample` is float64, so that the scikit-learn steps compute in
        double precision as they do in Python (the network itself always
        computes in float32, as in skdenoise).

    method : {"transform", "predict"}, default="transform"
        What the graph of an autoencoder on its own computes: what
        :meth:`~skdenoise.DenoisingAutoencoder.transform` returns (the
        codes, or with ``features="all_hidden"`` every hidden layer
        concatenated in the same order), or the denoised
        samples of :meth:`~skdenoise.DenoisingAutoencoder.predict`, in the
        shape of `X_sample`'s rows. Inside a pipeline the autoencoder is a
        transformer, so only ``"transform"`` applies.

    target_opset : int or None, default=None
        ONNX opset of the graph, at least 13. None takes the newest that
        the installed skl2onnx is tested with.

    options : dict or None, default=None
        Conversion options for the other estimators of a pipeline, passed to
        :func:`skl2onnx.to_onnx`, e.g. ``{LogisticRegression: {"zipmap":
        False}}`` for probabilities as one array.

    Returns
    -------
    onnx_model : onnx.ModelProto
        The graph. For an autoencoder on its own, its input is ``"X"`` and
        its output ``"transform"`` or ``"predict"``; pipelines have skl2onnx's
        outputs (``"variable"``, or ``"label"`` and ``"probabilities"``).

    Raises
    ------
    ImportError
        If the optional dependencies are not installed.
    UnsupportedModelError
        If the network holds a layer or setting that has no exact ONNX
        counterpart here; the message names it.

    See Also
    --------
    register_converter : Let skl2onnx convert autoencoders by itself.

    Notes
    -----
    The weights are read from the Keras layers; TensorFlow takes no part,
    so its version does not matter. Batch normalization is exported in its
    inference form, with the moving statistics. Outputs match skdenoise's
    to within 1e-5 when the network's inputs are of order one: float32
    rounding, in another order of operations.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime as ort
    >>> from skdenoise import DenoisingAutoencoder
    >>> from skdenoise.onnx import to_onnx
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(size=(100, 8)).astype(np.float32)
    >>> dae = DenoisingAutoencoder(latent_dim=3, epochs=1, random_state=0)
    >>> dae = dae.fit(X)
    >>> onx = to_onnx(dae, X[:1], method="predict")
    >>> session = ort.InferenceSession(onx.SerializeToString(),
    ...                                providers=["CPUExecutionProvider"])
    >>> denoised = session.run(None, {"X": X[:5]})[0]
    >>> bool(np.allclose(denoised, dae.predict(X[:5]), atol=1e-5))
    True
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}.")
    onnx, skl2onnx = _import_extra()
    opset = skl2onnx.get_latest_tested_opset_version() if target_opset is None else target_opset
    if opset < MIN_OPSET:
        raise ValueError(f"target_opset={target_opset} is too old: the graph needs {MIN_OPSET}.")
    if isinstance(model, DenoisingAutoencoder):
        if options:
            raise ValueError(
                "options are for the other estimators of a pipeline; a "
                "DenoisingAutoencoder on its own takes none."
            )
        return _autoencoder_graph(onnx, model, X_sample, method, opset)
    if method != "transform":
        raise ValueError(
            f"method={method!r} applies to a DenoisingAutoencoder on its own; inside a "
            f"{type(model).__name__} the autoencoder exports its transform."
        )
    check_is_fitted(model)
    X_sample = np.asarray(X_sample)
    X_sample = X_sample.astype(np.float64 if X_sample.dtype == np.float64 else np.float32)
    if X_sample.ndim != 2:
        raise ValueError(
            f"X_sample of a {type(model).__name__} must be flat rows; got shape {X_sample.shape}."
        )
    register_converter()
    return skl2onnx.to_onnx(model, X_sample, target_opset=opset, options=options)


def register_converter():
    """Register the converter of DenoisingAutoencoder with skl2onnx.

    :func:`to_onnx` calls it. Call it yourself to convert pipelines with
    skl2onnx's own functions, such as :func:`skl2onnx.convert_sklearn`. It
    uses skl2onnx's public :func:`skl2onnx.update_registered_converter`;
    registering again is harmless.

    Raises
    ------
    ImportError
        If the optional dependencies are not installed.
    """
    _, skl2onnx = _import_extra()
    skl2onnx.update_registered_converter(
        DenoisingAutoencoder, _ALIAS, _calculate_output_shape, _convert
    )


# ------------------------------------------------------------ the extra


def _import_extra():
    try:
        import onnx
        import skl2onnx
    except ImportError as error:
        raise ImportError(
            f"ONNX export needs the optional packages onnx and skl2onnx ({error}). "
            'Install them with: pip install "skdenoise[onnx]"'
        ) from error
    return onnx, skl2onnx


# ---------------------------------------------------------- on its own


class _GraphLists(GraphWriter):
    """Nodes and initializers of a stand-alone graph."""

    def __init__(self, onnx, reserved_names=()):
        self._onnx = onnx
        self.nodes, self.initializers = [], []
        self._names = set(reserved_names)

    def _unique(self, base_name):
        name, count = base_name, 0
        while name in self._names:
            count += 1
            name = f"{base_name}_{count}"
        self._names.add(name)
        return name

    def constant(self, array, base_name):
        name = self._unique(base_name)
        self.initializers.append(self._onnx.numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op_type, inputs, base_name, **attributes):
        output = self._unique(base_name)
        self.nodes.append(
            self._onnx.helper.make_node(op_type, inputs, [output], name=output, **attributes)
        )
        return output


def _autoencoder_graph(onnx, dae, X_sample, method, opset):
    check_is_fitted(dae)
    if reads_2d_as_one_image(dae) and np.ndim(X_sample) == 2:
        raise ValueError(
            f"X_sample of shape {np.shape(X_sample)} is one grey photo to a model "
            "fitted on patches, but the graph takes stacks of images: pass "
            "X_sample[np.newaxis]."
        )
    validate_inference_samples(dae, X_sample, input_name="X_sample")
    row_shape = tuple(np.shape(X_sample)[1:])
    spec = architecture_spec(dae.architecture_)
    if spec.any_size and len(row_shape) > 1:
        # Any height and width: only the channels, if given, are fixed.
        row_shape = (None, None, *row_shape[2:])
    writer = _GraphLists(onnx, reserved_names=["X", method])
    emitter = NetworkEmitter(writer, "X", row_shape)
    if method == "predict":
        _to_model_shape(emitter, dae)
        inputs = emitter.name
        emitter.network(dae.encoder_)
        emitter.network(dae.decoder_)
        if spec.residual:
            # The network outputs its input minus the noise it predicts.
            emitter.subtracted_from(inputs)
        if None in row_shape:
            emitter.any_size_images_to_sample(len(row_shape))
        else:
            emitter.to_sample_shape(row_shape)
        output_shape = [None, *row_shape]
    else:
        output_shape = [None, _emit_transform(emitter, dae)]
    writer.nodes.append(onnx.helper.make_node("Identity", [emitter.name], [method]))
    graph = onnx.helper.make_graph(
        writer.nodes,
        f"skdenoise_{method}",
        [onnx.helper.make_tensor_value_info("X", onnx.TensorProto.FLOAT, [None, *row_shape])],
        [onnx.helper.make_tensor_value_info(method, onnx.TensorProto.FLOAT, output_shape)],
        initializer=writer.initializers,
    )
    onnx_model = onnx.helper.make_model(
        graph,
        opset_imports=[onnx.helper.make_opsetid("", opset)],
        producer_name="skdenoise",
    )
    onnx.checker.check_model(onnx_model)
    return onnx_model


def _to_model_shape(emitter, dae):
    if None in emitter.shape:
        emitter.any_size_images_to_model(dae.image_shape_[2])
    else:
        spec = architecture_spec(dae.architecture_)
        emitter.to_model_shape(spec.sample_shape(dae.image_shape_, dae.n_features_in_))


def _emit_transform(emitter, dae):
    """Emit what ``dae.transform`` returns, from samples in the emitter's shape.

    Returns the number of columns.
    """
    output = transform_output(dae)
    _to_model_shape(emitter, dae)
    emitter.concatenated(output.layers, output.read)
    if output.spatial_mean:
        emitter.spatial_mean()
    return output.width


# ------------------------------------------------- inside skl2onnx graphs


class _ContainerWriter(GraphWriter):
    """Nodes and initializers of a skl2onnx converter's container."""

    def __init__(self, scope, container):
        self._scope = scope
        self._container = container

    def constant(self, array, base_name):
        from onnx import numpy_helper

        name = self._scope.get_unique_variable_name(base_name)
        tensor = numpy_helper.from_array(np.asarray(array), name)
        self._container.add_initializer(name, tensor.data_type, list(tensor.dims), tensor)
        return name

    def node(self, op_type, inputs, base_name, **attributes):
        output = self._scope.get_unique_variable_name(base_name)
        self._container.add_node(
            op_type,
            inputs,
            [output],
            name=self._scope.get_unique_operator_name(base_name),
            op_version=self._container.target_opset,
            **attributes,
        )
        return output


def _calculate_output_shape(operator):
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

    dae = operator.raw_operator
    check_is_fitted(dae)
    input_shape = operator.inputs[0].type.shape
    if len(input_shape) != 2 or input_shape[1] not in (None, dae.n_features_in_):
        raise ValueError(
            f"{type(dae).__name__} in an ONNX graph takes flat rows of "
            f"{dae.n_features_in_} features; got input of shape {input_shape}."
        )
    # Double in, double out: the network runs in float32, as in skdenoise,
    # and the steps around it keep scikit-learn's float64.
    is_double = isinstance(operator.inputs[0].type, DoubleTensorType)
    output_type = DoubleTensorType if is_double else FloatTensorType
    operator.outputs[0].type = output_type([input_shape[0], transform_output(dae).width])


def _convert(scope, operator, container):
    from onnx import TensorProto
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

    dae = operator.raw_operator
    writer = _ContainerWriter(scope, container)
    name = operator.inputs[0].full_name
    if not isinstance(operator.inputs[0].type, FloatTensorType):
        name = writer.node("Cast", [name], "cast", to=TensorProto.FLOAT)
    emitter = NetworkEmitter(writer, name, (dae.n_features_in_,))
    _emit_transform(emitter, dae)
    if isinstance(operator.outputs[0].type, DoubleTensorType):
        emitter.name = writer.node("Cast", [emitter.name], "cast", to=TensorProto.DOUBLE)
    container.add_node(
        "Identity",
        [emitter.name],
        [operator.outputs[0].full_name],
        name=scope.get_unique_operator_name("codes"),
    )
