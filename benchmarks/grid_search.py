"""Grid search over latent size and noise: exhaustive against successive halving.

On the MNIST sample, ``HalvingGridSearchCV(resource="epochs")`` and
``GridSearchCV`` (every candidate trained for halving's last number of epochs)
on the same folds, one fit at a time after one untimed fit; each candidate
scored on the same noise. Writes grid_search.json and grid_search.md.
``--data tabular``: StandardScaler then the dense autoencoder on breast cancer,
each search ``--repeats`` times, taking turns. Writes grid_search_tabular.*.
"""

import shlex
import sys
import time

import _common
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.metrics import peak_signal_noise_ratio


def make_estimator(seed, timer):
    return DenoisingAutoencoder(
        score_noise=GaussianNoiser(_common.NOISE_FACTOR),
        random_state=seed,
        callbacks=[timer],
    )


def run_search(name, make_search, X_train, split):
    """Fit one search; its timings, choice and test measures."""
    timer = _common.EpochTimer()
    search = make_search(timer)
    _common.log(f"{name}: fitting")
    with _common.Stopwatch() as wall:
        search.fit(X_train)
    best = search.best_estimator_
    n_candidates = len(search.cv_results_["params"])
    record = {
        "wall_seconds": wall.seconds,
        "refit_seconds": float(search.refit_time_),
        "fits": n_candidates * search.n_splits_ + 1,
        "epochs_trained": len(timer.times),
        "seconds_in_epochs": float(sum(timer.times)),
        "best_params": _plain(search.best_params_),
        "best_cv_score": float(search.best_score_),
        "refit_epochs": int(best.n_iter_),
        "test_score": float(search.score(split.X_test)),
        "test_psnr_db": float(
            peak_signal_noise_ratio(split.X_test, best.predict(split.X_test_noisy))
        ),
        "candidates": candidates(search.cv_results_),
    }
    _common.log(
        f"{name}: {record['wall_seconds']:.0f} s, {record['fits']} fits, "
        f"{record['epochs_trained']} epochs; best {record['best_params']}, "
        f"test score {record['test_score']:.4f}, PSNR {record['test_psnr_db']:.2f} dB"
    )
    return search, record


def candidates(cv_results):
    """Every candidate's parameters and scores (and halving iteration)."""
    keys = ["mean_test_score", "std_test_score"] + (["iter"] if "iter" in cv_results else [])
    return [
        {**_plain(params), **{key: cv_results[key][i].item() for key in keys}}
        for i, params in enumerate(cv_results["params"])
    ]


def _plain(params):
    return {
        key: value.item() if hasattr(value, "item") else value for key, value in params.items()
    }


def _best_score_of_iteration(record, iteration):
    return max(c["mean_test_score"] for c in record["candidates"] if c["iter"] == iteration)


def markdown_report(results, settings):
    halving, grid = results["halving"], results["grid"]
    rows = [
        [
            name,
            record["fits"],
            record["epochs_trained"],
            f"{record['wall_seconds']:.0f}",
            f"{record['seconds_in_epochs']:.0f}",
            f"{record['refit_seconds']:.0f}",
            ", ".join(f"{key}={value}" for key, value in record["best_params"].items()),
            f"{record['best_cv_score']:.4f}",
            f"{record['test_score']:.4f}",
            f"{record['test_psnr_db']:.2f}",
        ]
        for name, record in [
            ("HalvingGridSearchCV(resource='epochs')", halving),
            ("GridSearchCV", grid),
        ]
    ]
    table = _common.markdown_table(
        [
            "Search",
            "Fits",
            "Epochs trained",
            "Wall (s)",
            "In epochs (s)",
            "Refit (s)",
            "Chosen",
            "Best CV score",
            "Test score",
            "Test PSNR (dB)",
        ],
        rows,
    )
    iterations = _common.markdown_table(
        ["Iteration", "Epochs", "Candidates", "Best mean CV score"],
        [
            [i, epochs, n_candidates, f"{_best_score_of_iteration(halving, i):.4f}"]
            for i, (epochs, n_candidates) in enumerate(
                zip(results["halving_n_resources"], results["halving_n_candidates"])
            )
        ],
    )
    ratio = halving["wall_seconds"] / grid["wall_seconds"]
    return (
        "# Grid search: exhaustive against successive halving over epochs\n\n"
        f"`{settings['command']}`\n\n"
        f"Grid: latent_dim {settings['latent_dims']} × noise__noise_factor "
        f"{settings['noise_factors']} ({results['n_grid_candidates']} candidates); "
        f"{settings['folds']}-fold CV on {settings['n_train']:,} MNIST-sample digits, "
        f"refit on all of them; test on {settings['n_test']:,} held-out digits. "
        f"Halving: factor {settings['factor']}, at most {settings['epochs']} epochs; "
        f"GridSearchCV: {results['grid_epochs']} epochs for every candidate. "
        "Test score: minus the BCE of denoising the test digits under "
        f"GaussianNoiser({_common.NOISE_FACTOR}); PSNR on the shared noisy test digits.\n\n"
        + table
        + f"\nWall time, halving / exhaustive: {ratio:.2f}. Halving's choice ranks "
        f"{results['grid_rank_of_halving_choice']} of {results['n_grid_candidates']} "
        "in the exhaustive search.\n\nHalving iterations:\n\n" + iterations
    )


TABULAR_GRID = {"dae__latent_dim": [2, 4, 8, 16], "dae__noise__noise_factor": [0.3, 0.5]}


def tabular_pipeline(epochs):
    dae = DenoisingAutoencoder(epochs=epochs, score_noise=GaussianNoiser(0.5), random_state=0)
    return Pipeline([("scale", StandardScaler()), ("dae", dae)])


