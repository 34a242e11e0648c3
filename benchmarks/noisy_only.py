"""Tables and photos denoised from their noisy version alone: BlindSpotNoiser.

Rules for tables (``--data tables``), written before the first run:

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

Rules for photos (``--data photos``), written before the first run:

- Photos: the nine grey test photos of ``photos.py``, grey float in [0, 1].
  Noise, not clipped: Gaussian of sigma 25 and 50 / 255, drawn as
  ``photos.py`` draws it (so its supervised models are scored on the same
  noisy photos); and Poisson, ``poisson(30 * clean) / 30`` (a peak of 30
  photons), seeded by (12345, photo index).
- Contenders see only the noisy photo. Noise2Self (``calibrate_denoiser``,
  its approximate loss) picks each of TV (weights 0.02 to 0.4, 9 values),
  wavelet (BayesShrink, sigma times 0.6 to 1.5 of ``estimate_sigma``'s) and
  non-local means (patch 5, distance 6, fast, h of 0.4 to 1.2 times the
  estimated sigma), then the plain denoiser runs with it; non-local means
  with h = 0.8 estimated sigma (scikit-image's gallery); BM3D (``bm3d``,
  the benchmark extra) with the estimated sigma.
- Ours: ``fully_conv`` with ``BlindSpotNoiser()`` (patch 40, batch 64,
  learning rate 3e-3, cosine schedule, loss "mse", no validation,
  random_state=0), one model per photo (--epochs-per-photo) and one for the
  nine together (--epochs-all): photos.py's patch size and schedule, the
  user guide's learning rate, nothing tuned on these photos.
- Context, not noisy-only: BM3D with the true sigma; the supervised
  ``fully_conv`` of ``photos.py`` (results/photos.json, same noisy photos).
- Outputs clipped to [0, 1]; PSNR and SSIM (data_range=1); fit seconds.
- Goals, per noise: mean PSNR at least every noisy-only contender's, better
  on at least 7 of 9 photos; within 1 dB of the supervised model.

Writes noisy_only.{json,md} (tables), noisy_only_photos.{json,md} (photos).
"""

import json
import time
from functools import partial

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


PHOTO_NOISES = ("σ 25", "σ 50", "poisson 30")
NOISY_ONLY = ("tv_n2s", "wavelet_n2s", "nl_means_n2s", "nl_means", "bm3d")
OURS = ("per_photo", "all_nine")
CONTEXT_MODELS = ("bm3d_true_sigma", "supervised")


def noisy_photos(noise):
    """(name, clean, noisy) of the nine test photos under `noise`."""
    import photos
    from skimage import data

    for index, name in enumerate(photos.TEST):
        clean = photos.grey(getattr(data, name)())
        if noise.startswith("σ"):
            noisy = photos.add_noise(clean, 12345, index, int(noise.split()[1]))
        else:
            peak = int(noise.split()[1])
            noisy = np.random.default_rng((12345, index)).poisson(peak * clean) / peak
        yield name, clean, noisy


def classical_noisy_only(name, noisy):
    """`noisy` denoised by the classical contender `name`, from `noisy` alone."""
    import bm3d
    from skimage import restoration as r

    sigma = r.estimate_sigma(noisy)
    nl_means = dict(patch_size=5, patch_distance=6, fast_mode=True, sigma=sigma)
    if name == "nl_means":
        return r.denoise_nl_means(noisy, h=0.8 * sigma, **nl_means)
    if name == "bm3d":
        return bm3d.bm3d(noisy, sigma)
    denoiser, grid = {
        "tv_n2s": (r.denoise_tv_chambolle, {"weight": list(np.geomspace(0.02, 0.4, 9))}),
        "wavelet_n2s": (
            partial(r.denoise_wavelet, method="BayesShrink", rescale_sigma=True),
            {"sigma": [f * sigma for f in (0.6, 0.8, 1.0, 1.2, 1.5)]},
        ),
        "nl_means_n2s": (
            partial(r.denoise_nl_means, **nl_means),
            {"h": [f * sigma for f in (0.4, 0.6, 0.8, 1.0, 1.2)]},
        ),
    }[name]
    _, (tested, losses) = r.calibrate_denoiser(noisy, denoiser, grid, extra_output=True)
    return denoiser(noisy, **tested[int(np.argmin(losses))])


def blind_spot_model(epochs):
    from skdenoise import BlindSpotNoiser, DenoisingAutoencoder

    return DenoisingAutoencoder(
        architecture="fully_conv",
        noise=BlindSpotNoiser(random_state=0),
        patch_size=40,
        batch_size=64,
        epochs=epochs,
        learning_rate=3e-3,
        learning_rate_schedule="cosine",
        loss="mse",
        validation_fraction=None,
        random_state=0,
    )


def run_photos(noise, epochs_per_photo, epochs_all, supervised, n_photos=None):
    """Per-photo rows of every contender under `noise`, and the models' fit seconds."""
    import bm3d
    from photos import scores

    cases = list(noisy_photos(noise))[:n_photos]
    with _common.Stopwatch() as watch:
        all_nine = blind_spot_model(epochs_all).fit([noisy for _, _, noisy in cases])
    rows, fit_seconds = [], {"all_nine": watch.seconds, "per_photo": []}
    _common.log(f"{noise}: all nine fitted in {watch.seconds:.0f} s")
    for name, clean, noisy in cases:
        noisy_psnr = round(float(-10 * np.log10(np.mean((noisy - clean) ** 2))), 2)
        row = {"photo": name, "noisy_psnr": noisy_psnr}
        for contender in NOISY_ONLY:
            row[contender] = scores(clean, classical_noisy_only(contender, noisy))
        with _common.Stopwatch() as watch:
            model = blind_spot_model(epochs_per_photo).fit([noisy])
        fit_seconds["per_photo"].append(watch.seconds)
        row["per_photo"] = scores(clean, model.predict(noisy))
        row["all_nine"] = scores(clean, all_nine.predict(noisy))
        if noise.startswith("σ"):
            sigma = int(noise.split()[1])
            row["bm3d_true_sigma"] = scores(clean, bm3d.bm3d(noisy, sigma / 255))
            row["supervised"] = supervised.get((name, sigma))
        rows.append(row)
        _common.log(f"{noise} {name}: {row}")
    return {"rows": rows, "fit_seconds": fit_seconds}


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


