"""Features and denoising of autoencoders trained on each kind of corruption.

The three corruptions of the denoising-autoencoder papers (Vincent et al.,
ICML 2008; JMLR 11, 2010), each at two levels, and no corruption at all (a
plain autoencoder), on the 5,000-digit MNIST sample split as every other
script splits it (stratified, 4,000 train / 1,000 test). Every network is
the reference convolutional autoencoder with a 128-dimensional code,
trained the same way::

    DenoisingAutoencoder(latent_dim=128, noise=NOISE, epochs=EPOCHS,
                         random_state=0).fit(X_train)

(fresh corruption every epoch, 10% of the training digits held out for
validation), with NOISE one of GaussianNoiser(0.3), GaussianNoiser(0.5),
MaskingNoiser(0.25), MaskingNoiser(0.5), SaltPepperNoiser(0.1),
SaltPepperNoiser(0.25) or None.

Measures, as the papers do, the codes as features: the accuracy of
LogisticRegression(max_iter=1000) trained on the codes of the clean training
digits and tested on those of the clean test digits, next to PCA(128) codes
and raw pixels, with a paired bootstrap interval (over the test digits) of
each difference to the plain autoencoder. And the denoising: the PSNR of
every network, of PCA(128) (fitted on clean digits, clipped to [0, 1]) and
of the corrupted input itself, on the test digits corrupted by each
corruption with a fixed seed. Writes corruptions.json, corruptions.md and
corruptions_examples.png into benchmarks/results/.

Usage::

    python benchmarks/corruptions.py [--epochs 15] [--output-dir DIR]
"""

import argparse
import warnings
from pathlib import Path

import _common
import numpy as np
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

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


def logistic_predictions(train_features, y_train, test_features):
    """Test predictions of LogisticRegression(max_iter=1000), and whether it converged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        classifier = LogisticRegression(max_iter=1000).fit(train_features, y_train)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return classifier.predict(test_features), converged


def paired_bootstrap_interval(correct, reference_correct, rng):
    """95% interval of the accuracy difference, resampling the test digits."""
    n = len(correct)
    samples = rng.integers(n, size=(N_BOOTSTRAP, n))
    differences = correct[samples].mean(axis=1) - reference_correct[samples].mean(axis=1)
    low, high = np.percentile(differences, [2.5, 97.5])
    return float(low), float(high)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    args = parser.parse_args()

    info = _common.machine_info()
    _common.log(_common.machine_line(info))
    X_train, X_test, y_train, y_test, _ = _common.load_sample_split()
    corrupted = corrupt_test_digits(X_test)

    trainings = {**CORRUPTIONS, PLAIN: None}
    codes, denoised, fit_seconds, histories = {}, {}, {}, {}
    for name, noise in trainings.items():
        _common.log(f"{name}: {args.epochs} epochs on {X_train.shape}")
        dae = DenoisingAutoencoder(
            latent_dim=128, noise=noise, epochs=args.epochs, random_state=0
        )
        with _common.Stopwatch() as watch:
            dae.fit(X_train)
        fit_seconds[name] = watch.seconds
        histories[name] = dae.history_
        codes[name] = (dae.transform(X_train), dae.transform(X_test))
        denoised[name] = {test: dae.predict(X) for test, X in corrupted.items()}
        _common.log(
            f"  {watch.seconds:.0f} s, final val_loss {dae.history_['val_loss'][-1]:.4f}"
        )

    _common.log("PCA(128)")
    pca = PCA(128, random_state=0).fit(X_train)
    codes["PCA(128)"] = (pca.transform(X_train), pca.transform(X_test))
    denoised["PCA(128)"] = {
        # Clipped to the pixel range, as the sigmoid of the networks is.
        test: np.clip(pca.inverse_transform(pca.transform(X)), 0, 1)
        for test, X in corrupted.items()
    }
    codes["raw pixels (784)"] = (X_train, X_test)

    _common.log("logistic regression on the codes of clean digits")
    correct, classification = {}, {}
    for name, (train_features, test_features) in codes.items():
        predictions, converged = logistic_predictions(train_features, y_train, test_features)
        correct[name] = (predictions == y_test).astype(float)
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

    psnr = {
        model: {
            test: peak_signal_noise_ratio(X_test, output) for test, output in outputs.items()
        }
        for model, outputs in denoised.items()
    }
    psnr["corrupted input (no denoising)"] = {
        test: peak_signal_noise_ratio(X_test, X) for test, X in corrupted.items()
    }
    for model, values in psnr.items():
        _common.log(f"  PSNR {model}: " + ", ".join(f"{v:.2f}" for v in values.values()))

    info["load_average_1_5_15_at_end"] = [
        round(x, 2) for x in _common.machine_info()["load_average_1_5_15"]
    ]
    results = {
        "settings": {
            "n_train": len(X_train),
            "n_test": len(X_test),
            "epochs": args.epochs,
            "latent_dim": 128,
            "random_state": 0,
            "corruptions": {name: repr(noiser) for name, noiser in CORRUPTIONS.items()},
            "split_random_state": _common.SPLIT_SEED,
            "test_noise_seed": _common.TEST_NOISE_SEED,
            "n_bootstrap": N_BOOTSTRAP,
        },
        "classification": classification,
        "psnr_db": psnr,
        "fit_seconds": fit_seconds,
        "history": histories,
        "machine": info,
    }
    out = args.output_dir
    _common.write_json(out / "corruptions.json", results)
    _common.write_text(out / "corruptions.md", report(results))
    plot_examples(X_test, y_test, corrupted, denoised, out / "corruptions_examples.png")


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
        f"it is tested on.\n\nFit times: {fits}.\n\n"
        f"Machine: {_common.machine_line(results['machine'])}\n"
    )


def plot_examples(X_test, y_test, corrupted, denoised, path):
    """For each corruption: corrupted digits, then the matched network's output."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    shown = [int(np.flatnonzero(y_test == digit)[0]) for digit in range(10)]
    rows = {"clean": X_test}
    for name in CORRUPTIONS:
        rows[name] = corrupted[name]
        rows[f"trained on {name}"] = denoised[name][name]
        rows[f"plain AE on {name}"] = denoised[PLAIN][name]
    figure = Figure(figsize=(8, 0.85 * len(rows)), layout="constrained")
    axes = figure.subplots(len(rows), len(shown))
    for row, (name, images) in enumerate(rows.items()):
        for col, index in enumerate(shown):
            ax = axes[row, col]
            ax.imshow(images[index].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(name, fontsize=7, rotation=0, ha="right", va="center")
    figure.savefig(path, dpi=100)
    print(f"wrote {path}", flush=True)


if __name__ == "__main__":
    main()
