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

import argparse
import time
from pathlib import Path

import _common
import keras
import numpy as np
import tensorflow as tf
from speed import EpochTimer

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._architectures import build_conv_autoencoder

IMAGE_SHAPE = (28, 28, 1)


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

        spec = tf.TensorSpec((1, *IMAGE_SHAPE), tf.float32)
        graph = tf.function(lambda x: model(x, training=False)).get_concrete_function(spec).graph
        options = option_builder.ProfileOptionBuilder.float_operation()
        options["output"] = "none"
        return int(model_analyzer.profile(graph=graph, options=options).total_float_ops)
    except Exception as exc:  # noqa: BLE001 - a cross-check only
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
    X_img = X.reshape(-1, *IMAGE_SHAPE)
    X_noisy_img = (
        GaussianNoiser(_common.NOISE_FACTOR, random_state=1).transform(X).reshape(X_img.shape)
    )
    epoch_seconds = {"skdenoise": [], "plain Keras": []}
    for _ in range(repeats):
        timer = EpochTimer()
        DenoisingAutoencoder(
            epochs=warmup + epochs, validation_fraction=None, callbacks=[timer], random_state=0
        ).fit(X)
        epoch_seconds["skdenoise"] += timer.times[warmup:]

        timer = EpochTimer()
        model = build_conv_autoencoder(IMAGE_SHAPE, 128, output_activation="sigmoid", seed=0)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        model.fit(
            X_noisy_img,
            X_img,
            epochs=warmup + epochs,
            batch_size=32,
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matmul-size", type=int, default=4096)
    parser.add_argument("--matmul-repeats", type=int, default=5)
    parser.add_argument("--n-train", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs")
    parser.add_argument("--warmup", type=int, default=1, help="untimed first epochs")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    args = parser.parse_args()

    info = _common.machine_info()
    _common.log(_common.machine_line(info))

    model = build_conv_autoencoder(IMAGE_SHAPE, 128, output_activation="sigmoid", seed=0)
    layers = count_macs(model)
    forward_macs = sum(row["macs"] for row in layers)
    forward_flop = 2 * forward_macs
    training_flop = 3 * forward_flop
    for row in layers:
        _common.log(f"{row['layer']:40s} {row['output_shape']!s:16s} {row['macs']:>12,} MACs")
    _common.log(
        f"forward: {forward_macs:,} MACs = {forward_flop / 1e6:.2f} MFLOP per sample; "
        f"training ~3x = {training_flop / 1e6:.1f} MFLOP per sample"
    )

    profiled = profiler_forward_flop(model)
    if profiled is not None:
        _common.log(f"TensorFlow profiler, forward: {profiled / 1e6:.2f} MFLOP per sample")

    peak = matmul_peak(args.matmul_size, args.matmul_repeats)
    X_train, _, _, _, _ = _common.load_sample_split()
    rates, all_rates = training_throughput(
        X_train[: args.n_train], args.epochs, args.warmup, args.repeats
    )
    tf_peak = peak["tf.linalg.matmul"]["best_gflops"]
    achieved = {
        name: {
            "samples_per_second": rate,
            "gflops": rate * training_flop / 1e9,
            "fraction_of_tf_matmul_peak": rate * training_flop / 1e9 / tf_peak,
        }
        for name, rate in rates.items()
    }
    for name, values in achieved.items():
        _common.log(f"{name}: {values}")

    info["load_average_1_5_15_at_end"] = [
        round(x, 2) for x in _common.machine_info()["load_average_1_5_15"]
    ]
    results = {
        "model": {
            "parameters": int(model.count_params()),
            "layers": layers,
            "forward_macs_per_sample": forward_macs,
            "forward_mflop_per_sample": forward_flop / 1e6,
            "training_mflop_per_sample": training_flop / 1e6,
            "tf_profiler_forward_mflop_per_sample": (None if profiled is None else profiled / 1e6),
        },
        "matmul_peak": {"size": args.matmul_size, **peak},
        "training": {
            "n_train": min(args.n_train, len(X_train)),
            "epochs": args.epochs,
            "warmup": args.warmup,
            "achieved": achieved,
            "epoch_seconds": all_rates,
        },
        "machine": info,
    }
    out = args.output_dir
    _common.write_json(out / "efficiency.json", results)
    flop_table = _common.markdown_table(
        ["Layer", "Output shape", "MACs per sample", "Forward MFLOP"],
        [
            [
                row["layer"],
                "×".join(map(str, row["output_shape"])),
                f"{row['macs']:,}",
                f"{2 * row['macs'] / 1e6:.2f}",
            ]
            for row in layers
        ]
        + [
            ["**Total forward**", "", f"{forward_macs:,}", f"{forward_flop / 1e6:.2f}"],
            ["**Training step (≈3× forward)**", "", "", f"{training_flop / 1e6:.1f}"],
        ],
    )
    if profiled is not None:
        flop_table += (
            f"\nCross-check: TensorFlow's graph profiler counts {profiled / 1e6:.2f} "
            "MFLOP for the forward pass of one sample (biases, batch normalisation "
            "and activations included).\n"
        )
    peak_table = _common.markdown_table(
        ["Float32 matmul", "Best GFLOP/s", "Median GFLOP/s"],
        [
            [f"{name} {args.matmul_size}²", f"{v['best_gflops']:.1f}", f"{v['median_gflops']:.1f}"]
            for name, v in peak.items()
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
            for name, v in achieved.items()
        ],
    )
    _common.write_text(
        out / "efficiency.md",
        f"FLOPs of the reference model (28×28×1, latent_dim=128, "
        f"{model.count_params():,} parameters)\n\n{flop_table}\n{peak_table}\n"
        f"Training throughput ({results['training']['n_train']:,} digits, batch 32, "
        f"fastest of {args.repeats} × {args.epochs} timed epochs, each fit after "
        f"{args.warmup} warm-up)\n\n{achieved_table}\n"
        f"Machine: {_common.machine_line(info)}\n",
    )


if __name__ == "__main__":
    main()
