"""Autoencoder codes against PCA as features on scikit-learn's tables.

StandardScaler, then nothing, PCA(k), DenoisingAutoencoder(latent_dim=k),
both, or PCA(2k), then LogisticRegression(max_iter=5000); the same stratified
folds for all. Writes tabular.json and tabular.md.
"""

import time

import _common
import numpy as np

DATASETS = ("breast_cancer", "wine", "digits")
PIPELINES = ("raw", "pca", "dae", "pca+dae", "pca2k")


def load(name):
    from sklearn import datasets

    return getattr(datasets, f"load_{name}")(return_X_y=True)


def make_pipelines(latent_dim, epochs, seed, n_features):
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import StandardScaler

    from skdenoise import DenoisingAutoencoder

    def dae():
        return DenoisingAutoencoder(latent_dim=latent_dim, epochs=epochs, random_state=seed)

    def pca(n_components=latent_dim):
        return PCA(n_components=n_components, random_state=seed)

    def classifier():
        return LogisticRegression(max_iter=5000)

    return {
        "raw": make_pipeline(StandardScaler(), classifier()),
        "pca": make_pipeline(StandardScaler(), pca(), classifier()),
        "dae": make_pipeline(StandardScaler(), dae(), classifier()),
        "pca+dae": make_pipeline(StandardScaler(), make_union(pca(), dae()), classifier()),
        # Capped by the width of the data: wine has 13 features.
        "pca2k": make_pipeline(
            StandardScaler(), pca(min(2 * latent_dim, n_features)), classifier()
        ),
    }


def run_dataset(name, args):
    from sklearn.model_selection import StratifiedKFold, cross_validate

    X, y = load(name)
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    result = {
        "n_samples": int(X.shape[0]),
        "n_features": int(X.shape[1]),
        "n_classes": int(len(np.unique(y))),
        "pipelines": {},
    }
    for pipeline_name, pipeline in make_pipelines(
        args.latent_dim, args.epochs, args.seed, X.shape[1]
    ).items():
        start = time.perf_counter()
        scores = cross_validate(pipeline, X, y, cv=folds, scoring="accuracy")
        entry = {
            "accuracy": [float(a) for a in scores["test_score"]],
            "fit_seconds": [float(t) for t in scores["fit_time"]],
        }
        result["pipelines"][pipeline_name] = entry
        accuracy = np.array(entry["accuracy"])
        _common.log(
            f"{name:>13} {pipeline_name:>8}: accuracy {accuracy.mean():.4f} "
            f"± {accuracy.std():.4f} ({time.perf_counter() - start:.0f} s)"
        )
    return result


def markdown_report(results, args):
    rows = []
    for name, result in results.items():
        pipelines = result["pipelines"]
        pca = np.array(pipelines["pca"]["accuracy"])
        for pipeline_name in PIPELINES:
            entry = pipelines[pipeline_name]
            accuracy = np.array(entry["accuracy"])
            difference = accuracy - pca
            rows.append(
                [
                    f"{name} ({result['n_samples']}×{result['n_features']}, "
                    f"{result['n_classes']} classes)",
                    pipeline_name,
                    f"{accuracy.mean():.4f} ± {accuracy.std():.4f}",
                    "—"
                    if pipeline_name == "pca"
                    else f"{difference.mean():+.4f} ({int((difference > 0).sum())}/"
                    f"{int((difference < 0).sum())})",
                    f"{np.median(entry['fit_seconds']):.2f}",
                ]
            )
    table = _common.markdown_table(
        [
            "data set",
            "pipeline",
            "accuracy (mean ± std over folds)",
            "minus PCA, paired (folds better/worse)",
            "median fit s",
        ],
        rows,
    )
    text = (
        "# Tabular data: autoencoder codes against PCA\n\n"
        f"`python benchmarks/tabular.py --latent-dim {args.latent_dim} "
        f"--epochs {args.epochs} --folds {args.folds}`\n\n"
        f"StandardScaler in front of every pipeline, k = {args.latent_dim} "
        "components or code values (2k, at most the number of features, for "
        "pca2k), "
        "LogisticRegression(max_iter=5000) at "
        f"the end; stratified {args.folds}-fold cross-validation, the same "
        "folds for every pipeline.\n\n" + table
    )
    return text


def main(argv=None):
    parser = _common.argument_parser(__doc__, epochs=35)
    parser.add_argument("--latent-dim", type=int, default=8)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    args = parser.parse_args(argv)

    info = _common.start()
    results = {name: run_dataset(name, args) for name in args.datasets}

    settings = {**vars(args), "output_dir": str(args.output_dir)}
    _common.write_results(
        args.output_dir,
        "tabular",
        {"settings": settings, "datasets": results},
        markdown_report(results, args),
        info,
    )


if __name__ == "__main__":
    main()