def tabular(args, info):
    """Both searches on breast cancer, ``args.repeats`` times each, taking turns."""
    cv = KFold(args.folds, shuffle=True, random_state=0)
    searches = {
        "GridSearchCV": lambda: GridSearchCV(tabular_pipeline(args.epochs), TABULAR_GRID, cv=cv),
        "HalvingGridSearchCV(resource='dae__epochs')": lambda: HalvingGridSearchCV(
            tabular_pipeline(args.epochs),
            TABULAR_GRID,
            resource="dae__epochs",
            max_resources=args.epochs,
            cv=cv,
            return_train_score=False,
        ),
    }
    X = load_breast_cancer().data
    tabular_pipeline(1).fit(X)  # TensorFlow's one-time start-up
    records = {}
    for _ in range(args.repeats):
        for name, make in searches.items():
            search = make()
            start = time.perf_counter()
            search.fit(X)
            seconds = time.perf_counter() - start
            record = records.setdefault(
                name,
                {
                    "seconds": [],
                    "fits": len(search.cv_results_["params"]) * search.n_splits_ + 1,
                    "best_params": dict(search.best_params_),
                    "best_cv_score": float(search.best_score_),
                },
            )
            record["seconds"].append(seconds)
            _common.log(f"{name}: {seconds:.1f} s, best {record['best_params']}")
    rows = []
    for name, record in records.items():
        record["summary"] = _common.seconds_summary(record["seconds"])
        rows.append(
            [
                name,
                record["fits"],
                _common.min_median_max(record["summary"]),
                f"{np.median(record['seconds']) / record['fits']:.2f}",
                ", ".join(f"{k}={v}" for k, v in record["best_params"].items()),
                f"{record['best_cv_score']:.4f}",
            ]
        )
    header = ["Search", "Fits", "Wall s (min / median / max)", "Median s per fit"]
    markdown = (
        "# Grid search over latent size on a table\n\n"
        f"Breast cancer, StandardScaler then DenoisingAutoencoder; grid {TABULAR_GRID}; "
        f"{args.folds} folds, at most {args.epochs} epochs; {args.repeats} runs "
        "of each search, taking turns.\n\n"
        + _common.markdown_table([*header, "Chosen", "Best CV score"], rows)
    )
    settings = {"epochs": args.epochs, "folds": args.folds, "repeats": args.repeats}
    _common.write_results(
        args.output_dir,
        "grid_search_tabular",
        {"settings": settings, "grid": TABULAR_GRID, "searches": records},
        markdown,
        info,
    )


def main(argv=None):
    parser = _common.argument_parser(__doc__, n_train=600, repeats=3)
    parser.add_argument("--data", choices=("mnist", "tabular"), default="mnist")
    parser.add_argument("--epochs", type=int, help="at most; default 9 on MNIST, 20 on the table")
    parser.add_argument("--latent-dims", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--noise-factors", type=float, nargs="+", default=[0.3, 0.5])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--factor", type=int, default=3, help="halving's factor")
    parser.add_argument("--seed", type=int, default=0, help="of the folds and autoencoders")
    args = parser.parse_args(argv)
    args.epochs = args.epochs or (20 if args.data == "tabular" else 9)
    info = _common.start()
    if args.data == "tabular":
        return tabular(args, info)
    split = _common.load_sample_split()
    X_train = split.X_train[: args.n_train]
    grid = {"latent_dim": args.latent_dims, "noise__noise_factor": args.noise_factors}
    folds = KFold(args.folds, shuffle=True, random_state=args.seed)
    _common.log(f"train {X_train.shape}, test {split.X_test.shape}; grid {grid}")

    # TensorFlow's one-time start-up would otherwise count towards the
    # search that runs first.
    _common.log("warm-up: one untimed fit")
    make_estimator(args.seed, _common.EpochTimer()).set_params(epochs=1).fit(X_train[:64])

    halving_search, halving = run_search(
        "halving",
        lambda timer: HalvingGridSearchCV(
            make_estimator(args.seed, timer),
            grid,
            resource="epochs",
            max_resources=args.epochs,
            factor=args.factor,
            cv=folds,
            return_train_score=False,  # as GridSearchCV: no scores on the training folds
        ),
        X_train,
        split,
    )
    grid_epochs = int(halving_search.n_resources_[-1])
    grid_search, exhaustive = run_search(
        "grid",
        lambda timer: GridSearchCV(
            make_estimator(args.seed, timer).set_params(epochs=grid_epochs), grid, cv=folds
        ),
        X_train,
        split,
    )

    choice = {key: value for key, value in halving["best_params"].items() if key != "epochs"}
    cv = grid_search.cv_results_
    (rank,) = [r for p, r in zip(cv["params"], cv["rank_test_score"]) if _plain(p) == choice]
    results = {
        "halving": halving,
        "grid": exhaustive,
        "halving_n_resources": [int(n) for n in halving_search.n_resources_],
        "halving_n_candidates": [int(n) for n in halving_search.n_candidates_],
        "grid_epochs": grid_epochs,
        "n_grid_candidates": len(cv["params"]),
        "grid_rank_of_halving_choice": int(rank),
    }
    settings = {
        **vars(args),
        "output_dir": str(args.output_dir),
        "n_train": len(X_train),
        "n_test": len(split.X_test),
        "command": shlex.join(["python", *sys.argv]),
        "n_jobs": None,
    }
    _common.write_results(
        args.output_dir,
        "grid_search",
        {"settings": settings, **results},
        markdown_report(results, settings),
        info,
    )


if __name__ == "__main__":
    main()
