"""The input pipeline's share of a training epoch on MNIST digits.

Every epoch, skdenoise shuffles the training digits and corrupts them
afresh (Gaussian noise of factor 0.5, clipped to [0, 1]), then cuts them
into batches; plain Keras draws its noise once. This measures what that
costs next to the training itself. In one process, taking turns, each
repeat times

- making one epoch's batches without training: ``CorruptedBatches``, as a
  fit builds it, and the slicing of the training loop;
- one warm-started training epoch of ``DenoisingAutoencoder`` (its
  defaults: the reference network, batch 32, validation on 10%) on the same
  digits, set-up and batches included.

The first fit, which builds the model and traces its steps, is not timed.
Results: ``input_pipeline.json`` and ``input_pipeline.md`` in
benchmarks/results/.

Usage::

    python benchmarks/input_pipeline.py               # 20,000 digits, 3 repeats, ≈ 3 min
    python benchmarks/input_pipeline.py --n-train 2000 --repeats 1 --output-dir /tmp/ip
"""

import _common

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise._training_data import CorruptedBatches
from skdenoise._training_loop import _epoch_batches


def main():
    parser = _common.argument_parser(__doc__, n_train=20_000, repeats=3)
    parser.add_argument("--noise", type=float, default=_common.NOISE_FACTOR)
    parser.add_argument("--batch-size", type=int, default=_common.BATCH_SIZE)
    args = parser.parse_args()

    info = _common.start()
    X_train, _, _ = _common.load_full_mnist(_common.MNIST_DIR, n_train=args.n_train)
    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(args.noise),
        batch_size=args.batch_size,
        epochs=1,
        warm_start=True,
        random_state=0,
    )
    dae.fit(X_train)  # builds the model and traces its steps
    n_fit = _common.training_rows(len(X_train), dae.validation_fraction)
    batches = CorruptedBatches(
        targets=X_train[:n_fit],
        inputs=None,
        noise=dae.noise,
        batch_size=args.batch_size,
        seed=0,
        first_epoch=1,
        sample_shape=dae._model_input_shape(),
    )
    times = {"batches": [], "training epoch": []}
    for repeat in range(args.repeats):
        with _common.Stopwatch() as wall:
            for _ in _epoch_batches(batches, 1 + repeat):
                pass
        times["batches"].append(wall.seconds)
        with _common.Stopwatch() as wall:
            dae.fit(X_train)
        times["training epoch"].append(wall.seconds)
        _common.log(
            f"repeat {repeat + 1}: batches {times['batches'][-1]:.2f} s, "
            f"training epoch {times['training epoch'][-1]:.2f} s"
        )
    summary = {name: _common.seconds_summary(seconds) for name, seconds in times.items()}
    share = summary["batches"]["median"] / summary["training epoch"]["median"]
    markdown = (
        "The input pipeline's share of a training epoch\n\n"
        f"{args.n_train:,} MNIST digits ({n_fit:,} trained on), noise {args.noise}, "
        f"batch {args.batch_size}, {args.repeats} repeats taking turns in one process.\n\n"
        + _common.markdown_table(
            ["", "min / median / max (s)"],
            [
                [name, f"{s['min']:.2f} / {s['median']:.2f} / {s['max']:.2f}"]
                for name, s in summary.items()
            ],
        )
        + f"\nMaking the batches: {share:.1%} of a training epoch (medians).\n"
    )
    _common.write_results(
        args.output_dir,
        "input_pipeline",
        {
            "settings": {
                "n_train": args.n_train,
                "n_fit": n_fit,
                "noise_factor": args.noise,
                "batch_size": args.batch_size,
                "repeats": args.repeats,
            },
            "seconds": times,
            "summary": summary,
            "share_of_epoch": share,
        },
        markdown,
        info,
    )


if __name__ == "__main__":
    main()
