"""The harness the benchmark scripts share: data, network, timers, report.

Every script reads set-up (:func:`load_sample_split`, :func:`reference_model`),
measure (:class:`EpochTimer`, :class:`Stopwatch`), report
(:func:`write_results`: ``NAME.json`` and ``NAME.md`` with the machine line).
Scripts import it as ``import _common``: Python puts the script's folder on
the path.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import NamedTuple

import keras

BENCHMARKS_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARKS_DIR / "results"
DATA_DIR = BENCHMARKS_DIR / "data"

# Fixed everywhere, so that every script sees the same data, split, noise
# and model.
NOISE_FACTOR = 0.5
SPLIT_SEED = 0
TEST_NOISE_SEED = 12345
TRAIN_NOISE_SEED = 1  # training noise drawn once, for the plain Keras runs
N_TEST = 1000  # of the 5,000-digit sample: 4,000 train / 1,000 test
IMAGE_SHAPE = (28, 28, 1)
LATENT_DIM = 128
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
REFERENCE_PARAMETERS = 440_865  # the tutorial's network for 28x28x1, code 128
REFERENCE_BEST_VAL_BCE = 0.0953  # the tutorial's best on the full MNIST


class SampleSplit(NamedTuple):
    """The 5,000-digit sample, split; unpacks like a tuple."""

    X_train: object
    X_test: object
    y_train: object
    y_test: object
    X_test_noisy: object


def load_sample_split():
    """The MNIST sample split 4,000 / 1,000 with stratification, noisy test digits too."""
    from sklearn.model_selection import train_test_split

    from skdenoise.datasets import load_mnist_sample

    X, y = load_mnist_sample(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=N_TEST, stratify=y, random_state=SPLIT_SEED
    )
    return SampleSplit(X_train, X_test, y_train, y_test, noisy_once(X_test, seed=TEST_NOISE_SEED))


def noisy_once(X, *, noise_factor=NOISE_FACTOR, seed=TRAIN_NOISE_SEED):
    """`X` corrupted once with a fixed seed, the tutorial's way (skdenoise redraws per epoch)."""
    from skdenoise import GaussianNoiser

    return GaussianNoiser(noise_factor, random_state=seed).transform(X)


def load_full_mnist(directory, *, n_train=None, noise_factor=NOISE_FACTOR):
    """``X_train, X_test, X_test_noisy`` of the full MNIST (fetched if missing); `n_train` rows."""
    import numpy as np

    from skdenoise.datasets import load_mnist_idx

    names = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    names += ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    if not all((Path(directory) / name).is_file() for name in names):
        log(f"MNIST IDX files missing in {directory}; fetching them")
        script = BENCHMARKS_DIR / "get_full_mnist.sh"
        subprocess.run(["bash", str(script), str(directory)], check=True)
    X_train, _ = load_mnist_idx(directory, subset="train", return_X_y=True)
    X_test, _ = load_mnist_idx(directory, subset="test", return_X_y=True)
    if n_train is not None:
        rows = np.random.default_rng(0).choice(len(X_train), n_train, replace=False)
        X_train = X_train[np.sort(rows)]
    X_test_noisy = noisy_once(X_test, noise_factor=noise_factor, seed=TEST_NOISE_SEED)
    log(f"train {X_train.shape}, test {X_test.shape}")
    return X_train, X_test, X_test_noisy


def as_images(X):
    """Flat rows of 784 pixels as ``(n, 28, 28, 1)`` images, for Keras."""
    return X.reshape(-1, *IMAGE_SHAPE)


def reference_network(seed=0, *, image_shape=IMAGE_SHAPE, latent_dim=LATENT_DIM):
    """The Keras tutorial's convolutional autoencoder, in plain Keras.

    The layers, their order and their initializer seeds (`seed` + 1, + 2, ...
    in build order) are those ``DenoisingAutoencoder`` builds; the halves are
    the layers ``"encoder"`` and ``"decoder"``. Height and width: multiples of 4.
    """
    from keras import layers

    height, width, channels = image_shape
    initializers = (keras.initializers.GlorotUniform(seed + i) for i in range(1, 10))
    conv = dict(kernel_size=3, padding="same", activation="relu")

    def conv_layer(layer, filters, **options):
        return layer(filters, kernel_initializer=next(initializers), **{**conv, **options})

    encoder = keras.Sequential(
        [
            keras.Input(shape=image_shape),
            conv_layer(layers.Conv2D, 16),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2, padding="same"),
            conv_layer(layers.Conv2D, 32),
            layers.BatchNormalization(),
            layers.MaxPooling2D(2, padding="same"),
            conv_layer(layers.Conv2D, 32),
            layers.Flatten(),
            layers.Dense(latent_dim, kernel_initializer=next(initializers)),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(
                (height // 4) * (width // 4) * 32,
                activation="relu",
                kernel_initializer=next(initializers),
            ),
            layers.Reshape((height // 4, width // 4, 32)),
            conv_layer(layers.Conv2DTranspose, 32),
            layers.BatchNormalization(),
            layers.UpSampling2D(2),
            conv_layer(layers.Conv2DTranspose, 32),
            layers.BatchNormalization(),
            layers.UpSampling2D(2),
            conv_layer(layers.Conv2DTranspose, 16),
            conv_layer(layers.Conv2D, channels, activation="sigmoid"),
        ],
        name="decoder",
    )
    inputs = keras.Input(shape=image_shape)
    model = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
    reference = (image_shape, latent_dim) == (IMAGE_SHAPE, LATENT_DIM)
    if reference and model.count_params() != REFERENCE_PARAMETERS:
        raise RuntimeError(f"{model.count_params():,} parameters, not {REFERENCE_PARAMETERS:,}")
    return model


def reference_model(seed=0):
    """:func:`reference_network` compiled with Adam(1e-3) and BCE, as skdenoise trains."""
    model = reference_network(seed)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
    return model


def mean_bce(y_true, y_pred):
    """Mean binary cross-entropy per pixel, clipped as Keras clips it."""
    import numpy as np

    y_true = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(y_pred, dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log1p(-p))))


