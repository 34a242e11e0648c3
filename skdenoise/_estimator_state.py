"""What of a fitted estimator is saved, pickled and restored, and how.

One list, :data:`SAVED_ATTRIBUTES`, names the fitted state beside the model:
``save`` writes it, ``load`` takes it back with the checks below, and
pickling keeps it. The file format itself is :mod:`skdenoise._persistence`;
neither module imports the estimator's.
"""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from ._backend import require_tensorflow
from ._features import transform_output
from ._losses import LOSS_NAMES
from ._persistence import (
    model_from_bytes,
    model_to_bytes,
    read_estimator_file,
    write_estimator_file,
)

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


def load_estimator(path, estimator_class):
    """The `estimator_class` instance saved in `path`, fitted."""
    require_tensorflow()
    params, fitted, model = read_estimator_file(
        path,
        class_name=estimator_class.__name__,
        param_names=estimator_class().get_params(deep=False),
    )
    estimator = estimator_class(**params)
    fitted = _fitted_from_json(fitted, estimator.loss)
    legacy_width = fitted.pop(_LEGACY_WIDTH, None)
    for name, value in fitted.items():
        setattr(estimator, name, value)
    setattr(estimator, MODEL_ATTRIBUTE, model)
    setattr(estimator, CACHE_ATTRIBUTE, {})
    _check_outputs(estimator, legacy_width)
    return estimator


def _check_outputs(estimator, legacy_width):
    """Refuse a file whose transform the loaded model cannot compute."""
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
    fitted = dict(fitted)
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


def _is_seed(random_state):
    return random_state is None or isinstance(random_state, Integral)
