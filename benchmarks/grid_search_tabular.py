"""Grid search over latent size on a table: wall time of whole searches.

The tabular counterpart of ``grid_search.py``: ``StandardScaler`` then the
dense ``DenoisingAutoencoder`` on breast cancer, ``GridSearchCV`` against
``HalvingGridSearchCV(resource="dae__epochs")``, each run ``--repeats`` times,
taking turns. Writes grid_search_tabular.json and grid_search_tabular.md.
"""

import time

import _common
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser

GRID = {"dae__latent_dim": [2, 4, 8, 16], "dae__noise__noise_factor": [0.3, 0.5]}


def pipeline(epochs):
    return Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "dae",
                DenoisingAutoencoder(
                    epochs=epochs, score_noise=GaussianNoiser(0.5), random_state=0
                ),
            ),
        ]
    )


def searches(epochs, folds):
    cv = KFold(folds, shuffle=True, random_state=0)
    return {
        "GridSearchCV": lambda: GridSearchCV(pipeline(epochs), GRID, cv=cv),
        "HalvingGridSearchCV(resource='dae__epochs')": lambda: HalvingGridSearchCV(
            pipeline(epochs),
            GRID,
            resource="dae__epochs",
            max_resources=epochs,
            cv=cv,
            return_train_score=False,
        ),
    }


def main():
    parser = _common.argument_parser(__doc__, epochs=20, repeats=3)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    args = parser.parse_args()
    info = _common.start()
    X = load_breast_cancer().data
    pipeline(1).fit(X)  # TensorFlow's one-time start-up
    records = {}
    for _ in range(args.repeats):
        for name, make in searches(args.epochs, args.folds).items():
            search = make()
            start = time.perf_counter()
            search.fit(X)
            seconds = time.perf_counter() - start
            n_candidates = len(search.cv_results_["params"])
            record = records.setdefault(
                name,
                {
                    "seconds": [],
                    "fits": n_candidates * search.n_splits_ + 1,
                    "best_params": {k: v for k, v in search.best_params_.items()},
                    "best_cv_score": float(search.best_score_),
                },
            )
            record["seconds"].append(seconds)
            _common.log(f"{name}: {seconds:.1f} s, best {record['best_params']}")
    rows = []
    for name, record in records.items():
        summary = _common.seconds_summary(record["seconds"])
        record["summary"] = summary
        rows.append(
            [
                name,
                record["fits"],
                _common.min_median_max(summary),
                f"{np.median(record['seconds']) / record['fits']:.2f}",
                ", ".join(f"{k}={v}" for k, v in record["best_params"].items()),
                f"{record['best_cv_score']:.4f}",
            ]
        )
    markdown = (
        "# Grid search over latent size on a table\n\n"
        f"Breast cancer, StandardScaler then DenoisingAutoencoder; grid {GRID}; "
        f"{args.folds} folds, at most {args.epochs} epochs; {args.repeats} runs "
        "of each search, taking turns.\n\n"
        + _common.markdown_table(
            [
                "Search",
                "Fits",
                "Wall s (min / median / max)",
                "Median s per fit",
                "Chosen",
                "Best CV score",
            ],
            rows,
        )
    )
    settings = {"epochs": args.epochs, "folds": args.folds, "repeats": args.repeats}
    _common.write_results(
        args.output_dir,
        "grid_search_tabular",
        {"settings": settings, "grid": GRID, "searches": records},
        markdown,
        info,
    )
    print(markdown)


if __name__ == "__main__":
    main()
