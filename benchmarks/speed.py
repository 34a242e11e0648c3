"""Training and inference speed of skdenoise against plain Keras and scikeras.

The same network, digits, batch size 32, Adam(1e-3) and BCE; the contenders
take turns in one process: (a) training throughput after the warm-up epochs,
without and with 10% held out for validation, against plain Keras and (b)
scikeras; (c) latency of one-sample and 10,000-sample inference against
``keras.Model.predict``; (d) fit time against the number of samples, with a
fitted line. Writes speed.json, speed.md and speed_scaling.png.
"""

import time

import _common
import keras
import numpy as np
from _common import as_images
from sklearn.metrics import r2_score

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.model_selection import train_validation_indices


def flat_reference_model():
    """The reference network between reshapes, for scikeras's 2-D targets."""
    network = _common.reference_network(seed=0)
    inputs = keras.Input(shape=(784,))
    x = keras.layers.Reshape(_common.IMAGE_SHAPE)(inputs)
    outputs = keras.layers.Reshape((784,))(network(x))
    return keras.Model(inputs, outputs)


def train_keras(X, X_noisy, epochs, validation, timer):
    model = _common.reference_model()
    model.fit(
        as_images(X_noisy),
        as_images(X),
        epochs=epochs,
        batch_size=_common.BATCH_SIZE,
        validation_split=0.1 if validation else 0.0,
        callbacks=[timer],
        verbose=0,
    )
    return model


def train_skdenoise(X, X_noisy, epochs, validation, timer):
    return DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR),
        epochs=epochs,
        validation_fraction=0.1 if validation else None,
        callbacks=[timer],
        random_state=0,
    ).fit(X)


def train_scikeras(X, X_noisy, epochs, validation, timer):
    from scikeras.wrappers import KerasRegressor

    regressor = KerasRegressor(
        model=flat_reference_model,
        optimizer=keras.optimizers.Adam,
        optimizer__learning_rate=_common.LEARNING_RATE,
        loss="binary_crossentropy",
        epochs=epochs,
        batch_size=_common.BATCH_SIZE,
        validation_split=0.1 if validation else 0.0,
        callbacks=[timer],
        verbose=0,
    )
    return regressor.fit(X_noisy, X)


TRAINERS = {"plain Keras": train_keras, "skdenoise": train_skdenoise, "scikeras": train_scikeras}


def throughput(args, X, X_noisy, validation, contenders):
    """Samples per second after the warm-up, per contender and repeat."""
    train_rows, _ = train_validation_indices(
        len(X), validation_fraction=0.1 if validation else None
    )
    n_fit = len(train_rows)
    epochs = args.warmup + args.epochs
    runs = {name: [] for name in contenders}
    for repeat in range(args.repeats):
        for name in contenders:
            timer = _common.EpochTimer()
            with _common.Stopwatch() as wall:
                TRAINERS[name](X, X_noisy, epochs, validation, timer)
            timed = timer.times[args.warmup :]
            runs[name].append({"epoch_seconds": timer.times, "fit_wall_seconds": wall.seconds})
            _common.log(
                f"(a/b) validation={validation} repeat {repeat}: {name}: epochs "
                f"{', '.join(f'{t:.2f}' for t in timer.times)} s; fastest timed "
                f"{n_fit / min(timed):.0f} samples/s; fit {wall.seconds:.1f} s"
            )
    # Other processes on the machine only ever add time to an epoch (on two
    # cores, one busy core doubles it), so the fastest timed epoch is the
    # steadiest estimate; the median of the timed epochs is reported too.
    timed = {
        name: np.array([t for run in values for t in run["epoch_seconds"][args.warmup :]])
        for name, values in runs.items()
    }
    summary = {}
    for name, values in runs.items():
        summary[name] = {
            "samples_per_second_fastest_epoch": float(n_fit / timed[name].min()),
            "samples_per_second_median_epoch": float(n_fit / np.median(timed[name])),
            "skdenoise_speedup_fastest_epoch": float(timed[name].min() / timed["skdenoise"].min()),
            "skdenoise_speedup_median_epoch": float(
                np.median(timed[name]) / np.median(timed["skdenoise"])
            ),
            "fit_wall_seconds_median": float(np.median([v["fit_wall_seconds"] for v in values])),
            "fit_wall_seconds": _common.seconds_summary([v["fit_wall_seconds"] for v in values]),
            "runs": values,
        }
    return {"n_train_samples": n_fit, "validation": validation, "contenders": summary}


