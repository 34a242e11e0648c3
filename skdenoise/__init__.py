"""Denoising autoencoders as scikit-learn estimators, on Keras 3 and TensorFlow.

TensorFlow and Keras are imported on first use, when a model is fitted or
loaded, so importing the package and building pipelines is instant.
"""

from ._autoencoder import DenoisingAutoencoder, load
from ._blind_spot import BlindSpotNoiser
from ._exceptions import TrainingDivergedError
from ._noise import GaussianNoiser, MaskingNoiser, SaltPepperNoiser, SwapNoiser

__all__ = [
    "BlindSpotNoiser",
    "DenoisingAutoencoder",
    "GaussianNoiser",
    "MaskingNoiser",
    "SaltPepperNoiser",
    "SwapNoiser",
    "TrainingDivergedError",
    "load",
]
__version__ = "0.1.0"
