"""Training steps traced once per network structure, shared by every fit."""

from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest
from sklearn.datasets import load_digits

from skdenoise import DenoisingAutoencoder
from skdenoise._architectures import build_conv_autoencoder, build_dense_autoencoder
from skdenoise._inference import shared_inference
from skdenoise._structures import structure_key
from skdenoise._training_steps import adam_state_as_expected, shared_steps, supports_shared_steps


@pytest.fixture(scope="module")
def digits():
    """300 of scikit-learn's 8x8 digits in [0, 1]."""
    return (load_digits().data[:300] / 16).astype(np.float32)


def _compiled(model, learning_rate=1e-2, **adam):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, **adam), loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model


def _dense(seed=0, latent_dim=4, output_activation="linear"):
    return _compiled(
        build_dense_autoencoder(
            64, latent_dim, (16,), output_activation=output_activation, seed=seed
        )
    )


def _ones(batch):
    """Weights of one for every sample of `batch`, as the training batches give them."""
    return np.ones((len(batch),) + (1,) * (batch.ndim - 1), dtype=np.float32)


def _conv(seed=0):
    return _compiled(build_conv_autoencoder((8, 8, 1), 4, output_activation="linear", seed=seed))


@pytest.mark.parametrize("build, shape", [(_dense, (64,)), (_conv, (8, 8, 1))])
def test_a_step_is_keras_train_on_batch(build, shape, digits):
    # Same initial weights, same batches (the last one smaller): weights,
    # batch-normalisation statistics and optimizer state stay the same.
    X = digits[:100].reshape(-1, *shape)
    ours, theirs = build(), build()
    steps = shared_steps(ours)
    for start in range(0, 100, 32):
        batch = X[start : start + 32]
        loss = steps.train(ours, batch, batch, _ones(batch))
        keras_loss = theirs.train_on_batch(batch, batch)
        assert float(loss) == pytest.approx(keras_loss, rel=1e-4)
    for mine, keras_variable in zip(
        ours.variables + ours.optimizer.variables,
        theirs.variables + theirs.optimizer.variables,
    ):
        np.testing.assert_allclose(
            np.asarray(mine), np.asarray(keras_variable), rtol=1e-4, atol=1e-5
        )
    assert int(ours.optimizer.iterations.numpy()) == 4
    loss = steps.evaluate(ours, X[:50], X[:50], _ones(X[:50]))
    assert float(loss) == pytest.approx(theirs.evaluate(X[:50], X[:50], verbose=0), rel=1e-4)


