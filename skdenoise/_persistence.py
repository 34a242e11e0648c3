"""The safe single-file format of fitted estimators, without pickle.

A saved estimator is one zip file holding two members:

``estimator.json``
    The format name and version, the estimator's class, its parameters and
    its fitted attributes, all as plain JSON. Tuples are stored as lists and
    nested estimators (the noise transformers) as their class name, from a
    fixed list, and their parameters.
``model.keras``
    The Keras model in Keras's native format, optimizer state included.

Loading reads only data: the JSON names classes from fixed lists and the
model's configuration is checked against the layers skdenoise builds before
Keras loads it with ``safe_mode=True``. A file holding a ``Lambda`` layer, a
custom object, or any class or function outside those lists is refused, so a
file from an untrusted source cannot run code when loaded, unlike pickle.

This module knows the file, the JSON and the allow-lists; the estimator gives
and takes its own state (see ``DenoisingAutoencoder.save``).
"""

import io
import json
import os
import tempfile
import zipfile

import numpy as np

from ._batch_sources import SAFE_NOISERS

FORMAT_NAME = "skdenoise-estimator"
FORMAT_VERSION = 1
_ESTIMATOR_MEMBER = "estimator.json"
_MODEL_MEMBER = "model.keras"
_MAX_JSON_BYTES = 16 * 2**20
_MAX_MODEL_BYTES = 4 * 2**30

# Every Keras class a saved skdenoise model may name. Anything else, custom
# objects and Lambda layers included, is refused before Keras sees it.
_ALLOWED_KERAS_CLASSES = frozenset(
    {
        "Functional",
        "Sequential",
        "InputLayer",
        "Conv2D",
        "Conv2DTranspose",
        "BatchNormalization",
        "MaxPooling2D",
        "UpSampling2D",
        "Cropping2D",
        "Flatten",
        "Reshape",
        "Subtract",
        "Dense",
        "Adam",
        "GlorotUniform",
        "Zeros",
        "Ones",
        "DTypePolicy",
        "FloatDTypePolicy",
        "BinaryCrossentropy",
        "MeanSquaredError",
        "MeanAbsoluteError",
        "__tensor__",
        "__numpy__",
        "__tuple__",
        "__keras_tensor__",
    }
)
_FORBIDDEN_KERAS_CLASSES = frozenset({"__lambda__"})
_ALLOWED_ACTIVATIONS = frozenset({"relu", "sigmoid", "linear"})
# Configuration entries that size the tensors Keras allocates on loading.
# Every unit or filter has weights in the file, and so does every input
# value, through the layer that takes it; larger sizes are refused before
# Keras tries to allocate them.
_SIZE_KEYS = frozenset(
    {"units", "filters", "batch_shape", "target_shape", "kernel_size", "pool_size", "size"}
)
_WEIGHTS_MEMBER = "model.weights.h5"


def write_estimator_file(path, *, class_name, params, fitted, model):
    """Write an estimator's state and Keras model to `path`.

    Parameters
    ----------
    path : str, path-like or file object
        Where to write: a file in an existing folder, replaced only once the
        new one is complete, or a binary file object open for writing.

    class_name : str
        Name of the estimator's class.

    params : dict
        The estimator's parameters: JSON values, tuples, NumPy scalars and
        arrays, and noise transformers of the classes in ``SAFE_NOISERS``.

    fitted : dict
        The fitted attributes, of the same kinds of values.

    model : keras.Model
        The trained network.

    Raises
    ------
    ValueError
        If a value cannot be saved in the safe format.
    """
    import keras

    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "class": class_name,
        "versions": {"keras": keras.__version__},
        "params": {name: _to_json(value, name) for name, value in params.items()},
        "fitted": {name: _to_json(value, name) for name, value in fitted.items()},
    }
    model_bytes = model_to_bytes(model)
    if hasattr(path, "write"):
        _write_archive(path, document, model_bytes)
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to {os.fspath(path)!r}: no folder {folder!r}.")
    # Written whole to a temporary name first: a crash mid-save never leaves
    # a truncated file where a good one was.
    partial = f"{os.fspath(path)}.partial"
    _write_archive(partial, document, model_bytes)
    os.replace(partial, path)


def _write_archive(file, document, model_bytes):
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_ESTIMATOR_MEMBER, json.dumps(document, indent=1))
        archive.writestr(_MODEL_MEMBER, model_bytes)


