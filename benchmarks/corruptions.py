"""Features and denoising of autoencoders trained on each kind of corruption.

Gaussian, masking and salt-and-pepper noise at two levels each (Vincent et
al., 2008, 2010) and none, on the MNIST sample: logistic regression on the
codes of clean digits with paired bootstrap intervals against the plain
autoencoder, and the PSNR of every network on every corruption. Writes
corruptions.json and corruptions.md.
"""

import _common
import numpy as np
from sklearn.base import clone
from sklearn.decomposition import PCA

from skdenoise import DenoisingAutoencoder, GaussianNoiser, MaskingNoiser, SaltPepperNoiser
from skdenoise.metrics import peak_signal_noise_ratio

CORRUPTIONS = {
    "Gaussian 0.3": GaussianNoiser(0.3),
    "Gaussian 0.5": GaussianNoiser(0.5),
    "masking 0.25": MaskingNoiser(fraction=0.25),
    "masking 0.5": MaskingNoiser(fraction=0.5),
    "salt-and-pepper 0.1": SaltPepperNoiser(fraction=0.1),
    "salt-and-pepper 0.25": SaltPepperNoiser(fraction=0.25),
}
PLAIN = "plain autoencoder (noise=None)"
N_BOOTSTRAP = 2000
BOOTSTRAP_SEED = 0


def corrupt_test_digits(X_test):
    """Every corruption of the test digits, each drawn once with a fixed seed."""
    return {
        name: clone(noiser).set_params(random_state=_common.TEST_NOISE_SEED).transform(X_test)
        for name, noiser in CORRUPTIONS.items()
    }


def paired_bootstrap_interval(correct, reference_correct, rng):
    """95% interval of the accuracy difference, resampling the test digits."""
    n = len(correct)
    samples = rng.integers(n, size=(N_BOOTSTRAP, n))
    differences = correct[samples].mean(axis=1) - reference_correct[samples].mean(axis=1)
    low, high = np.percentile(differences, [2.5, 97.5])
    return float(low), float(high)


def fit_all(X_train, epochs):
    """One network per corruption and one without: codes, outputs, history."""
    fitted = {}
    for name, noise in {**CORRUPTIONS, PLAIN: None}.items():
        _common.log(f"{name}: {epochs} epochs on {X_train.shape}")
        dae = DenoisingAutoencoder(
            latent_dim=_common.LATENT_DIM, noise=noise, epochs=epochs, random_state=0
        )
        with _common.Stopwatch() as watch:
            dae.fit(X_train)
        fitted[name] = dae, watch.seconds
        _common.log(f"  {watch.seconds:.0f} s, final val_loss {dae.history_['val_loss'][-1]:.4f}")
    return fitted


def code_accuracies(split, codes):
    """Logistic regression on the codes of clean digits, with intervals."""
    _common.log("logistic regression on the codes of clean digits")
    correct, classification = {}, {}
    for name, (train_features, test_features) in codes.items():
        classifier, converged = _common.fit_logistic(train_features, split.y_train)
        correct[name] = (classifier.predict(test_features) == split.y_test).astype(float)
        classification[name] = {
            "accuracy_clean_test": float(correct[name].mean()),
            "converged": converged,
        }
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    for name, values in classification.items():
        if name != PLAIN:
            values["difference_to_plain_95ci"] = paired_bootstrap_interval(
                correct[name], correct[PLAIN], rng
            )
        _common.log(f"  {name}: {values}")
    return classification


def main():
    parser = _common.argument_parser(__doc__, epochs=15)
    args = parser.parse_args()

    info = _common.start()
    split = _common.load_sample_split()
    corrupted = corrupt_test_digits(split.X_test)

    fitted = fit_all(split.X_train, args.epochs)
    codes = {
        name: (dae.transform(split.X_train), dae.transform(split.X_test))
        for name, (dae, _) in fitted.items()
    }
    denoised = {
        name: {test: dae.predict(X) for test, X in corrupted.items()}
        for name, (dae, _) in fitted.items()
    }

    _common.log("PCA(128)")
    pca = PCA(_common.LATENT_DIM, random_state=0).fit(split.X_train)
    codes["PCA(128)"] = (pca.transform(split.X_train), pca.transform(split.X_test))
    denoised["PCA(128)"] = {test: _common.pca_denoise(pca, X) for test, X in corrupted.items()}
    codes["raw pixels (784)"] = (split.X_train, split.X_test)
    classification = code_accuracies(split, codes)

    denoised["corrupted input (no denoising)"] = corrupted
    psnr = {
        model: {test: peak_signal_noise_ratio(split.X_test, X) for test, X in outputs.items()}
        for model, outputs in denoised.items()
    }
    for model, values in psnr.items():
        _common.log(f"  PSNR {model}: " + ", ".join(f"{v:.2f}" for v in values.values()))

    results = {
        "settings": {
            "n_train": len(split.X_train),
            "n_test": len(split.X_test),
            "epochs": args.epochs,
            "latent_dim": _common.LATENT_DIM,
            "random_state": 0,
            "corruptions": {name: repr(noiser) for name, noiser in CORRUPTIONS.items()},
            "split_random_state": _common.SPLIT_SEED,
            "test_noise_seed": _common.TEST_NOISE_SEED,
            "n_bootstrap": N_BOOTSTRAP,
        },
        "classification": classification,
        "psnr_db": psnr,
        "fit_seconds": {name: seconds for name, (_, seconds) in fitted.items()},
        "history": {name: dae.history_ for name, (dae, _) in fitted.items()},
    }
    _common.write_results(args.output_dir, "corruptions", results, report(results), info)


def report(results):
    """The markdown tables: features, then the PSNR matrix."""
    settings = results["settings"]
    plain_accuracy = results["classification"][PLAIN]["accuracy_clean_test"]
    rows = []
    for name, values in results["classification"].items():
        accuracy = values["accuracy_clean_test"]
        if name == PLAIN:
            difference = "0"
        else:
            low, high = values["difference_to_plain_95ci"]
            difference = (
                f"{100 * (accuracy - plain_accuracy):+.1f} [{100 * low:+.1f}, {100 * high:+.1f}]"
            )
        label = ("trained on " + name) if name in CORRUPTIONS else name
        if not values["converged"]:
            label += " (did not converge)"
        rows.append([label, f"{accuracy:.3f}", difference])
    features = _common.markdown_table(
        [
            "Codes of clean digits, LogisticRegression(max_iter=1000)",
            "Accuracy",
            "vs plain AE, points [95% CI]",
        ],
        rows,
    )
    tests = list(CORRUPTIONS)
    psnr_rows = []
    for model, values in results["psnr_db"].items():
        label = ("trained on " + model) if model in CORRUPTIONS else model
        cells = []
        for test in tests:
            cell = f"{values[test]:.2f}"
            cells.append(f"**{cell}**" if model == test else cell)
        psnr_rows.append([label, *cells])
    denoising = _common.markdown_table(["PSNR (dB) on test digits with →", *tests], psnr_rows)
    fits = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in results["fit_seconds"].items())
    return (
        f"Corruptions, MNIST sample ({settings['n_train']:,} train / {settings['n_test']:,} "
        f"test, {settings['epochs']} epochs, code size {settings['latent_dim']})\n\n"
        f"{features}\nIntervals: paired bootstrap over the test digits "
        f"({settings['n_bootstrap']} resamples); they leave out the variation between "
        f"training seeds.\n\n{denoising}\nBold: the network trained on the corruption "
        f"it is tested on.\n\nFit times: {fits}.\n"
    )


if __name__ == "__main__":
    main()
