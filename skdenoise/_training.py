"""The epochs of one call to ``fit`` or ``partial_fit``, from data to history.

:func:`train` takes a built model, the validated data and the settings, and
does the rest: it holds out the validation rows, makes the corrupted
training and validation batches, sets up the callbacks, trains on the shared
steps (:mod:`skdenoise._epoch_loop`) or through ``keras.Model.fit``, and
checks that the loss stayed finite. Everything it needs comes as arguments;
it reads nothing from the estimator.
"""

import copy
import warnings
from dataclasses import dataclass, fields

import keras
import numpy as np
import tensorflow as tf

from ._batch_norm import PRECISE_STATISTICS_SAMPLES, has_batch_norm
from ._batches import PatchBatches, RowBatches
from ._callbacks import PreciseBatchNorm, StopOnNonFiniteLoss
from ._epoch_loop import fit_epochs
from ._exceptions import TrainingDivergedError
from ._input import caller_stacklevel
from ._learning_rate import set_up_learning_rate
from ._multi_worker import fit_across_workers
from ._patches import PatchSampler, check_patch_size
from ._training_steps import shared_steps, supports_shared_steps
from ._validation_split import n_validation_samples, split_indices


@dataclass(frozen=True)
class TrainingSettings:
    """What a fit's epochs take from the estimator.

    The parameters of the same names of
    :class:`~skdenoise.DenoisingAutoencoder`, and:

    Attributes
    ----------
    split_seed : int
        Seed of the validation split and of its noise.

    train_seed : int
        Seed of the order and noise of the training batches.

    sample_shape : tuple of int
        Shape of one sample as the network takes it.
    """

    noise: object
    patch_size: object
    batch_size: int
    inference_batch_size: int
    validation_fraction: float | None
    learning_rate: float
    early_stopping: bool
    n_iter_no_change: int
    tol: float
    callbacks: list | None
    distribution_strategy: str | None
    random_state: object
    verbose: int
    split_seed: int
    train_seed: int
    sample_shape: tuple

    @classmethod
    def from_params(cls, params, *, seeds, sample_shape):
        """The settings of an estimator of parameters `params` and `seeds`."""
        return cls(
            **{field.name: params[field.name] for field in fields(cls) if field.name in params},
            split_seed=seeds["split"],
            train_seed=seeds["train"],
            sample_shape=sample_shape,
        )


def train(model, data, source, settings, *, epochs, schedule, validate, first_epoch):
    """Train `model` in place for up to `epochs` epochs; return their history.

    Parameters
    ----------
    model : keras.Model
        Compiled model, with its optimizer built.

    data : skdenoise._batch_sources.SampleArrays
        The validated data: flat rows (an ndarray or sparse matrix of shape
        (n_samples, n_features)) or, with ``settings.patch_size``, the images
        of :func:`skdenoise._patches.validate_images`; the clean targets of
        explicit pairs, of the same form, or None; the sample weights, or
        None.

    source : skdenoise._batch_sources.Corruption or GivenPairs
        Where each batch's inputs, targets and loss weights come from.

    settings : TrainingSettings
        The estimator's settings.

    epochs : int
        Most epochs to train; early stopping and callbacks may end sooner.

    schedule : {"constant", "cosine"}
        Learning-rate schedule of this call.

    validate : bool
        Whether to hold out ``settings.validation_fraction`` of the rows.

    first_epoch : int
        Epochs trained before this call, from which the batches' seeds
        continue.

    Returns
    -------
    history : dict of str to list of float
        ``"loss"`` and, with validation, ``"val_loss"``, one value per epoch
        run.

    Raises
    ------
    TrainingDivergedError
        If the training loss became NaN or infinite.
    """
    strategy = model.distribute_strategy
    replicas = strategy.num_replicas_in_sync
    _check_seeded_across_workers(strategy, settings)
    # Keras under tf.distribute fails on batches that do not split evenly
    # between replicas.
    batch_size = max(replicas, settings.batch_size - settings.batch_size % replicas)
    inference_batch_size = max(
        replicas, settings.inference_batch_size - settings.inference_batch_size % replicas
    )
    make_batches = _row_batches if settings.patch_size is None else _patch_batches
    batches, validation = make_batches(
        data,
        source,
        settings,
        validation_fraction=settings.validation_fraction if validate else None,
        first_epoch=first_epoch,
        batch_size=batch_size,
        inference_batch_size=inference_batch_size,
        multiple_of=replicas,
    )
    callbacks = _callbacks(
        model, batches, validation, settings, epochs, schedule, inference_batch_size
    )
    if source.weights_per_value(settings.sample_shape) and not supports_shared_steps(model):
        raise ValueError(
            "This source's loss weights differ between the values of a row (a "
            "blind-spot mask of a table), which trains on the estimator's own "
            "steps only, not through keras.Model.fit as "
            f"distribution_strategy={settings.distribution_strategy!r} does."
        )
    if supports_shared_steps(model):
        # Steps traced once per network structure: a new model of a known
        # structure, as in every fit of a grid search, trains at once.
        history = fit_epochs(
            model,
            shared_steps(model),
            batches,
            validation,
            epochs=epochs,
            callbacks=callbacks,
            verbose=settings.verbose,
        )
    else:
        history = _fit_with_keras(model, batches, validation, epochs, callbacks, settings.verbose)
    losses = history.get("loss", [])
    if not losses or not np.all(np.isfinite(losses)):
        raise TrainingDivergedError(
            "Training diverged: the loss became "
            f"{losses[-1] if losses else 'undefined'}. Lower learning_rate, "
            "scale the data, or check it for extreme values. The estimator "
            "is left as it was before this fit."
        )
    return history


