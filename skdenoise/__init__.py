"""Denoising autoencoders as scikit-learn estimators, on Keras 3 and TensorFlow."""

try:
    import tensorflow as _tensorflow  # noqa: F401
except ImportError as _error:
    raise ImportError(
        "skdenoise needs TensorFlow, which could not be imported "
        f"({_error}). TensorFlow comes as an extra, so that you choose its "
        'wheel: pip install "skdenoise[tensorflow]" (GPU support included) '
        'or pip install "skdenoise[tensorflow-cpu]" (smaller, CPU only).'
    ) from _error

import keras as _keras

if _keras.backend.backend() != "tensorflow":
    raise ImportError(
        "skdenoise runs on Keras's TensorFlow backend, but Keras is set to "
        f"{_keras.backend.backend()!r}. Set the environment variable "
        "KERAS_BACKEND=tensorflow before importing Keras."
    )

from ._autoencoder import DenoisingAutoencoder, TrainingDivergedError, load
from ._noise import GaussianNoiser, MaskingNoiser, SaltPepperNoiser

__all__ = [
    "DenoisingAutoencoder",
    "GaussianNoiser",
    "MaskingNoiser",
    "SaltPepperNoiser",
    "TrainingDivergedError",
    "load",
]
__version__ = "0.1.0"
