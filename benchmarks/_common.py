"""Helpers shared by the benchmark scripts: set-up, machine facts, output."""

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCHMARKS_DIR / "results"
MNIST_DIR = BENCHMARKS_DIR / "data" / "mnist"

# Fixed everywhere, so that every script sees the same data, split and noise.
NOISE_FACTOR = 0.5
SPLIT_SEED = 0
TEST_NOISE_SEED = 12345
N_TEST = 1000  # of the 5,000-digit sample: 4,000 train / 1,000 test


def load_sample_split():
    """The 5,000-digit sample, split 4,000 / 1,000 with stratification.

    Returns ``X_train, X_test, y_train, y_test, X_test_noisy``; the noisy
    test digits are drawn once with a fixed seed.
    """
    from sklearn.model_selection import train_test_split

    from skdenoise import GaussianNoiser
    from skdenoise.datasets import load_mnist_sample

    X, y = load_mnist_sample(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=N_TEST, stratify=y, random_state=SPLIT_SEED
    )
    X_test_noisy = GaussianNoiser(NOISE_FACTOR, random_state=TEST_NOISE_SEED).transform(X_test)
    return X_train, X_test, y_train, y_test, X_test_noisy


def mean_bce(y_true, y_pred):
    """Mean binary cross-entropy per pixel, computed the way Keras does."""
    from skdenoise._losses import elementwise_loss

    return float(elementwise_loss(y_true, y_pred, "binary_crossentropy").mean())


def machine_info():
    """Processor, core count, load and library versions, as plain data."""
    import keras
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


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {path}", flush=True)


def markdown_table(header, rows):
    """A GitHub markdown table from a header and rows of cells."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"wrote {path}", flush=True)


def machine_line(info):
    return (
        f"{info['date']} — {info['cpu']}, {info['cores']} cores, load average "
        f"{info['load_average_1_5_15'][0]} at start; Python {info['python']}, "
        f"TensorFlow {info['tensorflow']}, Keras {info['keras']}, "
        f"scikit-learn {info['scikit-learn']}, NumPy {info['numpy']}"
    )


class Stopwatch:
    """``with Stopwatch() as t: ...``, then ``t.seconds``."""

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        return False


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stdout, flush=True)
