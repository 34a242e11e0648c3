"""The harness the benchmark scripts share.

Every script reads setup → measure → report::

    import _common

    def main():
        parser = _common.argument_parser(__doc__, epochs=35)
        args = parser.parse_args()
        info = _common.start()                      # machine facts, logged
        split = _common.load_sample_split()         # the same data everywhere
        model = _common.reference_model()           # the same network
        timer = _common.EpochTimer()
        with _common.Stopwatch() as fit_time:
            model.fit(..., callbacks=[timer])
        _common.write_results(                      # JSON + markdown
            args.output_dir, "name", results, markdown, info
        )

What it holds:

- set-up: the data split and noise (:func:`load_sample_split`,
  :func:`noisy_once`), the full MNIST (:func:`load_full_mnist`, fetched by
  :func:`ensure_mnist`) and the reference network of the Keras denoising
  tutorial (:func:`reference_network`, :func:`reference_model`) with the
  validation loss it reaches (:data:`REFERENCE_BEST_VAL_BCE`);
- timers: :class:`EpochTimer` (a Keras callback, per epoch) and
  :class:`Stopwatch` (a whole fit, or any block), with
  :func:`seconds_summary` for the min / median / max of many;
- arguments: :func:`argument_parser` with the options scripts share
  (``--output-dir`` always; ``--epochs``, ``--n-train``, ``--warmup``,
  ``--repeats`` on request), and :func:`add_full_mnist_arguments` for the
  runs on the full MNIST;
- report: :func:`write_results` (``NAME.json`` and ``NAME.md``, both with
  the machine and its load average at start and end),
  :func:`markdown_table`, :func:`new_figure` and :func:`save_figure`.

Scripts import it as ``import _common``: Python puts the directory of the
script run on the path.
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
from pathlib import Path
from typing import NamedTuple

import keras

BENCHMARKS_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARKS_DIR / "results"
DATA_DIR = BENCHMARKS_DIR / "data"
MNIST_DIR = DATA_DIR / "mnist"

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
VALIDATION_FRACTION = 0.1  # DenoisingAutoencoder's default, the tutorial's split
LEARNING_RATE = 1e-3
REFERENCE_PARAMETERS = 440_865  # the tutorial's network for 28x28x1, code 128
# The best validation BCE of the tutorial's model on the full MNIST.
REFERENCE_BEST_VAL_BCE = 0.0953
MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


# ---------------------------------------------------------------- set-up


class SampleSplit(NamedTuple):
    """The 5,000-digit sample, split; unpacks like a tuple."""

    X_train: object
    X_test: object
    y_train: object
    y_test: object
    X_test_noisy: object


def load_sample_split():
    """The 5,000-digit sample, split 4,000 / 1,000 with stratification.

    Returns a :class:`SampleSplit`: ``X_train, X_test, y_train, y_test,
    X_test_noisy``; the noisy test digits are drawn once with a fixed seed.
    """
    from sklearn.model_selection import train_test_split

    from skdenoise.datasets import load_mnist_sample

    X, y = load_mnist_sample(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=N_TEST, stratify=y, random_state=SPLIT_SEED
    )
    return SampleSplit(X_train, X_test, y_train, y_test, noisy_once(X_test, seed=TEST_NOISE_SEED))


def noisy_once(X, *, noise_factor=NOISE_FACTOR, seed=TRAIN_NOISE_SEED):
    """Flat samples `X` corrupted once, with a fixed seed.

    The tutorial's way, given to plain Keras and scikeras; skdenoise draws
    fresh noise every epoch itself.
    """
    from skdenoise import GaussianNoiser

    return GaussianNoiser(noise_factor, random_state=seed).transform(X)


def ensure_mnist(directory):
    """Fetch the full MNIST's IDX files into `directory` unless they are there."""
    directory = Path(directory)
    if all((directory / name).is_file() for name in MNIST_FILES):
        return
    log(f"MNIST IDX files missing in {directory}; fetching them")
    script = BENCHMARKS_DIR / "get_full_mnist.sh"
    subprocess.run(["bash", str(script), str(directory)], check=True)


def load_full_mnist(directory, *, n_train=None, noise_factor=NOISE_FACTOR):
    """The full MNIST: ``X_train, X_test, X_test_noisy``.

    Fetches the IDX files with :func:`ensure_mnist` if needed. `n_train`
    keeps a random subset of the training digits (for quick checks); the
    test digits are corrupted once, with the fixed test seed.
    """
    import numpy as np

    from skdenoise.datasets import load_mnist_idx

    ensure_mnist(directory)
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

    440,865 parameters for 28x28x1 images and a 128-value code (the
    defaults). Its layers, their order and their initializer seeds (`seed`
    + 1, + 2, ... in build order) are those of the convolutional network
    ``DenoisingAutoencoder`` builds, so a fit with the same initializer
    seed starts from the same weights. The two halves are the layers named
    ``"encoder"`` and ``"decoder"``. Height and width must be multiples of 4.
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
    """:func:`reference_network` compiled as the tutorial does it.

    Adam(1e-3) and binary cross-entropy, as ``DenoisingAutoencoder`` uses
    by default: every contender trains the same thing.
    """
    model = reference_network(seed)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
    return model


