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
``time_to_quality.json`` after every epoch, and ``time_to_quality.md`` at the
end.

Usage::

    python benchmarks/time_to_quality.py              # 35 epochs, ≈ 1.5 to 2 h on 2 cores
    python benchmarks/time_to_quality.py --epochs 1 --n-train 2000 --output-dir /tmp/ttq
"""

import argparse
import os
import time
from pathlib import Path

import _common
import keras
import numpy as np
from full_mnist import REFERENCE_BEST_VAL_BCE, ensure_mnist
from sklearn.utils import check_random_state

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._architectures import build_conv_autoencoder
from skdenoise.datasets import load_mnist_idx
from skdenoise.metrics import peak_signal_noise_ratio

IMAGE_SHAPE = (28, 28, 1)
LATENT_DIM = 128
# Seed of the noise the Keras recipe draws once on the training digits.
KERAS_NOISE_SEED = 1


def skdenoise_init_seed(random_state):
    """The initializer seed DenoisingAutoencoder derives from `random_state`.

    The first of the four seeds drawn in ``DenoisingAutoencoder._initialize``;
    the script checks it against the estimator after its first fit.
    """
    rng = np.random.default_rng(
        check_random_state(random_state).randint(np.iinfo(np.int32).max)
    )
    return int(rng.integers(np.iinfo(np.int32).max, size=4)[0])


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
            self._x = self._X_train.reshape(-1, *IMAGE_SHAPE)
            self._x_noisy = GaussianNoiser(
                self._noise, random_state=KERAS_NOISE_SEED
            ).transform(self._X_train).reshape(-1, *IMAGE_SHAPE)
            self.model = build_conv_autoencoder(
                IMAGE_SHAPE, LATENT_DIM, output_activation="sigmoid", seed=self._init_seed
            )
            self.model.compile(
                optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                loss="binary_crossentropy",
            )
        history = self.model.fit(
            self._x_noisy,
            self._x,
            epochs=epoch + 1,
            initial_epoch=epoch,
            batch_size=self._batch_size,
            validation_split=self._validation_split,
            shuffle=True,
            verbose=0,
        )
        return history.history["loss"][-1], history.history["val_loss"][-1]

    def predict(self, X):
        images = X.reshape(-1, *IMAGE_SHAPE)
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


def markdown(results, settings, info, target):
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
    per_epoch = _common.markdown_table(
        ["Epoch"] + [f"{n}: val BCE / cumulative min" for n in names],
        [
            [epoch + 1]
            + [
                f"{results['contenders'][n]['epochs'][epoch]['val_loss']:.4f} / "
                f"{results['contenders'][n]['epochs'][epoch]['cumulative_seconds'] / 60:.1f}"
                for n in names
            ]
            for epoch in range(len(results["contenders"][names[0]]["epochs"]))
        ],
    )
    return (
        "Time to the tutorial's quality on the full MNIST\n\n"
        f"{settings['n_train']:,} training digits (10% held out for validation), "
        f"{settings['n_test']:,} test digits, noise {settings['noise_factor']}, batch "
        f"{settings['batch_size']}, {settings['epochs']} epochs, contenders alternating "
        "epoch by epoch in one process. The validation sets differ: plain Keras "
        "holds out the last 10% of the digits with the noise drawn once for "
        "training; skdenoise a random 10%, corrupted once. Test noise: seed "
        f"{settings['test_noise_seed']}, the same for both.\n\n"
        + _common.markdown_table(["Measure"] + names, rows)
        + "\nPer epoch:\n\n"
        + per_epoch
        + f"\nMachine: {_common.machine_line(info)}; load average "
        f"{info['load_average_1_5_15_at_end'][0]} at end.\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=35)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--validation-fraction", type=float, default=0.1)
    parser.add_argument("--noise", type=float, default=_common.NOISE_FACTOR)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--target", type=float, default=REFERENCE_BEST_VAL_BCE)
    parser.add_argument(
        "--n-train",
        type=int,
        default=None,
        help="train on a random subset of this many digits (for a quick check)",
    )
    parser.add_argument("--data-dir", type=Path, default=_common.MNIST_DIR)
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    args = parser.parse_args()

    info = _common.machine_info()
    _common.log(_common.machine_line(info))
    ensure_mnist(args.data_dir)
    X_train, _ = load_mnist_idx(args.data_dir, subset="train", return_X_y=True)
    X_test, _ = load_mnist_idx(args.data_dir, subset="test", return_X_y=True)
    if args.n_train is not None:
        rows = np.random.default_rng(0).choice(len(X_train), args.n_train, replace=False)
        X_train = X_train[np.sort(rows)]
    X_test_noisy = GaussianNoiser(args.noise, random_state=_common.TEST_NOISE_SEED).transform(
        X_test
    )
    _common.log(f"train {X_train.shape}, test {X_test.shape}")

    init_seed = skdenoise_init_seed(args.random_state)
    contenders = [
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
    settings = {
        "n_train": len(X_train),
        "n_test": len(X_test),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "validation_fraction": args.validation_fraction,
        "noise_factor": args.noise,
        "random_state": args.random_state,
        "init_seed": init_seed,
        "keras_noise_seed": KERAS_NOISE_SEED,
        "test_noise_seed": _common.TEST_NOISE_SEED,
        "target_val_bce": args.target,
    }
    results = {"contenders": {c.name: {"epochs": []} for c in contenders}}
    out = args.output_dir / "time_to_quality.json"

    for epoch in range(args.epochs):
        # The first to run alternates, so neither always follows the other.
        order = contenders if epoch % 2 == 0 else contenders[::-1]
        for contender in order:
            records = results["contenders"][contender.name]["epochs"]
            start = time.perf_counter()
            loss, val_loss = contender.run_epoch(epoch)
            seconds = time.perf_counter() - start
            cumulative = seconds + (records[-1]["cumulative_seconds"] if records else 0.0)
            records.append(
                {
                    "epoch": epoch + 1,
                    "loss": float(loss),
                    "val_loss": float(val_loss),
                    "seconds": seconds,
                    "cumulative_seconds": cumulative,
                    "load_average_1": round(os.getloadavg()[0], 2),
                }
            )
            results["contenders"][contender.name]["summary"] = summarize(records, args.target)
            _common.log(
                f"epoch {epoch + 1} {contender.name}: loss={loss:.5f} "
                f"val_loss={val_loss:.5f} ({seconds:.0f} s, {cumulative / 60:.1f} min in all)"
            )
            if epoch == 0 and isinstance(contender, SkdenoiseDefault):
                assert contender.estimator._seeds["init"] == init_seed, "init seeds differ"
        _common.write_json(out, {"settings": settings, "results": results, "machine": info})

    for contender in contenders:
        X_denoised = contender.predict(X_test_noisy)
        results["contenders"][contender.name]["test"] = {
            "bce": _common.mean_bce(X_test, X_denoised),
            "psnr_db": peak_signal_noise_ratio(X_test, X_denoised),
        }
    results["test_psnr_noisy_db"] = peak_signal_noise_ratio(X_test, X_test_noisy)
    info["load_average_1_5_15_at_end"] = [
        round(x, 2) for x in _common.machine_info()["load_average_1_5_15"]
    ]
    for name, contender_results in results["contenders"].items():
        _common.log(f"{name}: {contender_results['summary']} test {contender_results['test']}")
    _common.write_json(out, {"settings": settings, "results": results, "machine": info})
    _common.write_text(
        args.output_dir / "time_to_quality.md", markdown(results, settings, info, args.target)
    )


if __name__ == "__main__":
    main()
