"""Ready photo denoisers: fitted estimators shipped inside the package.

Each ready model is one entry of :data:`READY_MODELS`: its file in this
folder (the safe format of :meth:`DenoisingAutoencoder.save`), the SHA-256
that file must have, and its training recipe, which
``scripts/train_photo_denoisers.py`` reproduces from scratch. A file is
read into memory and checked before it is loaded; nothing ever writes to it,
so fine-tuning a returned estimator changes that estimator only.

A returned estimator's optimizer starts afresh, as a new training run's
does: the file holds Adam's moments from the end of the model's own
training, gradient statistics of other photos, and fine-tuning from them
moved some weights several times as far as its learning rate (measured in
``benchmarks/results/fine_tuning_ready.md``).
"""

import hashlib
import io
import os
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._autoencoder import load


class ReadyModel(NamedTuple):
    """A shipped model: its file, the file's SHA-256, and how it was made."""

    file: str
    sha256: str
    channels: int
    max_sigma: float
    recipe: str


_RECIPE = (
    "architecture='fully_conv', blind: GaussianNoiser((0, 55/255)) gives every 40 x 40 "
    "patch its own noise level; 30 epochs over 28 photographs (19.8 megapixels) of "
    "Debian's desktop background packages; scripts/train_photo_denoisers.py"
)
READY_MODELS = {
    "grey": ReadyModel(
        "photo_grey.skd",
        "3a434f4e0e0f07c21e530f1edc3c0474b32b19b6037079889e0d17625bea48a1",
        channels=1,
        max_sigma=55 / 255,
        recipe=_RECIPE,
    ),
    "color": ReadyModel(
        "photo_color.skd",
        "abd321fe5c69a782314be7c3feea0361bb26e3b23451bce288ab0bd757dbba40",
        channels=3,
        max_sigma=55 / 255,
        recipe=_RECIPE,
    ),
}


def photo_denoiser(color=False):
    """A fitted, blind photo denoiser, ready to predict photos of any size.

    A :class:`~skdenoise.DenoisingAutoencoder` with
    ``architecture="fully_conv"``, trained on clean photographs with Gaussian
    noise whose standard deviation was drawn anew for every patch between 0
    and 55/255 (for pixels in [0, 1]), so one model serves every noise level
    in that range without being told which. Its weights ship inside the
    package; their SHA-256 is checked before they are loaded.

    It is returned with ``warm_start=True``: :meth:`fit` and
    :meth:`partial_fit` on your own clean photos fine-tune it (noisy inputs
    are made by its `noise`, a :class:`~skdenoise.GaussianNoiser` of the same
    range) rather than starting afresh. Its optimizer has taken no step yet,
    so the first steps move each weight by about `learning_rate`. The
    shipped file is never written.

    Parameters
    ----------
    color : bool, default=False
        False for grey photos, of shape ``(n_images, height, width)`` or
        ``(n_images, height, width, 1)``; True for RGB photos of shape
        ``(n_images, height, width, 3)``. Pixels are floats in [0, 1].

    Returns
    -------
    estimator : DenoisingAutoencoder
        Fitted; a new object on every call, sharing nothing with others.

    Raises
    ------
    TypeError
        If `color` is not a bool.
    ValueError
        If the shipped file does not have its recorded SHA-256 (a damaged or
        altered installation).

    See Also
    --------
    skdenoise.load : Load an estimator saved with ``save``.

    Notes
    -----
    The recipe (corpus, budget, seed, command) and the measured PSNR against
    BM3D and scikit-image's denoisers are on the "Denoising photos" page of
    the user guide.

    Examples
    --------
    >>> import numpy as np
    >>> from skimage import data, img_as_float
    >>> from skdenoise.pretrained import photo_denoiser
    >>> clean = img_as_float(data.camera())[:128, :160]
    >>> rng = np.random.default_rng(0)
    >>> noisy = clean + rng.normal(0, 25 / 255, clean.shape)
    >>> denoised = photo_denoiser().predict(noisy[np.newaxis])[0]
    >>> denoised.shape
    (128, 160)
    >>> def error(image):
    ...     return np.mean((np.clip(image, 0, 1) - clean) ** 2)
    >>> bool(error(denoised) < error(noisy) / 4)
    True
    """
    if not isinstance(color, bool):
        raise TypeError(f"color must be True or False, got {color!r}.")
    ready = READY_MODELS["color" if color else "grey"]
    estimator = load_checked(resources.files(__name__) / ready.file, ready.sha256)
    _restart_optimizer(estimator.model_.optimizer)
    return estimator.set_params(warm_start=True)


def _restart_optimizer(optimizer):
    """Return `optimizer` to its state before its first step, its learning rate kept."""
    learning_rate = optimizer.learning_rate.numpy()
    for variable in optimizer.variables:
        variable.assign(np.zeros(variable.shape, variable.dtype))
    optimizer.learning_rate = learning_rate


def load_checked(path, sha256):
    """Load the estimator file at `path` if its SHA-256 is `sha256`.

    Parameters
    ----------
    path : path-like or importlib.resources.abc.Traversable
        The file.

    sha256 : str
        The expected hexadecimal digest.

    Returns
    -------
    estimator : DenoisingAutoencoder
        Fitted.

    Raises
    ------
    ValueError
        If the file's digest is not `sha256`; nothing is loaded.
    """
    if isinstance(path, (str, os.PathLike)):
        path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ValueError(
            f"{path.name!r} has SHA-256 {digest}, not the expected {sha256}: the "
            "file is damaged or altered, and is not loaded. For a ready model of "
            "skdenoise.pretrained, reinstall skdenoise."
        )
    return load(io.BytesIO(data))