def read_estimator_file(path, *, class_name, param_names):
    """Read and check a file written by :func:`write_estimator_file`.

    Parameters
    ----------
    path : str, path-like or file object
        The file, or a binary file object open for reading.

    class_name : str
        The only estimator class the caller accepts.

    param_names : collection of str
        The parameters that class takes.

    Returns
    -------
    params : dict
        Parameters, ready for the class's constructor: lists become tuples
        and noise transformers are constructed from the allow-list.

    fitted : dict
        Fitted attributes as plain JSON values, for the estimator to convert.

    model : keras.Model
        The network, loaded in Keras's safe mode.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the file is not a complete estimator file of `class_name`, or
        names classes or functions that are not allowed.
    """
    if hasattr(path, "read"):
        source = io.BytesIO(path.read())
        path = source_name(path)
    else:
        source = path = os.fspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"No such file: {path!r}")
    start = b""
    try:
        start = _first_bytes(source, 4)
        # Python's zipfile would also open other files that end in a zip,
        # such as a pickle holding a Keras model.
        if start != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"it starts with {start!r}, not with a zip header")
        with zipfile.ZipFile(source) as archive:
            if _ESTIMATOR_MEMBER not in archive.namelist():
                raise ValueError(
                    f"{path!r} is not a skdenoise estimator file: it has no "
                    f"{_ESTIMATOR_MEMBER!r}.{_foreign_zip_hint(archive.namelist())}"
                )
            document = _read_document(archive)
            model_bytes = _read_member(archive, _MODEL_MEMBER, _MAX_MODEL_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(
            f"{path!r} is not a readable skdenoise estimator file "
            f"(empty, truncated or of another format): {error}."
            f"{_foreign_file_hint(start)}"
        ) from error
    if document.get("class") != class_name:
        raise ValueError(
            f"{path!r} holds an estimator of class {document.get('class')!r}; "
            f"only {class_name} can be loaded."
        )
    params = document.get("params")
    if not isinstance(params, dict) or set(params) - set(param_names):
        raise ValueError(
            "The file's parameters are malformed or unknown: "
            f"{sorted(set(params) - set(param_names)) if isinstance(params, dict) else params!r}."
        )
    params = {name: _params_from_json(value, name) for name, value in params.items()}
    fitted = document.get("fitted")
    if not isinstance(fitted, dict):
        raise ValueError(f"{path!r} has malformed fitted attributes.")
    return params, fitted, _load_model(model_bytes, path)


def source_name(path):
    """The name by which error messages give `path`, a path or a file object."""
    if hasattr(path, "read"):
        return getattr(path, "name", "the file object")
    return os.fspath(path)


# --------------------------------------------------------------------- JSON


def _to_json(value, name):
    """Turn a parameter or fitted attribute into a JSON value."""
    if isinstance(value, dict):
        return {str(key): _to_json(item, name) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_to_json(item, name) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "get_params"):
        if SAFE_NOISERS.get(type(value).__name__) is not type(value):
            raise ValueError(
                f"{name}={value!r} cannot be saved in the safe format, which "
                f"only knows {_safe_noiser_names()}; use pickle or joblib for "
                "estimators with other noise transformers, and load those "
                "only from trusted sources."
            )
        params = value.get_params(deep=False)
        return {"class": type(value).__name__, "params": _to_json(params, name)}
    raise ValueError(f"{name}={value!r} cannot be saved in the safe format.")


def _params_from_json(value, name):
    """Parameters from JSON: lists back to tuples, noisers constructed."""
    if isinstance(value, list):
        return tuple(_params_from_json(item, name) for item in value)
    if not isinstance(value, dict):
        return value
    class_name = value.get("class")
    cls = SAFE_NOISERS.get(class_name) if isinstance(class_name, str) else None
    params = value.get("params")
    if cls is None or set(value) != {"class", "params"} or not isinstance(params, dict):
        raise ValueError(
            f"The file's {name} {value!r} is not allowed: only "
            f"{_safe_noiser_names()} can be loaded."
        )
    allowed = cls().get_params(deep=False)
    if set(params) - set(allowed):
        raise ValueError(
            f"The file's {name} has unknown parameters "
            f"{sorted(set(params) - set(allowed))} for {cls.__name__}."
        )
    return cls(**{key: _params_from_json(item, name) for key, item in params.items()})


def _safe_noiser_names():
    return ", ".join(SAFE_NOISERS)


# -------------------------------------------------------------------- model


def _foreign_zip_hint(names):
    """What a zip file that is no skdenoise file probably is."""
    if "schema.json" in names:
        return " It looks like a skops file: load it with skops.io.load."
    if "config.json" in names and "metadata.json" in names:
        return (
            " It looks like a Keras model file (.keras): load the network with "
            "keras.saving.load_model, or save the estimator with "
            "DenoisingAutoencoder.save."
        )
    return ""


def _first_bytes(source, count):
    if isinstance(source, io.BytesIO):
        return source.getvalue()[:count]
    with open(source, "rb") as file:
        return file.read(count)


def _foreign_file_hint(start):
    """What a file that is no zip file probably is, from its first bytes."""
    # Every pickle of protocol 2 and later, joblib's included, opens so.
    if start[:1] == b"\x80":
        return (
            " It looks like a pickle or joblib file: load it with joblib.load, "
            "and only if you trust its source, since loading runs code from it."
        )
    return ""


def _read_member(archive, name, limit):
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ValueError(f"The file has no {name!r}: it is not a skdenoise file.") from None
    if info.file_size > limit:
        raise ValueError(f"The file's {name!r} is implausibly large ({info.file_size} bytes).")
    return archive.read(name)


def _read_document(archive):
    raw = _read_member(archive, _ESTIMATOR_MEMBER, _MAX_JSON_BYTES)
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"The file's {_ESTIMATOR_MEMBER!r} is not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValueError("The file is not a skdenoise estimator file.")
    if document.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"The file has format version {document.get('format_version')!r}; "
            f"this skdenoise reads version {FORMAT_VERSION}."
        )
    return document


