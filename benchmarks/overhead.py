"""Fixed cost per fit: skdenoise, bare Keras and MLPRegressor, side by side.

One-epoch fits, taking turns in a process that has fitted before: dense on
breast cancer and conv on the 8x8 digits, latent 8. Bare Keras is the same
network and data through ``Model.fit``. Also the first fit in fresh
processes. Writes overhead.json and overhead.md.
"""

import subprocess
import sys
import textwrap
import time
import warnings

import _common
import keras
import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser

# Goals for a fit in a process that has fitted before.
GOALS = {"dense": 0.2, "conv": 0.5}


def workloads():
    """The two data sets, as the estimator and bare Keras take them."""
    table = StandardScaler().fit_transform(load_breast_cancer().data).astype(np.float32)
    digits = (load_digits().data / 16).astype(np.float32)
    return {"dense": table, "conv": digits}


def fit_skdenoise(X, seed):
    DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=seed).fit(X)


def dense_network(n_features, seed):
    """The estimator's default dense network, latent 8, in plain Keras."""
    initializers = (keras.initializers.GlorotUniform(seed + i) for i in range(1, 5))

    def dense(units, activation="relu"):
        return keras.layers.Dense(units, activation, kernel_initializer=next(initializers))

    inputs = keras.Input(shape=(n_features,))
    encoder = keras.Sequential([dense(256), dense(8, None)], name="encoder")
    decoder = keras.Sequential([dense(256), dense(n_features, None)], name="decoder")
    return keras.Model(inputs, decoder(encoder(inputs)))


def fit_bare_keras(X, seed):
    """The estimator's network and data, trained by ``keras.Model.fit``."""
    if X.shape[1] == 64:
        model = _common.reference_network(seed, image_shape=(8, 8, 1), latent_dim=8)
        loss, shape = "binary_crossentropy", (-1, 8, 8, 1)
    else:
        model = dense_network(X.shape[1], seed)
        loss, shape = "mse", (-1, X.shape[1])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    noisy = GaussianNoiser(random_state=seed).fit_transform(X)
    model.fit(
        noisy.reshape(shape),
        X.reshape(shape),
        epochs=1,
        batch_size=32,
        validation_split=0.1,
        verbose=0,
    )


def fit_mlp(X, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPRegressor(hidden_layer_sizes=(8,), max_iter=10, random_state=seed).fit(X, X)


CONTENDERS = {
    "skdenoise": fit_skdenoise,
    "bare Keras": fit_bare_keras,
    "MLPRegressor": fit_mlp,
}

FRESH_PROCESS = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, "benchmarks")
    import overhead
    X = overhead.workloads()[sys.argv[1]]
    fit = overhead.CONTENDERS[sys.argv[2]]
    start = time.perf_counter()
    fit(X, 0)
    print(time.perf_counter() - start)
    """
)


def warm_fits(data, repeats):
    """Seconds of every fit, contenders taking turns, after one untimed fit each."""
    seconds = {(name, kind): [] for kind in data for name in CONTENDERS}
    for X in data.values():
        for fit in CONTENDERS.values():
            fit(X, 0)
    for repeat in range(repeats):
        for kind, X in data.items():
            for name, fit in CONTENDERS.items():
                start = time.perf_counter()
                fit(X, repeat + 1)
                seconds[name, kind].append(time.perf_counter() - start)
        _common.log(f"round {repeat + 1}/{repeats} done")
    return seconds


def fresh_fits(kinds, repeats):
    """Seconds of the first fit in new processes (imports not counted)."""
    seconds = {}
    for kind in kinds:
        for name in ("skdenoise", "bare Keras"):
            runs = []
            for _ in range(repeats):
                result = subprocess.run(
                    [sys.executable, "-c", FRESH_PROCESS, kind, name],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(float(result.stdout.strip().splitlines()[-1]))
            seconds[name, kind] = runs
    return seconds


def main():
    parser = _common.argument_parser(__doc__, repeats=15)
    parser.add_argument("--fresh-repeats", type=int, default=3, help="first fits in new processes")
    args = parser.parse_args()
    info = _common.start()
    data = workloads()
    warm = warm_fits(data, args.repeats)
    fresh = fresh_fits(data, args.fresh_repeats)

    results = {
        "repeats": args.repeats,
        "fresh_repeats": args.fresh_repeats,
        "goals_seconds": GOALS,
        "warm_fits_seconds": {
            f"{name} / {kind}": _common.seconds_summary(seconds)
            for (name, kind), seconds in warm.items()
        },
        "first_fit_in_fresh_process_seconds": {
            f"{name} / {kind}": _common.seconds_summary(seconds)
            for (name, kind), seconds in fresh.items()
        },
    }
    rows = []
    for kind in data:
        ours = np.median(warm["skdenoise", kind])
        for name in CONTENDERS:
            summary = _common.seconds_summary(warm[name, kind])
            cells = [f"{seconds:.3f}" for seconds in summary.values()]
            rows.append([kind, name, *cells, f"{summary['median'] / ours:.1f}"])
    fresh_rows = [
        [kind, name, *(f"{v:.2f}" for v in _common.seconds_summary(seconds).values())]
        for (name, kind), seconds in fresh.items()
    ]
    markdown = (
        "# Fixed cost per fit\n\n"
        f"Whole one-epoch fits, {args.repeats} of each, taking turns in one "
        "process that has fitted each contender once before (seconds). "
        "The last column is the median over skdenoise's median.\n\n"
        + _common.markdown_table(
            ["data", "contender", "min", "median", "max", "x skdenoise"], rows
        )
        + f"\nGoals: dense ≤ {GOALS['dense']} s, conv ≤ {GOALS['conv']} s.\n\n"
        f"## First fit in a fresh process ({args.fresh_repeats} processes, "
        "seconds, imports not counted)\n\n"
        + _common.markdown_table(["data", "contender", "min", "median", "max"], fresh_rows)
    )
    _common.write_results(args.output_dir, "overhead", results, markdown, info)
    print(markdown)


if __name__ == "__main__":
    main()
