"""Wall time of whole fits, as a grid search runs them: skdenoise against plain Keras.

Each fit starts from nothing, like every fit of ``GridSearchCV``: a fresh
``DenoisingAutoencoder(epochs=5, random_state=i)`` with its defaults
(validation on 10%, fresh noise every epoch), against the tutorial's recipe
in plain Keras (the same network built and compiled anew, noise drawn once,
``model.fit(x_noisy, x, epochs=5, batch_size=32, validation_split=0.1)`` on
arrays). The two alternate, fit by fit, in this one process, so that other
load slows both alike; the script reports the minimum, median and maximum
wall time of each.

Every fit is also cut into phases, with a callback and clocks around
``model.fit``: set-up before the first batch, the epochs, and the time from
the end of the last epoch (``on_train_end``) until the fit returns, where a
stall after the last epoch would show. A last part times the training
``tf.data`` pipeline alone, with no model: creating its iterator, running
through every batch, and deleting the iterator (the teardown of the
prefetching iterator), as skdenoise builds it and with tf.data's default
options (a parallel map, which makes several epochs ahead, and autotuning).

Results: ``whole_fits.json`` (every fit, with its phases and the load
average) and ``whole_fits.md`` in benchmarks/results/.

Usage::

    python benchmarks/whole_fits.py                 # 12 fits each, ≈ 10 min on 2 cores
    python benchmarks/whole_fits.py --fits 2 --epochs 1 --output-dir /tmp/wf
"""

import os
import time

import _common
import keras
import numpy as np

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._training_data import CorruptedBatches


class PhaseClock(keras.callbacks.Callback):
    """Timestamps of the training events of one fit.

    skdenoise copies the callbacks it is given; the copy is this very object,
    so the timestamps land here.
    """

    def __init__(self):
        super().__init__()
        self.events = {}

    def __deepcopy__(self, memo):
        return self

    def on_train_begin(self, logs=None):
        self.events["train_begin"] = time.perf_counter()

    def on_train_batch_begin(self, batch, logs=None):
        self.events.setdefault("first_batch_begin", time.perf_counter())

    def on_epoch_end(self, epoch, logs=None):
        self.events["last_epoch_end"] = time.perf_counter()

    def on_train_end(self, logs=None):
        self.events["train_end"] = time.perf_counter()


def keras_fit(X_train, *, epochs, seed, clock):
    x = _common.as_images(X_train)
    x_noisy = _common.as_images(_common.noisy_once(X_train, seed=seed))
    model = _common.reference_model(seed)
    model.fit(
        x_noisy,
        x,
        epochs=epochs,
        batch_size=_common.BATCH_SIZE,
        validation_split=_common.VALIDATION_FRACTION,
        shuffle=True,
        callbacks=[clock],
        verbose=0,
    )
    clock.events["fit_returned"] = time.perf_counter()
    return model


def skdenoise_fit(X_train, *, epochs, seed, clock):
    dae = DenoisingAutoencoder(epochs=epochs, random_state=seed, callbacks=[clock])
    dae.fit(X_train)
    clock.events["fit_returned"] = time.perf_counter()
    return dae


CONTENDERS = {"plain Keras": keras_fit, "skdenoise": skdenoise_fit}
PIPELINES = ("skdenoise pipeline", "same, tf.data defaults")


def phases(start, end, events):
    """Seconds spent in each phase of one fit."""
    return {
        "total": end - start,
        "before_first_batch": events["first_batch_begin"] - start,
        "first_batch_to_last_epoch_end": events["last_epoch_end"] - events["first_batch_begin"],
        "last_epoch_end_to_train_end": events["train_end"] - events["last_epoch_end"],
        "train_end_to_fit_return": events["fit_returned"] - events["train_end"],
        "fit_return_to_caller": end - events["fit_returned"],
    }


def time_whole_fits(X_train, *, n_fits, epochs):
    """Fresh fits of every contender, taking turns; one record per fit."""
    fits = []
    for index in range(n_fits):
        names = list(CONTENDERS) if index % 2 == 0 else list(CONTENDERS)[::-1]
        for name in names:
            clock = PhaseClock()
            with _common.Stopwatch() as wall:
                fitted = CONTENDERS[name](X_train, epochs=epochs, seed=index, clock=clock)
            del fitted
            record = {
                "contender": name,
                "fit": index,
                "load_average_1": round(os.getloadavg()[0], 2),
                **phases(wall.started, wall.stopped, clock.events),
            }
            fits.append(record)
            after_last_epoch = (
                record["last_epoch_end_to_train_end"] + record["train_end_to_fit_return"]
            )
            _common.log(
                f"{name} fit {index}: {record['total']:.1f} s; after the last epoch "
                f"{after_last_epoch:.2f} s "
                f"(load {record['load_average_1']})"
            )
    return fits


def with_tf_data_defaults(dataset):
    """The pipeline as tf.data runs it by default: parallel map, autotuning."""
    import tensorflow as tf

    options = tf.data.Options()
    options.experimental_optimization.map_parallelization = True
    options.autotune.enabled = True
    return dataset.with_options(options)


