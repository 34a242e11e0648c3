"""Time to the tutorial's quality on the full MNIST: plain Keras against skdenoise.

Two contenders train the same network (``build_conv_autoencoder``, same
initializer seed) on the 60,000 training digits, Gaussian noise of factor
0.5, batch size 32, with 10% held out for validation:

- plain Keras, the tutorial's recipe: the noise drawn once,
  ``model.fit(x_noisy, x, batch_size=32, validation_split=0.1, shuffle=True)``;
  its validation set is the last 10% of the digits, noisy once;
- skdenoise's default, ``DenoisingAutoencoder(random_state=0)``: fresh noise
  every epoch; its validation set is a random 10%, corrupted once.

The two validation sets differ, so their losses are close measures of the
same thing, not identical ones.

The contenders take turns epoch by epoch in this one process (the first one
alternates), so that other load on a shared machine slows both alike:
Keras through ``fit(..., epochs=k + 1, initial_epoch=k)``, skdenoise through
``warm_start=True, epochs=1`` fits, which continue with the noise and
shuffling of epoch ``k`` and give the same history as one multi-epoch fit
(tests/test_scale.py checks it). Each epoch's wall time counts
training and validation; set-up (drawing the noise, building and compiling
the model, tracing its first call) counts towards the first epoch.

Reports the epoch and the cumulative wall time at which each contender
first reaches a validation BCE of 0.0953 (the tutorial's best), its best
validation BCE, and its test BCE and PSNR at the end. Results go into
``time_to_quality.json`` and ``time_to_quality.md`` after every epoch (so a
long run can be read while it goes), and once more with the test measures at
the end.

Usage::

    python benchmarks/time_to_quality.py     # 35 epochs, ≈ 1.5 to 2 h on 2 cores
    python benchmarks/time_to_quality.py --epochs 1 --n-train 2000 --output-dir /tmp/ttq
"""

import os

import _common
import numpy as np

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.metrics import peak_signal_noise_ratio
from skdenoise.model_selection import fit_seeds


class KerasRecipe:
    """The tutorial's recipe, one epoch per call."""

    name = "plain Keras (noise once)"

    def __init__(self, X_train, *, noise, batch_size, validation_split, init_seed):
        self._X_train = X_train
        self._noise = noise
        self._batch_size = batch_size
        self._validation_split = validation_split
        self._init_seed = init_seed
        self.model = None

    def run_epoch(self, epoch):
        if self.model is None:
            self._start()
        history = self._fit(epochs=epoch + 1, initial_epoch=epoch)
        return history.history["loss"][-1], history.history["val_loss"][-1]

    def _start(self):
        self._x = _common.as_images(self._X_train)
        self._x_noisy = _common.as_images(
            _common.noisy_once(self._X_train, noise_factor=self._noise)
        )
        self.model = _common.reference_model(self._init_seed)

    def _fit(self, **kwargs):
        return self.model.fit(
            self._x_noisy,
            self._x,
            batch_size=self._batch_size,
            validation_split=self._validation_split,
            shuffle=True,
            verbose=0,
            **kwargs,
        )

    def predict(self, X):
        images = _common.as_images(X)
        return self.model.predict(images, batch_size=1024, verbose=0).reshape(X.shape)


class SkdenoiseDefault:
    """``DenoisingAutoencoder``'s defaults, one warm-started epoch per call."""

    name = "skdenoise (fresh noise)"

    def __init__(self, X_train, *, noise, batch_size, validation_fraction, random_state):
        self._X_train = X_train
        self.estimator = DenoisingAutoencoder(
            noise=GaussianNoiser(noise),
            batch_size=batch_size,
            validation_fraction=validation_fraction,
            epochs=1,
            warm_start=True,
            random_state=random_state,
        )

    def run_epoch(self, epoch):
        self.estimator.fit(self._X_train)
        history = self.estimator.history_
        assert len(history["loss"]) == epoch + 1
        return history["loss"][-1], history["val_loss"][-1]

    def predict(self, X):
        return self.estimator.predict(X)