def _row_batches(
    data,
    source,
    settings,
    *,
    validation_fraction,
    first_epoch,
    batch_size,
    inference_batch_size,
    multiple_of,
):
    """The training batches and the validation batches (or None) of rows."""
    train_rows, validation_rows = _split(data, validation_fraction, settings.split_seed)
    batches = RowBatches(
        train_rows,
        source,
        batch_size=batch_size,
        seed=settings.train_seed,
        first_epoch=first_epoch,
        multiple_of=multiple_of,
        sample_shape=settings.sample_shape,
    )
    validation = None
    if validation_rows is not None:
        validation = _fixed_validation(
            validation_rows,
            source,
            settings,
            batch_size=inference_batch_size,
            multiple_of=multiple_of,
        )
    return batches, validation


def _fixed_validation(data, source, settings, *, batch_size, multiple_of):
    """Validation batches made the same way every epoch.

    The same corruption makes the validation loss comparable across epochs.
    """
    return RowBatches(
        data,
        source,
        batch_size=batch_size,
        seed=settings.split_seed,
        first_epoch=0,
        shuffle=False,
        multiple_of=multiple_of,
        sample_shape=settings.sample_shape,
    )


def _patch_batches(
    data,
    source,
    settings,
    *,
    validation_fraction,
    first_epoch,
    batch_size,
    inference_batch_size,
    multiple_of,
):
    """Batches of patches cut afresh every epoch, and fixed validation patches.

    The validation patches are cut once, from the same images, with the
    split seed: every epoch's loss is measured on the same patches.
    """
    sampler = PatchSampler(data, check_patch_size(settings.patch_size))
    n_patches = sampler.patches_per_epoch(batch_size)
    batches = PatchBatches(
        sampler,
        source,
        n_patches=n_patches,
        batch_size=batch_size,
        seed=settings.train_seed,
        first_epoch=first_epoch,
        multiple_of=multiple_of,
        sample_shape=settings.sample_shape,
    )
    n_validation = n_validation_samples(n_patches, validation_fraction)
    if validation_fraction and n_validation == 0:
        warnings.warn(
            f"validation_fraction={validation_fraction} of {n_patches} patches "
            "leaves no validation patch; training without validation.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    if n_validation == 0:
        return batches, None
    # Cut once; _fixed_validation makes their inputs the same way every epoch.
    patches = sampler.draw(n_validation, np.random.default_rng([settings.split_seed, 0]))
    validation = _fixed_validation(
        patches, source, settings, batch_size=inference_batch_size, multiple_of=multiple_of
    )
    return batches, validation


def _split(data, validation_fraction, seed):
    """Hold out a random validation set: the training and validation samples (or None)."""
    n_samples = len(data)
    n_validation = n_validation_samples(n_samples, validation_fraction)
    if validation_fraction and n_validation == 0:
        warnings.warn(
            f"validation_fraction={validation_fraction} of {n_samples} "
            "samples leaves no validation sample; training without "
            "validation.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    if n_validation >= n_samples:
        raise ValueError(
            f"validation_fraction={validation_fraction} of {n_samples} "
            "samples leaves no training sample."
        )
    if n_validation == 0:
        return data, None
    train_idx, val_idx = split_indices(n_samples, n_validation, seed)
    return data.take(train_idx), data.take(val_idx)


def _check_seeded_across_workers(strategy, settings):
    """Refuse a multi-worker fit whose workers would draw different data."""
    if (
        isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        and strategy.num_replicas_in_sync > len(strategy.extended.worker_devices)
        and settings.random_state is None
    ):
        # Each worker splits, shuffles and corrupts the data itself.
        raise ValueError(
            f'distribution_strategy="{settings.distribution_strategy}" across '
            "several workers needs an int random_state, the same on every "
            "worker, so that all draw the same validation split, shuffling "
            "and noise; got random_state=None."
        )


def _callbacks(model, batches, validation, settings, epochs, schedule, inference_batch_size):
    """The fit's callbacks: ours first, then copies of the user's."""
    callbacks = [StopOnNonFiniteLoss()]
    callbacks += set_up_learning_rate(
        model.optimizer, settings.learning_rate, schedule, epochs * len(batches)
    )
    if has_batch_norm(model):
        callbacks.append(
            PreciseBatchNorm(
                batches.sample_inputs(PRECISE_STATISTICS_SAMPLES),
                steps_per_epoch=len(batches),
                batch_size=inference_batch_size,
                every_epoch=bool(
                    validation is not None or settings.early_stopping or settings.callbacks
                ),
            )
        )
    if settings.early_stopping:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="loss" if validation is None else "val_loss",
                patience=settings.n_iter_no_change,
                min_delta=settings.tol,
                restore_best_weights=True,
            )
        )
    callbacks.extend(copy.deepcopy(callback) for callback in settings.callbacks or [])
    return callbacks