def pca_denoise(pca, X):
    """A fitted PCA's reconstruction of `X`, clipped to [0, 1] as a sigmoid output is."""
    import numpy as np

    return np.clip(pca.inverse_transform(pca.transform(X)), 0, 1)


def fit_logistic(X, y):
    """``LogisticRegression(max_iter=1000).fit(X, y)`` and whether it converged."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        classifier = LogisticRegression(max_iter=1000).fit(X, y)
    return classifier, not any(issubclass(w.category, ConvergenceWarning) for w in caught)


class EpochTimer(keras.callbacks.Callback):
    """Wall seconds of every epoch, validation included, in ``times``; logs losses if asked."""

    def __init__(self, log_epochs=False):
        super().__init__()
        self.log_epochs = log_epochs
        self.times = []

    def __deepcopy__(self, memo):
        # Estimators work on copies of their callbacks; sharing this one
        # keeps the times readable here.
        return self

    def on_train_begin(self, logs=None):
        self._train_start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.times.append(now - self._start)
        if self.log_epochs:
            values = " ".join(f"{key}={value:.5f}" for key, value in sorted((logs or {}).items()))
            total = now - self._train_start
            log(f"epoch {epoch + 1}: {values} ({self.times[-1]:.0f} s, {total:.0f} s in all)")


class Stopwatch:
    """Times a block: ``with Stopwatch() as t: model.fit(...)``, then ``t.seconds``."""

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        return False


def seconds_summary(seconds):
    """Min, median and max of many timings."""
    return {
        "min": float(min(seconds)),
        "median": float(statistics.median(seconds)),
        "max": float(max(seconds)),
    }


def min_median_max(summary, digits=1):
    """A :func:`seconds_summary` as one table cell, ``min / median / max``."""
    return " / ".join(f"{summary[key]:.{digits}f}" for key in ("min", "median", "max"))


def argument_parser(doc, *, epochs=None, n_train=None, warmup=None, repeats=None):
    """A parser with ``--output-dir`` and, given a default, the shared integer options."""
    parser = argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    options = {
        "--epochs": (epochs, "epochs (timed epochs where there is a warm-up)"),
        "--n-train": (n_train, "training digits"),
        "--warmup": (warmup, "untimed first epochs of every fit"),
        "--repeats": (repeats, "fits of every contender, taking turns"),
    }
    for flag, (default, help_text) in options.items():
        if default is not None:
            parser.add_argument(flag, type=int, default=default, help=help_text)
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR, help="results folder")
    return parser


def machine_info():
    import numpy
    import sklearn
    import tensorflow

    model = platform.processor() or "unknown"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "tensorflow": tensorflow.__version__,
        "keras": keras.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
    }


def machine_line(info):
    """One line describing the machine, its load and the library versions."""
    load = f"load average {info['load_average_1_5_15'][0]} at start"
    if "load_average_1_5_15_at_end" in info:
        load += f", {info['load_average_1_5_15_at_end'][0]} at end"
    return (
        f"{info['date']} — {info['cpu']}, {info['cores']} cores, {load}; "
        f"Python {info['python']}, TensorFlow {info['tensorflow']}, "
        f"Keras {info['keras']}, scikit-learn {info['scikit-learn']}, "
        f"NumPy {info['numpy']}"
    )


def start():
    """Log the machine line and return :func:`machine_info`, at the start."""
    info = machine_info()
    log(machine_line(info))
    return info


def write_results(output_dir, name, results, markdown, info):
    """``NAME.json`` (with ``"machine"``) and ``NAME.md`` (with the machine line and end load)."""
    output_dir = Path(output_dir)
    info["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_json(output_dir / f"{name}.json", {**results, "machine": info})
    text = markdown.rstrip("\n") + f"\n\nMachine: {machine_line(info)}\n"
    write_text(output_dir / f"{name}.md", text)


def write_json(path, data):
    return write_text(path, json.dumps(data, indent=2) + "\n")


def write_text(path, text):
    """Write a text file, creating its folder, and log the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    log(f"wrote {path}")
    return path


def markdown_table(header, rows):
    """A GitHub markdown table from a header and rows of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def new_figure(**kwargs):
    """A matplotlib Figure of its own, without pyplot's global state."""
    from matplotlib.figure import Figure

    return Figure(layout="constrained", **kwargs)


def save_figure(figure, path, dpi=110):
    """Save `figure` as PNG, creating its folder, and log the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi)
    log(f"wrote {path}")


def log(message):
    """Print a time-stamped line, flushed at once (logs of long runs)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stdout, flush=True)
