"""The Keras denoising tutorial's reference run on the full MNIST (60,000 / 10,000).

Noise 0.5, 35 epochs, batch 32, 10% held out for validation; one line per
epoch on the standard output. Fetches the IDX files into benchmarks/data/mnist
when missing. Writes full_mnist.json (with the history), full_mnist.md and
full_mnist_curve.png.
"""

from pathlib import Path

import _common

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.display import TrainingCurveDisplay
from skdenoise.metrics import peak_signal_noise_ratio
from skdenoise.model_selection import best_epoch, train_validation_indices


def measure(dae, fit_seconds, X_train, X_test, X_test_noisy):
    """The best and final validation BCE, test PSNR and BCE, and speed."""
    history = dae.history_
    epoch, best_val_bce = best_epoch(history)
    train_rows, _ = train_validation_indices(
        len(X_train), validation_fraction=dae.validation_fraction
    )
    n_fit = len(train_rows)
    X_denoised = dae.predict(X_test_noisy)
    results = {
        "best_val_bce": best_val_bce,
        "best_epoch": epoch,
        "final_val_bce": float(history["val_loss"][-1]) if "val_loss" in history else None,
        "reference_best_val_bce": _common.REFERENCE_BEST_VAL_BCE,
        "test_psnr_denoised_db": peak_signal_noise_ratio(X_test, X_denoised),
        "test_psnr_noisy_db": peak_signal_noise_ratio(X_test, X_test_noisy),
        "test_bce_denoised": _common.mean_bce(X_test, X_denoised),
        "fit_seconds": fit_seconds,
        "train_samples_per_second": n_fit * len(history["loss"]) / fit_seconds,
    }
    for key, value in results.items():
        _common.log(f"{key}: {value}")
    return results


def markdown_report(settings, results):
    best, final = results["best_val_bce"], results["final_val_bce"]
    reached = best is not None and best <= _common.REFERENCE_BEST_VAL_BCE
    verdict = "at or below" if reached else "ABOVE"
    table = _common.markdown_table(
        ["Measure", "Value"],
        [
            ["Training digits (incl. validation)", f"{settings['n_train']:,}"],
            [
                "Epochs / batch size / noise",
                f"{settings['epochs']} / {settings['batch_size']} / {settings['noise_factor']}",
            ],
            [
                "Best validation BCE (epoch)",
                "n/a" if best is None else f"{best:.4f} ({results['best_epoch']})",
            ],
            ["Reference best validation BCE", f"{_common.REFERENCE_BEST_VAL_BCE} ({verdict} it)"],
            ["Final validation BCE", "n/a" if final is None else f"{final:.4f}"],
            ["Test PSNR, noisy input (dB)", f"{results['test_psnr_noisy_db']:.2f}"],
            ["Test PSNR, denoised (dB)", f"{results['test_psnr_denoised_db']:.2f}"],
            ["Test BCE, denoised", f"{results['test_bce_denoised']:.4f}"],
            ["Fit time (min)", f"{results['fit_seconds'] / 60:.1f}"],
            ["Training samples/s", f"{results['train_samples_per_second']:.0f}"],
        ],
    )
    return f"Full MNIST denoising\n\n{table}"


def plot_curve(history, settings, path):
    """Loss per epoch, against the reference's best validation loss."""
    figure = _common.new_figure(figsize=(7, 4.5))
    ax = figure.subplots()
    TrainingCurveDisplay.from_history(history, loss_name="binary cross-entropy", ax=ax)
    ax.axhline(
        _common.REFERENCE_BEST_VAL_BCE,
        color="grey",
        linestyle="--",
        linewidth=1,
        label=f"Reference best validation loss ({_common.REFERENCE_BEST_VAL_BCE})",
    )
    ax.legend()
    ax.set_title(f"Full MNIST, noise {settings['noise_factor']}, {settings['n_train']:,} digits")
    _common.save_figure(figure, path, dpi=120)


def main():
    parser = _common.argument_parser(__doc__, epochs=35)
    parser.add_argument("--n-train", type=int, help="a random subset of the training digits")
    parser.add_argument("--data-dir", type=Path, default=_common.DATA_DIR / "mnist")
    args = parser.parse_args()

    info = _common.start()
    X_train, X_test, X_test_noisy = _common.load_full_mnist(args.data_dir, n_train=args.n_train)

    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR),
        epochs=args.epochs,
        batch_size=_common.BATCH_SIZE,
        callbacks=[_common.EpochTimer(log_epochs=True)],
        random_state=0,
    )
    with _common.Stopwatch() as fit_time:
        dae.fit(X_train)
    results = measure(dae, fit_time.seconds, X_train, X_test, X_test_noisy)

    settings = {
        "n_train": len(X_train),
        "n_test": len(X_test),
        "epochs": args.epochs,
        "batch_size": dae.batch_size,
        "validation_fraction": dae.validation_fraction,
        "noise_factor": _common.NOISE_FACTOR,
        "random_state": dae.random_state,
        "test_noise_seed": _common.TEST_NOISE_SEED,
    }
    out, history = args.output_dir, dae.history_
    report = {"settings": settings, "results": results, "history": history}
    _common.write_results(out, "full_mnist", report, markdown_report(settings, results), info)
    plot_curve(history, settings, out / "full_mnist_curve.png")


if __name__ == "__main__":
    main()