def test_one_trace_serves_every_model_and_batch_size(digits):
    first, second = _dense(seed=0), _dense(seed=1)
    steps = shared_steps(first)
    assert shared_steps(second) is steps
    # The learning rate is read at every step, not traced in.
    slower = _compiled(
        build_dense_autoencoder(64, 4, (16,), output_activation="linear", seed=0), 1e-4
    )
    assert shared_steps(slower) is steps
    for model in (first, second):
        for size in (32, 7, 32, 1):
            steps.train(model, digits[:size], digits[:size], _ones(digits[:size]))
    assert steps._train.experimental_get_tracing_count() == 1
    # Each model kept its own weights: the step updated the variables it was
    # given, not the template's, nor the other model's.
    assert not np.allclose(first.get_weights()[0], second.get_weights()[0])
    template_weights = [w.copy() for w in steps.template.get_weights()]
    steps.train(first, digits[:32], digits[:32], _ones(digits[:32]))
    for before, after in zip(template_weights, steps.template.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_structure_key_ignores_names_and_seeds_only():
    key = structure_key(_dense(seed=0))
    assert structure_key(_dense(seed=1)) == key
    assert structure_key(_dense(latent_dim=5)) != key
    assert structure_key(_dense(output_activation="sigmoid")) != key
    assert structure_key(_conv()) != key


def test_steps_differ_by_loss_and_adam_settings():
    mse = _dense()
    bce = build_dense_autoencoder(64, 4, (16,), output_activation="linear", seed=0)
    bce.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy")
    bce.optimizer.build(bce.trainable_variables)
    assert shared_steps(bce) is not shared_steps(mse)
    assert shared_steps(_compiled(_dense(), beta_1=0.5)) is not shared_steps(mse)


def test_models_that_train_otherwise_go_through_keras_fit():
    assert supports_shared_steps(_dense())
    clipped = build_dense_autoencoder(64, 4, (16,), output_activation="linear", seed=0)
    clipped.compile(optimizer=keras.optimizers.Adam(clipnorm=1.0), loss="mse")
    assert not supports_shared_steps(clipped)
    sgd = build_dense_autoencoder(64, 4, (16,), output_activation="linear", seed=0)
    sgd.compile(optimizer="sgd", loss="mse")
    assert not supports_shared_steps(sgd)


def test_inference_is_shared_and_matches_the_model(digits):
    first, second = _conv(seed=0), _conv(seed=1)
    inference = shared_inference(first)
    assert shared_inference(second) is inference
    images = digits[:40].reshape(-1, 8, 8, 1)
    for model in (first, second):
        np.testing.assert_allclose(
            inference([model], images).numpy(),
            model(images, training=False).numpy(),
            rtol=1e-5,
            atol=1e-6,
        )
    encoder = first.get_layer("encoder")
    np.testing.assert_allclose(
        shared_inference(encoder)([encoder], images).numpy(),
        encoder(images, training=False).numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_a_fit_in_between_changes_nothing(digits):
    def codes(random_state, X):
        dae = DenoisingAutoencoder(latent_dim=4, epochs=2, random_state=random_state)
        return dae.fit(X).transform(digits[:20])

    before = codes(0, digits)
    codes(1, digits[::-1][:150])
    np.testing.assert_array_equal(codes(0, digits), before)


def test_concurrent_fits_of_one_structure_match_sequential_ones(digits):
    def fit(random_state):
        dae = DenoisingAutoencoder(latent_dim=4, epochs=2, random_state=random_state)
        return dae.fit(digits).transform(digits[:20])

    sequential = [fit(seed) for seed in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(fit, range(4)))
    for alone, together in zip(sequential, concurrent):
        np.testing.assert_array_equal(alone, together)


def test_callbacks_see_fit_logs_and_steer_training(digits):
    calls = []

    class Record(keras.callbacks.Callback):
        # The estimator runs a copy of each callback; a class attribute is
        # shared with the copy.
        sink = calls

        def on_train_begin(self, logs=None):
            self.sink.append("train_begin")

        def on_train_batch_end(self, batch, logs=None):
            self.sink.append(sorted(logs))

        def on_epoch_end(self, epoch, logs=None):
            self.sink.append((epoch, sorted(logs)))
            self.model.stop_training = epoch == 1

        def on_train_end(self, logs=None):
            self.sink.append("train_end")

    dae = DenoisingAutoencoder(latent_dim=4, epochs=5, callbacks=[Record()], random_state=0)
    dae.fit(digits)
    steps_per_epoch = -(-270 // 32)  # 10% of 300 held out
    epoch_calls = [["loss"]] * steps_per_epoch
    assert calls == [
        "train_begin",
        *epoch_calls,
        (0, ["loss", "val_loss"]),
        *epoch_calls,
        (1, ["loss", "val_loss"]),
        "train_end",
    ]
    assert dae.n_iter_ == 2

    # A learning-rate schedule reaches the optimizer every step: at zero,
    # more epochs change nothing.
    frozen = keras.callbacks.LearningRateScheduler(lambda epoch: 0.0)

    def weights(epochs):
        dae = DenoisingAutoencoder(
            latent_dim=4, epochs=epochs, architecture="dense", callbacks=[frozen], random_state=0
        )
        return dae.fit(digits).model_.get_weights()

    for one, three in zip(weights(1), weights(3)):
        np.testing.assert_array_equal(one, three)


def test_a_network_function_reads_the_weights_as_they_are_now(digits):
    from skdenoise._inference import NetworkFunction

    model = _dense()
    function = NetworkFunction(model)
    expected = model(digits[:5], training=False).numpy()
    np.testing.assert_allclose(function(digits[:5]).numpy(), expected, rtol=1e-6)
    # The variables are looked up once; their values at every call.
    model.set_weights([w * 0 for w in model.get_weights()])
    np.testing.assert_array_equal(function(digits[:5]).numpy(), np.zeros_like(expected))


@pytest.fixture
def adam_with_renamed_state(monkeypatch):
    """Keras's Adam as a release that renamed its private moments would be.

    Keras's own update step still runs, on the moments under their new
    names; only ``_momentums`` and ``_velocities``, which the shared steps
    read, are gone.
    """
    keras_build = keras.optimizers.Adam.build
    keras_update_step = keras.optimizers.Adam.update_step

    def build(self, var_list):
        keras_build(self, var_list)
        if "_momentums" in self.__dict__:
            self.first_moments = self.__dict__.pop("_momentums")
            self.second_moments = self.__dict__.pop("_velocities")

    def update_step(self, gradient, variable, learning_rate):
        state = self.__dict__
        state["_momentums"], state["_velocities"] = self.first_moments, self.second_moments
        try:
            return keras_update_step(self, gradient, variable, learning_rate)
        finally:
            del state["_momentums"], state["_velocities"]

    monkeypatch.setattr(keras.optimizers.Adam, "build", build)
    monkeypatch.setattr(keras.optimizers.Adam, "update_step", update_step)


@pytest.mark.parametrize("architecture", ["dense", "conv"])
def test_an_adam_without_the_expected_state_trains_through_keras_fit(
    architecture, digits, request
):
    # Measured on Keras 3.15: the weights, predictions and validation loss
    # of the two paths are bitwise equal, and the per-epoch training loss,
    # averaged in float32 by Keras and in float64 here, differs by at most
    # 1.2e-7 relative.
    def fit():
        return DenoisingAutoencoder(
            latent_dim=4, epochs=3, architecture=architecture, random_state=0
        ).fit(digits)

    shared = fit()
    assert supports_shared_steps(shared.model_)
    request.getfixturevalue("adam_with_renamed_state")
    fallback = fit()
    assert not supports_shared_steps(fallback.model_)
    assert fallback.history_.keys() == shared.history_.keys()
    for key, values in shared.history_.items():
        np.testing.assert_allclose(fallback.history_[key], values, rtol=1e-6)
    np.testing.assert_allclose(
        fallback.predict(digits), shared.predict(digits), rtol=1e-6, atol=1e-7
    )
    # Without the check, the shared step would fail on the renamed state.
    with pytest.raises(AttributeError, match="_momentums"):
        shared_steps(fallback.model_).train(
            fallback.model_, digits[:8], digits[:8], _ones(digits[:8])
        )


def test_adam_state_check_refuses_changed_shapes_and_types():
    model = _dense()
    optimizer = model.optimizer
    assert adam_state_as_expected(optimizer, model.trainable_variables)
    # Moments built for another network, or fewer of them.
    assert not adam_state_as_expected(optimizer, model.trainable_variables[::-1])
    assert not adam_state_as_expected(optimizer, model.trainable_variables[:-1])
    # A learning rate that is no longer a variable.
    learning_rate = optimizer._learning_rate
    optimizer.__dict__["_learning_rate"] = 1e-3
    try:
        assert not adam_state_as_expected(optimizer, model.trainable_variables)
    finally:
        optimizer.__dict__["_learning_rate"] = learning_rate
    assert adam_state_as_expected(optimizer, model.trainable_variables)


@pytest.mark.parametrize("build, shape", [(_dense, (64,)), (_conv, (8, 8, 1))])
def test_a_zero_weight_leaves_a_value_out_of_the_gradient(build, shape, digits):
    # Two models alike, trained on targets that differ at one value only,
    # which has weight 0 there: the steps leave both alike.
    X = digits[:16].reshape(-1, *shape)
    weights = np.ones_like(X)
    weights[3].flat[5] = 0.0
    changed = X.copy()
    changed[3].flat[5] = 1.0 - changed[3].flat[5]
    first, second = build(), build()
    steps = shared_steps(first)
    first_loss = steps.train(first, X, X, weights)
    second_loss = steps.train(second, X, changed, weights)
    assert float(first_loss) == float(second_loss)
    for a, b in zip(first.trainable_variables, second.trainable_variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    # Where the weight is 1, the same change moves the model.
    third = build()
    steps.train(third, X, changed, np.ones_like(X))
    assert any(
        not np.array_equal(np.asarray(a), np.asarray(b))
        for a, b in zip(first.trainable_variables, third.trainable_variables)
    )


@pytest.mark.parametrize("per_value", [False, True])
def test_the_loss_is_the_mean_of_weighted_values(per_value, digits):
    model = _dense()
    X = digits[:20]
    targets = np.clip(X + 0.1, 0, 1)
    rng = np.random.RandomState(0)
    shape = X.shape if per_value else (len(X), 1)
    weights = rng.uniform(0, 2, size=shape).astype(np.float32)
    loss = float(shared_steps(model).evaluate(model, X, targets, weights))
    outputs = np.asarray(model(X, training=False))
    expected = np.mean(weights * (targets - outputs) ** 2)
    assert loss == pytest.approx(expected, rel=1e-5)
