"""Exceptions of skdenoise, importable without TensorFlow."""

import contextlib


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


# Longest message a failed fit raises: TensorFlow's errors can quote whole
# tensors and every weight of a model, hundreds of thousands of characters
# that would bury the message (and a grid search's FitFailedWarning).
MAX_MESSAGE_CHARS = 2000


@contextlib.contextmanager
def readable_errors():
    """Cut the message of an exception raised in the block to its two ends.

    The exception keeps its type where its class can be built from a message
    (else it becomes a RuntimeError) and its traceback; the long one is not
    chained.
    """
    try:
        yield
    except Exception as error:
        message = str(error)
        if len(message) <= MAX_MESSAGE_CHARS:
            raise
        half = MAX_MESSAGE_CHARS // 2
        short = (
            f"{message[:half]}\n[... {len(message) - MAX_MESSAGE_CHARS:,} characters "
            f"cut ...]\n{message[-half:]}"
        )
        raise _same_kind(error, short).with_traceback(error.__traceback__) from None


def _same_kind(error, message):
    """An exception of the type of `error`, with `message`."""
    # Plain exceptions take a message; TensorFlow's take (node_def, op,
    # message).
    for arguments in ((message,), (None, None, message)):
        try:
            return type(error)(*arguments)
        except Exception:
            continue
    return RuntimeError(f"{type(error).__name__}: {message}")
