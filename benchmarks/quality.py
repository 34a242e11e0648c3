"""Denoising and code quality on the MNIST sample: skdenoise, plain Keras, PCA(128).

skdenoise draws fresh noise every epoch; plain Keras trains the same network
the tutorial's way, on noise drawn once. Writes quality.json and quality.md.
"""

import _common
import keras
from _common import as_images
from sklearn.decomposition import PCA

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.metrics import peak_signal_noise_ratio


def fit_skdenoise(X_train, epochs):
    """Fresh noise every epoch, 10% held out for validation (the default)."""
    _common.log(f"skdenoise: {epochs} epochs on {X_train.shape}")
    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR), epochs=epochs, random_state=0
    )
    with _common.Stopwatch() as fit_time:
        dae.fit(X_train)
    return dae, fit_time.seconds


def fit_plain_keras(X_train, epochs, seed=0):
    """The tutorial's training: noise drawn once, ``validation_split=0.1``."""
    _common.log(f"plain Keras: {epochs} epochs")
    keras.utils.set_random_seed(seed)  # Keras shuffles with the global seeds
    model = _common.reference_model(seed)
    with _common.Stopwatch() as fit_time:
        history = model.fit(
            as_images(_common.noisy_once(X_train)),
            as_images(X_train),
            epochs=epochs,
            batch_size=_common.BATCH_SIZE,
            validation_split=0.1,
            shuffle=True,
            verbose=0,
        )
    history = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return model, history, fit_time.seconds


def denoise_all(split, dae, model):
    """The noisy test digits, denoised by every contender."""
    _common.log("PCA(128)")
    pca_clean = PCA(128, random_state=0).fit(split.X_train)
    pca_noisy = PCA(128, random_state=0).fit(_common.noisy_once(split.X_train))

    keras_denoised = model.predict(
        as_images(split.X_test_noisy), batch_size=1024, verbose=0
    ).reshape(split.X_test.shape)
    denoised = {
        "skdenoise DenoisingAutoencoder": dae.predict(split.X_test_noisy),
        "plain Keras (tutorial training)": keras_denoised,
        "PCA(128) fit on clean train": _common.pca_denoise(pca_clean, split.X_test_noisy),
        "PCA(128) fit on noisy train": _common.pca_denoise(pca_noisy, split.X_test_noisy),
        "noisy input (no denoising)": split.X_test_noisy,
    }
    return denoised, pca_clean


def denoising_scores(X_test, denoised):
    scores = {
        name: {
            "psnr_db": peak_signal_noise_ratio(X_test, output),
            "bce": _common.mean_bce(X_test, output),
        }
        for name, output in denoised.items()
    }
    for name, values in scores.items():
        _common.log(f"{name}: PSNR {values['psnr_db']:.2f} dB, BCE {values['bce']:.4f}")
    return scores


def code_accuracies(split, dae, model, pca):
    """Logistic regression on the codes of every model, and on raw pixels."""
    _common.log("logistic regression on codes")
    keras_encoder = model.get_layer("encoder")

    def keras_codes(X):
        return keras_encoder.predict(as_images(X), batch_size=1024, verbose=0)

    featurizers = {
        "skdenoise codes (128)": dae.transform,
        "plain Keras codes (128)": keras_codes,
        "PCA(128) codes": pca.transform,
        "raw pixels (784)": lambda X: X,
    }
    accuracies = {}
    for name, featurize in featurizers.items():
        classifier, converged = _common.fit_logistic(featurize(split.X_train), split.y_train)
        accuracies[name] = {
            "accuracy_clean_test": float(classifier.score(featurize(split.X_test), split.y_test)),
            "accuracy_noisy_test": float(
                classifier.score(featurize(split.X_test_noisy), split.y_test)
            ),
            "converged": converged,
        }
        _common.log(f"{name}: {accuracies[name]}")
    return accuracies


def markdown_report(results):
    denoising, classification = results["denoising"], results["classification"]
    settings = results["settings"]
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
    return (
        f"Denoising quality, MNIST sample ({settings['n_train']:,} train / "
        f"{settings['n_test']:,} test, {settings['epochs']} epochs)\n\n"
        f"{denoising_table}\n{classification_table}\nChecks: {results['checks']}\n"
    )


def main():
    parser = _common.argument_parser(__doc__, epochs=35)
    args = parser.parse_args()

    info = _common.start()
    split = _common.load_sample_split()

    dae, dae_seconds = fit_skdenoise(split.X_train, args.epochs)
    model, keras_history, keras_seconds = fit_plain_keras(split.X_train, args.epochs)
    denoised, pca = denoise_all(split, dae, model)
    denoising = denoising_scores(split.X_test, denoised)
    classification = code_accuracies(split, dae, model, pca)

    ours = denoising["skdenoise DenoisingAutoencoder"]["psnr_db"]
    checks = {
        "skdenoise_psnr_at_least_plain_keras": ours
        >= denoising["plain Keras (tutorial training)"]["psnr_db"],
        "skdenoise_psnr_at_least_3db_above_pca": ours
        >= denoising["PCA(128) fit on clean train"]["psnr_db"] + 3,
    }
    _common.log(f"checks: {checks}")
    results = {
        "settings": {
            "n_train": len(split.X_train),
            "n_test": len(split.X_test),
            "epochs": args.epochs,
            "noise_factor": _common.NOISE_FACTOR,
            "latent_dim": _common.LATENT_DIM,
            "split_random_state": _common.SPLIT_SEED,
            "test_noise_seed": _common.TEST_NOISE_SEED,
        },
        "denoising": denoising,
        "classification": classification,
        "checks": checks,
        "fit_seconds": {"skdenoise": dae_seconds, "plain_keras": keras_seconds},
        "history": {"skdenoise": dae.history_, "plain_keras": keras_history},
    }

    _common.write_results(args.output_dir, "quality", results, markdown_report(results), info)


if __name__ == "__main__":
    main()
