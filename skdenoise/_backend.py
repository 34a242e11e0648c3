"""TensorFlow and Keras, imported on first use.

Importing them takes seconds and starts TensorFlow's runtime, so skdenoise
imports them only when a model is built or loaded: importing the package,
reading its documentation and assembling pipelines stay instant.
"""

import functools


@functools.cache
def require_tensorflow():
    """Import TensorFlow and Keras, or say what to install.

    Raises
    ------
    ImportError
        If TensorFlow cannot be imported, naming the extras that install it,
        or if Keras runs on another backend.
    """
    try:
        import tensorflow  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "skdenoise needs TensorFlow, which could not be imported "
            f"({error}). TensorFlow comes as an extra, so that you choose its "
            'wheel: pip install "skdenoise[tensorflow]" (GPU support included) '
            'or pip install "skdenoise[tensorflow-cpu]" (smaller, CPU only).'
        ) from error
    import keras

    if keras.backend.backend() != "tensorflow":
        raise ImportError(
            "skdenoise runs on Keras's TensorFlow backend, but Keras is set to "
            f"{keras.backend.backend()!r}. Set the environment variable "
            "KERAS_BACKEND=tensorflow before importing Keras."
        )
