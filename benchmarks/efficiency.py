"""How much of the machine's arithmetic throughput training uses.

1. Counts the floating-point operations of the reference model (the
   convolutional autoencoder for 28x28 digits, latent_dim=128) layer by
   layer: a convolution or dense layer costs 2 * MACs per sample forward
   (MACs: multiply-accumulates, ``out_h * out_w * k_h * k_w * c_in * c_out``
   for a convolution, ``n_in * n_out`` for a dense layer); batch
   normalisation, pooling, upsampling, activations and biases are left out
   (well under 1% here). A training step costs about 3x the forward pass
   (forward, gradient with respect to the inputs, gradient with respect to
   the weights).
2. Measures a float32 matrix-multiplication peak: ``tf.linalg.matmul`` of
   two N x N matrices (N=4096 by default), and NumPy's ``@`` for reference;
   2 * N^3 operations each.
3. Measures the training throughput (fastest epoch after a warm-up epoch)
   of skdenoise and of plain Keras ``model.fit(X_noisy, X_clean,
   batch_size=32)`` on the same model and digits in the same process, and
   turns it into GFLOP/s and a fraction of the peak.

Writes efficiency.json and efficiency.md into benchmarks/results/.

Usage::

    python benchmarks/efficiency.py [--matmul-size 4096] [--n-train 4000]
"""

import time

import _common
import keras
import numpy as np
import tensorflow as tf

from skdenoise import DenoisingAutoencoder


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def count_macs(model):
    """Multiply-accumulates per sample of every convolution and dense layer."""
    rows = []
    for layer in _leaf_layers(model):
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose)):
            kernel_h, kernel_w = layer.kernel_size
            if isinstance(layer, keras.layers.Conv2DTranspose):
                # Kernel (k_h, k_w, c_out, c_in); every input value meets
                # every kernel tap once.
                _, in_h, in_w, c_in = layer.input.shape
                macs = in_h * in_w * kernel_h * kernel_w * c_in * layer.filters
            else:
                _, out_h, out_w, _ = layer.output.shape
                c_in = layer.input.shape[-1]
                macs = out_h * out_w * kernel_h * kernel_w * c_in * layer.filters
        elif isinstance(layer, keras.layers.Dense):
            macs = layer.input.shape[-1] * layer.units
        else:
            continue
        rows.append(
            {
                "layer": f"{type(layer).__name__} {layer.name}",
                "output_shape": list(layer.output.shape[1:]),
                "macs": int(macs),
            }
        )
    return rows


def profiler_forward_flop(model):
    """Forward FLOPs per sample by TensorFlow's graph profiler, or None.

    A cross-check of :func:`count_macs`; it also counts biases, batch
    normalisation and activations. The profiler is a TensorFlow 1 API that
    may go away.
    """
    try:
        from tensorflow.python.profiler import model_analyzer, option_builder

        spec = tf.TensorSpec((1, *_common.IMAGE_SHAPE), tf.float32)
        graph = tf.function(lambda x: model(x, training=False)).get_concrete_function(spec).graph
        options = option_builder.ProfileOptionBuilder.float_operation()
        options["output"] = "none"
        return int(model_analyzer.profile(graph=graph, options=options).total_float_ops)
    except Exception as exc:
        _common.log(f"TensorFlow profiler unavailable: {exc!r}")
        return None


