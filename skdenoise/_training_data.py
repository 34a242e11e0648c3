"""Batches of (corrupted input, clean target) pairs for Keras training."""

import math
import threading

import keras
import numpy as np
from sklearn.base import clone


def corrupt(noise, X, seed):
    """Corrupt `X` with a fresh copy of the `noise` transformer.

    The copy's ``random_state``, where it has one, is set to `seed`, so every
    call with another seed draws new noise and the same seed repeats it.

    Parameters
    ----------
    noise : transformer
        Any scikit-learn transformer that maps a 2-D array to one of the same
        shape.

    X : ndarray of shape (n_samples, ...)
        Clean data; samples of more than one dimension are flattened for the
        transformer and reshaped back.

    seed : int
        Seed for the transformer.

    Returns
    -------
    X_noisy : ndarray of float32, same shape as `X`
    """
    noiser = clone(noise)
    if "random_state" in noiser.get_params(deep=False):
        noiser.set_params(random_state=seed)
    flat = X.reshape(X.shape[0], -1)
    noisy = np.asarray(noiser.fit_transform(flat), dtype=np.float32)
    if noisy.shape != flat.shape:
        raise ValueError(
            f"The noise transformer {noise!r} returned an array of shape "
            f"{noisy.shape} for input of shape {flat.shape}; it must keep the "
            "shape of its input."
        )
    return noisy.reshape(X.shape)


class CorruptedBatches(keras.utils.PyDataset):
    """Shuffled batches whose inputs are corrupted afresh every epoch.

    Epoch ``k`` (counted from `first_epoch`) is shuffled and corrupted with
    seeds derived from ``(seed, k)`` alone, so training is reproducible and a
    warm-started fit continues with new noise instead of replaying old noise.
    Batches are a pure function of the epoch and the batch index, so the
    order in which Keras's loader threads ask for them does not matter.

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
    """

    def __init__(self, targets, inputs, noise, *, batch_size, seed, first_epoch):
        super().__init__()
        self.targets = targets
        self.inputs = inputs
        self.noise = noise
        self.batch_size = batch_size
        self.seed = seed
        self.first_epoch = first_epoch
        self._epochs_begun = 0
        self._lock = threading.Lock()
        self._prepared = None

    def __len__(self):
        return math.ceil(len(self.targets) / self.batch_size)

    def __getitem__(self, index):
        order, epoch_inputs = self._epoch_data()
        batch = slice(index * self.batch_size, (index + 1) * self.batch_size)
        rows = order[batch]
        if epoch_inputs is not None:
            inputs = epoch_inputs[batch]
        elif self.inputs is not None:
            inputs = self.inputs[rows]
        else:
            inputs = self.targets[rows]
        return inputs, self.targets[rows]

    def on_epoch_begin(self):
        # Keras may read a few batches before the first epoch begins (to learn
        # their shapes): those belong to the first epoch as well.
        self._epochs_begun += 1

    @property
    def epoch(self):
        """Index of the current epoch."""
        return self.first_epoch + max(self._epochs_begun - 1, 0)

    def _epoch_data(self):
        epoch = self.epoch
        with self._lock:
            if self._prepared is None or self._prepared[0] != epoch:
                self._prepared = (epoch, *self._shuffle_and_corrupt(epoch))
            return self._prepared[1:]

    def _shuffle_and_corrupt(self, epoch):
        rng = np.random.default_rng([self.seed, epoch])
        order = rng.permutation(len(self.targets))
        if self.inputs is not None or self.noise is None:
            return order, None
        # One vectorised call per epoch is far cheaper than one per batch.
        noise_seed = int(rng.integers(np.iinfo(np.int32).max))
        return order, corrupt(self.noise, self.targets[order], noise_seed)
