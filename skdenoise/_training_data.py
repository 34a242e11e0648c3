"""Batches of (corrupted input, clean target) pairs for Keras training."""

import math

import keras
import numpy as np
import tensorflow as tf

from ._noise import corrupt
from ._random import MAX_SEED


class CorruptedBatches:
    """Shuffled batches whose inputs are corrupted afresh every epoch.

    Epoch ``k`` is shuffled and corrupted with seeds derived from
    ``(seed, k)`` alone, so training is reproducible and a warm-started fit,
    whose epochs continue from `first_epoch`, draws new noise instead of
    replaying old noise. :meth:`as_tf_dataset` serves the batches to Keras.

    Parameters
    ----------
    targets : ndarray of float32 of shape (n_samples, ...)
        Clean data the model learns to output.

    inputs : ndarray of float32 of the same shape, or None
        Explicit inputs (already noisy). When None, inputs are made by
        corrupting `targets` with `noise`; when `noise` is None too, the
        targets themselves are the inputs.

    noise : transformer or None
        Corruption applied to `targets` when `inputs` is None.

    batch_size : int
        Samples per batch.

    seed : int
        Base seed of the shuffling and the noise.

    first_epoch : int
        Index of the first epoch, for seeding.

    shuffle : bool, default=True
        Whether to shuffle the samples every epoch.

    multiple_of : int, default=1
        Every batch holds a multiple of this many samples: the number of
        replicas under a tf.distribute strategy, which fails on batches that
        do not split evenly. Up to ``multiple_of - 1`` samples (others every
        epoch, when shuffled) are left out of an epoch.
    """

    def __init__(
        self,
        targets,
        inputs,
        noise,
        *,
        batch_size,
        seed,
        first_epoch,
        shuffle=True,
        multiple_of=1,
    ):
        self.targets = targets
        self.inputs = inputs
        self.noise = noise
        self.batch_size = batch_size
        self.seed = seed
        self.first_epoch = first_epoch
        self.shuffle = shuffle
        self.n_samples = len(targets) - len(targets) % multiple_of
        if self.n_samples == 0 or batch_size % multiple_of:
            raise ValueError(
                f"Training on {multiple_of} replicas needs at least as many "
                f"samples and a batch size that they divide; got {len(targets)} "
                f"samples and batch_size={batch_size}."
            )

    def __len__(self):
        """Number of batches in one epoch."""
        return math.ceil(self.n_samples / self.batch_size)

    def epoch_arrays(self, epoch):
        """Inputs and targets of one epoch, in the order they are batched.

        Parameters
        ----------
        epoch : int
            Index of the epoch, counted like `first_epoch`.

        Returns
        -------
        inputs, targets : ndarray of float32 of shape (n_samples, ...)
        """
        rng = np.random.default_rng([self.seed, epoch])
        n_samples = len(self.targets)
        order = rng.permutation(n_samples) if self.shuffle else np.arange(n_samples)
        order = order[: self.n_samples]
        targets = self.targets[order]
        if self.inputs is not None:
            inputs = self.inputs[order]
        elif self.noise is None:
            inputs = targets
        else:
            # One vectorised call per epoch is far cheaper than one per batch.
            noise_seed = int(rng.integers(MAX_SEED))
            inputs = corrupt(self.noise, targets, noise_seed)
        return (
            np.asarray(inputs, dtype=np.float32),
            np.asarray(targets, dtype=np.float32),
        )

    def sample_inputs(self, n_samples):
        """Up to `n_samples` inputs drawn at random, corrupted like in training.

        The draw and its noise follow from `seed` and `first_epoch`, apart
        from those of the epochs.

        Parameters
        ----------
        n_samples : int
            Most inputs to return.

        Returns
        -------
        inputs : ndarray of float32 of shape (min(n_samples, len(targets)), ...)
        """
        rng = np.random.default_rng([self.seed, self.first_epoch, 1])
        rows = np.sort(rng.permutation(len(self.targets))[:n_samples])
        if self.inputs is not None:
            inputs = self.inputs[rows]
        elif self.noise is None:
            inputs = self.targets[rows]
        else:
            inputs = corrupt(self.noise, self.targets[rows], int(rng.integers(MAX_SEED)))
        return np.asarray(inputs, dtype=np.float32)

    def as_tf_dataset(self, epochs):
        """The batches of `epochs` epochs in a row, as one ``tf.data.Dataset``.

        The epoch index travels through the pipeline, each epoch's arrays
        come from :meth:`epoch_arrays`, and TensorFlow slices the batches.
        Give it to ``keras.Model.fit`` with ``epochs=epochs`` and
        ``steps_per_epoch=len(self)``, so that one iterator runs through all
        epochs.

        Parameters
        ----------
        epochs : int
            Number of epochs.

        Returns
        -------
        dataset : tf.data.Dataset
            ``epochs * len(self)`` batches of ``(inputs, targets)``.
        """
        sample_shape = self.targets.shape[1:]

        def load_epoch(epoch):
            inputs, targets = tf.numpy_function(
                lambda e: self.epoch_arrays(int(e)),
                [epoch],
                (tf.float32, tf.float32),
                stateful=False,
            )
            inputs.set_shape((self.n_samples, *sample_shape))
            targets.set_shape((self.n_samples, *sample_shape))
            return inputs, targets

        def batches_of(inputs, targets):
            return tf.data.Dataset.from_tensor_slices((inputs, targets)).batch(self.batch_size)

        first = self.first_epoch
        # The next epoch is made in the background while the current one
        # trains, and no more: by default tf.data would run this map in
        # parallel and make several epochs ahead (a full copy of the data
        # each), competing with training for the cores, and would autotune
        # the pipeline from background threads that the iterator waits for
        # when it is deleted, at the end of every fit.
        options = tf.data.Options()
        options.experimental_optimization.map_parallelization = False
        options.autotune.enabled = False
        dataset = (
            tf.data.Dataset.range(first, first + epochs)
            .map(load_epoch)
            .prefetch(1)
            .flat_map(batches_of)
            .prefetch(2)
            .with_options(options)
        )
        # A known length: Keras would otherwise warn that validation data
        # "ran out" after its single pass.
        return dataset.apply(tf.data.experimental.assert_cardinality(epochs * len(self)))


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop training at the first NaN or infinite batch loss, silently.

    Keras's ``TerminateOnNaN`` prints to stdout whatever the verbosity; the
    estimator reports divergence itself, with an exception.
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.model.stop_training = True