def append_epoch(records, loss, val_loss, seconds):
    """Append the record of the epoch after `records`; return it.

    Its cumulative wall time adds `seconds` to that of the epoch before.
    """
    cumulative = seconds + (records[-1]["cumulative_seconds"] if records else 0.0)
    record = {
        "epoch": len(records) + 1,
        "loss": float(loss),
        "val_loss": float(val_loss),
        "seconds": seconds,
        "cumulative_seconds": cumulative,
        "load_average_1": round(os.getloadavg()[0], 2),
    }
    records.append(record)
    return record


def make_contenders(X_train, args, init_seed):
    """Plain Keras and skdenoise, on the same digits and network seed."""
    return [
        KerasRecipe(
            X_train,
            noise=args.noise,
            batch_size=args.batch_size,
            validation_split=args.validation_fraction,
            init_seed=init_seed,
        ),
        SkdenoiseDefault(
            X_train,
            noise=args.noise,
            batch_size=args.batch_size,
            validation_fraction=args.validation_fraction,
            random_state=args.random_state,
        ),
    ]


def run_epoch_in_turn(contenders, epoch, results, target):
    """One epoch of every contender, recorded into `results`."""
    # The first to run alternates, so neither always follows the other.
    order = contenders if epoch % 2 == 0 else contenders[::-1]
    for contender in order:
        records = results["contenders"][contender.name]["epochs"]
        with _common.Stopwatch() as wall:
            loss, val_loss = contender.run_epoch(epoch)
        record = append_epoch(records, loss, val_loss, wall.seconds)
        results["contenders"][contender.name]["summary"] = summarize(records, target)
        _common.log(
            f"epoch {epoch + 1} {contender.name}: loss={loss:.5f} val_loss={val_loss:.5f} "
            f"({wall.seconds:.0f} s, {record['cumulative_seconds'] / 60:.1f} min in all)"
        )


def measure_test(contenders, results, X_test, X_test_noisy):
    """Test BCE and PSNR of every contender, at the end, into `results`."""
    for contender in contenders:
        X_denoised = contender.predict(X_test_noisy)
        results["contenders"][contender.name]["test"] = {
            "bce": _common.mean_bce(X_test, X_denoised),
            "psnr_db": peak_signal_noise_ratio(X_test, X_denoised),
        }
    results["test_psnr_noisy_db"] = peak_signal_noise_ratio(X_test, X_test_noisy)
    for name, contender_results in results["contenders"].items():
        _common.log(f"{name}: {contender_results['summary']} test {contender_results['test']}")


def first_reaching(records, target):
    """The first record whose validation loss is at or below `target`."""
    for record in records:
        if record["val_loss"] <= target:
            return record
    return None


def summarize(records, target):
    best = min(records, key=lambda record: record["val_loss"])
    reached = first_reaching(records, target)
    return {
        "epochs_run": len(records),
        "best_val_bce": best["val_loss"],
        "best_epoch": best["epoch"],
        "best_epoch_cumulative_seconds": best["cumulative_seconds"],
        "target_reached_epoch": None if reached is None else reached["epoch"],
        "target_reached_cumulative_seconds": (
            None if reached is None else reached["cumulative_seconds"]
        ),
        "median_epoch_seconds": float(np.median([r["seconds"] for r in records])),
        "total_seconds": records[-1]["cumulative_seconds"],
    }


