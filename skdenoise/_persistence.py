"""Saving and loading fitted estimators without pickle.

A saved estimator is one zip file holding two members:

``estimator.json``
    The format name and version, the estimator's class, its parameters and
    its fitted attributes, all as plain JSON (the noise transformer as a
    class name from a fixed list and its parameters).
``model.keras``
    The Keras model in Keras's native format, optimizer state included.

Loading reads only data: the JSON names classes from fixed lists and the
model's configuration is checked against the layers skdenoise builds before
Keras loads it with ``safe_mode=True``. A file holding a ``Lambda`` layer, a
custom object, or any class or function outside those lists is refused, so a
file from an untrusted source cannot run code when loaded, unlike pickle.
"""

import io
import json
import os
import tempfile
import warnings
import zipfile
from numbers import Integral

import keras
import numpy as np
from sklearn.utils.validation import check_is_fitted

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

# Parameters holding a noise transformer, saved by class name and parameters.
_NOISE_PARAMS = ("noise", "score_noise")

_FITTED_ATTRIBUTES = (
    "history_",
    "n_iter_",
    "n_features_in_",
    "feature_names_in_",
    "image_shape_",
    "architecture_",
    "loss_",
    "_n_features_out",
    "_seeds",
)


def save_estimator(estimator, path):
    """Write a fitted estimator to `path` in the safe single-file format."""
    check_is_fitted(estimator)
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "class": type(estimator).__name__,
        "versions": {"keras": keras.__version__},
        "params": _params_to_json(estimator),
        "fitted": {
            name: _to_json(getattr(estimator, name))
            for name in _FITTED_ATTRIBUTES
            if hasattr(estimator, name)
        },
    }
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, _MODEL_MEMBER)
        estimator.model_.save(model_path)
        # Written whole to a temporary name first: a crash mid-save never
        # leaves a truncated file where a good one was.
        partial = f"{os.fspath(path)}.partial"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_ESTIMATOR_MEMBER, json.dumps(document, indent=1))
            archive.write(model_path, _MODEL_MEMBER)
        os.replace(partial, path)


