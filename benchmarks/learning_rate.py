"""Learning rate and batch size against time to the tutorial's quality on the full MNIST.

A probe of the first epochs, before any default changes: whether a larger
Adam learning rate, or a larger batch with a scaled learning rate, reaches
the tutorial's best validation BCE (0.0953) in fewer epochs or less wall
time than the default (1e-3, batch 32). Every configuration is a
``DenoisingAutoencoder`` with its defaults otherwise (the reference
network, fresh noise every epoch, validation on 10%, the same
``random_state``, so the same initial weights and validation digits).

The configurations take turns epoch by epoch in this one process (the first
one rotates), through ``warm_start=True, epochs=1`` fits, so that other load
on a shared machine slows all alike. A configuration stops once it reaches
the target. Each epoch's wall time counts training and validation; set-up
counts towards the first epoch.

Results: ``learning_rate.json`` and ``learning_rate.md`` in
benchmarks/results/, written after every epoch.

Usage::

    python benchmarks/learning_rate.py                # 2 epochs each, ≈ 40 min on 2 cores
    python benchmarks/learning_rate.py --epochs 1 --n-train 2000 --output-dir /tmp/lr
"""

import _common
from time_to_quality import append_epoch, summarize

from skdenoise import DenoisingAutoencoder, GaussianNoiser

# (learning rate, batch size): the default first; the others raise the
# learning rate at batch 32, or scale it with a four times larger batch.
CONFIGURATIONS = ((1e-3, 32), (2e-3, 32), (4e-3, 32), (4e-3, 128))


def name(learning_rate, batch_size):
    return f"lr {learning_rate:g}, batch {batch_size}"


def run(args, X_train, results):
    estimators = {
        name(lr, batch): DenoisingAutoencoder(
            noise=GaussianNoiser(args.noise),
            learning_rate=lr,
            batch_size=batch,
            validation_fraction=args.validation_fraction,
            epochs=1,
            warm_start=True,
            random_state=args.random_state,
        )
        for lr, batch in CONFIGURATIONS
    }
    for epoch in range(args.epochs):
        shift = epoch % len(estimators)
        order = list(estimators)[shift:] + list(estimators)[:shift]
        for label in order:
            records = results[label]["epochs"]
            if results[label].get("summary", {}).get("target_reached_epoch") is not None:
                continue
            with _common.Stopwatch() as wall:
                estimators[label].fit(X_train)
            history = estimators[label].history_
            record = append_epoch(
                records, history["loss"][-1], history["val_loss"][-1], wall.seconds
            )
            results[label]["summary"] = summarize(records, args.target)
            _common.log(
                f"epoch {epoch + 1} {label}: val_loss={record['val_loss']:.5f} "
                f"({wall.seconds:.0f} s, {record['cumulative_seconds'] / 60:.1f} min in all)"
            )
        yield


def markdown_report(results, settings):
    target = settings["target_val_bce"]
    epochs = max(len(entry["epochs"]) for entry in results.values())
    rows = []
    for label, entry in results.items():
        summary = entry.get("summary")
        if summary is None:
            continue
        reached = summary["target_reached_cumulative_seconds"]
        rows.append(
            [label]
            + [
                f"{entry['epochs'][e]['val_loss']:.4f} ({entry['epochs'][e]['seconds']:.0f} s)"
                if e < len(entry["epochs"])
                else "stopped"
                for e in range(epochs)
            ]
            + [
                "not reached"
                if reached is None
                else f"epoch {summary['target_reached_epoch']}, {reached:.0f} s"
            ]
        )
    return (
        "Learning rate and batch size: the first epochs on the full MNIST\n\n"
        f"{settings['n_train']:,} training digits (10% held out for validation), "
        f"noise {settings['noise_factor']}, `DenoisingAutoencoder` defaults otherwise, "
        "configurations taking turns epoch by epoch in one process. Validation "
        f"BCE after each epoch (that epoch's wall time); target {target}.\n\n"
        + _common.markdown_table(
            ["Configuration"]
            + [f"Epoch {e + 1}" for e in range(epochs)]
            + [f"First at val BCE ≤ {target}"],
            rows,
        )
    )


def main():
    parser = _common.argument_parser(__doc__, epochs=2)
    _common.add_full_mnist_arguments(parser)
    parser.add_argument("--target", type=float, default=_common.REFERENCE_BEST_VAL_BCE)
    args = parser.parse_args()

    info = _common.start()
    X_train, _, _ = _common.load_full_mnist(args.data_dir, n_train=args.n_train)
    settings = {
        "n_train": len(X_train),
        "epochs": args.epochs,
        "configurations": [list(c) for c in CONFIGURATIONS],
        "validation_fraction": args.validation_fraction,
        "noise_factor": args.noise,
        "random_state": args.random_state,
        "target_val_bce": args.target,
    }
    results = {name(*c): {"epochs": []} for c in CONFIGURATIONS}
    for _ in run(args, X_train, results):
        _common.write_results(
            args.output_dir,
            "learning_rate",
            {"settings": settings, "results": results},
            markdown_report(results, settings),
            info,
        )


if __name__ == "__main__":
    main()
