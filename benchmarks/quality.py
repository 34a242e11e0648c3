"""Denoising quality and code quality on the 5,000-digit MNIST sample.

All models see the same data, split (stratified, 4,000 train / 1,000 test),
noise (Gaussian, factor 0.5, clipped to [0, 1]) and code size (128):

- skdenoise: ``DenoisingAutoencoder(noise=GaussianNoiser(0.5), epochs=35,
  random_state=0).fit(X_train)``, fresh noise every epoch, 10% of the
  training digits held out for validation;
- plain Keras, the tutorial way: the same network (built by the same
  function, same initial weights), compiled with Adam(1e-3) and binary
  cross-entropy, trained with ``model.fit(x_train_noisy, x_train,
  epochs=35, batch_size=32, validation_split=0.1, shuffle=True)`` on noise
  drawn once;
- PCA(128) fitted on the clean training digits (and, for reference, on
  noisy ones), reconstructing the noisy test digits.

Reports the PSNR and binary cross-entropy (BCE) of the denoised test digits
against the clean ones, and the accuracy of a logistic regression on the
128-dimensional codes of each model (and on the raw pixels). Writes
quality.json, quality.md, quality_examples.png and quality_curves.png into
benchmarks/results/.

Usage::

    python benchmarks/quality.py [--epochs 35] [--output-dir DIR]
"""

import argparse
import warnings
from pathlib import Path

import _common
import keras
import numpy as np
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._architectures import ENCODER_NAME, build_conv_autoencoder
from skdenoise.metrics import peak_signal_noise_ratio

TRAIN_NOISE_SEED = 1  # the plain Keras model's noise, drawn once


