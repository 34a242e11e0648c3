import math

import keras
import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

SMALL_DAE_DEFAULTS = dict(
    latent_dim=3,
    hidden_layer_sizes=(16,),
    epochs=2,
    batch_size=64,
    validation_fraction=None,
    random_state=0,
)

# tabular has 300 rows: 5 steps of 64 per epoch.
STEPS_PER_EPOCH = 5


class RecordLearningRates(keras.callbacks.Callback):
    """Record the learning rate each training step ran at."""

    def __init__(self, rates):
        super().__init__()
        self.rates = rates

    def __deepcopy__(self, memo):
        # The estimator copies its callbacks; keep the list readable here.
        return self

    def on_train_batch_end(self, batch, logs=None):
        self.rates.append(float(self.model.optimizer.learning_rate))


def cosine(peak, step, total):
    return 0.5 * peak * (1 + math.cos(math.pi * step / total))


def test_cosine_falls_from_the_learning_rate_to_zero_over_the_fit(small_dae, tabular):
    rates = []
    dae = small_dae(
        learning_rate=4e-3,
        learning_rate_schedule="cosine",
        callbacks=[RecordLearningRates(rates)],
    ).fit(tabular)
    total = 2 * STEPS_PER_EPOCH
    expected = [cosine(4e-3, step, total) for step in range(total)]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)
    assert rates[0] == pytest.approx(4e-3) and rates[-1] < 1e-4
    # Back at the peak afterwards, where the next fit starts.
    assert float(dae.model_.optimizer.learning_rate) == pytest.approx(4e-3)


def test_constant_schedule_trains_every_step_at_the_learning_rate(small_dae, tabular):
    rates = []
    small_dae(learning_rate=2e-3, callbacks=[RecordLearningRates(rates)]).fit(tabular)
    np.testing.assert_allclose(rates, [2e-3] * (2 * STEPS_PER_EPOCH), rtol=1e-6)


def test_warm_started_fit_runs_the_schedule_again(small_dae, tabular):
    rates = []
    dae = small_dae(
        epochs=1,
        learning_rate_schedule="cosine",
        warm_start=True,
        callbacks=[RecordLearningRates(rates)],
    )
    dae.fit(tabular).fit(tabular)
    one_fit = [cosine(1e-3, step, STEPS_PER_EPOCH) for step in range(STEPS_PER_EPOCH)]
    np.testing.assert_allclose(rates, one_fit * 2, rtol=1e-6)
    assert int(dae.model_.optimizer.iterations.numpy()) == 2 * STEPS_PER_EPOCH


def test_partial_fit_trains_at_the_constant_learning_rate(small_dae, tabular):
    rates = []
    dae = small_dae(
        learning_rate=3e-3,
        learning_rate_schedule="cosine",
        callbacks=[RecordLearningRates(rates)],
    )
    dae.partial_fit(tabular)
    np.testing.assert_allclose(rates, [3e-3] * STEPS_PER_EPOCH, rtol=1e-6)


def test_a_changed_learning_rate_applies_to_the_next_warm_started_fit(small_dae, tabular):
    rates = []
    dae = small_dae(epochs=1, warm_start=True, callbacks=[RecordLearningRates(rates)])
    dae.fit(tabular)
    dae.set_params(learning_rate=5e-4).fit(tabular)
    dae.partial_fit(tabular)
    np.testing.assert_allclose(
        rates, [1e-3] * STEPS_PER_EPOCH + [5e-4] * 2 * STEPS_PER_EPOCH, rtol=1e-6
    )


def test_an_interrupted_cosine_fit_does_not_leave_its_rate_behind(small_dae, tabular):
    class InterruptAfterOneStep(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise KeyboardInterrupt

    dae = small_dae(learning_rate_schedule="cosine", warm_start=True).fit(tabular)
    dae.set_params(callbacks=[InterruptAfterOneStep()])
    with pytest.raises(KeyboardInterrupt):
        dae.fit(tabular)
    rates = []
    dae.set_params(callbacks=[RecordLearningRates(rates)]).partial_fit(tabular)
    np.testing.assert_allclose(rates, [1e-3] * STEPS_PER_EPOCH, rtol=1e-6)


def test_cosine_fits_are_reproducible_and_differ_from_constant(small_dae, tabular):
    first = small_dae(learning_rate_schedule="cosine").fit(tabular)
    again = small_dae(learning_rate_schedule="cosine").fit(tabular)
    constant = small_dae().fit(tabular)
    np.testing.assert_array_equal(first.transform(tabular), again.transform(tabular))
    assert first.history_["loss"] != constant.history_["loss"]


def test_unknown_schedule_is_a_clear_error(small_dae, tabular):
    with pytest.raises(InvalidParameterError, match="learning_rate_schedule"):
        small_dae(learning_rate_schedule="linear").fit(tabular)


def test_saved_cosine_estimator_keeps_its_schedule(small_dae, tabular, tmp_path):
    import skdenoise

    dae = small_dae(learning_rate=4e-3, learning_rate_schedule="cosine").fit(tabular)
    dae.save(tmp_path / "cosine.skd")
    loaded = skdenoise.load(tmp_path / "cosine.skd")
    assert loaded.get_params()["learning_rate_schedule"] == "cosine"
    rates = []
    loaded.set_params(warm_start=True, callbacks=[RecordLearningRates(rates)]).fit(tabular)
    assert rates[0] == pytest.approx(4e-3) and rates[-1] < 4e-4