def markdown_report(results, settings, target):
    names = list(results["contenders"])

    def cell(name, key, fmt):
        value = results["contenders"][name]["summary"].get(key)
        return "not reached" if value is None else fmt.format(value)

    rows = [
        [f"Epoch first at val BCE ≤ {target}"]
        + [cell(n, "target_reached_epoch", "{}") for n in names],
        [f"Wall time to val BCE ≤ {target}"]
        + [cell(n, "target_reached_cumulative_seconds", "{:.0f} s") for n in names],
        ["Best val BCE (epoch)"]
        + [
            f"{results['contenders'][n]['summary']['best_val_bce']:.4f} "
            f"({results['contenders'][n]['summary']['best_epoch']})"
            for n in names
        ],
        ["Median epoch (s)"]
        + [f"{results['contenders'][n]['summary']['median_epoch_seconds']:.0f}" for n in names],
        ["Total wall time (min)"]
        + [f"{results['contenders'][n]['summary']['total_seconds'] / 60:.1f}" for n in names],
    ]
    if "test" in results["contenders"][names[0]]:
        rows += [
            ["Test BCE, denoised (end)"]
            + [f"{results['contenders'][n]['test']['bce']:.4f}" for n in names],
            ["Test PSNR, denoised (end, dB)"]
            + [f"{results['contenders'][n]['test']['psnr_db']:.2f}" for n in names],
        ]

    def epoch_cell(name, epoch):
        records = results["contenders"][name]["epochs"]
        if epoch >= len(records):
            return "—"
        return (
            f"{records[epoch]['val_loss']:.4f} / {records[epoch]['cumulative_seconds'] / 60:.1f}"
        )

    per_epoch = _common.markdown_table(
        ["Epoch"] + [f"{n}: val BCE / cumulative min" for n in names],
        [
            [epoch + 1] + [epoch_cell(n, epoch) for n in names]
            for epoch in range(max(len(results["contenders"][n]["epochs"]) for n in names))
        ],
    )
    how = f"{settings['epochs']} epochs, contenders alternating epoch by epoch in one process"
    return (
        "Time to the tutorial's quality on the full MNIST\n\n"
        f"{settings['n_train']:,} training digits (10% held out for validation), "
        f"{settings['n_test']:,} test digits, noise {settings['noise_factor']}, batch "
        f"{settings['batch_size']}, {how}. The validation sets differ: plain Keras "
        "holds out the last 10% of the digits with the noise drawn once for "
        "training; skdenoise a random 10%, corrupted once. Test noise: seed "
        f"{settings['test_noise_seed']}, the same for both.\n\n"
        + _common.markdown_table(["Measure"] + names, rows)
        + "\nPer epoch:\n\n"
        + per_epoch
    )


def main():
    parser = _common.argument_parser(__doc__, epochs=35)
    _common.add_full_mnist_arguments(parser)
    parser.add_argument("--target", type=float, default=_common.REFERENCE_BEST_VAL_BCE)
    args = parser.parse_args()

    info = _common.start()
    X_train, X_test, X_test_noisy = _common.load_full_mnist(
        args.data_dir, n_train=args.n_train, noise_factor=args.noise
    )
    # The plain Keras network starts from the weights skdenoise's starts from.
    init_seed = fit_seeds(args.random_state)["init"]
    contenders = make_contenders(X_train, args, init_seed)
    settings = {
        "n_train": len(X_train),
        "n_test": len(X_test),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "validation_fraction": args.validation_fraction,
        "noise_factor": args.noise,
        "random_state": args.random_state,
        "init_seed": init_seed,
        "keras_noise_seed": _common.TRAIN_NOISE_SEED,
        "test_noise_seed": _common.TEST_NOISE_SEED,
        "target_val_bce": args.target,
    }
    results = {"contenders": {c.name: {"epochs": []} for c in contenders}}

    def report():
        _common.write_results(
            args.output_dir,
            "time_to_quality",
            {"settings": settings, "results": results},
            markdown_report(results, settings, args.target),
            info,
        )

    for epoch in range(args.epochs):
        run_epoch_in_turn(contenders, epoch, results, args.target)
        report()
    measure_test(contenders, results, X_test, X_test_noisy)
    report()


if __name__ == "__main__":
    main()
