"""Tables denoised from their noisy version alone: BlindSpotNoiser against PCA.

Rules, written before the first run:

- Tables: every table scikit-learn ships (``sklearn.datasets.load_*``) with
  at least 300 rows and 8 numeric features: diabetes (442 x 10),
  breast_cancer (569 x 30), digits (1,797 x 64).
- The clean table is the table standardised (z-scores). Noise, one case
  each: "gaussian", N(0, 0.5^2) added to every standardised cell;
  "multiplicative", every raw cell times exp(0.3 N(0, 1)), then standardised
  with the clean table's means and scales; "poisson", for digits only, whose
  cells are counts (0 to 16): a Poisson draw of each raw cell, standardised
  the same way. One noise seed.
- Every model sees the noisy table only. The error is the mean squared
  error to the clean table over all cells, in standardised units.
- Contenders: PCA reconstruction with k from ``PCA(n_components="mle")`` on
  the noisy table; PCA reconstruction with the k of 1 to min(n_features - 1,
  32) of the lowest masked loss (Noise2Self: 10% of each row's cells masked,
  each replaced by the same column's value in another row, the loss at the
  masked cells against their noisy values); and
  ``DenoisingAutoencoder(noise=BlindSpotNoiser(0.1), loss="mse",
  epochs=60)`` with ``latent_dim`` chosen by ``GridSearchCV(cv=3)`` over
  (2, 4, 8, 16) on the noisy table, by its own score (the masked loss),
  then refitted.
- Model selection: every ``latent_dim`` of that grid refitted on the whole
  noisy table; the Spearman correlation between the grid's cross-validated
  self-supervised scores and minus the candidates' true errors, per case.
- Goals: a lower error than PCA at either k chosen on noisy data on most
  cases; a Spearman correlation of at least 0.8.

Writes noisy_only.json and noisy_only.md.
"""

import time

import _common
import numpy as np

TABLES = ("diabetes", "breast_cancer", "digits")
GRID = (2, 4, 8, 16)
EPOCHS = 60
MASKED_FRACTION = 0.1


def cases(seed):
    """(table, noise, clean, noisy) of every case, standardised."""
    from sklearn import datasets

    for name in TABLES:
        raw = getattr(datasets, f"load_{name}")().data.astype(np.float64)
        # Constant columns (digits' corners) carry nothing to denoise.
        raw = raw[:, raw.std(axis=0) > 0]
        mean, scale = raw.mean(axis=0), raw.std(axis=0)
        clean = (raw - mean) / scale
        rng = np.random.default_rng(seed)
        noisy = {
            "gaussian": clean + 0.5 * rng.standard_normal(clean.shape),
            "multiplicative": (raw * np.exp(0.3 * rng.standard_normal(raw.shape)) - mean) / scale,
        }
        if name == "digits":
            noisy["poisson"] = (rng.poisson(raw).astype(np.float64) - mean) / scale
        for noise, table in noisy.items():
            yield name, noise, clean, table


def pca_reconstruction(noisy, k):
    from sklearn.decomposition import PCA

    pca = PCA(n_components=k).fit(noisy)
    return pca.inverse_transform(pca.transform(noisy))


def masked_pca_loss(noisy, k, seed):
    """Noise2Self's masked loss of PCA(k) reconstruction on the noisy table."""
    from sklearn.decomposition import PCA

    from skdenoise import BlindSpotNoiser

    pca = PCA(n_components=k).fit(noisy)
    inputs, mask = BlindSpotNoiser(MASKED_FRACTION).masked(noisy, np.random.default_rng(seed))
    outputs = pca.inverse_transform(pca.transform(inputs))
    return float(np.mean((outputs - noisy)[mask == 1] ** 2))


