"""What of a fitted estimator is saved, pickled and restored, and how.

One list, :data:`SAVED_ATTRIBUTES`, names the fitted state beside the model:
``save`` writes it, ``load`` takes it back with the checks below, and
pickling keeps it. The file format itself is :mod:`skdenoise._persistence`;
neither module imports the estimator's.
"""

import math
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from ._architectures import ARCHITECTURES, architecture_spec
from ._backend import require_tensorflow
from ._features import transform_output
from ._losses import LOSS_NAMES
from ._persistence import (
    model_from_bytes,
    model_to_bytes,
    read_estimator_file,
    source_name,
    write_estimator_file,
)
from ._random import MAX_SEED, SEED_NAMES

# Fitted attributes that `save` writes and `load` restores, beside the model.
SAVED_ATTRIBUTES = (
    "history_",
    "n_iter_",
    "n_features_in_",
    "feature_names_in_",
    "image_shape_",
    "architecture_",
    "loss_",
    "_seeds",
    # set_output's configuration, such as {"transform": "pandas"}.
    "_sklearn_output_config",
)
# Saved by earlier versions, derived from the model now: checked, then dropped.
# The width of transform's output, always the code's in those files.
_LEGACY_WIDTH = "_n_features_out"
MODEL_ATTRIBUTE = "model_"
# Compiled inference functions: rebuilt from the model on demand, never
# saved, and emptied whenever the model is replaced.
CACHE_ATTRIBUTE = "_inference_functions"


def save_estimator(estimator, path):
    """Write a fitted `estimator` to `path` in the safe format."""
    check_is_fitted(estimator)
    write_estimator_file(
        path,
        class_name=type(estimator).__name__,
        params=_saveable_params(estimator.get_params(deep=False)),
        fitted={
            name: getattr(estimator, name) for name in SAVED_ATTRIBUTES if hasattr(estimator, name)
        },
        model=getattr(estimator, MODEL_ATTRIBUTE),
    )


# Errors that a malformed file could raise from the checks and conversions
# below; each becomes one ValueError naming the file.
_MALFORMED_FILE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


def load_estimator(path, estimator_class):
    """The `estimator_class` instance saved in `path`, fitted.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        Of exactly this class, naming the file, for any malformed file.
    """
    require_tensorflow()
    try:
        return _load_estimator(path, estimator_class)
    except FileNotFoundError:
        raise
    except _MALFORMED_FILE_ERRORS as error:
        name = source_name(path)
        if type(error) is ValueError and repr(name) in str(error):
            raise
        raise ValueError(f"{name!r} is not a valid skdenoise estimator file: {error}") from error


def _load_estimator(path, estimator_class):
    params, fitted, model = read_estimator_file(
        path,
        class_name=estimator_class.__name__,
        param_names=estimator_class().get_params(deep=False),
    )
    estimator = estimator_class(**params)
    # The parameters are checked as fit would check them.
    estimator._validate_params()
    fitted = _fitted_from_json(fitted, estimator.loss)
    legacy_width = fitted.pop(_LEGACY_WIDTH, None)
    for name, value in fitted.items():
        setattr(estimator, name, value)
    setattr(estimator, MODEL_ATTRIBUTE, model)
    setattr(estimator, CACHE_ATTRIBUTE, {})
    _check_outputs(estimator, legacy_width)
    return estimator


def _check_outputs(estimator, legacy_width):
    """Refuse a file whose attributes do not describe its model."""
    input_shape = tuple(estimator.model_.input_shape[1:])
    spec = architecture_spec(estimator.architecture_)
    if spec.takes_images and estimator.image_shape_ is None:
        raise ValueError(
            f"The file's architecture_ {estimator.architecture_!r} takes images, "
            "but its image_shape_ is None."
        )
    expected = spec.network_input_shape(estimator.image_shape_, estimator.n_features_in_)
    sample_shape = spec.sample_shape(estimator.image_shape_, estimator.n_features_in_)
    consistent = math.prod(sample_shape) == estimator.n_features_in_
    if input_shape != expected or not consistent:
        raise ValueError(
            f"The file's model takes samples of shape {input_shape}, but its "
            f"fitted attributes say {expected}."
        )
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) != estimator.n_features_in_:
        raise ValueError("The file's feature_names_in_ do not match n_features_in_.")
    transform_output(estimator)
    if legacy_width is not None and legacy_width != transform_output(estimator, "latent").width:
        raise ValueError(
            f"The file says the codes have {legacy_width!r} values, but its model's "
            f"have {transform_output(estimator, 'latent').width}."
        )


def picklable_state(state):
    """A copy of an estimator's ``__dict__`` as pickle and skops.io save it.

    The compiled functions are left out, and the model is plain bytes rather
    than the Keras object, so that skops.io can save the estimator, and so
    that pickle, joblib and skops all load the model through the checks of
    ``skdenoise.load``.
    """
    state = {name: value for name, value in state.items() if name != CACHE_ATTRIBUTE}
    if MODEL_ATTRIBUTE in state:
        state[MODEL_ATTRIBUTE] = model_to_bytes(state[MODEL_ATTRIBUTE])
    return state


