"""Inference after short fits: Keras's moving averages against precise statistics.

The convolutional network normalises its activations with batch statistics
while it trains and with moving averages of them (momentum 0.99) at
inference. After few steps those averages lag far behind the weights. Two
contenders train the same network on the same batches, from the same seeds:

- ``moving averages``: ``keras.Model.fit`` on ``CorruptedBatches``, as
  skdenoise trained before it recomputed the statistics;
- ``precise``: ``DenoisingAutoencoder``, which sets the statistics of every
  BatchNormalization layer to those of the training inputs under the final
  weights after each epoch.

Two tasks: reconstructing scikit-learn's 8x8 digits (500, no noise, BCE on
the training rows, against the training-mode network and the per-pixel mean)
and denoising the MNIST sample (Gaussian noise 0.5, PSNR on held-out digits).
"""

import _common
import numpy as np


def digits_task(epochs, seed):
    from sklearn.datasets import load_digits

    from skdenoise import DenoisingAutoencoder
    from skdenoise._losses import elementwise_loss

    X = (load_digits().data[:500] / 16).astype(np.float32)
    images = X.reshape(-1, 8, 8, 1)

    def bce(prediction):
        return float(
            elementwise_loss(X, prediction.reshape(X.shape), "binary_crossentropy").mean()
        )

    dae = DenoisingAutoencoder(epochs=epochs, noise=None, random_state=seed).fit(X)
    precise = bce(dae.predict(X))
    model = _moving_average_model(dae, X, epochs)
    moving = bce(model(images, training=False).numpy())
    training_mode = bce(dae.model_(images, training=True).numpy())
    mean = np.clip(np.broadcast_to(X.mean(axis=0), X.shape), 1e-7, 1 - 1e-7)
    return {
        "moving averages": moving,
        "precise": precise,
        "training mode": training_mode,
        "mean predictor": bce(mean),
        "val_loss precise": dae.history_["val_loss"],
    }


def mnist_task(epochs, seed, n_train):
    from skdenoise import DenoisingAutoencoder, GaussianNoiser
    from skdenoise.metrics import peak_signal_noise_ratio

    split = _common.load_sample_split()
    X, X_test, X_test_noisy = split.X_train[:n_train], split.X_test, split.X_test_noisy
    dae = DenoisingAutoencoder(
        noise=GaussianNoiser(_common.NOISE_FACTOR), epochs=epochs, random_state=seed
    ).fit(X)
    model = _moving_average_model(dae, X, epochs)
    moving = model(_common.as_images(X_test_noisy), training=False).numpy()
    return {
        "noisy input": peak_signal_noise_ratio(X_test, X_test_noisy),
        "moving averages": peak_signal_noise_ratio(X_test, moving.reshape(X_test.shape)),
        "precise": peak_signal_noise_ratio(X_test, dae.predict(X_test_noisy)),
    }


def _moving_average_model(dae, X, epochs):
    """The fitted estimator's network, trained again by plain Keras from its seeds."""
    import keras

    from skdenoise._architectures import build_conv_autoencoder
    from skdenoise._training_data import CorruptedBatches

    model = build_conv_autoencoder(
        dae.image_shape_, dae.latent_dim, output_activation="sigmoid", seed=dae._seeds["init"]
    )
    model.compile(optimizer=keras.optimizers.Adam(dae.learning_rate), loss=dae.loss_)
    order = np.random.default_rng(dae._seeds["split"]).permutation(len(X))
    train = X[order[int(len(X) * dae.validation_fraction) :]]
    batches = CorruptedBatches(
        train,
        None,
        dae.noise,
        batch_size=dae.batch_size,
        seed=dae._seeds["train"],
        first_epoch=0,
        sample_shape=dae.image_shape_,
    )
    model.fit(
        batches.as_tf_dataset(epochs), epochs=epochs, steps_per_epoch=len(batches), verbose=0
    )
    return model


def main(argv=None):
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--digits-epochs", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--mnist-epochs", type=int, default=3)
    parser.add_argument("--n-train", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    info = _common.start()
    digits = {epochs: digits_task(epochs, args.seed) for epochs in args.digits_epochs}
    mnist = mnist_task(args.mnist_epochs, args.seed, args.n_train)

    rows = [
        [f"8x8 digits, {epochs} epochs, BCE (lower is better)"]
        + [f"{result[key]:.3f}" for key in ("moving averages", "precise", "training mode")]
        + [f"{result['mean predictor']:.3f}"]
        for epochs, result in digits.items()
    ]
    rows.append(
        [f"MNIST sample, {args.mnist_epochs} epochs, test PSNR dB (higher is better)"]
        + [f"{mnist[key]:.2f}" for key in ("moving averages", "precise")]
        + ["", f"noisy input {mnist['noisy input']:.2f}"]
    )
    header = ["task", "moving averages", "precise", "training mode", "reference"]
    markdown = (
        "# Batch-normalisation statistics after short fits\n\n"
        f"`python benchmarks/batch_norm.py --seed {args.seed}`\n\n"
        "The same network, batches and seeds; inference mode unless named. "
        "Reference: the per-pixel mean of the data (digits), the noisy input "
        "(MNIST).\n\n" + _common.markdown_table(header, rows)
    )
    settings = {**vars(args), "output_dir": str(args.output_dir)}
    _common.write_results(
        args.output_dir,
        "batch_norm",
        {"settings": settings, "digits": digits, "mnist": mnist},
        markdown,
        info,
    )


if __name__ == "__main__":
    main()
