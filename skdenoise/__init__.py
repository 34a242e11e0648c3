"""Denoising autoencoders as scikit-learn estimators, on Keras 3 and TensorFlow."""

import keras as _keras

if _keras.backend.backend() != "tensorflow":
    raise ImportError(
        "skdenoise runs on Keras's TensorFlow backend, but Keras is set to "
        f"{_keras.backend.backend()!r}. Set the environment variable "
        "KERAS_BACKEND=tensorflow before importing Keras."
    )

from ._autoencoder import DenoisingAutoencoder, TrainingDivergedError, load  # noqa: E402
from ._noise import GaussianNoiser  # noqa: E402

__all__ = ["DenoisingAutoencoder", "GaussianNoiser", "TrainingDivergedError", "load"]
__version__ = "0.1.0"
