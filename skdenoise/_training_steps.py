"""The training and validation steps, traced once per network structure.

``keras.Model.fit`` traces its training step for every new model, again for
an epoch's last, smaller batch, and its validation step once more: about a
second for a small dense network and four or more for the convolutional one,
while an epoch of a small table takes milliseconds. A grid search builds a new
model for every candidate and fold, so on small and medium data that set-up
is nearly all of its cost.

Here a step is a pure function of the values of the variables it is given
(``keras.Layer.stateless_call`` on a template network of the same
structure), traced once per network structure and sample shape for batches
of any size (see :mod:`skdenoise._structures`). Each fit passes its own
model's variables, which the step reads and updates in place, so every fit
of a structure after the first reuses the same trace. The optimizer is
Keras's Adam, its update written out here on the same variables (Keras's
TensorFlow optimizer updates variables in place and cannot run
statelessly).
"""

import keras
import tensorflow as tf

from ._losses import LOSS_NAMES
from ._structures import cached, on_default_strategy, structure_key, variable_handles


def supports_shared_steps(model):
    """Whether `model` trains exactly as the shared steps train it.

    True for a model compiled by the estimator: Adam without clipping, weight
    decay, moving averages or gradient accumulation, no regularization
    losses, on the default distribution strategy, with Adam's state where
    the steps read it (see :func:`adam_state_as_expected`). Anything else
    trains through ``keras.Model.fit``.
    """
    optimizer = getattr(model, "optimizer", None)
    return (
        type(optimizer) is keras.optimizers.Adam
        and not optimizer.amsgrad
        and optimizer.weight_decay is None
        and optimizer.clipnorm is None
        and optimizer.clipvalue is None
        and optimizer.global_clipnorm is None
        and not optimizer.use_ema
        and not optimizer.gradient_accumulation_steps
        and isinstance(model.loss, str)
        and LOSS_NAMES.get(model.loss) in _ENTRY_LOSSES
        and not model.losses
        and on_default_strategy(model)
        and adam_state_as_expected(optimizer, model.trainable_variables)
    )


def adam_state_as_expected(optimizer, trainable_variables):
    """Whether a built Adam keeps its state in the private attributes the steps use.

    The training step updates Keras's Adam in place through attributes that
    are not Keras's public API: ``_momentums`` and ``_velocities``, one
    float variable per trainable variable and of its shape,
    ``_learning_rate``, a float scalar variable, and ``iterations``, an
    integer scalar variable. A Keras release that renames or reshapes any of
    them fails this check, and the model trains through ``keras.Model.fit``.

    Parameters
    ----------
    optimizer : keras.optimizers.Adam
        The model's optimizer, built.

    trainable_variables : list of keras.Variable
        The model's trainable variables, in the order the optimizer was
        built on.

    Returns
    -------
    as_expected : bool
    """
    slots = [getattr(optimizer, name, None) for name in ("_momentums", "_velocities")]
    return all(
        isinstance(slot, list)
        and len(slot) == len(trainable_variables)
        and all(
            _is_variable(moment, "float", variable.shape)
            for moment, variable in zip(slot, trainable_variables)
        )
        for slot in slots
    ) and (
        _is_variable(getattr(optimizer, "_learning_rate", None), "float", ())
        and _is_variable(getattr(optimizer, "iterations", None), "int", ())
    )


def _is_variable(variable, kind, shape):
    """Whether `variable` is a Keras variable on a TensorFlow one, of `kind` and `shape`."""
    return (
        isinstance(variable, keras.Variable)
        and isinstance(getattr(variable, "value", None), tf.Variable)
        and tuple(variable.shape) == tuple(shape)
        and str(variable.dtype).startswith(kind)
    )


def shared_steps(model):
    """The steps of `model`'s structure, traced at most once per process.

    Parameters
    ----------
    model : keras.Model
        A compiled model for which :func:`supports_shared_steps` holds.

    Returns
    -------
    steps : NetworkSteps
        Steps for `model` and every model of the same structure, loss and
        Adam hyperparameters.
    """
    optimizer = model.optimizer
    loss = model.loss
    key = (
        structure_key(model),
        loss,
        float(optimizer.beta_1),
        float(optimizer.beta_2),
        float(optimizer.epsilon),
    )
    # A copy of the structure, not `model` itself: the cache keeps no fitted
    # model alive, and nothing of the template is read but its layers'
    # computation.
    return cached(key, lambda: NetworkSteps(keras.models.clone_model(model), loss, optimizer))


# The loss of every value, which Keras's losses of these names average over
# the last axis.
_ENTRY_LOSSES = {
    "binary_crossentropy": keras.ops.binary_crossentropy,
    "mean_squared_error": lambda targets, outputs: keras.ops.square(targets - outputs),
    "mean_absolute_error": lambda targets, outputs: keras.ops.abs(targets - outputs),
}