def _median_seconds(function, calls):
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def latency(args, X, X_noisy, X_test_noisy):
    """Median wall time of inference calls, one sample and 10,000 samples.

    The models are trained for one epoch on (at most) 1,000 digits: the
    weights do not change the cost of inference.
    """
    dae = DenoisingAutoencoder(epochs=1, validation_fraction=None, random_state=0).fit(X[:1000])
    model = train_keras(X[:1000], X_noisy[:1000], 1, False, _common.EpochTimer())
    encoder = model.get_layer("encoder")
    one, one_img = X_test_noisy[:1], as_images(X_test_noisy[:1])
    reps = -(-10_000 // len(X_test_noisy))
    many = np.tile(X_test_noisy, (reps, 1))[:10_000]
    many_img = as_images(many)

    cases = {
        "1 sample": {
            "skdenoise predict": lambda: dae.predict(one),
            "skdenoise transform": lambda: dae.transform(one),
            "Keras Model.predict": lambda: model.predict(one_img, verbose=0),
            "Keras encoder.predict": lambda: encoder.predict(one_img, verbose=0),
        },
        "10,000 samples": {
            "skdenoise predict": lambda: dae.predict(many),
            "skdenoise transform": lambda: dae.transform(many),
            "Keras Model.predict (batch 32)": lambda: model.predict(many_img, verbose=0),
            "Keras Model.predict (batch 1024)": lambda: model.predict(
                many_img, batch_size=1024, verbose=0
            ),
            "Keras encoder.predict (batch 32)": lambda: encoder.predict(many_img, verbose=0),
        },
    }
    calls = {"1 sample": args.latency_calls, "10,000 samples": 2}
    results = {}
    for case, functions in cases.items():
        for function in functions.values():  # warm-up: tracing, first calls
            for _ in range(3 if case == "1 sample" else 1):
                function()
        # Take turns, so that a burst of load hits every contender alike.
        times = {name: [] for name in functions}
        for _ in range(3):
            for name, function in functions.items():
                times[name].append(_median_seconds(function, calls[case]))
        # The quietest of the rounds, as for training.
        results[case] = {name: float(min(t)) for name, t in times.items()}
        for name, seconds in results[case].items():
            _common.log(f"(c) {case}: {name}: {seconds * 1e3:.2f} ms")
    return results


def scaling(args, X):
    """Fit wall time of fresh estimators against the number of samples."""
    sizes = sorted(args.sizes)
    times = {n: [] for n in sizes}
    for _ in range(args.scaling_repeats):
        for n in sizes:
            with _common.Stopwatch() as wall:
                DenoisingAutoencoder(epochs=args.scaling_epochs, random_state=0).fit(X[:n])
            times[n].append(wall.seconds)
            _common.log(f"(d) n={n}: {wall.seconds:.1f} s")
    # The fastest of the repeats: load from other processes only adds time.
    seconds = np.array([min(times[n]) for n in sizes])
    slope, intercept = np.polyfit(sizes, seconds, 1)
    predicted = slope * np.array(sizes) + intercept
    r2 = r2_score(seconds, predicted)
    return {
        "epochs": args.scaling_epochs,
        "n_samples": sizes,
        "fit_seconds_fastest": seconds.tolist(),
        "fit_seconds_all": {str(n): t for n, t in times.items()},
        "slope_seconds_per_sample": float(slope),
        "intercept_seconds": float(intercept),
        "r2": float(r2),
    }


def markdown_report(results):
    """The tables of speed.md."""
    settings = results["settings"]
    parts = ["Speed, MNIST sample, batch size 32\n"]
    for key, title in [
        ("throughput_no_validation", "Training throughput, no validation"),
        ("throughput_validation", "Training throughput, 10% held out for validation"),
    ]:
        block = results[key]
        rows = [
            [
                name,
                f"{v['samples_per_second_fastest_epoch']:.0f}",
                f"{v['samples_per_second_median_epoch']:.0f}",
                f"{v['skdenoise_speedup_fastest_epoch']:.2f}",
                f"{v['skdenoise_speedup_median_epoch']:.2f}",
                _common.min_median_max(v["fit_wall_seconds"]),
            ]
            for name, v in block["contenders"].items()
        ]
        parts.append(
            f"\n{title} ({block['n_train_samples']:,} training samples; "
            f"{settings['repeats']} fits of {settings['warmup']} warm-up + "
            f"{settings['epochs']} timed epochs each)\n\n"
            + _common.markdown_table(
                [
                    "Trainer",
                    "Samples/s (fastest epoch)",
                    "Samples/s (median epoch)",
                    "skdenoise speed-up (fastest)",
                    "skdenoise speed-up (median)",
                    "Whole fit, min / median / max (s)",
                ],
                rows,
            )
        )
    rows = []
    for case, values in results["latency"].items():
        reference = values[
            "Keras Model.predict" if case == "1 sample" else "Keras Model.predict (batch 32)"
        ]
        for name, seconds in values.items():
            rows.append([case, name, f"{seconds * 1e3:.2f}", f"{reference / seconds:.1f}×"])
    parts.append(
        "\nInference latency (median of the calls of the quietest of 3 rounds)\n\n"
        + _common.markdown_table(
            ["Input", "Call", "ms", "Speed-up vs Keras Model.predict (default batch)"], rows
        )
    )
    s = results["scaling"]
    rows = [[f"{n:,}", f"{t:.1f}"] for n, t in zip(s["n_samples"], s["fit_seconds_fastest"])]
    parts.append(
        f"\nFit time against training samples ({s['epochs']} epochs, fresh "
        "estimators, default parameters)\n\n"
        + _common.markdown_table(["Samples", "Fit (s)"], rows)
        + f"\nLine: {s['slope_seconds_per_sample'] * 1e3:.3f} ms per sample "
        f"+ {s['intercept_seconds']:.2f} s; R² = {s['r2']:.4f}\n"
    )
    return "".join(parts)


def plot_scaling(scaling, path):
    """Fit time against the number of samples, with the fitted line."""
    figure = _common.new_figure(figsize=(6, 4))
    ax = figure.subplots()
    ax.plot(
        scaling["n_samples"],
        scaling["fit_seconds_fastest"],
        "o",
        label="Measured (fastest of repeats)",
    )
    grid = np.linspace(0, max(scaling["n_samples"]), 50)
    ax.plot(
        grid,
        scaling["slope_seconds_per_sample"] * grid + scaling["intercept_seconds"],
        "--",
        label=f"Line fit, R² = {scaling['r2']:.4f}",
    )
    ax.set(
        xlabel="Training samples",
        ylabel="Fit time (s)",
        title=f"DenoisingAutoencoder.fit, {scaling['epochs']} epochs",
    )
    ax.legend()
    _common.save_figure(figure, path)


def main():
    parser = _common.argument_parser(__doc__, n_train=4000, epochs=4, warmup=1, repeats=3)
    parser.add_argument("--latency-calls", type=int, default=50)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--scaling-epochs", type=int, default=2)
    parser.add_argument("--scaling-repeats", type=int, default=3)
    parser.add_argument("--no-scikeras", action="store_true")
    args = parser.parse_args()

    info = _common.start()
    X_train, _, _, _, X_test_noisy = _common.load_sample_split()
    X = X_train[: args.n_train]
    X_noisy = _common.noisy_once(X)  # for plain Keras and scikeras
    contenders = ["plain Keras", "skdenoise"] + ([] if args.no_scikeras else ["scikeras"])

    results = {
        "settings": {
            "n_train": len(X),
            "epochs": args.epochs,
            "warmup": args.warmup,
            "repeats": args.repeats,
            "batch_size": _common.BATCH_SIZE,
            "noise_factor": _common.NOISE_FACTOR,
        }
    }
    for validation in (False, True):
        key = "throughput_validation" if validation else "throughput_no_validation"
        results[key] = throughput(args, X, X_noisy, validation, contenders)
    results["latency"] = latency(args, X, X_noisy, X_test_noisy)
    results["scaling"] = scaling(args, X_train)

    _common.write_results(args.output_dir, "speed", results, markdown_report(results), info)
    plot_scaling(results["scaling"], args.output_dir / "speed_scaling.png")


if __name__ == "__main__":
    main()
