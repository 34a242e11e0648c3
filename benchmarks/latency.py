"""Prediction latency: exported ONNX graphs in ONNX Runtime against skdenoise.

One process, the same fitted models, contenders taking turns call by call:

(a) the reference convolutional autoencoder (440,865 parameters) on its own:
    ``predict`` (denoising) and ``transform`` (128-d codes) of skdenoise
    against the graphs of ``skdenoise.onnx.to_onnx(dae, X, method=...)`` in
    an ``onnxruntime.InferenceSession`` (default session options, CPU);
(b) the whole pipeline ``make_pipeline(StandardScaler(), DenoisingAutoencoder(),
    LogisticRegression())``: ``predict_proba`` against its one ONNX graph;
(c) where a one-sample skdenoise ``predict`` goes: input validation, and
    the network called through its ``tf.function`` against its concrete
    function (what a model uses after its first 16 calls) and against the
    trace shared by every network of its structure, which takes the
    variables as arguments (what its first 16 calls use).

Each case is timed for one sample and for a batch of 1,000 (the test
digits), every call separately: min / median / max over all calls. The
networks are trained for one epoch on 1,000 digits: the weights do not
change the cost of inference. Outputs are checked to agree before timing.

Writes latency.json and latency.md into benchmarks/results/.

Usage::

    python benchmarks/latency.py [--repeats 5] [--calls 100] [--batch-calls 3]
"""

import functools
import statistics
import time

import _common
import numpy as np
import tensorflow as tf
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._shared_steps import shared_inference
from skdenoise.onnx import to_onnx


def session(onnx_model):
    import onnxruntime

    return onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def setup(split):
    """Fitted models, their ONNX sessions, and the calls to time."""
    X_train = split.X_train[:1000]
    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR),
        epochs=1,
        validation_fraction=None,
        random_state=0,
    ).fit(X_train)
    pipe = make_pipeline(
        StandardScaler(),
        DenoisingAutoencoder(epochs=1, validation_fraction=None, random_state=0),
        LogisticRegression(max_iter=300),
    ).fit(X_train, split.y_train[:1000])
    sessions = {
        "predict": session(to_onnx(dae, X_train[:1], method="predict")),
        "transform": session(to_onnx(dae, X_train[:1], method="transform")),
        "pipeline": session(
            # float64, so that the scaler and the classifier compute in
            # double precision, as scikit-learn does.
            to_onnx(
                pipe,
                X_train[:1].astype(np.float64),
                options={LogisticRegression: {"zipmap": False}},
            )
        ),
    }

    def onnx_call(name, output=0):
        return lambda X: sessions[name].run(None, {"X": X})[output]

    def in_double(function):
        return lambda X: function(X.astype(np.float64))

    # The network call of a one-sample predict, both ways.
    network = dae.model_
    spec = tf.TensorSpec((None, *network.input_shape[1:]), tf.float32)
    polymorphic = tf.function(functools.partial(network, training=False), input_signature=[spec])
    concrete = polymorphic.get_concrete_function()
    shared = shared_inference(network)

    def as_model_input(X):
        return np.ascontiguousarray(X.reshape(-1, *dae.image_shape_))

    cases = {
        "denoise (predict)": {
            "skdenoise predict": dae.predict,
            "ONNX Runtime": onnx_call("predict"),
        },
        "codes (transform)": {
            "skdenoise transform": dae.transform,
            "ONNX Runtime": onnx_call("transform"),
        },
        # Both get the digits as float64, converted in the timed call.
        "pipeline predict_proba": {
            "skdenoise pipeline": in_double(pipe.predict_proba),
            "ONNX Runtime": in_double(onnx_call("pipeline", output=1)),
        },
        "inside skdenoise predict": {
            "input validation": dae._validate_for_inference,
            "network via tf.function": lambda X: polymorphic(as_model_input(X)).numpy(),
            "network via its own concrete function": lambda X: concrete(
                tf.constant(as_model_input(X))
            ).numpy(),
            "network via the shared trace": lambda X: shared(
                [network], tf.constant(as_model_input(X))
            ).numpy(),
        },
    }
    references = {
        "denoise (predict)": dae.predict,
        "codes (transform)": dae.transform,
        "pipeline predict_proba": in_double(pipe.predict_proba),
    }
    return cases, references


