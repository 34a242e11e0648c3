"""Batches of (corrupted input, clean target) pairs for Keras training."""

import math

import numpy as np
import scipy.sparse as sp
import tensorflow as tf

from ._noise import corrupt
from ._random import MAX_SEED


class _EpochBatches:
    """Batches of one epoch after another, every epoch drawn from its seed.

    What :class:`CorruptedBatches` and :class:`PatchBatches` share: the
    number of batches, the corruption of the inputs and the ``tf.data``
    pipeline. A subclass defines ``epoch_arrays(epoch)``, the inputs and
    targets of one epoch in the order they are batched, ``sample_inputs(n)``
    and, for sparse data, ``batch_arrays(epoch, step)``.

    Parameters
    ----------
    noise : transformer or None
        Corruption of the targets into inputs, where no inputs are given.

    n_samples : int
        Samples in one epoch.

    batch_size, seed, first_epoch, multiple_of, sample_shape
        As for :class:`CorruptedBatches`.

    sparse : bool
        Whether the data are sparse, so batches are densified one at a time.
    """

    def __init__(
        self, noise, *, n_samples, batch_size, seed, first_epoch, multiple_of, sample_shape, sparse
    ):
        self.noise = noise
        self.batch_size = batch_size
        self.seed = seed
        self.first_epoch = first_epoch
        self.sample_shape = tuple(sample_shape)
        self.n_samples = n_samples - n_samples % multiple_of
        if self.n_samples == 0 or batch_size % multiple_of:
            raise ValueError(
                f"Training on {multiple_of} replicas needs at least as many "
                f"samples and a batch size that they divide; got {n_samples} "
                f"samples and batch_size={batch_size}."
            )
        self._sparse = sparse

    @property
    def sparse(self):
        """Whether the data are sparse, so batches are densified one at a time."""
        return self._sparse

    def __len__(self):
        """Number of batches in one epoch."""
        return math.ceil(self.n_samples / self.batch_size)

    def _pair(self, inputs, targets, noise_seed):
        """Float32 inputs and targets; missing inputs are the corrupted targets."""
        if inputs is None:
            inputs = targets if self.noise is None else corrupt(self.noise, targets, noise_seed)
        return np.asarray(inputs, dtype=np.float32), targets

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
        sample_shape = self.sample_shape
        if self._sparse:
            return self._sparse_dataset(epochs)

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
        dataset = (
            tf.data.Dataset.range(first, first + epochs)
            .map(load_epoch)
            .prefetch(1)
            .flat_map(batches_of)
            .prefetch(2)
            .with_options(_sequential_pipeline_options())
        )
        # A known length: Keras would otherwise warn that validation data
        # "ran out" after its single pass.
        return dataset.apply(tf.data.experimental.assert_cardinality(epochs * len(self)))

    def _sparse_dataset(self, epochs):
        """Batches densified one at a time, for sparse data."""
        steps = len(self)

        def load_batch(index):
            epoch, step = divmod(int(index), steps)
            return self.batch_arrays(epoch, step)

        def as_tensors(index):
            inputs, targets = tf.numpy_function(
                load_batch, [index], (tf.float32, tf.float32), stateful=False
            )
            inputs.set_shape((None, *self.sample_shape))
            targets.set_shape((None, *self.sample_shape))
            return inputs, targets

        first = self.first_epoch * steps
        dataset = (
            tf.data.Dataset.range(first, first + epochs * steps)
            .map(as_tensors)
            .prefetch(2)
            .with_options(_sequential_pipeline_options())
        )
        return dataset.apply(tf.data.experimental.assert_cardinality(epochs * steps))