def classifier_accuracy(train_features, y_train, test_features, y_test):
    """Accuracy of LogisticRegression(max_iter=1000) and whether it converged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        classifier = LogisticRegression(max_iter=1000).fit(train_features, y_train)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return float(classifier.score(test_features, y_test)), converged


def fit_plain_keras(X_train_img, epochs, seed):
    """The tutorial's training: noise drawn once, ``validation_split=0.1``."""
    keras.utils.set_random_seed(seed)  # Keras shuffles with the global seeds
    x_train_noisy = (
        GaussianNoiser(_common.NOISE_FACTOR, random_state=TRAIN_NOISE_SEED)
        .transform(X_train_img.reshape(len(X_train_img), -1))
        .reshape(X_train_img.shape)
    )
    model = build_conv_autoencoder((28, 28, 1), 128, output_activation="sigmoid", seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    history = model.fit(
        x_train_noisy,
        X_train_img,
        epochs=epochs,
        batch_size=32,
        validation_split=0.1,
        shuffle=True,
        verbose=0,
    )
    return model, {k: [float(v) for v in vs] for k, vs in history.history.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=35)
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    args = parser.parse_args()

    info = _common.machine_info()
    _common.log(_common.machine_line(info))
    X_train, X_test, y_train, y_test, X_test_noisy = _common.load_sample_split()
    X_train_img = X_train.reshape(-1, 28, 28, 1)
    X_test_noisy_img = X_test_noisy.reshape(-1, 28, 28, 1)

    _common.log(f"skdenoise: {args.epochs} epochs on {X_train.shape}")
    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR), epochs=args.epochs, random_state=0
    )
    with _common.Stopwatch() as dae_time:
        dae.fit(X_train)
    dae_denoised = dae.predict(X_test_noisy)

    _common.log(f"plain Keras: {args.epochs} epochs")
    with _common.Stopwatch() as keras_time:
        model, keras_history = fit_plain_keras(X_train_img, args.epochs, seed=0)
    keras_denoised = model.predict(X_test_noisy_img, batch_size=1024, verbose=0).reshape(
        X_test.shape
    )

    _common.log("PCA(128)")
    pca_clean = PCA(128, random_state=0).fit(X_train)
    X_train_noisy_once = GaussianNoiser(
        _common.NOISE_FACTOR, random_state=TRAIN_NOISE_SEED
    ).transform(X_train)
    pca_noisy = PCA(128, random_state=0).fit(X_train_noisy_once)

    def pca_denoise(pca):
        # Clipped to the pixel range, as the sigmoid of the networks is.
        return np.clip(pca.inverse_transform(pca.transform(X_test_noisy)), 0, 1)

    denoisers = {
        "skdenoise DenoisingAutoencoder": dae_denoised,
        "plain Keras (tutorial training)": keras_denoised,
        "PCA(128) fit on clean train": pca_denoise(pca_clean),
        "PCA(128) fit on noisy train": pca_denoise(pca_noisy),
        "noisy input (no denoising)": X_test_noisy,
    }
    denoising = {
        name: {
            "psnr_db": peak_signal_noise_ratio(X_test, output),
            "bce": _common.mean_bce(X_test, output),
        }
        for name, output in denoisers.items()
    }

    _common.log("logistic regression on codes")
    keras_encoder = model.get_layer(ENCODER_NAME)

    def keras_codes(X):
        return keras_encoder.predict(X.reshape(-1, 28, 28, 1), batch_size=1024, verbose=0)

    features = {
        "skdenoise codes (128)": (dae.transform, dae.transform(X_train)),
        "plain Keras codes (128)": (keras_codes, keras_codes(X_train)),
        "PCA(128) codes": (pca_clean.transform, pca_clean.transform(X_train)),
        "raw pixels (784)": (lambda X: X, X_train),
    }
    classification = {}
    for name, (featurize, train_features) in features.items():
        clean_acc, converged = classifier_accuracy(
            train_features, y_train, featurize(X_test), y_test
        )
        noisy_acc, _ = classifier_accuracy(
            train_features, y_train, featurize(X_test_noisy), y_test
        )
        classification[name] = {
            "accuracy_clean_test": clean_acc,
            "accuracy_noisy_test": noisy_acc,
            "converged": converged,
        }

    ours = denoising["skdenoise DenoisingAutoencoder"]["psnr_db"]
    checks = {
        "skdenoise_psnr_at_least_plain_keras": ours
        >= denoising["plain Keras (tutorial training)"]["psnr_db"],
        "skdenoise_psnr_at_least_3db_above_pca": ours
        >= denoising["PCA(128) fit on clean train"]["psnr_db"] + 3,
    }
    info["load_average_1_5_15_at_end"] = [
        round(x, 2) for x in _common.machine_info()["load_average_1_5_15"]
    ]
    results = {
        "settings": {
            "n_train": len(X_train),
            "n_test": len(X_test),
            "epochs": args.epochs,
            "noise_factor": _common.NOISE_FACTOR,
            "latent_dim": 128,
            "split_random_state": _common.SPLIT_SEED,
            "test_noise_seed": _common.TEST_NOISE_SEED,
        },
        "denoising": denoising,
        "classification": classification,
        "checks": checks,
        "fit_seconds": {"skdenoise": dae_time.seconds, "plain_keras": keras_time.seconds},
        "history": {"skdenoise": dae.history_, "plain_keras": keras_history},
        "machine": info,
    }
    for name, values in denoising.items():
        _common.log(f"{name}: PSNR {values['psnr_db']:.2f} dB, BCE {values['bce']:.4f}")
    for name, values in classification.items():
        _common.log(f"{name}: {values}")
    _common.log(f"checks: {checks}")

    out = args.output_dir
    _common.write_json(out / "quality.json", results)
    pca_psnr = denoising["PCA(128) fit on clean train"]["psnr_db"]
    denoising_table = _common.markdown_table(
        ["Denoiser (noisy test digits, noise 0.5)", "PSNR (dB)", "vs PCA(128) (dB)", "BCE"],
        [
            [name, f"{v['psnr_db']:.2f}", f"{v['psnr_db'] - pca_psnr:+.2f}", f"{v['bce']:.4f}"]
            for name, v in denoising.items()
        ],
    )
    classification_table = _common.markdown_table(
        [
            "Features for LogisticRegression(max_iter=1000)",
            "Accuracy, clean test",
            "Accuracy, noisy test",
        ],
        [
            [
                name + ("" if v["converged"] else " (did not converge)"),
                f"{v['accuracy_clean_test']:.3f}",
                f"{v['accuracy_noisy_test']:.3f}",
            ]
            for name, v in classification.items()
        ],
    )
    _common.write_text(
        out / "quality.md",
        f"Denoising quality, MNIST sample ({len(X_train):,} train / {len(X_test):,} "
        f"test, {args.epochs} epochs)\n\n{denoising_table}\n{classification_table}\n"
        f"Checks: {checks}\n\nMachine: {_common.machine_line(info)}\n",
    )

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from skdenoise.display import TrainingCurveDisplay

    rows = {"Clean": X_test, **{k: v for k, v in denoisers.items() if "noisy train" not in k}}
    shown = [int(np.flatnonzero(y_test == digit)[0]) for digit in range(10)]
    figure = Figure(figsize=(10, 1.15 * len(rows)), layout="constrained")
    axes = figure.subplots(len(rows), len(shown))
    for row, (name, images) in enumerate(rows.items()):
        for col, index in enumerate(shown):
            ax = axes[row, col]
            ax.imshow(images[index].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        label = name.replace(" (", "\n(") if len(name) > 20 else name
        axes[row, 0].set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    figure.savefig(out / "quality_examples.png", dpi=110)
    print(f"wrote {out / 'quality_examples.png'}", flush=True)

    figure = Figure(figsize=(11, 4.2), layout="constrained")
    left, right = figure.subplots(1, 2, sharey=True)
    TrainingCurveDisplay(dae.history_, loss_name="BCE").plot(ax=left)
    left.set_title("skdenoise (fresh noise every epoch)")
    TrainingCurveDisplay(keras_history, loss_name="BCE").plot(ax=right)
    right.set_title("plain Keras (noise drawn once)")
    figure.savefig(out / "quality_curves.png", dpi=110)
    print(f"wrote {out / 'quality_curves.png'}", flush=True)


if __name__ == "__main__":
    main()