def time_pipeline(X_train, *, epochs, seed, tf_data_defaults=False):
    """Create, exhaust and delete the training pipeline's iterator."""
    n_train = len(X_train) - int(np.floor(len(X_train) * _common.VALIDATION_FRACTION))
    batches = CorruptedBatches(
        _common.as_images(X_train[:n_train]),
        None,
        GaussianNoiser(_common.NOISE_FACTOR),
        batch_size=_common.BATCH_SIZE,
        seed=seed,
        first_epoch=0,
    )
    with _common.Stopwatch() as create:
        dataset = batches.as_tf_dataset(epochs)
        if tf_data_defaults:
            dataset = with_tf_data_defaults(dataset)
        iterator = iter(dataset)
    with _common.Stopwatch() as iterate:
        for _ in range(epochs * len(batches)):
            next(iterator)
    with _common.Stopwatch() as delete:
        del iterator
    return {"create": create.seconds, "iterate": iterate.seconds, "delete": delete.seconds}


def time_pipelines(X_train, *, runs, epochs):
    """The pipeline alone, as skdenoise builds it and with tf.data's defaults."""
    pipeline = {name: [] for name in PIPELINES}
    for run in range(runs):
        for name, records in pipeline.items():
            records.append(
                time_pipeline(
                    X_train, epochs=epochs, seed=run, tf_data_defaults=name != PIPELINES[0]
                )
            )
            _common.log(f"{name} run {run}: {records[-1]}")
    return pipeline


def summarize(fits, pipeline):
    """Min, median and max of every phase, per contender and pipeline."""
    summary = {
        name: {
            key: _common.seconds_summary([f[key] for f in fits if f["contender"] == name])
            for key in fits[0]
            if key not in ("contender", "fit", "load_average_1")
        }
        for name in CONTENDERS
    }
    for name, records in pipeline.items():
        summary[name] = {
            key: _common.seconds_summary([r[key] for r in records]) for key in records[0]
        }
    return summary


FIT_PHASES = [
    ("total", "Whole fit"),
    ("before_first_batch", "Set-up before the first batch"),
    ("first_batch_to_last_epoch_end", "First batch to end of last epoch"),
    ("last_epoch_end_to_train_end", "End of last epoch to on_train_end"),
    ("train_end_to_fit_return", "on_train_end to model.fit return"),
    ("fit_return_to_caller", "model.fit return to fit() return"),
]
PIPELINE_PHASES = [
    ("create", "Pipeline alone: create iterator"),
    ("iterate", "Pipeline alone: all batches"),
    ("delete", "Pipeline alone: delete iterator"),
]


def markdown_report(summary, fits, settings):
    def row(label, name, key):
        s = summary[name][key]
        return [label, name, f"{s['min']:.2f}", f"{s['median']:.2f}", f"{s['max']:.2f}"]

    rows = [row(label, name, key) for name in CONTENDERS for key, label in FIT_PHASES]
    rows += [row(label, name, key) for name in PIPELINES for key, label in PIPELINE_PHASES]
    ratio = summary["skdenoise"]["total"]["median"] / summary["plain Keras"]["total"]["median"]
    loads = [f["load_average_1"] for f in fits]
    return (
        f"Whole fits: {settings['fits']} fresh fits each of {settings['epochs']} epochs on "
        f"{settings['n_train']:,} digits (10% validation), alternating\n\n"
        + _common.markdown_table(["Phase", "Contender", "Min (s)", "Median (s)", "Max (s)"], rows)
        + f"\nMedian whole fit, skdenoise / plain Keras: {ratio:.2f}. Load average "
        f"during the fits: {min(loads)} to {max(loads)}.\n"
    )


def main():
    parser = _common.argument_parser(__doc__, epochs=5)
    parser.add_argument("--fits", type=int, default=12, help="fits of each contender")
    parser.add_argument(
        "--pipeline-runs", type=int, default=10, help="runs of the pipeline alone, each way"
    )
    args = parser.parse_args()

    info = _common.start()
    X_train, *_ = _common.load_sample_split()
    _common.log(f"train {X_train.shape}; {args.fits} fits each of {args.epochs} epochs")

    fits = time_whole_fits(X_train, n_fits=args.fits, epochs=args.epochs)
    pipeline = time_pipelines(X_train, runs=args.pipeline_runs, epochs=args.epochs)

    summary = summarize(fits, pipeline)
    settings = {
        "fits": args.fits,
        "epochs": args.epochs,
        "n_train": len(X_train),
        "batch_size": _common.BATCH_SIZE,
        "validation_fraction": _common.VALIDATION_FRACTION,
        "pipeline_runs": args.pipeline_runs,
    }
    _common.write_results(
        args.output_dir,
        "whole_fits",
        {"settings": settings, "summary": summary, "fits": fits, "pipeline": pipeline},
        markdown_report(summary, fits, settings),
        info,
    )


if __name__ == "__main__":
    main()