def unpickled_state(state, class_name):
    """The ``__dict__`` of an estimator from what :func:`picklable_state` gave."""
    if isinstance(state.get(MODEL_ATTRIBUTE), (bytes, bytearray)):
        require_tensorflow()
        state = {
            **state,
            MODEL_ATTRIBUTE: model_from_bytes(
                state[MODEL_ATTRIBUTE], source=f"the saved state of a {class_name}"
            ),
        }
    if MODEL_ATTRIBUTE in state:
        state = {**state, CACHE_ATTRIBUTE: {}}
    # Pickles of earlier versions hold the width, which is derived now.
    return {name: value for name, value in state.items() if name != _LEGACY_WIDTH}


def _saveable_params(params):
    """The parameters, less what the safe format cannot hold."""
    if params["callbacks"]:
        warnings.warn(
            "Keras callbacks are not saved; the loaded estimator has callbacks=None.",
            UserWarning,
            stacklevel=3,
        )
    params["callbacks"] = None
    if not _is_seed(params["random_state"]):
        warnings.warn(
            "A RandomState instance cannot be saved; the loaded estimator has random_state=None.",
            UserWarning,
            stacklevel=3,
        )
        params["random_state"] = None
    for name, value in params.items():
        # The noise transformers: a seed is saved, a RandomState is not.
        if hasattr(value, "get_params") and not _is_seed(value.get_params().get("random_state")):
            params[name] = clone(value).set_params(random_state=None)
    return params


def _fitted_from_json(fitted, loss):
    """The fitted attributes as read from JSON, checked and converted."""
    unknown = set(fitted) - {*SAVED_ATTRIBUTES, _LEGACY_WIDTH}
    if unknown:
        raise ValueError(f"The file has unknown fitted attributes: {sorted(unknown)}.")
    malformed = sorted(name for name, value in fitted.items() if not _FITTED_CHECKS[name](value))
    if malformed:
        raise ValueError(f"The file has malformed fitted attributes: {malformed}.")
    fitted = dict(fitted)
    lengths = {len(values) for values in fitted.get("history_", {}).values()}
    if lengths - {fitted.get("n_iter_")}:
        raise ValueError("The file's history_ does not have n_iter_ epochs.")
    if "feature_names_in_" in fitted:
        fitted["feature_names_in_"] = np.asarray(fitted["feature_names_in_"], dtype=object)
    if fitted.get("image_shape_") is not None:
        fitted["image_shape_"] = tuple(int(v) for v in fitted["image_shape_"])
    if "_sklearn_output_config" in fitted:
        fitted["_sklearn_output_config"] = _output_config_from_json(
            fitted["_sklearn_output_config"]
        )
    if "loss_" not in fitted:
        # Files from before loss="auto" name their loss only as a parameter.
        if loss not in LOSS_NAMES:
            raise ValueError("The file has malformed fitted attributes.")
        fitted["loss_"] = LOSS_NAMES[loss]
    return fitted


def _output_config_from_json(config):
    """set_output's configuration as read from a file, checked."""
    if not isinstance(config, dict) or not all(
        key == "transform" and value in ("default", "pandas", "polars")
        for key, value in config.items()
    ):
        raise ValueError(f"The file has a malformed output configuration: {config!r}.")
    return config


def _is_int(value, low, high=None):
    return (
        isinstance(value, Integral)
        and not isinstance(value, bool)
        and low <= value
        and (high is None or value <= high)
    )


def _is_number(value):
    return isinstance(value, (float, Integral)) and not isinstance(value, bool)


# What each fitted attribute may be, as read from JSON.
_FITTED_CHECKS = {
    "history_": lambda value: (
        isinstance(value, dict)
        and all(
            isinstance(values, list) and all(_is_number(item) for item in values)
            for values in value.values()
        )
    ),
    "n_iter_": lambda value: _is_int(value, 0),
    "n_features_in_": lambda value: _is_int(value, 1),
    "feature_names_in_": lambda value: (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ),
    "image_shape_": lambda value: (
        value is None
        or (isinstance(value, list) and len(value) == 3 and all(_is_int(v, 1) for v in value))
    ),
    "architecture_": lambda value: isinstance(value, str) and value in ARCHITECTURES,
    "loss_": lambda value: isinstance(value, str) and value in LOSS_NAMES.values(),
    "_seeds": lambda value: (
        isinstance(value, dict)
        and set(value) == set(SEED_NAMES)
        and all(_is_int(seed, 0, MAX_SEED) for seed in value.values())
    ),
    "_sklearn_output_config": lambda value: True,  # checked on its own below
    _LEGACY_WIDTH: lambda value: _is_int(value, 1),
}


def _is_seed(random_state):
    return random_state is None or isinstance(random_state, Integral)
