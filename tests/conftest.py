import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise.datasets import load_mnist_sample


@pytest.fixture(scope="session")
def mnist_sample():
    """A shuffled, class-balanced slice of the real MNIST digits: (X, y)."""
    X, y = load_mnist_sample(return_X_y=True)
    order = np.random.RandomState(0).permutation(len(X))
    return X[order], y[order]


@pytest.fixture(scope="session")
def digits(mnist_sample):
    """600 flat 28x28 digits in [0, 1], float32."""
    return mnist_sample[0][:600]


@pytest.fixture
def tabular():
    """Non-image data in [0, 1] with structure an autoencoder can learn."""
    rng = np.random.RandomState(0)
    latent = rng.uniform(size=(300, 3))
    mixing = rng.uniform(size=(3, 12))
    return (latent @ mixing / 3).astype(np.float32)


@pytest.fixture
def small_dae(request):
    """A factory of small, seeded autoencoders: ``small_dae(**params)``.

    Its defaults are the test module's ``SMALL_DAE_DEFAULTS``; `params`
    override them.
    """
    defaults = getattr(request.module, "SMALL_DAE_DEFAULTS", {})

    def make(**params):
        return DenoisingAutoencoder(**{**defaults, **params})

    return make