def mean_bce(y_true, y_pred):
    """Mean binary cross-entropy per pixel, clipped as Keras clips it."""
    import numpy as np

    y_true = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(y_pred, dtype=np.float64), 1e-7, 1 - 1e-7)
    return float(np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log1p(-p))))


# ---------------------------------------------------------------- timers


class EpochTimer(keras.callbacks.Callback):
    """Records the wall time of every epoch, validation included.

    Parameters
    ----------
    log_epochs : bool, default=False
        Also log one line per epoch: its losses and times, for long runs
        watched from their log.

    Attributes
    ----------
    times : list of float
        Seconds of every epoch, in order, over all the fits it served.
    """

    def __init__(self, log_epochs=False):
        super().__init__()
        self.log_epochs = log_epochs
        self.times = []

    def __deepcopy__(self, memo):
        # DenoisingAutoencoder and scikeras work on copies of their
        # callbacks; sharing this one keeps the times readable here.
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
            log(
                f"epoch {epoch + 1}: {values} ({self.times[-1]:.0f} s, "
                f"{now - self._train_start:.0f} s in all)"
            )


class Stopwatch:
    """Times a block: ``with Stopwatch() as t: model.fit(...)``, then ``t.seconds``.

    ``t.started`` and ``t.stopped`` keep the ``time.perf_counter()`` values
    at both ends, to split the block with timestamps taken inside it.
    """

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.stopped = time.perf_counter()
        self.seconds = self.stopped - self.started
        return False


def seconds_summary(seconds):
    """Min, median and max of many timings, for whole fits."""
    return {
        "min": float(min(seconds)),
        "median": float(statistics.median(seconds)),
        "max": float(max(seconds)),
    }


# ------------------------------------------------------------- arguments


def argument_parser(doc, *, epochs=None, n_train=None, warmup=None, repeats=None):
    """An ArgumentParser with the options the scripts share.

    Parameters
    ----------
    doc : str
        The script's docstring; its first paragraph describes the script.

    epochs, n_train, warmup, repeats : int or None, default=None
        Give a default to add ``--epochs``, ``--n-train``, ``--warmup``
        (untimed first epochs) or ``--repeats``; None leaves it out.

    Every parser has ``--output-dir`` (default ``benchmarks/results``):
    quick checks write elsewhere, so the committed results stay.
    """
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
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=RESULTS_DIR,
        help="where the results files go",
    )
    return parser


def add_full_mnist_arguments(parser):
    """Add the options of the runs on the full MNIST to `parser`.

    ``--batch-size``, ``--validation-fraction``, ``--noise``,
    ``--random-state``, ``--n-train`` (all the digits by default) and
    ``--data-dir`` (where the IDX files are, or go).
    """
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--validation-fraction", type=float, default=VALIDATION_FRACTION)
    parser.add_argument("--noise", type=float, default=NOISE_FACTOR)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument(
        "--n-train",
        type=int,
        default=None,
        help="train on a random subset of this many digits (for a quick check)",
    )
    parser.add_argument("--data-dir", type=Path, default=MNIST_DIR)
    return parser


# --------------------------------------------------------- machine, report


def machine_info():
    """Processor, core count, load and library versions, as plain data."""
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
        "load_average_1_5_15": _load_average(),
        "python": platform.python_version(),
        "tensorflow": tensorflow.__version__,
        "keras": keras.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
    }


def _load_average():
    return [round(x, 2) for x in os.getloadavg()]


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
    """Write ``NAME.json`` and ``NAME.md`` into `output_dir`.

    Records the load average at the end into `info` and stores `info` as
    ``results["machine"]``; the markdown gets the machine line appended.
    Returns the paths written.
    """
    output_dir = Path(output_dir)
    info["load_average_1_5_15_at_end"] = _load_average()
    json_path = _write(
        output_dir / f"{name}.json",
        json.dumps({**results, "machine": info}, indent=2) + "\n",
    )
    md_path = _write(
        output_dir / f"{name}.md",
        markdown.rstrip("\n") + f"\n\nMachine: {machine_line(info)}\n",
    )
    return json_path, md_path


def write_json(path, data):
    """Write `data` as JSON, for results other than the main ones."""
    return _write(path, json.dumps(data, indent=2) + "\n")


def write_text(path, text):
    """Write a text file (a log, an extra table), creating the folder."""
    return _write(path, text)


def _write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    log(f"wrote {path}")
    return path


def markdown_table(header, rows):
    """A GitHub markdown table from a header and rows of cells."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def new_figure(**kwargs):
    """A matplotlib Figure of its own, without pyplot's global state."""
    from matplotlib.figure import Figure

    return Figure(layout="constrained", **kwargs)


def save_figure(figure, path, dpi=110):
    """Save `figure` as PNG, creating the folder, and log the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi)
    log(f"wrote {path}")
    return path


def log(message):
    """Print a time-stamped line, flushed at once (logs of long runs)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stdout, flush=True)