def _fit_with_keras(model, batches, validation, epochs, callbacks, verbose):
    """Train through ``keras.Model.fit``, or its multi-worker counterpart.

    For models on a distribution strategy, and models the shared steps
    cannot train.
    """
    # One tf.data pipeline through all epochs: TensorFlow slices the
    # batches, and each epoch's order and noise follow from its index, so
    # every worker of a multi-worker strategy builds the same batches.
    dataset = batches.as_tf_dataset(epochs).map(_as_keras_sample_weight)
    arguments = {
        "epochs": epochs,
        "steps_per_epoch": len(batches),
        "validation_data": (
            None
            if validation is None
            else validation.as_tf_dataset(1).map(_as_keras_sample_weight)
        ),
        "callbacks": callbacks,
        "verbose": verbose,
    }
    if isinstance(model.distribute_strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return fit_across_workers(model, dataset, **arguments)
    # The batches are shuffled already, from our seeds.
    history = model.fit(dataset, shuffle=False, **arguments).history
    return {key: [float(v) for v in values] for key, values in history.items()}


def _as_keras_sample_weight(inputs, targets, weights):
    """A batch with its loss weights in the shape of Keras's losses.

    Keras's losses average each sample's values over the last axis before
    they weigh them, so a weight must be the same for every value of that
    axis (each sample's, or each pixel's for all its channels): then the
    weighted loss is the one of the estimator's own steps. Other weights
    are refused.
    """
    check = tf.debugging.assert_equal(
        weights,
        tf.broadcast_to(weights[..., :1], tf.shape(weights)),
        message=(
            "Loss weights that differ between the values of a sample's last axis "
            "train on the estimator's own steps only, not through keras.Model.fit."
        ),
    )
    with tf.control_dependencies([check]):
        return inputs, targets, weights[..., 0]