def load(path):
    """Load an estimator saved with ``DenoisingAutoencoder.save``.

    Only data is read: the file cannot run code, unlike a pickle. Files that
    name classes or functions skdenoise does not build (``Lambda`` layers,
    custom objects) are refused.

    Parameters
    ----------
    path : str or path-like
        File written by :meth:`DenoisingAutoencoder.save`.

    Returns
    -------
    estimator : DenoisingAutoencoder
        The fitted estimator, giving the same outputs as the one saved.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the file is not a complete skdenoise estimator file, or names
        classes or functions that are not allowed.

    See Also
    --------
    DenoisingAutoencoder.save : Write the file.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> import skdenoise
    >>> X = np.random.RandomState(0).uniform(size=(50, 6))
    >>> dae = skdenoise.DenoisingAutoencoder(latent_dim=2, epochs=1,
    ...                                      random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "dae.skd")
    >>> dae.save(path)
    >>> loaded = skdenoise.load(path)
    >>> bool(np.array_equal(loaded.transform(X), dae.transform(X)))
    True
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: {path!r}")
    try:
        with zipfile.ZipFile(path) as archive:
            document = _read_document(archive)
            model_bytes = _read_member(archive, _MODEL_MEMBER, _MAX_MODEL_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path!r} is not a readable skdenoise estimator file "
            f"(empty, truncated or of another format): {error}"
        ) from error

    from ._autoencoder import DenoisingAutoencoder

    if document.get("class") != DenoisingAutoencoder.__name__:
        raise ValueError(
            f"{path!r} holds an estimator of class {document.get('class')!r}; "
            "only DenoisingAutoencoder can be loaded."
        )
    estimator = DenoisingAutoencoder(**_params_from_json(document.get("params")))
    model = _load_model(model_bytes, path)
    fitted = document.get("fitted")
    if not isinstance(fitted, dict) or set(fitted) - set(_FITTED_ATTRIBUTES):
        raise ValueError(f"{path!r} has malformed fitted attributes.")
    for name, value in fitted.items():
        setattr(estimator, name, _fitted_from_json(name, value))
    if "loss_" not in fitted:
        # Files from before loss="auto" name their loss only as a parameter.
        from ._losses import LOSS_NAMES

        if estimator.loss not in LOSS_NAMES:
            raise ValueError(f"{path!r} has malformed fitted attributes.")
        estimator.loss_ = LOSS_NAMES[estimator.loss]
    estimator.model_ = model
    estimator._inference_functions = {}
    return estimator


# --------------------------------------------------------------- parameters


def _params_to_json(estimator):
    params = estimator.get_params(deep=False)
    for name in _NOISE_PARAMS:
        if params[name] is not None:
            params[name] = _noise_to_json(params[name])
    if params["callbacks"]:
        warnings.warn(
            "Keras callbacks are not saved; the loaded estimator has "
            "callbacks=None.",
            UserWarning,
        )
    params["callbacks"] = None
    if params["random_state"] is not None and not isinstance(
        params["random_state"], Integral
    ):
        warnings.warn(
            "A RandomState instance cannot be saved; the loaded estimator has "
            "random_state=None.",
            UserWarning,
        )
        params["random_state"] = None
    return {name: _to_json(value) for name, value in params.items()}


def _noise_to_json(noise):
    from ._noise import GaussianNoiser

    if type(noise) is not GaussianNoiser:
        raise ValueError(
            f"noise={noise!r} cannot be saved in the safe format, which only "
            "knows GaussianNoiser; use pickle or joblib for estimators with "
            "other noise transformers, and load those only from trusted "
            "sources."
        )
    params = noise.get_params()
    if params["random_state"] is not None and not isinstance(
        params["random_state"], Integral
    ):
        params["random_state"] = None
    return {"class": "GaussianNoiser", "params": _to_json(params)}


def _params_from_json(params):
    from ._autoencoder import DenoisingAutoencoder
    from ._noise import GaussianNoiser

    allowed = set(DenoisingAutoencoder().get_params(deep=False))
    if not isinstance(params, dict) or set(params) - allowed:
        raise ValueError(
            "The file's parameters are malformed or unknown: "
            f"{sorted(set(params) - allowed) if isinstance(params, dict) else params!r}."
        )
    params = dict(params)
    noise_allowed = set(GaussianNoiser().get_params())
    for name in _NOISE_PARAMS:
        noise = params.get(name)
        if noise is None:
            continue
        if (
            not isinstance(noise, dict)
            or noise.get("class") != "GaussianNoiser"
            or not isinstance(noise.get("params"), dict)
            or set(noise["params"]) - noise_allowed
        ):
            raise ValueError(
                f"The file's {name} {noise!r} is not allowed: only "
                "GaussianNoiser can be loaded."
            )
        noise_params = dict(noise["params"])
        if isinstance(noise_params.get("clip"), list):
            noise_params["clip"] = tuple(noise_params["clip"])
        params[name] = GaussianNoiser(**noise_params)
    for name in ("image_shape", "hidden_layer_sizes"):
        if isinstance(params.get(name), list):
            params[name] = tuple(params[name])
    return params


def _fitted_from_json(name, value):
    if name == "feature_names_in_":
        return np.asarray(value, dtype=object)
    if name == "image_shape_" and value is not None:
        return tuple(int(v) for v in value)
    return value


def _to_json(value):
    """Turn parameters and fitted attributes into JSON values."""
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_to_json(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"{value!r} cannot be saved in the safe format.")


# -------------------------------------------------------------------- model


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


def _check_model_config(config, path):
    """Refuse any class, module or function skdenoise's models do not use."""
    if isinstance(config, dict):
        class_name = config.get("class_name")
        if class_name is not None:
            if class_name in _FORBIDDEN_KERAS_CLASSES or class_name not in _ALLOWED_KERAS_CLASSES:
                raise ValueError(
                    f"{path!r} holds a model with {class_name!r}, which skdenoise "
                    "models never contain; refusing to load it."
                )
            module = config.get("module")
            if module is not None and not (module == "keras" or module.startswith("keras.")):
                raise ValueError(
                    f"{path!r} names the module {module!r}; refusing to load it."
                )
            if config.get("registered_name") not in (None, class_name):
                raise ValueError(
                    f"{path!r} names the custom object "
                    f"{config.get('registered_name')!r}; refusing to load it."
                )
        activation = config.get("activation")
        if activation is not None and activation not in _ALLOWED_ACTIVATIONS:
            raise ValueError(
                f"{path!r} names the activation {activation!r}; refusing to load it."
            )
        for key, value in config.items():
            if key == "function" or key == "function_type":
                raise ValueError(f"{path!r} holds a serialized function; refusing to load it.")
            _check_model_config(value, path)
    elif isinstance(config, list):
        for item in config:
            _check_model_config(item, path)


def _load_model(model_bytes, path):
    try:
        with zipfile.ZipFile(io.BytesIO(model_bytes)) as keras_archive:
            config = json.loads(_read_member(keras_archive, "config.json", _MAX_JSON_BYTES))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path!r} holds a damaged Keras model: {error}") from error
    _check_model_config(config, path)
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, _MODEL_MEMBER)
        with open(model_path, "wb") as file:
            file.write(model_bytes)
        try:
            return keras.saving.load_model(model_path, safe_mode=True)
        except Exception as error:
            raise ValueError(f"{path!r} holds a Keras model that cannot be loaded: {error}") from error