class NetworkSteps:
    """A training step and a validation step, for any model of one structure.

    Parameters
    ----------
    template : keras.Model
        A network of the structure: its layers define the computation.

    loss : str
        Keras name of the loss, weighted and averaged over every value of a
        batch.

    optimizer : keras.optimizers.Adam
        Source of the Adam hyperparameters.
    """

    def __init__(self, template, loss, optimizer):
        self.template = template
        self._entry_loss = _ENTRY_LOSSES[LOSS_NAMES[loss]]
        self._beta_1 = float(optimizer.beta_1)
        self._beta_2 = float(optimizer.beta_2)
        self._epsilon = float(optimizer.epsilon)
        # Without autograph: the steps hold no data-dependent Python control
        # flow, and converting them would only slow the one trace down.
        self._train = tf.function(self._train_step, autograph=False, reduce_retracing=True)
        self._evaluate = tf.function(self._evaluate_step, autograph=False, reduce_retracing=True)
        self._traced = {}

    def train(self, model, inputs, targets, weights):
        """One Adam step of `model` on a batch; returns the batch's mean loss.

        Updates the model's weights, its batch-normalisation statistics and
        the optimizer's moments and iteration count in place. The loss of
        every value is multiplied by its weight in `weights`, of the shape of
        `targets` or broadcast to it from ``(n, 1, ..., 1)``; a weight of 0
        leaves that value out of the gradient.
        """
        optimizer = model.optimizer
        return self._call(
            "train",
            (
                variable_handles(model.trainable_variables),
                variable_handles(model.non_trainable_variables),
                variable_handles(optimizer._momentums),
                variable_handles(optimizer._velocities),
                optimizer.iterations.value,
                optimizer._learning_rate.value,
            ),
            inputs,
            targets,
            weights,
        )

    def evaluate(self, model, inputs, targets, weights):
        """Mean weighted loss of `model` in inference mode on a batch."""
        return self._call(
            "evaluate",
            (
                variable_handles(model.trainable_variables),
                variable_handles(model.non_trainable_variables),
            ),
            inputs,
            targets,
            weights,
        )

    def _call(self, name, variables, inputs, targets, weights):
        # One trace per sample shape, for batches of every size (the last,
        # smaller batch of an epoch included): a network of images of any
        # size trains on patches of one size in one fit, of another in the
        # next.
        # Weights per sample, (n, 1, ..., 1), or per value: each a trace of
        # its own, whose static shapes keep the weighting cheap.
        key = (name, inputs.shape[1:], weights.shape[1:])
        function = self._traced.get(key)
        if function is None:
            spec = tf.TensorSpec((None, *inputs.shape[1:]), tf.float32)
            weight_spec = tf.TensorSpec((None, *weights.shape[1:]), tf.float32)
            traceable = self._train if name == "train" else self._evaluate
            function = traceable.get_concrete_function(*variables, spec, spec, weight_spec)
            self._traced[key] = function
        return function(
            *variables, tf.constant(inputs), tf.constant(targets), tf.constant(weights)
        )

    def _mean_loss(self, targets, outputs, weights):
        # Keras's losses average over the last axis, then over the rest; the
        # weights apply to every value first, so that weights of one (no
        # sample_weight) give Keras's loss to the last bit.
        entry_losses = self._entry_loss(targets, outputs)
        return tf.reduce_mean(tf.reduce_mean(entry_losses * weights, axis=-1))

    def _train_step(
        self, trainable, non_trainable, momentums, velocities, iterations, lr, x, y, w
    ):
        values = [variable.read_value() for variable in trainable]
        with tf.GradientTape() as tape:
            tape.watch(values)
            outputs, statistics = self.template.stateless_call(
                values,
                [variable.read_value() for variable in non_trainable],
                x,
                training=True,
            )
            loss = self._mean_loss(y, outputs, w)
        gradients = tape.gradient(loss, values)
        # keras.optimizers.Adam.update_step, operation for operation.
        step = tf.cast(iterations + 1, tf.float32)
        beta_1, beta_2 = self._beta_1, self._beta_2
        alpha = lr * tf.sqrt(1 - tf.pow(beta_2, step)) / (1 - tf.pow(beta_1, step))
        for variable, gradient, m, v in zip(trainable, gradients, momentums, velocities):
            m.assign_add((gradient - m) * (1 - beta_1))
            v.assign_add((tf.square(gradient) - v) * (1 - beta_2))
            variable.assign_sub((m * alpha) / (tf.sqrt(v) + self._epsilon))
        for variable, value in zip(non_trainable, statistics):
            variable.assign(value)
        iterations.assign_add(1)
        return loss

    def _evaluate_step(self, trainable, non_trainable, x, y, w):
        outputs, _ = self.template.stateless_call(
            [variable.read_value() for variable in trainable],
            [variable.read_value() for variable in non_trainable],
            x,
            training=False,
        )
        return self._mean_loss(y, outputs, w)