def agreement(cases, references, X):
    """Largest absolute difference from skdenoise's outputs, per case."""
    differences = {}
    for case, reference in references.items():
        expected = reference(X)
        differences[case] = max(
            float(np.max(np.abs(np.asarray(function(X), dtype=np.float64) - expected)))
            for function in cases[case].values()
        )
        _common.log(f"{case}: largest difference from skdenoise {differences[case]:.2e}")
    return differences


def measure(functions, X, calls, repeats):
    """Seconds of every call; the contenders take turns, call by call."""
    for function in functions.values():  # warm-up: first calls, caches
        for _ in range(3):
            function(X)
    seconds = {name: [] for name in functions}
    for _ in range(repeats):
        for _ in range(calls):
            for name, function in functions.items():
                start = time.perf_counter()
                function(X)
                seconds[name].append(time.perf_counter() - start)
    return seconds


def summary(seconds, n_samples):
    median = statistics.median(seconds)
    return {
        "calls": len(seconds),
        **{key: value * 1e3 for key, value in _common.seconds_summary(seconds).items()},
        "samples_per_second_at_median": n_samples / median,
    }


def report(results, differences, args, info):
    lines = [
        "Prediction latency: ONNX Runtime against skdenoise, MNIST digits (28×28)",
        "",
        "Reference convolutional autoencoder (440,865 parameters, 128-d code); "
        "pipeline: StandardScaler → DenoisingAutoencoder → LogisticRegression. "
        f"{args.repeats} rounds of {args.calls} one-sample calls and of "
        f"{args.batch_calls} calls on 1,000 digits per contender, taking turns. "
        f"ONNX Runtime {info['onnxruntime']}, skdenoise {skdenoise.__version__}.",
        "",
        "Largest absolute difference of the ONNX outputs from skdenoise's: "
        + "; ".join(f"{case} {value:.1e}" for case, value in differences.items())
        + ".",
        "",
    ]
    for size, by_case in results.items():
        lines.append(f"{size}: milliseconds per call")
        lines.append("")
        rows = []
        for case, by_name in by_case.items():
            for name, stats in by_name.items():
                rows.append(
                    [
                        case,
                        name,
                        f"{stats['min']:.3f}",
                        f"{stats['median']:.3f}",
                        f"{stats['max']:.3f}",
                        f"{stats['samples_per_second_at_median']:,.0f}",
                    ]
                )
        lines.append(
            _common.markdown_table(
                ["Case", "Contender", "min", "median", "max", "samples/s (median)"], rows
            )
        )
    return "\n".join(lines)


def main():
    parser = _common.argument_parser(__doc__, repeats=5)
    parser.add_argument("--calls", type=int, default=100, help="one-sample calls per round")
    parser.add_argument(
        "--batch-calls", type=int, default=3, help="calls on 1,000 digits per round"
    )
    args = parser.parse_args()
    import onnxruntime

    info = _common.start()
    info["onnxruntime"] = onnxruntime.__version__
    split = _common.load_sample_split()
    cases, references = setup(split)
    one, batch = split.X_test_noisy[:1], split.X_test_noisy
    differences = agreement(cases, references, split.X_test_noisy[:200])

    results = {}
    for size, X, calls in [
        ("1 sample", one, args.calls),
        ("1,000 samples", batch, args.batch_calls),
    ]:
        results[size] = {}
        for case, functions in cases.items():
            seconds = measure(functions, X, calls, args.repeats)
            results[size][case] = {name: summary(s, len(X)) for name, s in seconds.items()}
            for name, stats in results[size][case].items():
                _common.log(
                    f"{size}, {case}, {name}: min {stats['min']:.3f} median "
                    f"{stats['median']:.3f} max {stats['max']:.3f} ms"
                )
    _common.write_results(
        args.output_dir,
        "latency",
        {
            "args": {k: str(v) for k, v in vars(args).items()},
            "differences": differences,
            "milliseconds": results,
        },
        report(results, differences, args, info),
        info,
    )


if __name__ == "__main__":
    main()