class CorruptedBatches(_EpochBatches):
    """Shuffled batches whose inputs are corrupted afresh every epoch.

    Epoch ``k`` is shuffled and corrupted with seeds derived from
    ``(seed, k)`` alone, so training is reproducible and a warm-started fit,
    whose epochs continue from `first_epoch`, draws new noise instead of
    replaying old noise. :meth:`epoch_arrays` and :meth:`batch_arrays` serve
    the batches to the estimator's own training loop, :meth:`as_tf_dataset`
    to ``keras.Model.fit``.

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

    sample_shape : tuple of int or None, default=None
        Shape of one sample as the model takes it; None keeps the shape of
        `targets`. Sparse matrices, whose rows are flat, are densified and
        reshaped to it one batch at a time.
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
        sample_shape=None,
    ):
        super().__init__(
            noise,
            n_samples=targets.shape[0],
            batch_size=batch_size,
            seed=seed,
            first_epoch=first_epoch,
            multiple_of=multiple_of,
            sample_shape=targets.shape[1:] if sample_shape is None else sample_shape,
            sparse=sp.issparse(targets) or sp.issparse(inputs),
        )
        self.targets = targets
        self.inputs = inputs
        self.shuffle = shuffle
        self._epoch_order = (None, None)
        if inputs is None and noise is not None:
            # Corrupting a couple of rows now raises the noiser's own error
            # (too few rows for SwapNoiser, a wrong-length fraction); inside
            # tf.data it would come wrapped in a TensorFlow graph error.
            self._rows(np.arange(min(2, self.n_samples)), seed)

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
        order, noise_seed = self._order(epoch)
        # One vectorised call per epoch is far cheaper than one per batch.
        return self._rows(order, noise_seed)

    def batch_arrays(self, epoch, step):
        """Inputs and targets of one batch, as :meth:`epoch_arrays` orders them.

        For sparse data, which training densifies one batch at
        a time; each batch is corrupted with a seed of its own.

        Parameters
        ----------
        epoch : int
            Index of the epoch, counted like `first_epoch`.

        step : int
            Index of the batch in the epoch.

        Returns
        -------
        inputs, targets : ndarray of float32 of shape (n_batch_samples, ...)
        """
        rows = self._order(epoch)[0][step * self.batch_size : (step + 1) * self.batch_size]
        rng = np.random.default_rng([self.seed, epoch, 2, step])
        return self._rows(rows, int(rng.integers(MAX_SEED)))

    def _order(self, epoch):
        """The samples of an epoch in the order they are batched, and its noise seed."""
        if self._epoch_order[0] != epoch:
            n_samples = self.targets.shape[0]
            rng = np.random.default_rng([self.seed, epoch])
            order = rng.permutation(n_samples) if self.shuffle else np.arange(n_samples)
            self._epoch_order = (epoch, (order[: self.n_samples], int(rng.integers(MAX_SEED))))
        return self._epoch_order[1]

    def _rows(self, rows, noise_seed):
        """Dense inputs and targets of the given samples, in model shape."""
        targets = self._dense(self.targets[rows])
        inputs = None if self.inputs is None else self._dense(self.inputs[rows])
        return self._pair(inputs, targets, noise_seed)

    def _dense(self, X):
        X = X.toarray() if sp.issparse(X) else X
        return np.asarray(X, dtype=np.float32).reshape(X.shape[0], *self.sample_shape)

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
        rows = np.sort(rng.permutation(self.targets.shape[0])[:n_samples])
        return self._rows(rows, int(rng.integers(MAX_SEED)))[0]


class PatchBatches(_EpochBatches):
    """Batches of random patches of images, cut and corrupted afresh every epoch.

    Epoch ``k`` cuts `n_patches` patches, at random places (see
    :class:`~skdenoise._patches.PatchSampler`), and corrupts them, with seeds
    derived from ``(seed, k)`` alone, as :class:`CorruptedBatches` shuffles
    and corrupts its samples: training is reproducible, and every epoch,
    warm-started ones included, sees new patches and new noise.

    Parameters
    ----------
    sampler : skdenoise._patches.PatchSampler
        The images, and their inputs for explicit pairs.

    noise : transformer or None
        Corruption of the patches when the sampler has no inputs.

    n_patches : int
        Patches in one epoch.

    batch_size, seed, first_epoch, multiple_of
        As for :class:`CorruptedBatches`.

    sample_shape : tuple of int
        Shape of one sample as the model takes it: the patches are flattened
        for a model of flat inputs, and keep their shape otherwise.
    """

    def __init__(
        self,
        sampler,
        noise,
        *,
        n_patches,
        batch_size,
        seed,
        first_epoch,
        sample_shape,
        multiple_of=1,
    ):
        super().__init__(
            noise,
            n_samples=n_patches,
            batch_size=batch_size,
            seed=seed,
            first_epoch=first_epoch,
            multiple_of=multiple_of,
            sample_shape=sample_shape,
            sparse=False,
        )
        self.sampler = sampler
        if sampler.inputs is None and noise is not None:
            # Raises the noiser's own errors now rather than inside tf.data.
            self._patches(min(2, self.n_samples), np.random.default_rng(seed))

    def epoch_arrays(self, epoch):
        """Inputs and targets of one epoch's patches, in random order.

        Parameters
        ----------
        epoch : int
            Index of the epoch, counted like `first_epoch`.

        Returns
        -------
        inputs, targets : ndarray of float32 of shape (n_samples, ...)
        """
        return self._patches(self.n_samples, np.random.default_rng([self.seed, epoch]))

    def sample_inputs(self, n_samples):
        """`n_samples` inputs cut at random, corrupted like in training.

        The draw and its noise follow from `seed` and `first_epoch`, apart
        from those of the epochs.
        """
        rng = np.random.default_rng([self.seed, self.first_epoch, 1])
        return self._patches(min(n_samples, self.n_samples), rng)[0]

    def _patches(self, n_patches, rng):
        targets, inputs = self.sampler.draw(n_patches, rng)
        if len(self.sample_shape) == 1:
            # A model of flat inputs.
            targets = targets.reshape(n_patches, -1)
            inputs = None if inputs is None else inputs.reshape(n_patches, -1)
        return self._pair(inputs, targets, int(rng.integers(MAX_SEED)))


def _sequential_pipeline_options():
    """Options of a pipeline that prepares its data in one thread, untuned.

    See :meth:`CorruptedBatches.as_tf_dataset` for why.
    """
    options = tf.data.Options()
    options.experimental_optimization.map_parallelization = False
    options.autotune.enabled = False
    return options