def _check_model_config(config, path, max_size=None):
    """Refuse any class, module or function skdenoise's models do not use.

    And any size above `max_size`, the most values the file's weights hold.
    """
    if isinstance(config, dict):
        class_name = config.get("class_name")
        for key in ("class_name", "module", "registered_name", "activation"):
            # A name in any other form, such as Keras's dict form of an
            # activation, could name anything: refused as a whole.
            if not isinstance(config.get(key), (str, type(None))):
                raise ValueError(
                    f"{path!r} holds a model whose {key} is {config.get(key)!r}, "
                    "not a name; refusing to load it."
                )
        if class_name is not None:
            if class_name in _FORBIDDEN_KERAS_CLASSES or class_name not in _ALLOWED_KERAS_CLASSES:
                raise ValueError(
                    f"{path!r} holds a model with {class_name!r}, which skdenoise "
                    "models never contain; refusing to load it."
                )
            module = config.get("module")
            if module is not None and not (module == "keras" or module.startswith("keras.")):
                raise ValueError(f"{path!r} names the module {module!r}; refusing to load it.")
            if config.get("registered_name") not in (None, class_name):
                raise ValueError(
                    f"{path!r} names the custom object "
                    f"{config.get('registered_name')!r}; refusing to load it."
                )
        activation = config.get("activation")
        if activation is not None and activation not in _ALLOWED_ACTIVATIONS:
            raise ValueError(f"{path!r} names the activation {activation!r}; refusing to load it.")
        for key, value in config.items():
            if key == "function" or key == "function_type":
                raise ValueError(f"{path!r} holds a serialized function; refusing to load it.")
            if key in _SIZE_KEYS and max_size is not None:
                _check_sizes(value, key, max_size, path)
            _check_model_config(value, path, max_size)
    elif isinstance(config, list):
        for item in config:
            _check_model_config(item, path, max_size)


def _check_sizes(value, key, max_size, path):
    sizes = value if isinstance(value, list) else [value]
    for size in sizes:
        if isinstance(size, list):
            _check_sizes(size, key, max_size, path)
        elif isinstance(size, (int, float)) and not isinstance(size, bool) and size > max_size:
            raise ValueError(
                f"{path!r} holds a model with {key}={value!r}, larger than its "
                f"weights could describe; refusing to load it."
            )


def _load_model(model_bytes, path):
    import keras

    try:
        with zipfile.ZipFile(io.BytesIO(model_bytes)) as keras_archive:
            config = json.loads(_read_member(keras_archive, "config.json", _MAX_JSON_BYTES))
            names = keras_archive.namelist()
            weights_size = (
                keras_archive.getinfo(_WEIGHTS_MEMBER).file_size if _WEIGHTS_MEMBER in names else 0
            )
    except (zipfile.BadZipFile, ValueError, RecursionError, EOFError) as error:
        # ValueError: no config.json, invalid JSON or text.
        raise ValueError(f"{path!r} holds a damaged Keras model: {error}") from error
    _check_model_config(config, path, max_size=max(weights_size // 4, 1))
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, _MODEL_MEMBER)
        with open(model_path, "wb") as file:
            file.write(model_bytes)
        try:
            return keras.saving.load_model(model_path, safe_mode=True)
        except Exception as error:
            raise ValueError(
                f"{path!r} holds a Keras model that cannot be loaded: {error}"
            ) from error


# ------------------------------------------------------ state for pickle, skops


def model_to_bytes(model):
    """Return `model` as the bytes of its native ``.keras`` archive.

    Optimizer state included, so that a restored estimator can keep training.
    """
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, _MODEL_MEMBER)
        model.save(model_path)
        with open(model_path, "rb") as file:
            return file.read()


def model_from_bytes(model_bytes, source):
    """Load a ``.keras`` archive, with the checks of :func:`read_estimator_file`.

    Parameters
    ----------
    model_bytes : bytes
        The archive, as :func:`model_to_bytes` gives it.

    source : str
        What the bytes come from, for error messages.

    Raises
    ------
    ValueError
        If the archive is damaged or names classes or functions that
        skdenoise models never contain; nothing from it is run then.
    """
    if len(model_bytes) > _MAX_MODEL_BYTES:
        raise ValueError(
            f"{source!r} holds an implausibly large model ({len(model_bytes)} bytes)."
        )
    return _load_model(bytes(model_bytes), source)