def matmul_peak(size, repeats):
    """Best and median GFLOP/s of float32 N x N matrix products."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    flop = 2 * size**3
    ta, tb = tf.constant(a), tf.constant(b)

    def tf_matmul():
        # .numpy() waits for the result (and copies it: negligible here).
        tf.linalg.matmul(ta, tb).numpy()

    def np_matmul():
        a @ b

    results = {}
    for name, function in [("tf.linalg.matmul", tf_matmul), ("numpy @", np_matmul)]:
        function()  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        results[name] = {
            "best_gflops": flop / min(times) / 1e9,
            "median_gflops": flop / float(np.median(times)) / 1e9,
            "seconds": times,
        }
        _common.log(
            f"{name} {size}x{size}: best {results[name]['best_gflops']:.1f} GFLOP/s, "
            f"median {results[name]['median_gflops']:.1f}"
        )
    return results


def training_throughput(X, epochs, warmup, repeats):
    """Samples/s of the fastest epoch after the warm-up, skdenoise and Keras.

    Other processes only ever add time to an epoch, so the fastest one is
    the steadiest estimate of what the training itself costs.
    """
    X_noisy = _common.noisy_once(X)
    epoch_seconds = {"skdenoise": [], "plain Keras": []}
    for _ in range(repeats):
        timer = _common.EpochTimer()
        DenoisingAutoencoder(
            epochs=warmup + epochs, validation_fraction=None, callbacks=[timer], random_state=0
        ).fit(X)
        epoch_seconds["skdenoise"] += timer.times[warmup:]

        timer = _common.EpochTimer()
        _common.reference_model().fit(
            _common.as_images(X_noisy),
            _common.as_images(X),
            epochs=warmup + epochs,
            batch_size=_common.BATCH_SIZE,
            callbacks=[timer],
            verbose=0,
        )
        epoch_seconds["plain Keras"] += timer.times[warmup:]
        _common.log(
            "epoch seconds: "
            + "; ".join(f"{k}: {[round(t, 2) for t in v]}" for k, v in epoch_seconds.items())
        )
    rates = {name: len(X) / min(times) for name, times in epoch_seconds.items()}
    return rates, epoch_seconds


def count_flop(model):
    """Per-layer MACs and the forward and training FLOPs per sample."""
    layers = count_macs(model)
    forward_macs = sum(row["macs"] for row in layers)
    for row in layers:
        _common.log(f"{row['layer']:40s} {row['output_shape']!s:16s} {row['macs']:>12,} MACs")
    _common.log(
        f"forward: {forward_macs:,} MACs = {2 * forward_macs / 1e6:.2f} MFLOP per sample; "
        f"training ~3x = {6 * forward_macs / 1e6:.1f} MFLOP per sample"
    )
    profiled = profiler_forward_flop(model)
    if profiled is not None:
        _common.log(f"TensorFlow profiler, forward: {profiled / 1e6:.2f} MFLOP per sample")
    return {
        "parameters": int(model.count_params()),
        "layers": layers,
        "forward_macs_per_sample": forward_macs,
        "forward_mflop_per_sample": 2 * forward_macs / 1e6,
        "training_mflop_per_sample": 3 * 2 * forward_macs / 1e6,
        "tf_profiler_forward_mflop_per_sample": None if profiled is None else profiled / 1e6,
    }


def achieved_gflops(rates, training_mflop, peak):
    """Training throughput as GFLOP/s and as a share of the matmul peak."""
    tf_peak = peak["tf.linalg.matmul"]["best_gflops"]
    achieved = {}
    for name, rate in rates.items():
        gflops = rate * training_mflop / 1e3
        achieved[name] = {
            "samples_per_second": rate,
            "gflops": gflops,
            "fraction_of_tf_matmul_peak": gflops / tf_peak,
        }
        _common.log(f"{name}: {achieved[name]}")
    return achieved


def markdown_report(results):
    """The three tables of efficiency.md: FLOPs, matmul peak, training."""
    model, training = results["model"], results["training"]
    size = results["matmul_peak"]["size"]
    flop_table = _common.markdown_table(
        ["Layer", "Output shape", "MACs per sample", "Forward MFLOP"],
        [
            [
                row["layer"],
                "×".join(map(str, row["output_shape"])),
                f"{row['macs']:,}",
                f"{2 * row['macs'] / 1e6:.2f}",
            ]
            for row in model["layers"]
        ]
        + [
            [
                "**Total forward**",
                "",
                f"{model['forward_macs_per_sample']:,}",
                f"{model['forward_mflop_per_sample']:.2f}",
            ],
            [
                "**Training step (≈3× forward)**",
                "",
                "",
                f"{model['training_mflop_per_sample']:.1f}",
            ],
        ],
    )
    profiled = model["tf_profiler_forward_mflop_per_sample"]
    if profiled is not None:
        flop_table += (
            f"\nCross-check: TensorFlow's graph profiler counts {profiled:.2f} "
            "MFLOP for the forward pass of one sample (biases, batch normalisation "
            "and activations included).\n"
        )
    peak_table = _common.markdown_table(
        ["Float32 matmul", "Best GFLOP/s", "Median GFLOP/s"],
        [
            [f"{name} {size}²", f"{v['best_gflops']:.1f}", f"{v['median_gflops']:.1f}"]
            for name, v in results["matmul_peak"].items()
            if name != "size"
        ],
    )
    achieved_table = _common.markdown_table(
        ["Training", "Samples/s", "GFLOP/s", "Share of tf.linalg.matmul peak"],
        [
            [
                name,
                f"{v['samples_per_second']:.0f}",
                f"{v['gflops']:.1f}",
                f"{100 * v['fraction_of_tf_matmul_peak']:.1f}%",
            ]
            for name, v in training["achieved"].items()
        ],
    )
    return (
        f"FLOPs of the reference model (28×28×1, latent_dim=128, "
        f"{model['parameters']:,} parameters)\n\n{flop_table}\n{peak_table}\n"
        f"Training throughput ({training['n_train']:,} digits, batch 32, "
        f"fastest of {training['repeats']} × {training['epochs']} timed epochs, "
        f"each fit after {training['warmup']} warm-up)\n\n{achieved_table}"
    )


def main():
    parser = _common.argument_parser(__doc__, n_train=4000, epochs=3, warmup=1, repeats=2)
    parser.add_argument("--matmul-size", type=int, default=4096)
    parser.add_argument("--matmul-repeats", type=int, default=5)
    args = parser.parse_args()

    info = _common.start()
    X_train = _common.load_sample_split().X_train[: args.n_train]

    model = count_flop(_common.reference_network())
    peak = matmul_peak(args.matmul_size, args.matmul_repeats)
    rates, epoch_seconds = training_throughput(X_train, args.epochs, args.warmup, args.repeats)

    results = {
        "model": model,
        "matmul_peak": {"size": args.matmul_size, **peak},
        "training": {
            "n_train": len(X_train),
            "epochs": args.epochs,
            "warmup": args.warmup,
            "repeats": args.repeats,
            "achieved": achieved_gflops(rates, model["training_mflop_per_sample"], peak),
            "epoch_seconds": epoch_seconds,
        },
    }
    _common.write_results(args.output_dir, "efficiency", results, markdown_report(results), info)


if __name__ == "__main__":
    main()