def run_case(clean, noisy, seed):
    from scipy.stats import spearmanr
    from sklearn.base import clone
    from sklearn.decomposition import PCA
    from sklearn.model_selection import GridSearchCV

    from skdenoise import BlindSpotNoiser, DenoisingAutoencoder

    def error(denoised):
        return float(np.mean((denoised - clean) ** 2))

    n_features = noisy.shape[1]
    k_mle = int(PCA(n_components="mle").fit(noisy).n_components_)
    ks = range(1, min(n_features - 1, 32) + 1)
    k_masked = min(ks, key=lambda k: masked_pca_loss(noisy, k, seed))
    dae = DenoisingAutoencoder(
        noise=BlindSpotNoiser(MASKED_FRACTION), loss="mse", epochs=EPOCHS, random_state=seed
    )
    start = time.perf_counter()
    search = GridSearchCV(dae, {"latent_dim": list(GRID)}, cv=3).fit(noisy)
    search_seconds = time.perf_counter() - start
    true_errors = {
        k: error(clone(dae).set_params(latent_dim=k).fit(noisy).predict(noisy)) for k in GRID
    }
    cv_scores = list(search.cv_results_["mean_test_score"])
    return {
        "n_features": n_features,
        "noisy_error": error(noisy),
        "pca_mle": {"k": k_mle, "error": error(pca_reconstruction(noisy, k_mle))},
        "pca_masked": {"k": k_masked, "error": error(pca_reconstruction(noisy, k_masked))},
        "blind_spot": {
            "latent_dim": search.best_params_["latent_dim"],
            "error": true_errors[search.best_params_["latent_dim"]],
            "search_seconds": search_seconds,
        },
        "grid": {
            "latent_dim": list(GRID),
            "cv_self_supervised_score": cv_scores,
            "true_error": [true_errors[k] for k in GRID],
            "spearman": float(spearmanr(cv_scores, [-true_errors[k] for k in GRID])[0]),
        },
    }


def report(results):
    # A grid of four gives Spearman correlations in steps of 0.2, computed
    # in floating point: 0.8 may come out a hair below.
    rows, wins, correlations = [], 0, []
    for key, case in results.items():
        best_pca = min(case["pca_mle"]["error"], case["pca_masked"]["error"])
        ours = case["blind_spot"]["error"]
        wins += ours < best_pca
        correlations.append(case["grid"]["spearman"])
        rows.append(
            [
                key,
                f"{case['noisy_error']:.3f}",
                f"{case['pca_mle']['error']:.3f} (k={case['pca_mle']['k']})",
                f"{case['pca_masked']['error']:.3f} (k={case['pca_masked']['k']})",
                f"{ours:.3f} (latent {case['blind_spot']['latent_dim']})",
                f"{case['grid']['spearman']:.2f}",
            ]
        )
    header = ["table / noise", "noisy", "PCA, k by mle", "PCA, k by masked loss"]
    header += ["BlindSpotNoiser DAE", "Spearman"]
    return (
        "# Tables denoised from their noisy version alone\n\n"
        "Mean squared error to the clean, standardised table (lower is better); "
        "every model saw the noisy table only. Spearman: between the grid's "
        "cross-validated self-supervised scores and minus its true errors.\n\n"
        + _common.markdown_table(header, rows)
        + f"\nBlindSpotNoiser below the better PCA on {wins} of {len(results)} cases; "
        f"Spearman at least 0.8 on {sum(c >= 0.8 - 1e-9 for c in correlations)} of "
        f"{len(results)} (mean {np.mean(correlations):.2f}).\n"
    )


def main():
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--seed", type=int, default=0, help="noise and model seed")
    args = parser.parse_args()
    info = _common.start()
    results = {}
    for name, noise, clean, noisy in cases(args.seed):
        _common.log(f"{name} / {noise}")
        results[f"{name} / {noise}"] = run_case(clean, noisy, args.seed)
        _common.log(f"{results[f'{name} / {noise}']}")
    markdown = report(results)
    _common.write_results(args.output_dir, "noisy_only", {"cases": results}, markdown, info)
    print(markdown)


if __name__ == "__main__":
    main()
