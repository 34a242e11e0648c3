"""Learning rate and batch size against time to the tutorial's quality on the full MNIST.

A probe of the first epochs, before any default changes: whether a larger
Adam learning rate, a larger batch with a scaled learning rate
(``--probe constant``), or a learning-rate schedule over a short fit
(``--probe schedules``: cosine decay to zero, with or without a linear
warm-up) reaches the tutorial's best validation BCE (0.0953) in fewer epochs
or less wall time than the default (1e-3, batch 32, constant). Every
configuration is a ``DenoisingAutoencoder`` with its defaults otherwise (the
reference network, fresh noise every epoch, validation on 10%, the same
``random_state``, so the same initial weights and validation digits). A
schedule is a Keras callback passed through ``callbacks``, as a user would
pass it: before each training step it sets the optimizer's learning rate
from the step count, so that it spans the configuration's whole fit of a
few epochs.

The configurations take turns epoch by epoch in this one process (the first
one rotates), through ``warm_start=True, epochs=1`` fits, so that other load
on a shared machine slows all alike. A configuration stops once it reaches
the target. Each epoch's wall time counts training and validation; set-up
counts towards the first epoch.

Results: ``learning_rate.json`` and ``learning_rate.md`` in
benchmarks/results/ (``learning_rate_schedules.*`` for the schedules),
written after every epoch.

Usage::

    python benchmarks/learning_rate.py                    # 2 epochs each, ≈ 40 min on 2 cores
    python benchmarks/learning_rate.py --probe schedules  # 10 epochs in all, ≈ 25 min
    python benchmarks/learning_rate.py --epochs 1 --n-train 2000 --output-dir /tmp/lr
"""

import math

import _common
import keras
from time_to_quality import append_epoch, summarize

from skdenoise import DenoisingAutoencoder, GaussianNoiser

# (learning rate, batch size): the default first; the others raise the
# learning rate at batch 32, or scale it with a four times larger batch.
CONSTANT = ((1e-3, 32), (2e-3, 32), (4e-3, 32), (4e-3, 128))

# (peak learning rate, epochs of the fit, fraction of it spent warming up
# linearly from zero), batch 32: cosine decay from the peak to zero over the
# rest. Short fits, since a schedule over the default 35 epochs stays near
# its peak in the first epochs, where the target is reached.
SCHEDULES = ((2e-3, 2, 0.0), (4e-3, 2, 0.0), (2e-3, 3, 0.0), (4e-3, 3, 0.3))


class ScheduledLearningRate(keras.callbacks.Callback):
    """Set the optimizer's learning rate from its step count before each step."""

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_train_batch_begin(self, batch, logs=None):
        optimizer = self.model.optimizer
        optimizer.learning_rate = float(self.schedule(optimizer.iterations))


def configurations(args, n_fit):
    """{name: (estimator parameters, epochs)} for the probe `args.probe`."""
    if args.probe == "constant":
        return {
            f"lr {lr:g}, batch {batch}": (
                {"learning_rate": lr, "batch_size": batch},
                args.epochs,
            )
            for lr, batch in CONSTANT
        }
    steps_per_epoch = math.ceil(n_fit / _common.BATCH_SIZE)
    found = {}
    for peak, epochs, warmup in SCHEDULES:
        total = epochs * steps_per_epoch
        warmup_steps = round(warmup * total)
        schedule = keras.optimizers.schedules.CosineDecay(
            0.0 if warmup_steps else peak,
            decay_steps=total - warmup_steps,
            warmup_target=peak if warmup_steps else None,
            warmup_steps=warmup_steps,
        )
        label = f"cosine {peak:g} to 0 over {epochs} epochs" + (
            f", warm-up {warmup:.0%}" if warmup_steps else ""
        )
        found[label] = (
            {"batch_size": _common.BATCH_SIZE, "callbacks": [ScheduledLearningRate(schedule)]},
            epochs,
        )
    return found


def run(args, X_train, results, configured):
    estimators = {
        label: DenoisingAutoencoder(
            noise=GaussianNoiser(args.noise),
            validation_fraction=args.validation_fraction,
            epochs=1,
            warm_start=True,
            random_state=args.random_state,
            **params,
        )
        for label, (params, _) in configured.items()
    }
    for epoch in range(max(epochs for _, epochs in configured.values())):
        shift = epoch % len(estimators)
        order = list(estimators)[shift:] + list(estimators)[:shift]
        for label in order:
            records = results[label]["epochs"]
            if results[label].get("summary", {}).get("target_reached_epoch") is not None:
                continue
            if epoch >= configured[label][1]:
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
                else "—"
                for e in range(epochs)
            ]
            + [
                "not reached"
                if reached is None
                else f"epoch {summary['target_reached_epoch']}, {reached:.0f} s"
            ]
        )
    return (
        f"{settings['title']}: the first epochs on the full MNIST\n\n"
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
    parser.add_argument(
        "--probe",
        choices=("constant", "schedules"),
        default="constant",
        help="constant learning rates and batch sizes (for --epochs epochs), "
        "or schedules over fits of their own length",
    )
    args = parser.parse_args()

    info = _common.start()
    X_train, _, _ = _common.load_full_mnist(args.data_dir, n_train=args.n_train)
    n_fit = _common.training_rows(len(X_train), args.validation_fraction)
    configured = configurations(args, n_fit)
    settings = {
        "title": (
            "Learning rate and batch size"
            if args.probe == "constant"
            else "Learning-rate schedules over short fits"
        ),
        "n_train": len(X_train),
        "epochs": {label: epochs for label, (_, epochs) in configured.items()},
        "configurations": list(CONSTANT if args.probe == "constant" else SCHEDULES),
        "validation_fraction": args.validation_fraction,
        "noise_factor": args.noise,
        "random_state": args.random_state,
        "target_val_bce": args.target,
    }
    results = {label: {"epochs": []} for label in configured}
    for _ in run(args, X_train, results, configured):
        _common.write_results(
            args.output_dir,
            "learning_rate" if args.probe == "constant" else "learning_rate_schedules",
            {"settings": settings, "results": results},
            markdown_report(results, settings),
            info,
        )


if __name__ == "__main__":
    main()
