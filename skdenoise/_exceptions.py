"""Exceptions of skdenoise, importable without TensorFlow."""


class TrainingDivergedError(RuntimeError):
    """Raised when the training loss becomes NaN or infinite.

    The estimator is left as it was before the call to ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import DenoisingAutoencoder, TrainingDivergedError
    >>> X = np.random.RandomState(0).uniform(-1, 1, size=(64, 4)) * 3e19
    >>> dae = DenoisingAutoencoder(latent_dim=2, loss="mse", noise=None,
    ...                            learning_rate=10.0, epochs=1)
    >>> try:
    ...     dae.fit(X)
    ... except TrainingDivergedError as error:
    ...     print(str(error)[:34])
    Training diverged: the loss became
    >>> hasattr(dae, "model_")
    False
    """
