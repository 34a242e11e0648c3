"""Batches of (input, target, loss weights) for training, epoch after epoch."""

import math

import numpy as np
import scipy.sparse as sp
import tensorflow as tf

from ._batch_sources import dense_batch
from ._random import MAX_SEED

# Per batch: the inputs, the targets and the loss weights.
_BATCH_DTYPES = (tf.float32, tf.float32, tf.float32)


class _EpochBatches:
    """Batches of one epoch after another, every epoch drawn from its seed.

    What :class:`RowBatches` and :class:`PatchBatches` share: the number of
    batches, the source of the inputs, targets and weights, and the
    ``tf.data`` pipeline. A subclass defines ``epoch_arrays(epoch)``, the
    inputs, targets and loss weights of one epoch in the order they are
    batched, ``sample_inputs(n)`` and, for sparse data,
    ``batch_arrays(epoch, step)``.

    Parameters
    ----------
    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where the inputs, targets and loss weights come from.

    n_samples : int
        Samples in one epoch.

    batch_size, seed, first_epoch, multiple_of, sample_shape
        As for :class:`RowBatches`.

    sparse : bool
        Whether the data are sparse, so batches are densified one at a time.
    """

    def __init__(
        self,
        source,
        *,
        n_samples,
        batch_size,
        seed,
        first_epoch,
        multiple_of,
        sample_shape,
        sparse,
    ):
        self.source = source
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

    def _batch(self, data, seed):
        """Float32 inputs, targets and loss weights of the samples of `data`."""
        return dense_batch(self.source, data, self.sample_shape, seed)

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
            ``epochs * len(self)`` batches of ``(inputs, targets, weights)``.
        """
        if self._sparse:
            return self._sparse_dataset(epochs)

        def load_epoch(epoch):
            arrays = tf.numpy_function(
                lambda e: self.epoch_arrays(int(e)), [epoch], _BATCH_DTYPES, stateful=False
            )
            return self._with_shapes(arrays, self.n_samples)

        def batches_of(inputs, targets, weights):
            slices = (inputs, targets, weights)
            return tf.data.Dataset.from_tensor_slices(slices).batch(self.batch_size)

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
            arrays = tf.numpy_function(load_batch, [index], _BATCH_DTYPES, stateful=False)
            return self._with_shapes(arrays, None)

        first = self.first_epoch * steps
        dataset = (
            tf.data.Dataset.range(first, first + epochs * steps)
            .map(as_tensors)
            .prefetch(2)
            .with_options(_sequential_pipeline_options())
        )
        return dataset.apply(tf.data.experimental.assert_cardinality(epochs * steps))

    def _with_shapes(self, arrays, n_samples):
        """The tensors of a batch or an epoch, with their static shapes set."""
        inputs, targets, weights = arrays
        inputs.set_shape((n_samples, *self.sample_shape))
        targets.set_shape((n_samples, *self.sample_shape))
        # Per sample or per entry: a rank, not a shape.
        weights.set_shape((n_samples, *[None] * len(self.sample_shape)))
        return inputs, targets, weights


class RowBatches(_EpochBatches):
    """Shuffled batches of samples, their inputs drawn afresh every epoch.

    Epoch ``k`` is shuffled and its inputs are made (corrupted, for a
    :class:`~skdenoise._batch_sources.Corruption` source) with seeds derived
    from ``(seed, k)`` alone, so training is reproducible and a warm-started
    fit, whose epochs continue from `first_epoch`, draws new noise instead
    of replaying old noise. :meth:`epoch_arrays` and :meth:`batch_arrays`
    serve the batches to the estimator's own training loop,
    :meth:`as_tf_dataset` to ``keras.Model.fit``.

    Parameters
    ----------
    data : skdenoise._batch_sources.SampleArrays
        The samples, as arrays or sparse matrices of shape (n_samples, ...).

    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where each batch's inputs, targets and loss weights come from.

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
        ``data.X``. Sparse matrices, whose rows are flat, are densified and
        reshaped to it one batch at a time.
    """

    def __init__(
        self,
        data,
        source,
        *,
        batch_size,
        seed,
        first_epoch,
        shuffle=True,
        multiple_of=1,
        sample_shape=None,
    ):
        super().__init__(
            source,
            n_samples=len(data),
            batch_size=batch_size,
            seed=seed,
            first_epoch=first_epoch,
            multiple_of=multiple_of,
            sample_shape=data.X.shape[1:] if sample_shape is None else sample_shape,
            sparse=sp.issparse(data.X) or sp.issparse(data.y),
        )
        self.data = data
        self.shuffle = shuffle
        self._epoch_order = (None, None)
        # A batch of a couple of rows now raises the source's own errors
        # (too few rows for SwapNoiser, a wrong-length fraction); inside
        # tf.data they would come wrapped in a TensorFlow graph error.
        self._rows(np.arange(min(2, self.n_samples)), seed)

    def epoch_arrays(self, epoch):
        """Inputs, targets and loss weights of one epoch, in the order they are batched.

        Parameters
        ----------
        epoch : int
            Index of the epoch, counted like `first_epoch`.

        Returns
        -------
        inputs, targets : ndarray of float32 of shape (n_samples, ...)

        weights : ndarray of float32
            Loss weights of the targets' entries, or of the samples, of shape
            ``(n_samples, 1, ..., 1)``.
        """
        order, noise_seed = self._order(epoch)
        # One vectorised call per epoch is far cheaper than one per batch.
        return self._rows(order, noise_seed)

    def batch_arrays(self, epoch, step):
        """Inputs, targets and weights of one batch, as :meth:`epoch_arrays` orders them.

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
        inputs, targets, weights : ndarray of float32
        """
        rows = self._order(epoch)[0][step * self.batch_size : (step + 1) * self.batch_size]
        rng = np.random.default_rng([self.seed, epoch, 2, step])
        return self._rows(rows, int(rng.integers(MAX_SEED)))

    def _order(self, epoch):
        """The samples of an epoch in the order they are batched, and its noise seed."""
        if self._epoch_order[0] != epoch:
            n_samples = len(self.data)
            rng = np.random.default_rng([self.seed, epoch])
            order = rng.permutation(n_samples) if self.shuffle else np.arange(n_samples)
            self._epoch_order = (epoch, (order[: self.n_samples], int(rng.integers(MAX_SEED))))
        return self._epoch_order[1]

    def _rows(self, rows, noise_seed):
        """Dense inputs, targets and weights of the given samples, in model shape."""
        return self._batch(self.data.take(rows), noise_seed)

    def sample_inputs(self, n_samples):
        """Up to `n_samples` inputs drawn at random, made like in training.

        The draw and its noise follow from `seed` and `first_epoch`, apart
        from those of the epochs.

        Parameters
        ----------
        n_samples : int
            Most inputs to return.

        Returns
        -------
        inputs : ndarray of float32 of shape (min(n_samples, len(data)), ...)
        """
        rng = np.random.default_rng([self.seed, self.first_epoch, 1])
        rows = np.sort(rng.permutation(len(self.data))[:n_samples])
        return self._rows(rows, int(rng.integers(MAX_SEED)))[0]


class PatchBatches(_EpochBatches):
    """Batches of random patches of images, cut and corrupted afresh every epoch.

    Epoch ``k`` cuts `n_patches` patches, at random places (see
    :class:`~skdenoise._patches.PatchSampler`), and makes their inputs, with
    seeds derived from ``(seed, k)`` alone, as :class:`RowBatches` shuffles
    and corrupts its samples: training is reproducible, and every epoch,
    warm-started ones included, sees new patches and new noise.

    Parameters
    ----------
    sampler : skdenoise._patches.PatchSampler
        The images, their clean versions for explicit pairs, and their
        sample weights.

    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where each batch's inputs, targets and loss weights come from.

    n_patches : int
        Patches in one epoch.

    batch_size, seed, first_epoch, multiple_of
        As for :class:`RowBatches`.

    sample_shape : tuple of int
        Shape of one sample as the model takes it: the patches are flattened
        for a model of flat inputs, and keep their shape otherwise.
    """

    def __init__(
        self,
        sampler,
        source,
        *,
        n_patches,
        batch_size,
        seed,
        first_epoch,
        sample_shape,
        multiple_of=1,
    ):
        super().__init__(
            source,
            n_samples=n_patches,
            batch_size=batch_size,
            seed=seed,
            first_epoch=first_epoch,
            multiple_of=multiple_of,
            sample_shape=sample_shape,
            sparse=False,
        )
        self.sampler = sampler
        # Raises the source's own errors now rather than inside tf.data.
        self._patches(min(2, self.n_samples), np.random.default_rng(seed))

    def epoch_arrays(self, epoch):
        """Inputs, targets and loss weights of one epoch's patches, in random order.

        Parameters
        ----------
        epoch : int
            Index of the epoch, counted like `first_epoch`.

        Returns
        -------
        inputs, targets, weights : ndarray of float32
            As :meth:`RowBatches.epoch_arrays` gives them.
        """
        return self._patches(self.n_samples, np.random.default_rng([self.seed, epoch]))

    def sample_inputs(self, n_samples):
        """`n_samples` inputs cut at random, made like in training.

        The draw and its noise follow from `seed` and `first_epoch`, apart
        from those of the epochs.
        """
        rng = np.random.default_rng([self.seed, self.first_epoch, 1])
        return self._patches(min(n_samples, self.n_samples), rng)[0]

    def _patches(self, n_patches, rng):
        return self._batch(self.sampler.draw(n_patches, rng), int(rng.integers(MAX_SEED)))


def _sequential_pipeline_options():
    """Options of a pipeline that prepares its data in one thread, untuned.

    See :meth:`RowBatches.as_tf_dataset` for why.
    """
    options = tf.data.Options()
    options.experimental_optimization.map_parallelization = False
    options.autotune.enabled = False
    return options
