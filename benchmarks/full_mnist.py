"""Denoising the full MNIST: 60,000 training and 10,000 test digits.

The reference setting of the Keras denoising tutorial: Gaussian noise of
factor 0.5, 35 epochs, batch size 32, 10% of the training digits held out
for validation. Reports the best validation binary cross-entropy (the
tutorial's model reaches 0.0953), test PSNR and BCE, and the loss per epoch.

Needs the IDX files in benchmarks/data/mnist; fetches them with
benchmarks/get_full_mnist.sh when they are missing. Long on a CPU: one line
per epoch goes to the standard output, and the results are written only at
the end, into benchmarks/results/:

- full_mnist.json: settings, results, machine, per-epoch history;
- full_mnist_history.json: the history alone (``{"loss": [...], "val_loss": [...]}``);
- full_mnist.md: the results as a markdown table;
- full_mnist_curve.png: training and validation loss per epoch.

Usage::

    python benchmarks/full_mnist.py                       # the reference run
    python benchmarks/full_mnist.py --epochs 1 --n-train 2000 --output-dir /tmp/x
"""

import argparse
import subprocess
import time
from pathlib import Path

import _common
import keras
import numpy as np

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.datasets import load_mnist_idx
from skdenoise.metrics import peak_signal_noise_ratio

REFERENCE_BEST_VAL_BCE = 0.0953
_FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


class EpochLine(keras.callbacks.Callback):
    """One line per epoch: losses and elapsed time."""

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        now = time.perf_counter()
        values = " ".join(f"{key}={value:.5f}" for key, value in sorted(logs.items()))
        _common.log(
            f"epoch {epoch + 1}: {values} ({now - self._epoch_start:.0f} s, "
            f"{now - self._start:.0f} s in all)"
        )


def ensure_mnist(directory):
    directory = Path(directory)
    if all((directory / name).is_file() for name in _FILES):
        return
    _common.log(f"MNIST IDX files missing in {directory}; fetching them")
    script = _common.BENCHMARKS_DIR / "get_full_mnist.sh"
    subprocess.run(["bash", str(script), str(directory)], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=35)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--validation-fraction", type=float, default=0.1)
    parser.add_argument("--noise", type=float, default=_common.NOISE_FACTOR)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument(
        "--n-train",
        type=int,
        default=None,
        help="train on a random subset of this many digits (for a quick check)",
    )
    parser.add_argument("--data-dir", type=Path, default=_common.MNIST_DIR)
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    args = parser.parse_args()

    info = _common.machine_info()
    _common.log(_common.machine_line(info))
    ensure_mnist(args.data_dir)
    X_train, _ = load_mnist_idx(args.data_dir, subset="train", return_X_y=True)
    X_test, _ = load_mnist_idx(args.data_dir, subset="test", return_X_y=True)
    if args.n_train is not None:
        rows = np.random.default_rng(0).choice(len(X_train), args.n_train, replace=False)
        X_train = X_train[np.sort(rows)]
    X_test_noisy = GaussianNoiser(args.noise, random_state=_common.TEST_NOISE_SEED).transform(
        X_test
    )
    _common.log(f"train {X_train.shape}, test {X_test.shape}")

    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(args.noise),
        epochs=args.epochs,
        batch_size=args.batch_size,
        validation_fraction=args.validation_fraction,
        callbacks=[EpochLine()],
        random_state=args.random_state,
    )
    with _common.Stopwatch() as fit_time:
        dae.fit(X_train)
    X_denoised = dae.predict(X_test_noisy)

    history = dae.history_
    val_loss = history.get("val_loss")
    best_epoch = int(np.argmin(val_loss)) + 1 if val_loss else None
    n_fit = round(len(X_train) * (1 - (args.validation_fraction or 0)))
    results = {
        "best_val_bce": float(min(val_loss)) if val_loss else None,
        "best_epoch": best_epoch,
        "final_val_bce": float(val_loss[-1]) if val_loss else None,
        "reference_best_val_bce": REFERENCE_BEST_VAL_BCE,
        "test_psnr_denoised_db": peak_signal_noise_ratio(X_test, X_denoised),
        "test_psnr_noisy_db": peak_signal_noise_ratio(X_test, X_test_noisy),
        "test_bce_denoised": _common.mean_bce(X_test, X_denoised),
        "fit_seconds": fit_time.seconds,
        "train_samples_per_second": n_fit * len(history["loss"]) / fit_time.seconds,
    }
    settings = {
        "n_train": len(X_train),
        "n_test": len(X_test),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "validation_fraction": args.validation_fraction,
        "noise_factor": args.noise,
        "random_state": args.random_state,
        "test_noise_seed": _common.TEST_NOISE_SEED,
    }
    info["load_average_1_5_15_at_end"] = [
        round(x, 2) for x in _common.machine_info()["load_average_1_5_15"]
    ]
    for key, value in results.items():
        _common.log(f"{key}: {value}")

    out = args.output_dir
    _common.write_json(
        out / "full_mnist.json",
        {"settings": settings, "results": results, "machine": info, "history": history},
    )
    _common.write_json(out / "full_mnist_history.json", history)
    verdict = (
        "at or below"
        if results["best_val_bce"] is not None
        and results["best_val_bce"] <= REFERENCE_BEST_VAL_BCE
        else "ABOVE"
    )
    table = _common.markdown_table(
        ["Measure", "Value"],
        [
            ["Training digits (incl. validation)", f"{len(X_train):,}"],
            ["Epochs / batch size / noise", f"{args.epochs} / {args.batch_size} / {args.noise}"],
            [
                "Best validation BCE (epoch)",
                f"{results['best_val_bce']:.4f} ({best_epoch})" if val_loss else "n/a",
            ],
            ["Reference best validation BCE", f"{REFERENCE_BEST_VAL_BCE} ({verdict} it)"],
            ["Final validation BCE", f"{results['final_val_bce']:.4f}" if val_loss else "n/a"],
            ["Test PSNR, noisy input (dB)", f"{results['test_psnr_noisy_db']:.2f}"],
            ["Test PSNR, denoised (dB)", f"{results['test_psnr_denoised_db']:.2f}"],
            ["Test BCE, denoised", f"{results['test_bce_denoised']:.4f}"],
            ["Fit time (min)", f"{fit_time.seconds / 60:.1f}"],
            ["Training samples/s", f"{results['train_samples_per_second']:.0f}"],
        ],
    )
    _common.write_text(
        out / "full_mnist.md",
        f"Full MNIST denoising\n\n{table}\nMachine: {_common.machine_line(info)}; "
        f"load average {info['load_average_1_5_15_at_end'][0]} at end.\n",
    )

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from skdenoise.display import TrainingCurveDisplay

    figure = Figure(figsize=(7, 4.5), layout="constrained")
    ax = figure.subplots()
    TrainingCurveDisplay(history, loss_name="binary cross-entropy").plot(ax=ax)
    ax.axhline(
        REFERENCE_BEST_VAL_BCE,
        color="grey",
        linestyle="--",
        linewidth=1,
        label=f"Reference best validation loss ({REFERENCE_BEST_VAL_BCE})",
    )
    ax.legend()
    ax.set_title(f"Full MNIST, noise {args.noise}, {len(X_train):,} digits")
    figure.savefig(out / "full_mnist_curve.png", dpi=120)
    print(f"wrote {out / 'full_mnist_curve.png'}", flush=True)


if __name__ == "__main__":
    main()