LABELS = {
    "noisy": "noisy input",
    "tv_n2s": "TV, Noise2Self-calibrated",
    "wavelet_n2s": "wavelet, Noise2Self-calibrated",
    "nl_means_n2s": "NL-means, Noise2Self-calibrated",
    "nl_means": "NL-means, estimated σ",
    "bm3d": "BM3D, estimated σ",
    "per_photo": "BlindSpotNoiser, per photo",
    "all_nine": "BlindSpotNoiser, all nine",
    "bm3d_true_sigma": "context: BM3D, true σ",
    "supervised": "context: supervised fully_conv",
}


def photo_report(results, command):
    def mean(noise, key, at):
        values = [row[key][at] for row in results[noise]["rows"] if row.get(key)]
        return np.mean(values) if values else None

    header = ["mean PSNR (dB) / SSIM", *PHOTO_NOISES]
    table = [
        [LABELS["noisy"]]
        + [f"{np.mean([r['noisy_psnr'] for r in results[n]['rows']]):.2f}" for n in PHOTO_NOISES]
    ]
    for key in (*NOISY_ONLY, *OURS, *CONTEXT_MODELS):
        cells = [(mean(n, key, 0), mean(n, key, 1)) for n in PHOTO_NOISES]
        table.append([LABELS[key]] + [f"{p:.2f} / {q:.4f}" if p else "—" for p, q in cells])
    lines = [
        "# Photos denoised from their noisy version alone\n",
        f"`{command}`; rules in the script's docstring. Means over the nine grey test",
        "photos; every contender but the context rows saw the noisy photo only.\n",
        _common.markdown_table(header, table),
    ]
    for noise in PHOTO_NOISES:
        rows = results[noise]["rows"]
        best = max(NOISY_ONLY, key=lambda key: mean(noise, key, 0))
        fits = results[noise]["fit_seconds"]
        lines.append(f"- {noise}: best noisy-only contender {LABELS[best]},")
        lines[-1] += f" {mean(noise, best, 0):.2f} dB."
        for key in OURS:
            ours = mean(noise, key, 0)
            wins = sum(row[key][0] > max(row[c][0] for c in NOISY_ONLY) for row in rows)
            lines[-1] += f" {LABELS[key]}: {ours - mean(noise, best, 0):+.2f} dB,"
            lines[-1] += f" better than all on {wins}/{len(rows)}"
            if mean(noise, "supervised", 0) is not None:
                lines[-1] += f", {ours - mean(noise, 'supervised', 0):+.2f} dB to supervised"
            lines[-1] += "."
        per_photo = fits["per_photo"]
        lines[-1] += (
            f" Fits: all nine {fits['all_nine']:.0f} s; per photo {min(per_photo):.0f} /"
            f" {np.median(per_photo):.0f} / {max(per_photo):.0f} s (min / median / max)."
        )
    keys = ("noisy_psnr", *NOISY_ONLY, *OURS, *CONTEXT_MODELS)

    def scores(row, key):
        if key == "noisy_psnr":
            return row[key]
        return f"{row[key][0]:.2f} / {row[key][1]:.4f}" if row.get(key) else "—"

    table = [
        [row["photo"], noise, *(scores(row, key) for key in keys)]
        for noise in PHOTO_NOISES
        for row in results[noise]["rows"]
    ]
    lines += [
        "\nPSNR (dB) / SSIM per photo (the noisy input: PSNR):\n",
        _common.markdown_table(["photo", "noise", *keys], table),
    ]
    return "\n".join(lines)


def supervised_rows():
    """(photo, sigma): [PSNR, SSIM] of photos.py's supervised fully_conv."""
    record = _common.RESULTS_DIR / "photos.json"
    rows = json.loads(record.read_text())["rows"]
    return {(row["photo"], row["sigma"]): row["fully_conv"] for row in rows}


def main():
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--seed", type=int, default=0, help="noise and model seed (tables)")
    parser.add_argument("--data", choices=("tables", "photos"), default="tables")
    parser.add_argument("--epochs-per-photo", type=int, default=100)
    parser.add_argument("--epochs-all", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="photos: 2 photos, 1 epoch")
    args = parser.parse_args()
    info = _common.start()
    if args.data == "photos":
        n_photos = 2 if args.quick else None
        if args.quick:
            args.epochs_per_photo = args.epochs_all = 1
        results = {
            noise: run_photos(
                noise, args.epochs_per_photo, args.epochs_all, supervised_rows(), n_photos
            )
            for noise in PHOTO_NOISES
        }
        command = "python benchmarks/noisy_only.py --data photos" + " --quick" * args.quick
        command += f" --epochs-per-photo {args.epochs_per_photo} --epochs-all {args.epochs_all}"
        markdown = photo_report(results, command)
        _common.write_results(args.output_dir, "noisy_only_photos", results, markdown, info)
        print(markdown)
        return
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
